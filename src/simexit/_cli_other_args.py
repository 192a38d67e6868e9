"""The flags of the ``simexit`` commands other than ``plan``: ``countries``,
``show``, ``validate``, ``new-country``, ``schema`` and ``serve``.

The types of the values and the ``plan`` command's flags are in
:mod:`simexit._cli_args`; :mod:`simexit.cli` adds each parser and its handler.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ._cli_args import FORMATS, Commands, _add_lang, _country_code, _date

if TYPE_CHECKING:
    from pathlib import Path


def add_countries_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``countries`` command's parser."""
    countries: argparse.ArgumentParser = sub.add_parser(
        "countries", help="the countries with data"
    )
    _add_lang(countries)
    return countries


def add_show_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``show`` command's parser."""
    show: argparse.ArgumentParser = sub.add_parser(
        "show", help="what the data of one country holds"
    )
    show.add_argument(
        "code", type=_country_code, metavar="CODE", nargs="?", default=None
    )
    _add_lang(show)
    show.add_argument(
        "--today",
        type=_date,
        metavar="YYYY-MM-DD",
        help="operator status as of this day (default: today)",
    )
    _add_coverage(show)
    return show


def _add_coverage(show: argparse.ArgumentParser) -> None:
    """``show --coverage [--format]``: the coverage report."""
    show.add_argument(
        "--coverage",
        action="store_true",
        help="per country (or CODE only): operators, facts, official share, "
        "oldest verification, languages complete",
    )
    show.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="with --coverage: text (default), markdown or json",
    )


def add_validate_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``validate`` command's parser."""
    validate: argparse.ArgumentParser = sub.add_parser(
        "validate",
        help="check country data package folders",
        description="Check data package folders; print every problem as "
        "file:line: key.path: message. Exit 1 if there are problems.",
    )
    validate.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a package folder (the one holding package.toml) "
        "or a project made by new-country",
    )
    return validate


def _path(text: str) -> Path:
    """*text* as a :class:`pathlib.Path` (pathlib, with urllib.parse, is
    imported only when a command takes a path)."""
    from pathlib import Path

    return Path(text)


def add_new_country_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``new-country`` command's parser."""
    new: argparse.ArgumentParser = sub.add_parser(
        "new-country", help="scaffold an installable country package"
    )
    new.add_argument("code", type=_country_code, metavar="CODE")
    new.add_argument(
        "--output",
        required=True,
        type=_path,
        metavar="DIR",
        help="folder to create (must not exist or be empty)",
    )
    return new


def add_schema_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``schema`` command's parser."""
    schema: argparse.ArgumentParser = sub.add_parser(
        "schema", help="print a JSON Schema"
    )
    schema.add_argument(
        "which",
        choices=("data", "plan", "situation"),
        help="data: the data-package files; plan: plan JSON; situation: "
        "the situation JSON that 'plan --situation' and the server read",
    )
    return schema


def _port(text: str) -> int:
    if text.strip().isdigit() and 0 <= int(text) <= 65535:
        return int(text)
    raise argparse.ArgumentTypeError(f"got {text!r}, expected a port from 0 to 65535")


def _size(text: str) -> int:
    if text.strip().isdigit() and 1 <= int(text) <= 2**31:
        return int(text)
    raise argparse.ArgumentTypeError(f"got {text!r}, expected a number of bytes")


def add_serve_parser(sub: Commands) -> argparse.ArgumentParser:
    """The ``serve`` command's parser (docs/server.md)."""
    serve: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="the HTTP service (needs simexit[server])",
        description="Serve plans over HTTP with uvicorn, one process; see "
        "docs/server.md for running it behind a process manager.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000, help="default: 8000")
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="allow browsers on ORIGIN (e.g. https://app.example) to call the "
        "service; repeat for more; default: none (CORS off)",
    )
    serve.add_argument(
        "--max-body",
        type=_size,
        default=None,
        metavar="BYTES",
        help="largest request body accepted (default: 65536)",
    )
    return serve
