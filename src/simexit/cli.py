"""The ``simexit`` command line.

``simexit plan`` builds a Situation from flags (or from questions, with
``--interactive``), asks :func:`simexit.plan_for` for the plan and prints it
as text, Markdown or JSON.  The other commands list, show, validate, scaffold
and describe country data packages.

Exit status (docs/cli.md): 0 on success; 1 when ``validate`` finds problems or
the reader of standard output went away; 2 on bad input; 74 when a stream or
file cannot be used; 130 on Ctrl-C.  Every error is one line on standard
error saying what was wrong and what is allowed, never a traceback.

This module wires the command together and keeps that promise (:func:`main`);
the parts live beside it: the flags and their types in :mod:`._cli_args`
(the other commands' flags in :mod:`._cli_other_args`),
the Situation they describe in :mod:`._cli_situation`, the questions of
``--interactive`` in :mod:`._cli_ask`, what each command does in
:mod:`._cli_commands` and the standard streams in :mod:`._cli_streams`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from ._cli_args import (
    FORMATS,
    PROG,
    UsageError,
    _Parser,
    _short_line,
    add_plan_parser,
)
from ._cli_commands import (
    _cmd_countries,
    _cmd_new_country,
    _cmd_plan,
    _cmd_schema,
    _cmd_serve,
    _cmd_show,
    _cmd_validate,
)
from ._cli_other_args import (
    add_countries_parser,
    add_new_country_parser,
    add_schema_parser,
    add_serve_parser,
    add_show_parser,
    add_validate_parser,
)
from ._cli_situation import situation_from_args
from ._cli_streams import (
    StreamError,
    _err,
    _os_error_line,
    _out,
    _silence_stdout,
    _utf8,
)
from .exceptions import DataPackageError, SimexitError

#: Each command and what adds its parser (what runs it: :func:`_handlers`).
_COMMANDS: dict[str, Callable[[Any], argparse.ArgumentParser]] = {
    "plan": add_plan_parser,
    "countries": add_countries_parser,
    "show": add_show_parser,
    "validate": add_validate_parser,
    "new-country": add_new_country_parser,
    "schema": add_schema_parser,
    "serve": add_serve_parser,
}


def _handlers() -> dict[str, Callable[[argparse.Namespace], int]]:
    """What runs each command (looked up when a parser is built)."""
    return {
        "plan": _cmd_plan,
        "countries": _cmd_countries,
        "show": _cmd_show,
        "validate": _cmd_validate,
        "new-country": _cmd_new_country,
        "schema": _cmd_schema,
        "serve": _cmd_serve,
    }


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of the ``simexit`` command.

    With *command*, only that command's parser is added under the top
    level: what a command line starting with *command* needs, and all it
    can reach (the top-level help, which lists every command, and the
    error for an unknown one need the whole parser).
    """
    parser = _Parser(
        prog=PROG,
        description="Plans for ending a SIM card, eSIM, travel eSIM or e-visa "
        "cleanly, from sourced country data.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    handlers = _handlers()
    for name, add in _COMMANDS.items():
        if command is None or name == command:
            add(sub).set_defaults(handler=handlers[name])
    return parser


def _parser_for(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser *argv* needs: one command's when it starts with a command's
    name (everything after it is that command's), else the whole one."""
    first = argv[0] if argv else None
    return build_parser(first if first in _COMMANDS else None)


# -- main ------------------------------------------------------------------------


def _error_line(error: BaseException) -> str:
    if isinstance(error, DataPackageError) and error.problems:
        first = error.problems[0]
        more = len(error.problems) - 1
        tail = (
            f" (and {more} more; run 'simexit validate' on the package)" if more else ""
        )
        return f"broken data package: {_short_line(str(first))}{tail}"
    return _short_line(str(error))


#: Exit statuses, documented in docs/cli.md.
EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_IO, EXIT_INTERRUPTED = 0, 1, 2, 74, 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``).

    Never lets a traceback out: bad input is one line and exit 2, a stream
    or file that cannot be used is one line and exit 74, a reader that went
    away (broken pipe) ends quietly with exit 1, Ctrl-C exits 130.
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _err("\n")
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None) -> int:
    _utf8(sys.stdout)
    _utf8(sys.stderr)
    _utf8(sys.stdin, reading=True)
    parser = _parser_for(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version or a usage error
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        return _flushed(code)
    handler = getattr(args, "handler", None)
    if handler is None:
        _err(
            f"{PROG}: error: a command is required: plan, countries, show, "
            "validate, new-country, schema or serve (see 'simexit --help')\n"
        )
        return EXIT_USAGE
    return _run(handler, args)


def _flushed(code: int) -> int:
    """*code*, or EXIT_IO if what argparse printed cannot be written out."""
    if sys.stdout is None:  # argparse wrote to standard error instead
        return code
    try:
        _out("")
    except StreamError as e:
        _err(f"{PROG}: error: {e}\n")
        return EXIT_IO
    except BrokenPipeError:
        return EXIT_PROBLEMS
    return code


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    where = f"{PROG} {args.command}: error:"
    try:
        return handler(args)
    except (UsageError, SimexitError) as e:
        _err(f"{where} {_error_line(e)}\n")
        return EXIT_USAGE
    except StreamError as e:
        _err(f"{where} {_short_line(str(e))}\n")
        return EXIT_IO
    except BrokenPipeError:  # the reader went away: stop quietly
        _silence_stdout()
        return EXIT_PROBLEMS
    except OSError as e:
        _err(f"{where} {_short_line(_os_error_line(e))}\n")
        return EXIT_IO


__all__ = [
    "FORMATS",
    "StreamError",
    "UsageError",
    "build_parser",
    "main",
    "situation_from_args",
]
