"""Read one package folder: file checks, TOML, line numbers, structuring.

The first stage of loading (files -> model -> checks/merge -> Country): each
file is read safely (:mod:`._reading`: a regular file inside its package,
UTF-8 TOML), and its tables structured with cattrs into the model's classes;
a step's inline ``when`` becomes the rule of that step.  Nothing here looks
across files; problems go to a :class:`Collector`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._checks import OPERATOR_TABLES, check_operator_links, check_source_urls
from ._conditions import _did_you_mean
from ._model import (
    Channel,
    Claim,
    Fact,
    NoticeDefinition,
    Operator,
    PackageInfo,
    Precondition,
    Procedure,
    Rule,
    Source,
    StepDefinition,
    Vocabulary,
    Window,
)
from ._reading import _read_toml
from ._translations import Mirrors, check_locales
from .exceptions import Problem

if TYPE_CHECKING:
    from importlib_resources.abc import Traversable

T = TypeVar("T")

#: An id: a lower-case slug such as ``pay-arrears`` (the JSON Schema uses it
#: too).
SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_FILES = (
    "package.toml",
    "sources.toml",
    "steps.toml",
    "rules.toml",
    "notices.toml",
    "claims.toml",
    "facts.toml",
    "vocabulary.toml",
)
_TOP_KEYS = {
    "package.toml": ("package",),
    "sources.toml": ("sources",),
    "steps.toml": ("steps",),
    "rules.toml": ("rules",),
    "notices.toml": ("notices",),
    "claims.toml": ("claims",),
    "facts.toml": ("facts",),
    "vocabulary.toml": (
        "fields",
        "values",
        "templates",
        "requirements",
        "unblock",
        "says",
    ),
}
_TABLE_CLASSES: dict[str, type] = {
    "sources": Source,
    "steps": StepDefinition,
    "rules": Rule,
    "notices": NoticeDefinition,
    "claims": Claim,
    "channels": Channel,
    "preconditions": Precondition,
    "procedures": Procedure,
    "facts": Fact,
    "windows": Window,
}


@functools.cache
def _converter() -> Any:
    from ._convert import make_converter  # cattrs: only when data is read

    return make_converter(json=False)


@attrs.frozen
class Package:
    """One package folder, structured but not yet merged or cross-checked."""

    name: str
    info: PackageInfo | None
    tables: dict[str, dict[str, Any]]  # "steps" -> id -> StepDefinition ...
    operators: dict[str, Operator]
    origin: dict[tuple[str, str], str]  # (table, id) -> file it came from
    vocabulary: Vocabulary | None
    texts: dict[str, str]  # file -> raw text, for line numbers


class Collector:
    """Collects problems for one package, with line numbers where found."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.problems: list[Problem] = []
        self.texts: dict[str, str] = {}
        # (table, id) of items that exist but failed to load, and files that
        # failed to parse: references to them are not reported again.
        self.broken: set[tuple[str, str]] = set()
        self.unparsed: set[str] = set()

    def add(self, file: str, path: str, message: str, line: int | None = None) -> None:
        if line is None and file in self.texts:
            line = _line_of(self.texts[file], path)
        self.problems.append(Problem(self.package, file, path, message, line))


def _line_of(text: str, path: str) -> int | None:
    """Best-effort line of *path* (``a.b[0].c``) in a TOML text."""
    parts = [p for p in re.split(r"\.|\[\d+\]", path) if p]
    lines = text.splitlines()
    best, start = None, 0
    for depth in range(len(parts), 0, -1):
        header = ".".join(parts[:depth])
        for i, line in enumerate(lines):
            stripped = line.strip()
            if stripped in (f"[{header}]", f"[[{header}]]"):
                best, start = i + 1, i
                rest = parts[depth:]
                break
        else:
            continue
        break
    else:
        rest = parts
    if rest:
        key = re.compile(rf"^\s*{re.escape(rest[0])}\s*[=.]")
        for i in range(start, len(lines)):
            if key.match(lines[i]):
                return i + 1
            if i > start and lines[i].lstrip().startswith("[") and best is not None:
                break
    return best


def _structure(
    value: Any, cls: type[T], rel: str, path: str, col: Collector
) -> T | None:
    try:
        return _converter().structure(value, cls)  # type: ignore[no-any-return]
    except Exception as e:
        from ._convert import problems_of

        for sub, msg in problems_of(e):
            col.add(rel, (path + sub).lstrip("."), msg)
        return None


def _structure_table(
    raw: Any, kind: str, rel: str, prefix: str, col: Collector, scope: str = ""
) -> dict[str, Any]:
    """Structure ``[<kind>.<id>]`` tables, injecting each table's id."""
    out: dict[str, Any] = {}
    if not isinstance(raw, dict):
        col.add(rel, prefix, f"got {type(raw).__name__} {raw!r}, expected a table")
        return out
    cls = _TABLE_CLASSES[kind]
    for key, value in raw.items():
        path = f"{prefix}.{key}"
        if not _SLUG.match(key):
            col.add(
                rel, path, f"id {key!r} is not a lower-case slug like 'pay-arrears'"
            )
            continue
        if not isinstance(value, dict):
            col.add(
                rel, path, f"got {type(value).__name__} {value!r}, expected a table"
            )
            continue
        if "id" in value:
            col.add(rel, f"{path}.id", "unknown key: the id is the table's name")
            continue
        item = _structure({"id": key, **value}, cls, rel, path, col)
        if item is not None:
            out[key] = item
        else:
            col.broken.add((kind, scope + key))
    return out


def _check_top(
    raw: dict[str, Any], rel: str, allowed: Iterable[str], col: Collector
) -> None:
    allowed = tuple(allowed)
    for key in raw:
        if key not in allowed:
            col.add(
                rel,
                key,
                f"unknown key{_did_you_mean(key, allowed)}, "
                f"expected one of: {', '.join(allowed)}",
            )


def _read_package(folder: Traversable, name: str, col: Collector) -> Package:
    tables: dict[str, dict[str, Any]] = {
        k: {} for k in ("sources", "steps", "rules", "notices", "claims", "facts")
    }
    origin: dict[tuple[str, str], str] = {}
    info = vocabulary = None
    mirrors = Mirrors(folder, col, _read_toml)
    for rel in _FILES:
        raw = mirrors.apply(rel, _read_toml(folder.joinpath(rel), rel, col), info)
        if raw is None:
            if rel in ("package.toml", "sources.toml"):
                col.add(rel, "", "required file is missing")
            continue
        _check_top(raw, rel, _TOP_KEYS[rel], col)
        if rel == "package.toml":
            if "package" not in raw:
                if raw:
                    col.add(rel, "package", "required key missing")
            else:
                info = _structure(raw["package"], PackageInfo, rel, "package", col)
                if info is not None:
                    check_locales(info, col)
        elif rel == "vocabulary.toml":
            if raw:
                vocabulary = _structure(
                    {k: v for k, v in raw.items() if k in _TOP_KEYS[rel]},
                    Vocabulary,
                    rel,
                    "",
                    col,
                )
        else:
            kind = _TOP_KEYS[rel][0]
            if kind in raw:
                _read_table(raw[kind], kind, rel, col, tables, origin)
    operators: dict[str, Operator] = {}
    ops_dir = folder.joinpath("operators")
    if _outside(ops_dir, folder):
        col.add("operators", "", "is a symbolic link to a folder outside the package")
    elif ops_dir.is_dir():
        for entry in sorted(ops_dir.iterdir(), key=lambda e: e.name):
            if not entry.name.endswith(".toml"):
                continue
            rel = f"operators/{entry.name}"
            op_id = entry.name[: -len(".toml")]
            if not _SLUG.match(op_id):
                col.add(
                    rel, "", f"file name {op_id!r} is not a lower-case slug operator id"
                )
                continue
            raw = mirrors.apply(rel, _read_toml(entry, rel, col), info)
            op = _read_operator(raw, op_id, rel, col) if raw else None
            if op is not None:
                operators[op_id] = op
                origin[("operators", op_id)] = rel
            else:
                col.broken.add(("operators", op_id))
    mirrors.finish()
    return Package(name, info, tables, operators, origin, vocabulary, col.texts)


def _read_table(
    raw: Any,
    kind: str,
    rel: str,
    col: Collector,
    tables: dict[str, dict[str, Any]],
    origin: dict[tuple[str, str], str],
) -> None:
    """The ``[<kind>.<id>]`` tables of file *rel*, added to *tables*.

    A step's inline ``when`` becomes the rule of that step, with the step's
    id (see :func:`_inline_rules`); a rule in ``rules.toml`` with the id of
    such a step is refused, so that a condition is declared once.
    """
    if kind == "steps":
        raw, inline = _inline_rules(raw, rel, col)
        tables["rules"].update(inline)
        origin.update({("rules", k): rel for k in inline})
    items = _structure_table(raw, kind, rel, kind, col)
    if kind == "sources":
        check_source_urls(items, rel, col)
    if kind == "rules":
        items = _refuse_twice(items, origin, rel, col)
    tables[kind].update(items)
    origin.update({(kind, k): rel for k in items})


def _inline_rules(raw: Any, rel: str, col: Collector) -> tuple[Any, dict[str, Rule]]:
    """The steps of *raw* without their ``when``, and the rule each ``when``
    declares: ``[steps.<id>] when = …`` is ``[rules.<id>] step = "<id>"``
    with that ``when``, the rule the loader builds from ``rules.toml``."""
    if not isinstance(raw, dict):
        return raw, {}
    steps: dict[str, Any] = {}
    rules: dict[str, Rule] = {}
    for key, value in raw.items():
        if isinstance(value, dict) and "when" in value:
            value = dict(value)
            when = value.pop("when")
            if _SLUG.match(key) and "id" not in value:  # else the step says why
                raw_rule = {"id": key, "step": key, "when": when}
                rule = _structure(raw_rule, Rule, rel, f"steps.{key}", col)
                if rule is not None:
                    rules[key] = rule
                else:
                    col.broken.add(("rules", key))
        steps[key] = value
    return steps, rules


def _refuse_twice(
    rules: dict[str, Rule],
    origin: dict[tuple[str, str], str],
    rel: str,
    col: Collector,
) -> dict[str, Rule]:
    """*rules* without those whose step already carries its ``when``
    inline (each one reported): one condition, declared in one place."""
    kept: dict[str, Rule] = {}
    for key, rule in rules.items():
        inline = origin.get(("rules", key))
        if inline is None:
            kept[key] = rule
            continue
        line = _line_of(col.texts.get(inline, ""), f"steps.{key}.when")
        at = f"{inline}:{line}" if line is not None else inline
        col.add(
            rel,
            f"rules.{key}",
            f"duplicate rule {key!r}: step {key!r} carries its own when "
            f"({at}); give its condition once, inline or here",
        )
    return kept


def _outside(node: Traversable, folder: Traversable) -> bool:
    """True if *node* is a symbolic link that leaves *folder*."""
    from pathlib import Path

    if not isinstance(node, Path) or not isinstance(folder, Path):
        return False
    if not node.is_symlink():
        return False
    try:
        return not node.resolve(strict=True).is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return True


def _read_operator(
    raw: dict[str, Any], op_id: str, rel: str, col: Collector
) -> Operator | None:
    _check_top(raw, rel, ("operator", *OPERATOR_TABLES), col)
    head = raw.get("operator")
    if not isinstance(head, dict):
        col.add(
            rel,
            "operator",
            "required table missing" if head is None else "expected a table",
        )
        return None
    for key in OPERATOR_TABLES:
        if key in head:
            col.add(
                rel,
                f"operator.{key}",
                f"unknown key: [{key}.<id>] tables go at the top level",
            )
    if "id" in head:
        col.add(rel, "operator.id", "unknown key: the id is the file's name")
    head = {k: v for k, v in head.items() if k not in OPERATOR_TABLES and k != "id"}
    op = _structure({"id": op_id, **head}, Operator, rel, "operator", col)
    parts = {
        k: _structure_table(raw[k], k, rel, k, col, scope=f"{op_id}/")
        for k in OPERATOR_TABLES
        if k in raw
    }
    if op is None:
        return None
    op = attrs.evolve(
        op,
        channels=_with_uris(parts.get("channels", {})),
        preconditions=parts.get("preconditions", {}),
        procedures=parts.get("procedures", {}),
        facts=parts.get("facts", {}),
        windows=parts.get("windows", {}),
    )
    check_operator_links(op, rel, col)
    return op


def _with_uris(channels: dict[str, Any]) -> dict[str, Any]:
    """Each channel with the uri its contact gives, when the data gives none."""
    from ._links import derived_uri

    out = {}
    for key, ch in channels.items():
        if ch.uri is None:
            uri = derived_uri(ch.kind.value, ch.contact)
            ch = ch if uri is None else attrs.evolve(ch, uri=uri)
        out[key] = ch
    return out
