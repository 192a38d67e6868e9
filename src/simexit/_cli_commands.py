"""What each ``simexit`` command does, once its arguments are parsed."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import json
import os
import sys
from typing import TYPE_CHECKING

from ._cli_args import PROG, UsageError, _one_line
from ._cli_done import done_of, tick_off
from ._cli_situation import situation_from_args
from ._cli_streams import _err, _os_reason, _out
from .exceptions import DataPackageError, Problem

if TYPE_CHECKING:
    from pathlib import Path

    from ._plan import Plan


def _locale(tag: str) -> str:
    from ._locales import negotiate

    return negotiate(tag)[0]


def _cmd_plan(args: argparse.Namespace) -> int:
    from . import plan_for

    # a closed stdin is the end of input; a closed stderr hears nothing
    inp = sys.stdin if sys.stdin is not None else io.StringIO()
    err = sys.stderr if sys.stderr is not None else io.StringIO()
    if args.interactive and args.situation is None:
        from ._cli_ask import ask  # the questions: only for --interactive

        ask(args, _locale(args.lang), inp, err)
    situation = situation_from_args(args)

    def replan(done: frozenset[str]) -> Plan:
        return plan_for(situation, locale=args.lang, today=args.today, done=done)

    plan = replan(done_of(args))
    status = _show(plan, args.format)
    if args.interactive and status == 0:
        tick_off(plan, replan, lambda p: _show(p, args.format), inp, err)
    return status


def _show(plan: Plan, fmt: str) -> int:
    """Print *plan* in the format *fmt* (JSON: one line); the exit status."""
    if fmt == "json":
        from ._json import to_json  # cattrs: paid only for JSON output

        _out(to_json(plan) + "\n")
    elif fmt == "markdown":
        from ._render_markdown import render_markdown  # one renderer imported

        _out(render_markdown(plan))
    elif fmt == "html":
        from ._render_html import render_html

        _out(render_html(plan))
    elif fmt == "ics":
        return _ics(plan)
    else:
        from ._render_text import render_text

        _out(render_text(plan))
    return 0


def _ics(plan: Plan) -> int:
    """The plan's deadlines as iCalendar, or one line if icalendar is missing."""
    try:
        from ._render_ics import render_ics

        text = render_ics(plan)
    except ModuleNotFoundError as e:
        if e.name != "icalendar":
            raise
        _err(
            f"{PROG}: error: --format ics needs the icalendar package: "
            "pip install 'simexit[calendar]'\n"
        )
        return 1
    _out(text)
    return 0


def _cmd_countries(args: argparse.Namespace) -> int:
    from ._format import country_name
    from ._loader import default_registry

    locale = _locale(args.lang)
    registry = default_registry()
    broken = registry.broken()
    for code in registry.countries():
        line = f"{code}  {country_name(code, locale)}"
        if code in broken:
            line += f"  [broken: {_broken_reason(broken[code])}]"
        _out(line + "\n")
    return 0


def _broken_reason(error: DataPackageError, limit: int = 200) -> str:
    """What is wrong with a country's provider, on one line of bounded length."""
    text = _one_line("; ".join(p.message for p in error.problems))
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _cmd_show(args: argparse.Namespace) -> int:
    from . import load_country
    from ._render import render_country

    if args.coverage or args.code is None or args.format != "text":
        return _cmd_coverage(args)
    country = load_country(args.code)
    today = args.today or dt.date.today()
    _out(render_country(country, _locale(args.lang), today))
    return 0


def _cmd_coverage(args: argparse.Namespace) -> int:
    """``show --coverage``: every country's coverage, or CODE's."""
    from . import _coverage_report as cov
    from ._loader import default_registry

    if not args.coverage:
        raise UsageError(
            "argument CODE: give a country code or --coverage"
            if args.code is None
            else "argument --format: only with --coverage (a country is shown as text)"
        )
    registry = default_registry()
    if args.code is None:
        rows = cov.report(registry)
    else:
        rows = (cov.country_coverage(registry.load(args.code)),)
    locale = _locale(args.lang)
    if args.format == "json":
        _out(cov.render_json(rows) + "\n")
    elif args.format == "markdown":
        _out(cov.render_markdown(rows, locale))
    else:
        _out(cov.render_text(rows, locale))
    return 0


def _data_folders(path: Path) -> list[Path]:
    """The package folders *path* names: itself, or those of a project."""
    try:
        if path.joinpath("package.toml").is_file():
            return [path]
        found = sorted(p.parent for p in path.glob("src/*/package.toml"))
        found += sorted(p.parent for p in path.glob("*/package.toml"))
    except OSError as e:  # a name too long, a folder that cannot be read
        from .exceptions import shown

        raise UsageError(
            f"argument PATH: {shown(str(path))} cannot be used: {_os_reason(e)}"
        ) from None
    return found or [path]


def format_problem(problem: Problem, folder: Path) -> str:
    """*problem* as ``file:line: key.path: message``, the file under *folder*."""
    from ._loader import CORE

    if problem.package == CORE:
        from importlib_resources import files

        base = str(files("simexit").joinpath("data", CORE))
    else:
        base = str(folder)
    where = os.path.join(base, problem.file) if problem.file else base
    if problem.line is not None:
        where += f":{problem.line}"
    key = f" {problem.path}:" if problem.path else ""
    return f"{where}:{key} {_one_line(problem.message)}"


def _cmd_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ._loader import validate_paths

    lines: list[str] = []
    for arg in args.paths:
        for folder in _data_folders(Path(arg)):
            lines.extend(format_problem(p, folder) for p in validate_paths([folder]))
    if lines:
        _out("".join(line + "\n" for line in dict.fromkeys(lines)))
        return 1
    _out("OK\n")
    return 0


def _cmd_new_country(args: argparse.Namespace) -> int:
    from ._newcountry import create

    created = create(args.code, args.output)
    _out(created.report())
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    try:
        module = importlib.import_module("simexit._schema")
    except ModuleNotFoundError as e:
        if e.name != "simexit._schema":
            raise
        _err(f"{PROG}: error: JSON Schemas are not available in this version\n")
        return 1
    schema = getattr(module, f"{args.which}_schema")()
    _out(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    return 0


#: One line when the server extra is missing (exit 2).
NO_SERVER = 'the HTTP service needs the server extra: pip install "simexit[server]"'


def _cmd_serve(args: argparse.Namespace) -> int:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise UsageError(NO_SERVER) from None
    from ._cli_streams import StreamError
    from ._server import serve

    try:
        serve(
            args.host, args.port, cors_origins=args.cors_origin, max_body=args.max_body
        )
    except SystemExit as e:  # uvicorn could not start; it logged why
        if e.code not in (None, 0):
            raise StreamError(
                f"cannot serve on {args.host}:{args.port} (the line above says why)"
            ) from None
    return 0
