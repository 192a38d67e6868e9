"""The code stays in pieces a reader can hold: size limits on src/simexit.

Every ``*.py`` file under ``src/simexit`` (subfolders included) is read with
:mod:`ast`, never imported.  The limits are the house style's
(``docs/architecture.md``, "Size limits"):

* a module at most 500 lines;
* a class at most 250 lines, from its ``class`` line to its last line;
* a function or method at most 80 lines, from its ``def`` line to its last
  line (nested functions count inside their parent too).

Decorators and the blank lines after a definition are not counted.  When a
limit is passed, the failure names every offender as ``path:line``, what it
is and how long, so the message says where to split.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src" / "simexit"
MODULE_LINES = 500
CLASS_LINES = 250
FUNCTION_LINES = 80


def offenders(name: str, text: str) -> list[str]:
    """Every way *text* (the source of the file called *name*) is too big."""
    found = []
    lines = len(text.splitlines())
    if lines > MODULE_LINES:
        found.append(f"{name}: module is {lines} lines long (limit {MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, ast.ClassDef):
            what, limit = "class", CLASS_LINES
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            what, limit = "function", FUNCTION_LINES
        else:
            continue
        assert node.end_lineno is not None  # always set by ast.parse
        size = node.end_lineno - node.lineno + 1
        if size > limit:
            found.append(
                f"{name}:{node.lineno}: {what} {node.name} is {size} lines long "
                f"(limit {limit})"
            )
    return found


def sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_the_sources_are_found():
    """The walk sees the package, its entry points and every module."""
    names = {p.relative_to(SRC).as_posix() for p in sources()}

    assert {"__init__.py", "cli.py", "_render.py", "_compiled.py"} <= names
    assert len(names) > 30


@pytest.mark.parametrize("path", sources(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_no_module_class_or_function_is_too_long(path: Path):
    """Each file of src/simexit is within the three limits."""
    name = path.relative_to(ROOT).as_posix()

    found = offenders(name, path.read_text("utf-8"))

    assert not found, "split these:\n" + "\n".join(found)


class TestTheCheckItself:
    """The check finds what it should, and names it."""

    @staticmethod
    def function(name: str, lines: int, indent: str = "") -> str:
        body = "".join(f"{indent}    x = {n}\n" for n in range(lines - 1))
        return f"{indent}def {name}():\n{body}"

    def test_a_function_at_the_limit_passes(self):
        assert offenders("m.py", self.function("f", FUNCTION_LINES)) == []

    def test_a_function_over_the_limit_is_named(self):
        text = "import os\n" + self.function("too_long", FUNCTION_LINES + 1)

        assert offenders("pkg/m.py", text) == [
            "pkg/m.py:2: function too_long is 81 lines long (limit 80)"
        ]

    def test_methods_and_nested_functions_are_measured(self):
        method = self.function("method", FUNCTION_LINES + 2, "    ")
        text = "class C:\n" + method

        assert offenders("m.py", text) == [
            "m.py:2: function method is 82 lines long (limit 80)"
        ]

    def test_async_functions_are_measured(self):
        text = "async " + self.function("later", FUNCTION_LINES + 1)

        assert offenders("m.py", text) == [
            "m.py:1: function later is 81 lines long (limit 80)"
        ]

    def test_a_class_over_the_limit_is_named(self):
        methods = "".join(self.function(f"m{n}", 50, "    ") for n in range(6))
        text = "@decorated\nclass Big:\n" + methods

        assert offenders("m.py", text) == [
            "m.py:2: class Big is 301 lines long (limit 250)"
        ]

    def test_a_module_over_the_limit_is_named(self):
        text = "".join(f"x{n} = {n}\n" for n in range(MODULE_LINES + 1))

        assert offenders("big.py", text) == [
            "big.py: module is 501 lines long (limit 500)"
        ]
        assert offenders("ok.py", text.split("\n", 1)[1]) == []
