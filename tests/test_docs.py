"""The docs keep their promises.

The code blocks themselves run through Sybil (``docs/conftest.py``).  These
tests guard what Sybil cannot see: a block in a language nothing runs, a
page missing from the table of contents, a public name missing from the API
reference, a plan made without a fixed date, and the snippets in other
languages reading fields the plan JSON does not have.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

import simexit

from .conftest import DATA, ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))

#: Languages of code blocks: the ones the docs tests run, and the ones that
#: are data, output or another language on purpose.
RUN = {"python", "console"}
SHOWN = {"toml", "text", "json", "javascript", "go", "ini", "dockerfile"}
#: MyST directives the pages may use.
DIRECTIVES = {"code-block", "eval-rst", "toctree", "important", "note", "warning"}

_FENCE = re.compile(r"^(`{3,})(.*)$", re.M)
_SKIP = re.compile(r"^%\s*skip:(.*)$", re.M)


def blocks(page: Path) -> list[tuple[str, str]]:
    """``(info string, body)`` of every fenced block, nested ones included."""
    text = page.read_text("utf-8")
    found: list[tuple[str, str]] = []
    open_: list[tuple[str, str, int]] = []
    for m in _FENCE.finditer(text):
        fence, info = m.group(1), m.group(2).strip()
        if open_ and not info and len(fence) >= len(open_[-1][0]):
            _, opened, start = open_.pop()
            found.append((opened, text[start : m.start()]))
        else:
            open_.append((fence, info, m.end() + 1))
    assert not open_, f"{page.name}: unclosed code block"
    return found


def language(info: str) -> str:
    """The language of a block: ``toml`` for ``{code-block} toml``."""
    m = re.fullmatch(r"\{([\w-]+)\}\s*(.*)", info)
    if m is None:
        return info
    return m.group(2).strip() if m.group(1) == "code-block" else "{" + m.group(1) + "}"


def python_source(page: Path) -> str:
    """The Python code of a page's ```python blocks, prompts stripped."""
    lines = []
    for info, body in blocks(page):
        if language(info) == "python":
            for line in body.splitlines():
                if line.startswith((">>> ", "... ")):
                    lines.append(line[4:])
                elif not body.lstrip().startswith(">>>"):
                    lines.append(line)
    return "\n".join(lines)


def block(page: str, lang: str) -> str:
    (body,) = [b for i, b in blocks(DOCS / page) if language(i) == lang]
    return body


def plan_json() -> dict[str, Any]:
    """A real plan, as another program reads it."""
    situation = simexit.Situation(
        country="AZ", operator="azercell", card="esim", location="abroad"
    )
    plan = simexit.plan_for(situation, today=dt.date(2026, 11, 23))
    data: dict[str, Any] = json.loads(simexit.to_json(plan))
    return data


@pytest.fixture(params=PAGES, ids=[p.name for p in PAGES])
def page(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


class TestCodeBlocks:
    def test_every_block_is_run_or_shown_on_purpose(self, page):
        """A misspelt language (``py``, ``shell``) would escape the tests."""
        for info, _ in blocks(page):
            lang = language(info)
            if lang.startswith("{"):
                assert lang[1:-1] in DIRECTIVES, (page.name, info)
            else:
                assert lang in RUN | SHOWN, (page.name, info)

    def test_every_skip_says_why(self, page):
        """A skipped block is reported with its reason."""
        for arguments in _SKIP.findall(page.read_text("utf-8")):
            assert re.fullmatch(r'\s*next\s+"[^"]{10,}"\s*', arguments), (
                page.name,
                arguments,
            )

    def test_plans_in_examples_have_a_fixed_date(self, page):
        """Output shown in the docs must not change with the calendar."""
        source = python_source(page)
        for m in re.finditer(r"\bplan_for\(", source):
            depth, end = 1, m.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(source[end], 0)
                end += 1
            assert "today=" in source[m.end() : end], (
                page.name,
                source[m.start() : end],
            )


class TestTableOfContents:
    def test_every_page_is_listed(self):
        """Sphinx -W fails on a page that is in no toctree; fail earlier."""
        listed = set()
        for info, body in blocks(DOCS / "index.md"):
            if language(info) == "{toctree}":
                listed |= {
                    line.strip()
                    for line in body.splitlines()
                    if line.strip() and not line.startswith(":")
                }

        assert listed == {p.stem for p in PAGES} - {"index"}


class TestApiReference:
    def test_every_public_name_is_documented(self):
        """api.md covers all of ``simexit.__all__``."""
        text = (DOCS / "api.md").read_text("utf-8")
        documented = set(re.findall(r"::\s+simexit\.(\w+)", text))

        assert set(simexit.__all__) - documented == set()

    def test_scenario_helpers_are_documented(self):
        """The scenario helpers third-party packages use are in the reference."""
        text = (DOCS / "api.md").read_text("utf-8")

        for name in ("check_scenarios", "check_scenario", "load_scenarios", "Scenario"):
            assert f"simexit.testing.{name}" in text


class TestArchitecture:
    def test_every_module_is_on_the_architecture_page(self):
        """A module added to src/simexit gets its line in architecture.md."""
        text = (DOCS / "architecture.md").read_text("utf-8")
        modules = sorted((ROOT / "src" / "simexit").glob("*.py"))

        assert [m.name for m in modules if f"`{m.stem}" not in text] == []


class TestOtherLanguages:
    """The JavaScript and Go snippets are not run; their field names are checked."""

    def test_go_struct_tags_are_plan_fields(self):
        """Every `json:"…"` tag names a key of the plan, a step or a channel."""
        data = plan_json()
        step = next(s for s in data["steps"] if s["channel"])
        keys = set(data) | set(step) | set(step["channel"])
        tags = re.findall(r'json:"(\w+)"', block("quickstart.md", "go"))

        assert tags
        assert set(tags) - keys == set()

    def test_javascript_reads_plan_fields(self):
        """``plan.x``, ``step.x``, ``channel.x`` and ``blocker.x`` all exist."""
        data = plan_json()
        step = next(s for s in data["steps"] if s["channel"])
        keys = {
            "plan": set(data),
            "step": set(step),
            "channel": set(step["channel"]),
            "blocker": {"id", "text", "sources"},
        }
        code = re.sub(r"//.*", "", block("quickstart.md", "javascript"))
        reads = re.findall(r"\b(plan|step|channel|blocker)\.(\w+)", code)

        assert reads
        for obj, key in reads:
            assert key in keys[obj], f"{obj}.{key}"


class TestConcepts:
    def test_step_vocabulary_table_lists_every_core_step(self):
        """The table of step ids in concepts.md is the core's step list."""
        core = tomllib.loads((DATA / "core" / "steps.toml").read_text("utf-8"))
        text = (DOCS / "concepts.md").read_text("utf-8")
        section = text.split("## Steps", 1)[1].split("\n## ", 1)[0]
        listed = re.findall(r"^\| `([a-z-]+)` \|", section, re.M)

        assert sorted(listed) == sorted(core["steps"])
