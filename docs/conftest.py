"""Every code example in the docs runs as a test (Sybil).

Four kinds of block are evaluated, in the order they appear on a page, each
page in a fresh, empty working folder of its own:

- ```` ```python ```` blocks run; a block that starts with ``>>>`` is a
  doctest whose output is compared (``...`` matches anything).  A plain
  block must print nothing: output the reader does not see is not checked,
  so it is not allowed.
- ```` ```console ```` blocks are transcripts: each ``$ command`` runs and
  its output (standard output and error together) must be the lines that
  follow it.  ``simexit``, ``python -m simexit``, ``python -m pytest`` and
  ``rm`` can run; anything else (``pip install``) fails unless the block is
  preceded by ``% skip: next "why it cannot run"``.  A command is expected
  to exit 0 unless its line ends with ``# exits with status N``.
- ```` ```{code-block} toml ```` (or any language but python and console)
  with ``:caption: some/relative/path.toml`` writes the block to that path,
  so later commands in the page work on the files the reader was shown.
- ``% skip: next "reason"`` skips the next block, and says why in the test
  report.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from sybil import Document, Example, Region, Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.myst import CodeBlockParser, PythonCodeBlockParser, SkipParser
from sybil.parsers.myst.lexers import DirectiveLexer

collect_ignore = ["conf.py", "_build"]

_FLAGS = doctest.ELLIPSIS
_STATUS = re.compile(r"#\s*exits with status (\d+)\s*$")
_SANDBOX = "_docs_sandbox"


def _compare(want: str, got: str) -> str | None:
    """None when *got* matches *want* (with ``...``), else the difference."""
    checker = doctest.OutputChecker()
    if checker.check_output(want, got, _FLAGS):
        return None
    example = doctest.Example(source="", want=want)
    return checker.output_difference(example, got, _FLAGS)


def _inside_sandbox(path: str) -> Path:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts:
        raise ValueError(f"{path!r}: docs may only touch relative paths")
    return Path(*rel.parts)


# -- python ------------------------------------------------------------------------


class _SilentPythonEvaluator(PythonEvaluator):
    """Run a plain Python block; fail if it prints what the page does not show."""

    def __call__(self, example: Example) -> str | None:  # type: ignore[override]
        # Sybil reads a returned string as the failure (PythonEvaluator's own
        # annotation says None because it only raises).
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            super().__call__(example)
        if out.getvalue():
            return (
                "a plain ```python block printed output the page does not show; "
                "write it as a >>> session instead:\n" + out.getvalue()
            )
        return None


class _PythonParser(PythonCodeBlockParser):
    def __init__(self) -> None:
        super().__init__(doctest_optionflags=_FLAGS)
        self.codeblock_parser = self.codeblock_parser_class(
            "python", _SilentPythonEvaluator()
        )


# -- console -----------------------------------------------------------------------


def _run_simexit(args: list[str]) -> tuple[int, str]:
    from simexit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = main(args)
    return status, out.getvalue()


def _run_pytest(args: list[str]) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return done.returncode, done.stdout + done.stderr


def _run_rm(args: list[str]) -> tuple[int, str]:
    for arg in args:
        _inside_sandbox(arg).unlink()
    return 0, ""


def _run(command: str) -> tuple[int, str] | None:
    argv = shlex.split(command, comments=True)
    if argv[:1] == ["simexit"]:
        return _run_simexit(argv[1:])
    if argv[:3] == ["python", "-m", "simexit"]:
        return _run_simexit(argv[3:])
    if argv[:3] == ["python", "-m", "pytest"]:
        return _run_pytest(argv[3:])
    if argv[:1] == ["rm"]:
        return _run_rm(argv[1:])
    return None


def _transcript(source: str) -> list[tuple[str, str]]:
    """``(command, expected output)`` pairs of a console block.

    A command line ending in a backslash continues on the next line.
    """
    pairs: list[tuple[str, list[str]]] = []
    continued = False
    for line in source.splitlines(keepends=True):
        if continued:
            command, lines = pairs[-1]
            pairs[-1] = (command[:-1] + " " + line.strip(), lines)
        elif line.startswith("$ "):
            pairs.append((line[2:].strip(), []))
        elif pairs:
            pairs[-1][1].append(line)
        else:
            raise ValueError(f"a console block starts with '$ ', not {line!r}")
        continued = not pairs[-1][1] and pairs[-1][0].endswith("\\")
    return [(command, "".join(lines)) for command, lines in pairs]


def _evaluate_console(example: Example) -> str | None:
    for command, want in _transcript(str(example.parsed)):
        result = _run(command)
        if result is None:
            return (
                f"cannot run {command!r} in a test; put "
                '% skip: next "<why>" before the block'
            )
        status, got = result
        m = _STATUS.search(command)
        expected = int(m.group(1)) if m else 0
        if status != expected:
            return f"$ {command}\nexited with status {status}, not {expected}:\n{got}"
        difference = _compare(want, got)
        if difference is not None:
            return f"$ {command}\n{difference}"
    return None


# -- files -------------------------------------------------------------------------


class _FileParser:
    """A ``{code-block}`` captioned with a relative file path writes that file."""

    def __init__(self) -> None:
        self.lexer = DirectiveLexer(directive="code-block", arguments=".+")

    def __call__(self, document: Document) -> Any:
        for region in self.lexer(document):
            if region.lexemes["arguments"].strip() in ("python", "console"):
                continue
            caption = region.lexemes["options"].get("caption", "").strip()
            if "/" not in caption or " " in caption:
                continue
            yield Region(
                region.start,
                region.end,
                (caption, str(region.lexemes["source"])),
                _write_file,
            )


def _write_file(example: Example) -> None:
    caption, text = example.parsed
    path = _inside_sandbox(caption)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


# -- each page in a folder of its own ------------------------------------------------


def _setup(namespace: dict[str, Any]) -> None:
    folder = tempfile.mkdtemp(prefix="simexit-docs-")
    namespace[_SANDBOX] = (os.getcwd(), folder)
    os.chdir(folder)


def _teardown(namespace: dict[str, Any]) -> None:
    cwd, folder = namespace.pop(_SANDBOX)
    os.chdir(cwd)
    shutil.rmtree(folder, ignore_errors=True)


pytest_collect_file = Sybil(
    parsers=[
        _PythonParser(),
        CodeBlockParser("console", _evaluate_console),
        _FileParser(),
        SkipParser(),
    ],
    patterns=["*.md"],
    excludes=["_build/*"],
    setup=_setup,
    teardown=_teardown,
).pytest()
