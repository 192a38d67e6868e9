"""The HTML page of a plan: its structure, its languages, and that no data
string — however hostile — becomes markup, an attribute or a link.

The page is parsed with :mod:`html.parser`; every element and attribute must
be one the renderer writes itself.  The browser test is
tests/test_html_browser.py.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest

import simexit
from simexit import Card, Device, Location, Registry, Situation, SourceKind
from simexit._layout import _source_numbers
from simexit._locales import tags
from simexit._render import render_html
from simexit._wrap import clean
from simexit.model import StaffNote

from .conftest import TODAY
from .test_hostile_packages import AZERCELL, read, write

#: Every element the renderer writes; nothing else may appear.
TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header",
    "section", "h1", "h2", "h3", "p", "ul", "ol", "li", "a", "div", "input",
    "label", "dl", "dt", "dd", "strong", "span", "br", "blockquote", "code",
}  # fmt: skip
#: Every attribute the renderer writes.
ATTRIBUTES = {
    "lang", "charset", "http-equiv", "content", "name", "id", "class", "href",
    "aria-labelledby", "aria-label", "type", "value", "for",
}  # fmt: skip
VOID = {"meta", "input", "br"}
#: What would load or run something, or send a reader over plain HTTP.
FORBIDDEN = ("http://", "<link", "<script", "src=", "url(", "@import", "@font-face")

SITUATIONS = {
    "esim-abroad": Situation(
        country="AZ", operator="azercell", card=Card.ESIM, location=Location.ABROAD
    ),
    "lost-phone": Situation(country="AZ", operator="azercell", device=Device.LOST),
    "blocked": Situation(
        country="AZ",
        operator="azercell",
        location=Location.ABROAD,
        registered_owner=False,
        has_id_document=False,
    ),
    "e-visa": Situation(country="AZ", card=Card.TOURIST_CARD),
    "kz": Situation(country="KZ", operator="kcell"),
    "jp": Situation(country="JP", operator="docomo"),
    "travel-esim": Situation(country="FR", operator="holafly", card=Card.TRAVEL_ESIM),
}


class Tree(HTMLParser):
    """The elements, attributes and text of a page, nesting checked."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.open: list[str] = []
        self.problems: list[str] = []
        self.feed(page)
        self.close()
        if self.open:
            self.problems.append(f"never closed: {self.open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.open[-1:]}")
        else:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        if decl != "DOCTYPE html":
            self.problems.append(f"declaration {decl!r}")

    def all(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if "id" in a}


def plan_of(name: str, locale: str = "en") -> simexit.Plan:
    return simexit.plan_for(SITUATIONS[name], locale=locale, today=TODAY)


def assert_clean(tree: Tree) -> None:
    """Only the renderer's elements and attributes; links to safe URIs or to
    the page itself."""
    assert tree.problems == []
    assert {t for t, _ in tree.elements} <= TAGS
    for tag, found in tree.elements:
        assert set(found) <= ATTRIBUTES, (tag, found)
        href = found.get("href")
        if href is not None:
            assert tag == "a"
            assert re.match(r"^(https://|tel:\+[0-9]+$|mailto:|#)", href), href
            if href.startswith("#"):
                assert href[1:] in tree.ids(), href


@pytest.mark.parametrize("locale", tags())
@pytest.mark.parametrize("name", sorted(SITUATIONS))
def test_the_page_is_well_formed_and_loads_nothing(name, locale):
    page = render_html(plan_of(name, locale))
    tree = Tree(page)
    assert_clean(tree)
    for word in FORBIDDEN:
        assert word not in page.lower(), word
    assert page.startswith("<!DOCTYPE html>\n")
    assert tree.all("html") == [{"lang": locale}]
    assert len(tree.all("title")) == len(tree.all("h1")) == 1


@pytest.mark.parametrize("name", sorted(SITUATIONS))
def test_one_labelled_checkbox_per_step(name):
    plan = plan_of(name)
    tree = Tree(render_html(plan))
    boxes = tree.all("input")
    assert [b["type"] for b in boxes] == ["checkbox"] * len(plan.steps)
    assert [b["value"] for b in boxes] == list(plan.step_ids)
    labelled = [a["for"] for a in tree.all("label")]
    assert labelled == [b["id"] for b in boxes]
    assert len(set(labelled)) == len(labelled)


def test_a_label_reads_the_step_number_and_title():
    plan = plan_of("esim-abroad", "zh-Hans")
    page = render_html(plan)
    first = plan.steps[0].title
    assert f'<label for="done-1">1. {first}</label>' in page


@pytest.mark.parametrize("name", sorted(SITUATIONS))
def test_every_source_is_a_footnote_and_every_reference_reaches_one(name):
    plan = plan_of(name)
    tree = Tree(render_html(plan))
    numbers = _source_numbers(plan)
    notes = [a for a in tree.all("li") if a.get("id", "").startswith("source-")]
    assert [a["id"] for a in notes] == [f"source-{n}" for n, _ in numbers.values()]
    refs = {a["href"] for a in tree.all("a") if a.get("class") == "ref"}
    assert refs == {f"#source-{n}" for n, _ in numbers.values()}
    links = {a["href"] for a in tree.all("a")}
    for _, source in numbers.values():
        if source.kind is SourceKind.CLAIM:
            assert source.url not in links
        else:
            assert source.url in links


def test_claim_sources_are_named_but_never_linked():
    plan = plan_of("e-visa")
    claims = [
        s for _, s in _source_numbers(plan).values() if s.kind is SourceKind.CLAIM
    ]
    assert claims
    page = render_html(plan)
    for source in claims:
        assert source.url not in page
        assert source.publisher_in("en") in "".join(Tree(page).text)


def test_staff_sentences_carry_their_own_language():
    plan = plan_of("lost-phone", "ru")
    tree = Tree(render_html(plan))
    quotes = tree.all("blockquote")
    expected = [
        lang
        for step in plan.steps
        if step.show_staff is not None
        for lang, _ in step.show_staff.languages()
    ]
    assert expected
    assert [q["lang"] for q in quotes] == expected


def test_contacts_are_linked_only_by_their_uri():
    plan = plan_of("jp")
    page = render_html(plan)
    links = {a["href"] for a in Tree(page).all("a")}
    uris = {
        c.uri
        for step in plan.steps
        for c in (step.channel, *step.alternatives)
        if c is not None and c.uri is not None
    }
    assert uris
    assert uris <= links
    assert any(u.startswith("tel:+") for u in uris)


@pytest.mark.parametrize("name", ["blocked", "esim-abroad"])
def test_blockers_warnings_excluded_and_the_legend_are_shown(name):
    plan = plan_of(name)
    tree = Tree(render_html(plan))
    text = clean("".join(tree.text))
    for notice in (*plan.blockers, *plan.warnings):
        for line in notice.text.splitlines():
            assert clean(line) in text
    for left_out in plan.excluded:
        assert left_out.reason in text
    for confidence in simexit.Confidence:
        assert simexit._render.confidence_label(confidence, "en") in text
    sections = {a["id"] for a in tree.all("section")}
    assert {"steps", "warnings", "excluded", "confidence", "sources"} <= sections
    assert ("blockers" in sections) == bool(plan.blockers)


def test_the_fonts_follow_the_locale():
    """Simplified and traditional Chinese each get their own faces first."""
    pages = {loc: render_html(plan_of("kz", loc)) for loc in tags()}
    stack = {
        loc: re.search(r":root \{ font-family: ([^;]+);", p) for loc, p in pages.items()
    }
    first = {loc: m.group(1).split(",")[0] if m else "" for loc, m in stack.items()}
    hans, hant = (t for t in tags() if t.startswith("zh"))
    assert first[hans] == '"PingFang SC"'
    assert first[hant] == '"PingFang TC"'
    assert '"Noto Sans CJK SC"' in stack[hans].group(0)  # type: ignore[union-attr]
    assert '"Noto Sans CJK TC"' in stack[hant].group(0)  # type: ignore[union-attr]
    for loc in tags():
        assert '"DejaVu Sans"' in pages[loc]  # Latin, Cyrillic, Georgian
        assert "@media print" in pages[loc]


def test_a_catalogue_font_stack_that_is_not_a_plain_list_is_dropped(monkeypatch):
    from simexit import _render_html

    monkeypatch.setattr(
        _render_html, "word", lambda *a: "x; } body { background: url(evil)"
    )
    assert _render_html._fonts("en") == "sans-serif"


def test_the_page_is_deterministic():
    assert render_html(plan_of("lost-phone")) == render_html(plan_of("lost-phone"))


def test_no_steps_says_so():
    plan = plan_of("kz")
    empty = simexit.from_json(
        json.dumps({**json.loads(simexit.to_json(plan)), "steps": []}), simexit.Plan
    )
    tree = Tree(render_html(empty))
    assert tree.all("input") == []
    assert simexit._render.label("no-steps", "en") in "".join(tree.text)


def test_done_steps_are_listed_and_left_off_the_checklist():
    full = plan_of("lost-phone")
    first = full.steps[0].id
    plan = simexit.plan_for(SITUATIONS["lost-phone"], today=TODAY, done={first})
    page = render_html(plan)
    tree = Tree(page)
    assert len(tree.all("input")) == len(full.steps) - 1
    text = "".join(tree.text)
    assert f"{simexit._render.label('done', 'en')}: {first}" in text
    everything = frozenset(full.step_ids)
    finished = simexit.plan_for(SITUATIONS["lost-phone"], today=TODAY, done=everything)
    tree = Tree(render_html(finished))
    assert tree.all("input") == []
    assert simexit._render.label("all-done", "en") in "".join(tree.text)
    assert_clean(tree)


def test_not_a_plan_is_a_typed_error():
    with pytest.raises(simexit.InvalidSituationError, match="invalid plan"):
        render_html(SITUATIONS["kz"])  # type: ignore[arg-type]


def test_the_cli_prints_the_page():
    args = ["plan", "--country", "AZ", "--operator", "azercell", "--card", "esim"]
    args += ["--abroad", "--today", TODAY.isoformat(), "--format", "html"]
    done = subprocess.run(
        [sys.executable, "-m", "simexit", *args], capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == render_html(plan_of("esim-abroad"))


# ------------------------------------------------------------ hostile data

#: Markup, attribute breakouts and script URLs, in every form.
HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> '
    "'><svg onload=alert(3)> javascript:alert(4) </style><b>bold</b> "
    "&lt;script&gt; <!-- c --> \x1b[31m\u202e"
)


@pytest.fixture
def hostile_plan(az: Path) -> simexit.Plan:
    """A copy of AZ whose texts, names, contacts, publishers and staff
    sentences are all hostile."""
    data = read(az, AZERCELL)
    detail = data["procedures"]["block"]["detail"]
    data["procedures"]["block"]["detail"] = dict.fromkeys(detail, HOSTILE)
    channel = data["channels"]["contact-centre"]
    channel["name"]["en"] = HOSTILE
    channel["contact"] = "*1111 " + HOSTILE
    for step in data.get("procedures", {}).values():
        if "show_staff" in step:
            step["show_staff"]["az"] = HOSTILE
    write(az, AZERCELL, data)
    sources = read(az, "sources.toml")
    for source in sources["sources"].values():
        source["publisher"] = HOSTILE
    write(az, "sources.toml", sources)
    return simexit.plan_for(
        Situation(country="AZ", operator="azercell", device=Device.LOST),
        today=TODAY,
        registry=Registry.from_paths(az),
    )


@pytest.fixture
def az(tmp_path: Path) -> Path:
    import shutil

    from .conftest import DATA

    folder = tmp_path / "pkg" / "az"
    shutil.copytree(DATA / "az", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def _forged(plan: simexit.Plan) -> simexit.Plan:
    """*plan* read back from JSON with hostile URLs, URIs, languages and
    locale: a plan need not come from validated data."""
    raw: dict[str, Any] = json.loads(simexit.to_json(plan))
    urls = iter(
        [
            "javascript:alert(5)",
            'https://ok.example/"><img src=x onerror=alert(6)>',
            "http://plain.example/",
            "data:text/html,<script>alert(7)</script>",
        ]
        * 100
    )
    for step in raw["steps"]:
        for source in step["sources"]:
            source["url"] = next(urls)
            source["kind"] = "official"
        for channel in [step["channel"], *step["alternatives"]]:
            if channel is not None:
                channel["uri"] = next(urls)
        step["id"] = '"><script>alert(9)</script>'
    for notice in [*raw["warnings"], *raw["blockers"]]:
        for source in notice["sources"]:
            source["url"] = next(urls)
    raw["locale"] = 'en"><script>alert(10)</script>'
    forged = simexit.from_json(json.dumps(raw), simexit.Plan)
    # JSON refuses a language that is not ISO 639; a program may still make one
    note = StaffNote(sentences={'"><script>alert(8)</script>': HOSTILE})
    steps = tuple(attrs.evolve(s, show_staff=note) for s in forged.steps)
    return attrs.evolve(forged, steps=steps)


def _assert_inert(page: str) -> None:
    tree = Tree(page)
    assert_clean(tree)
    for _, found in tree.elements:
        for value in found.values():
            assert "<" not in value and "javascript" not in value, value
    lowered = page.lower().replace("</style>\n</head>", "", 1)
    for word in ("<script", "<img", "<svg", "<b>", "<!--", "</style>"):
        assert word not in lowered, word  # "onerror=" is shown, as text
    for ch in "\x1b\u202e":
        assert ch not in page


def test_hostile_data_is_shown_as_text_and_never_as_markup(hostile_plan):
    page = render_html(hostile_plan)
    _assert_inert(page)
    text = "".join(Tree(page).text)
    assert text.count(clean(HOSTILE)) >= 3  # detail, channel, publishers…


def test_a_forged_plan_cannot_smuggle_markup_links_or_attributes(hostile_plan):
    page = render_html(_forged(hostile_plan))
    _assert_inert(page)
    tree = Tree(page)
    hrefs = [a["href"] for a in tree.all("a")]
    assert not [h for h in hrefs if not h.startswith("#")]  # no URL was safe
    assert "http://plain.example" not in page
    assert tree.all("html") == [{"lang": "en"}]  # the words fell back to English
    assert [q for q in tree.all("blockquote") if "lang" in q] == []
    assert [b for b in tree.all("input") if "value" in b] == []


def test_a_bare_plan_leaves_out_what_it_lacks():
    """No sources, nothing left out, steps with no facts: no empty sections;
    a reviewed staff sentence carries no "not reviewed" note."""
    plan = plan_of("lost-phone")
    bare: dict[str, Any] = {
        "because": (),
        "sources": (),
        "channel": None,
        "alternatives": (),
        "preconditions": (),
        "after": (),
    }
    note = StaffNote(sentences={"az": "Salam."}, reviewed=True)
    steps = (
        attrs.evolve(plan.steps[0], **bare, show_staff=note),
        *(attrs.evolve(s, **bare, show_staff=None) for s in plan.steps[1:]),
    )
    plain = attrs.evolve(plan, steps=steps, excluded=(), warnings=(), blockers=())
    tree = Tree(render_html(plain))
    assert_clean(tree)
    sections = [a["id"] for a in tree.all("section")]
    assert sections == ["summary", "steps", "confidence"]
    assert [a for a in tree.all("dl") if a.get("class") == "facts"] == [
        {"class": "facts"}
    ]
    assert tree.all("blockquote") == [{"class": "staff", "lang": "az"}]
    assert simexit._render.label("not-reviewed", "en") not in "".join(tree.text)
