"""Read data packages, validate them completely, and discover countries.

One direction of flow: TOML files -> strict cattrs structuring -> cross-file
checks -> a typed :class:`~simexit.Country`.  Every problem is collected and
raised at once in a single :class:`~simexit.DataPackageError`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._conditions import Condition, _did_you_mean, atoms
from ._model import (
    Channel,
    ChannelKind,
    Claim,
    Confidence,
    Country,
    Fact,
    NoticeDefinition,
    Operator,
    OperatorStatus,
    PackageInfo,
    Precondition,
    Procedure,
    Rule,
    Source,
    SourceKind,
    StepDefinition,
    Vocabulary,
)
from ._situation import plain_str
from ._translations import Mirrors, check_locales, shared_locales
from .exceptions import (
    DataPackageError,
    Problem,
    SimexitError,
    UnknownCountryError,
    shown,
)

if TYPE_CHECKING:
    from pathlib import Path

    from importlib_resources.abc import Traversable

    from ._engine import CompiledCountry
    from ._entrypoints import EntryPoint

T = TypeVar("T")

CORE = "core"
ENTRY_POINT_GROUP = "simexit.countries"
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
    "vocabulary.toml": ("fields", "values", "templates", "requirements", "unblock"),
}
_OPERATOR_TABLES = ("channels", "preconditions", "procedures", "facts")
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
}


@functools.cache
def _converter() -> Any:
    from ._convert import make_converter  # cattrs: only when data is read

    return make_converter(json=False)


#: Steps that keep a person safe (stop a lost phone's number being used,
#: move accounts before the number is lost): no package may replace a core
#: rule that puts one of them in a plan.
PROTECTED_STEPS = frozenset({"block-number", "migrate-linked-accounts"})

#: Templates the engine fills; vocabulary.toml must define each.
REQUIRED_TEMPLATES = (
    "equals",
    "not_equals",
    "or",
    "greater_than",
    "not_greater_than",
    "less_than",
    "not_less_than",
    "unknown",
    "known",
    "join",
    "list",
    "blocked",
    "channel_fails",
    "no_procedure",
    "operator_unknown",
    "unverified",
    "stale",
    "defunct",
    "claim",
)

#: The placeholders the engine fills in each template (str.format); the
#: templates not listed are separators or text it never formats.  Anything
#: else in braces — attribute or index access, conversions, format specs,
#: other names — is refused when the data loads, so data text can never make
#: str.format reach into an object or fail at planning time.
TEMPLATE_FIELDS: dict[str, frozenset[str]] = {
    "equals": frozenset({"field", "value"}),
    "not_equals": frozenset({"field", "value"}),
    "greater_than": frozenset({"field", "value"}),
    "not_greater_than": frozenset({"field", "value"}),
    "less_than": frozenset({"field", "value"}),
    "not_less_than": frozenset({"field", "value"}),
    "unknown": frozenset({"field"}),
    "known": frozenset({"field"}),
    "blocked": frozenset({"step", "reasons", "unblock"}),
    "channel_fails": frozenset({"channel", "requirement"}),
    "no_procedure": frozenset({"operator"}),
    "unverified": frozenset({"steps"}),
    "stale": frozenset({"steps"}),
    "defunct": frozenset({"operator", "date"}),
    "claim": frozenset({"claim", "correction"}),
}

FactLike = Channel | Precondition | Procedure | Fact


def _template_problem(text: str, allowed: frozenset[str]) -> str | None:
    """Why *text* is not a template the engine may fill, or None."""
    import string

    names = ", ".join("{" + n + "}" for n in sorted(allowed))
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as e:
        return f"not a valid template ({e}); use {{{{ and }}}} for literal braces"
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in allowed or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "")
            shown += (":" + spec if spec else "") + "}"
            return f"placeholder {shown} is not allowed, expected only: {names}"
    return None


@attrs.frozen
class _Package:
    """One package folder, structured but not yet merged or cross-checked."""

    name: str
    info: PackageInfo | None
    tables: dict[str, dict[str, Any]]  # "steps" -> id -> StepDefinition ...
    operators: dict[str, Operator]
    origin: dict[tuple[str, str], str]  # (table, id) -> file it came from
    vocabulary: Vocabulary | None
    texts: dict[str, str]  # file -> raw text, for line numbers


class _Collector:
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


#: Deepest nesting of tables and arrays a data file may have.
MAX_DEPTH = 32
#: Largest data file the loader reads, in bytes.
MAX_FILE_BYTES = 4 * 1024 * 1024


def _file_problem(node: Traversable, rel: str) -> str | None:
    """Why *node* is not a regular file inside its package, or None.

    Looks with lstat/stat only, so a FIFO or device is never opened.
    """
    import os
    import stat
    from pathlib import Path

    if not isinstance(node, Path):
        return None if node.is_file() else "is not a regular file"
    st = os.lstat(node)
    if stat.S_ISLNK(st.st_mode):
        root = Path(*node.parts[: -len(Path(rel).parts)])
        try:
            target = node.resolve(strict=True)
        except (OSError, RuntimeError):
            return "is a broken or looping symbolic link"
        if not target.is_relative_to(root.resolve()):
            return "is a symbolic link to a file outside the package folder"
        st = os.stat(target)
    if stat.S_ISDIR(st.st_mode):
        return "is a directory, expected a TOML file"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a FIFO, socket or device), expected a TOML file"
    if st.st_size > MAX_FILE_BYTES:
        return f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
    return None


def _read_bytes(node: Traversable) -> bytes:
    """The file's bytes, opened so that it cannot block (a swapped-in FIFO)."""
    import os
    import stat
    from pathlib import Path

    if not isinstance(node, Path):
        return node.read_bytes()
    fd = os.open(node.resolve(), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """The key path of the first value nested deeper than *limit*, or None."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > limit:
            return path
        if isinstance(node, dict):
            stack.extend(
                (v, f"{path}.{k}".lstrip("."), depth + 1) for k, v in node.items()
            )
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))
    return None


def _read_toml(node: Traversable, rel: str, col: _Collector) -> dict[str, Any] | None:
    """The parsed file, None if it does not exist, {} if it is broken.

    A broken file (not a regular file in the package, not UTF-8, not TOML,
    nested too deeply, or an empty package.toml or operator file) is
    reported and marked unparsed.
    """
    if not _exists(node):
        return None
    try:
        why = _file_problem(node, rel)
        data = _read_bytes(node) if why is None else b""
    except OSError as e:
        why = f"cannot be read: {e.strerror or e}"
    if why is not None:
        return _broken(col, rel, why)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return _broken(col, rel, f"not UTF-8 text: {e.reason} at byte {e.start}")
    col.texts[rel] = text
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        return _broken(col, rel, f"invalid TOML: {msg}", line)
    except RecursionError:
        return _broken(col, rel, f"nested deeper than {MAX_DEPTH} levels")
    deep = _too_deep(raw)
    if deep is not None:
        col.add(rel, deep, f"nested deeper than {MAX_DEPTH} levels")
        col.unparsed.add(rel)
        return {}
    if not raw and (rel == "package.toml" or rel.startswith("operators/")):
        return _broken(col, rel, "file is empty: give its tables or delete it")
    return raw


def _exists(node: Traversable) -> bool:
    """True if anything (file, directory, FIFO, link) is at *node*."""
    import os
    from pathlib import Path

    if isinstance(node, Path):
        return os.path.lexists(node)
    return node.is_file() or node.is_dir()


def _broken(
    col: _Collector, rel: str, message: str, line: int | None = None
) -> dict[str, Any]:
    col.add(rel, "", message, line)
    col.unparsed.add(rel)
    return {}


def _structure(
    value: Any, cls: type[T], rel: str, path: str, col: _Collector
) -> T | None:
    try:
        return _converter().structure(value, cls)  # type: ignore[no-any-return]
    except Exception as e:
        from ._convert import problems_of

        for sub, msg in problems_of(e):
            col.add(rel, (path + sub).lstrip("."), msg)
        return None


def _structure_table(
    raw: Any, kind: str, rel: str, prefix: str, col: _Collector, scope: str = ""
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
    raw: dict[str, Any], rel: str, allowed: Iterable[str], col: _Collector
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


def _read_package(folder: Traversable, name: str, col: _Collector) -> _Package:
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
                items = _structure_table(raw[kind], kind, rel, kind, col)
                if kind == "sources":
                    _check_source_urls(items, rel, col)
                tables[kind].update(items)
                origin.update({(kind, k): rel for k in items})
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
    return _Package(name, info, tables, operators, origin, vocabulary, col.texts)


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


def _check_source_urls(items: dict[str, Source], rel: str, col: _Collector) -> None:
    from ._links import source_url_problem

    for key, source in items.items():
        why = source_url_problem(source.url, claim=source.kind is SourceKind.CLAIM)
        if why is not None:
            col.add(rel, f"sources.{key}.url", why)


#: Channel kinds whose contact is a link: (kind, check of the contact).
_LINK_CHANNELS = {
    ChannelKind.WEBSITE: "url",
    ChannelKind.EMAIL: "mailto",
    ChannelKind.APP: "name",
    ChannelKind.CHAT: "name",
}


def _check_operator_links(op: Operator, rel: str, col: _Collector) -> None:
    """The operator's domains, website and link contacts (see docs)."""
    from ._links import host_problem, mailto_problem, name_problem, own_url_problem

    for i, domain in enumerate(op.domains):
        why = host_problem(domain)
        if why is None and domain in op.domains[:i]:
            why = f"duplicate domain {domain!r}"
        if why is not None:
            col.add(rel, f"operator.domains[{i}]", why)
    if op.website is not None:
        why = own_url_problem(op.website, op.domains)
        if why is not None:
            col.add(rel, "operator.website", why)
    checks = {"url": own_url_problem, "mailto": mailto_problem, "name": name_problem}
    for key, channel in op.channels.items():
        check = _LINK_CHANNELS.get(channel.kind)
        why = None if check is None else checks[check](channel.contact, op.domains)
        if why is not None:
            col.add(rel, f"channels.{key}.contact", why)


def _read_operator(
    raw: dict[str, Any], op_id: str, rel: str, col: _Collector
) -> Operator | None:
    _check_top(raw, rel, ("operator", *_OPERATOR_TABLES), col)
    head = raw.get("operator")
    if not isinstance(head, dict):
        col.add(
            rel,
            "operator",
            "required table missing" if head is None else "expected a table",
        )
        return None
    for key in _OPERATOR_TABLES:
        if key in head:
            col.add(
                rel,
                f"operator.{key}",
                f"unknown key: [{key}.<id>] tables go at the top level",
            )
    if "id" in head:
        col.add(rel, "operator.id", "unknown key: the id is the file's name")
    head = {k: v for k, v in head.items() if k not in _OPERATOR_TABLES and k != "id"}
    op = _structure({"id": op_id, **head}, Operator, rel, "operator", col)
    parts = {
        k: _structure_table(raw[k], k, rel, k, col, scope=f"{op_id}/")
        for k in _OPERATOR_TABLES
        if k in raw
    }
    if op is None:
        return None
    op = attrs.evolve(
        op,
        channels=parts.get("channels", {}),
        preconditions=parts.get("preconditions", {}),
        procedures=parts.get("procedures", {}),
        facts=parts.get("facts", {}),
    )
    _check_operator_links(op, rel, col)
    return op


# -- cross-file checks ---------------------------------------------------------


def _confidence_of(fact: FactLike, sources: dict[str, Source]) -> Confidence:
    kinds = {sources[s].kind for s in fact.sources if s in sources}
    return Confidence.VERIFIED if SourceKind.OFFICIAL in kinds else Confidence.REPORTED


def _finish_fact(fact: T, sources: dict[str, Source]) -> T:
    assert isinstance(fact, FactLike)
    derived = _confidence_of(fact, sources)
    conf = fact.confidence or derived
    verified = fact.verified_on or max(
        (sources[s].retrieved for s in fact.sources if s in sources),
        default=None,
    )
    return attrs.evolve(fact, confidence=conf, verified_on=verified)


def _finish_all(items: dict[str, T], sources: dict[str, Source]) -> dict[str, T]:
    return {k: _finish_fact(v, sources) for k, v in items.items()}


def _iter_facts(op: Operator) -> Iterator[tuple[str, str, FactLike]]:
    for table in _OPERATOR_TABLES:
        for fid, fact in getattr(op, table).items():
            yield table, fid, fact


def _merge(
    core: _Package, pkg: _Package, col: _Collector, core_col: _Collector
) -> Country | None:
    """Merge *pkg* over *core*, check every reference, build the Country."""

    def where(p: _Package, table: str, item: str) -> tuple[_Collector, str]:
        return (core_col if p is core else col), p.origin.get((table, item), "")

    info = pkg.info
    if info is not None and info.currency is None:
        col.add("package.toml", "package.currency", "required key missing")
    elif info is not None and info.currency is not None:
        from ._situation import _to_currency

        try:
            valid = _to_currency(info.currency) == info.currency
        except SimexitError:
            valid = False
        if not valid:
            col.add(
                "package.toml",
                "package.currency",
                f"got {info.currency!r}, expected an upper-case ISO 4217 code "
                "such as 'AZN'",
            )

    merged: dict[str, dict[str, Any]] = {}
    owner: dict[tuple[str, str], _Package] = {}
    for table in ("sources", "steps", "notices", "claims", "facts"):
        merged[table] = {}
        for p in (core, pkg):
            for key, item in p.tables[table].items():
                if key in merged[table]:
                    c, f = where(p, table, key)
                    c.add(
                        f,
                        f"{table}.{key}",
                        f"duplicate id {key!r}: already defined in core/{core.origin.get((table, key), '')}",
                    )
                    continue
                merged[table][key] = item
                owner[(table, key)] = p
    # rules: a country rule may replace a core rule only by naming it
    rules: dict[str, Rule] = dict(core.tables["rules"])
    for key, rule in core.tables["rules"].items():
        owner[("rules", key)] = core
        if rule.replaces is not None:
            core_col.add(
                core.origin[("rules", key)],
                f"rules.{key}.replaces",
                "only country packages may replace core rules",
            )
    for key, rule in pkg.tables["rules"].items():
        rel = pkg.origin[("rules", key)]
        if rule.replaces is not None:
            if rule.replaces not in core.tables["rules"]:
                col.add(
                    rel,
                    f"rules.{key}.replaces",
                    f"no core rule {rule.replaces!r} to replace{_did_you_mean(rule.replaces, core.tables['rules'])}",
                )
                continue
            replaced = core.tables["rules"][rule.replaces]
            if replaced.step in PROTECTED_STEPS:
                col.add(
                    rel,
                    f"rules.{key}.replaces",
                    f"core rule {rule.replaces!r} puts the safety step "
                    f"{replaced.step!r} in the plan and cannot be replaced; "
                    "add a rule of your own instead",
                )
                continue
            rules.pop(rule.replaces, None)
        if key in rules:
            col.add(
                rel,
                f"rules.{key}",
                f"duplicate id {key!r}: a core rule has it; add replaces = {key!r} to replace it",
            )
            continue
        rules[key] = rule
        owner[("rules", key)] = pkg
    operators: dict[str, Operator] = {}
    for p in (core, pkg):
        for key, op in p.operators.items():
            if key in operators:
                c, f = where(p, "operators", key)
                c.add(
                    f,
                    "operator",
                    f"duplicate operator id {key!r}: already defined in core",
                )
                continue
            operators[key] = op
            owner[("operators", key)] = p

    sources: dict[str, Source] = merged["sources"]
    steps: dict[str, StepDefinition] = merged["steps"]
    codes = set(sources)
    broken = col.broken | core_col.broken
    unparsed = col.unparsed | core_col.unparsed

    def missing(table: str, item: str, scope: str = "") -> bool:
        """True if *item* is really absent, not just broken or unparsed."""
        if (table, scope + item) in broken or f"{table}.toml" in unparsed:
            return False
        return not (
            table == "operators" and any(u.startswith("operators/") for u in unparsed)
        )

    def check_sources(
        c: _Collector,
        rel: str,
        path: str,
        ids: tuple[str, ...],
        *,
        claim: bool,
        required: bool,
    ) -> None:
        if required and not ids:
            c.add(
                rel,
                f"{path}.sources" if not claim else f"{path}.seen_in",
                "must cite at least one source",
            )
        for i, sid in enumerate(ids):
            key = f"{path}.{'seen_in' if claim else 'sources'}[{i}]"
            if sid not in sources:
                if missing("sources", sid):
                    c.add(
                        rel, key, f"unknown source {sid!r}{_did_you_mean(sid, codes)}"
                    )
            elif claim and sources[sid].kind is not SourceKind.CLAIM:
                c.add(
                    rel,
                    key,
                    f"source {sid!r} is {sources[sid].kind.value}, expected a claim source",
                )
            elif not claim and sources[sid].kind is SourceKind.CLAIM:
                c.add(
                    rel,
                    key,
                    f"source {sid!r} is a claim seen in the wild and cannot support a fact",
                )

    def check_step(c: _Collector, rel: str, path: str, sid: str) -> None:
        if sid not in steps and missing("steps", sid):
            c.add(rel, path, f"unknown step {sid!r}{_did_you_mean(sid, steps)}")

    def check_condition(
        c: _Collector, rel: str, path: str, cond: Condition | None
    ) -> None:
        if cond is None:
            return
        for atom in atoms(cond):
            if atom.field == "operator":
                values = atom.value if isinstance(atom.value, tuple) else (atom.value,)
                for v in values:
                    if (
                        atom.op != "unknown"
                        and v not in operators
                        and missing("operators", v)
                    ):
                        c.add(
                            rel,
                            f"{path}.when",
                            f"unknown operator {v!r}{_did_you_mean(v, operators)}, expected one of: {', '.join(sorted(operators))}",
                        )

    for key, step in steps.items():
        c, rel = where(owner[("steps", key)], "steps", key)
        for i, a in enumerate(step.after):
            check_step(c, rel, f"steps.{key}.after[{i}]", a)
        check_sources(c, rel, f"steps.{key}", step.sources, claim=False, required=False)
    for key, rule in rules.items():
        c, rel = where(owner[("rules", key)], "rules", key)
        check_step(c, rel, f"rules.{key}.step", rule.step)
        check_condition(c, rel, f"rules.{key}", rule.when)
    for key, notice in merged["notices"].items():
        c, rel = where(owner[("notices", key)], "notices", key)
        check_sources(
            c, rel, f"notices.{key}", notice.sources, claim=False, required=False
        )
        check_condition(c, rel, f"notices.{key}", notice.when)
    for key, claim in merged["claims"].items():
        c, rel = where(owner[("claims", key)], "claims", key)
        check_sources(c, rel, f"claims.{key}", claim.seen_in, claim=True, required=True)
        check_sources(
            c, rel, f"claims.{key}", claim.sources, claim=False, required=False
        )
        for i, o in enumerate(claim.about.operators):
            if o not in operators and missing("operators", o):
                c.add(
                    rel,
                    f"claims.{key}.about.operators[{i}]",
                    f"unknown operator {o!r}{_did_you_mean(o, operators)}",
                )
        for i, s in enumerate(claim.about.steps):
            check_step(c, rel, f"claims.{key}.about.steps[{i}]", s)

    def check_fact(c: _Collector, rel: str, path: str, fact: FactLike) -> None:
        """The checks every sourced fact gets, operator's or country's."""
        check_sources(c, rel, path, fact.sources, claim=False, required=True)
        if fact.valid_from and fact.valid_until and fact.valid_from >= fact.valid_until:
            c.add(rel, f"{path}.valid_until", "must be after valid_from")
        if fact.confidence is not None:
            derived = _confidence_of(fact, sources)
            if fact.confidence.rank > derived.rank:
                c.add(
                    rel,
                    f"{path}.confidence",
                    f"got {fact.confidence.value!r}, but its sources support at most {derived.value!r}",
                )
        if isinstance(fact, Procedure | Fact):
            check_step(c, rel, f"{path}.step", fact.step)
            check_condition(c, rel, path, fact.when)

    for key, fact in merged["facts"].items():
        c, rel = where(owner[("facts", key)], "facts", key)
        check_fact(c, rel, f"facts.{key}", fact)
    vocab = core.vocabulary
    if vocab is not None:
        for key in sorted(set(REQUIRED_TEMPLATES) - set(vocab.templates)):
            core_col.add("vocabulary.toml", f"templates.{key}", "required key missing")
        for key, allowed in TEMPLATE_FIELDS.items():
            text = vocab.templates.get(key)
            for loc, value in ({} if text is None else text.texts).items():
                why = _template_problem(value, allowed)
                if why is not None:
                    core_col.add("vocabulary.toml", f"templates.{key}.{loc}", why)
    finished_ops: dict[str, Operator] = {}
    for key, op in operators.items():
        c, rel = where(owner[("operators", key)], "operators", key)
        check_sources(c, rel, "operator", op.sources, claim=False, required=True)
        if (op.status is OperatorStatus.DEFUNCT) != (op.defunct_since is not None):
            c.add(
                rel,
                "operator.defunct_since",
                "required exactly when status is 'defunct'",
            )
        for i, s in enumerate(op.successors):
            if s not in operators and missing("operators", s):
                c.add(
                    rel,
                    f"operator.successors[{i}]",
                    f"unknown operator {s!r}{_did_you_mean(s, operators)}",
                )
        for table, fid, fact in _iter_facts(op):
            path = f"{table}.{fid}"
            check_fact(c, rel, path, fact)
            if isinstance(fact, Procedure):
                for i, ch in enumerate(fact.channels):
                    if ch not in op.channels and missing("channels", ch, f"{key}/"):
                        c.add(
                            rel,
                            f"{path}.channels[{i}]",
                            f"unknown channel {ch!r}{_did_you_mean(ch, op.channels)}, expected one of: {', '.join(op.channels) or 'none defined'}",
                        )
                for i, pre in enumerate(fact.preconditions):
                    if pre not in op.preconditions and missing(
                        "preconditions", pre, f"{key}/"
                    ):
                        c.add(
                            rel,
                            f"{path}.preconditions[{i}]",
                            f"unknown precondition {pre!r}{_did_you_mean(pre, op.preconditions)}",
                        )
        finished_ops[key] = attrs.evolve(
            op,
            channels=_finish_all(op.channels, sources),
            preconditions=_finish_all(op.preconditions, sources),
            procedures=_finish_all(op.procedures, sources),
            facts=_finish_all(op.facts, sources),
        )
    _check_cycles(steps, owner, where, col)
    if col.problems or core_col.problems or info is None or core.vocabulary is None:
        return None
    assert info.currency is not None
    return Country(
        code=info.code,
        currency=info.currency,
        languages=info.languages,
        locales=shared_locales(info, core.info),
        cards=info.cards,
        data_version=info.data_version,
        data_as_of=info.data_as_of,
        sources=dict(sorted(sources.items())),
        operators=finished_ops,
        package_operators=tuple(sorted(pkg.operators)),
        steps=steps,
        rules=rules,
        notices=merged["notices"],
        claims=merged["claims"],
        facts={k: _finish_fact(v, sources) for k, v in merged["facts"].items()},
        vocabulary=core.vocabulary,
    )


def _check_cycles(
    steps: dict[str, StepDefinition], owner: Any, where: Any, col: _Collector
) -> None:
    state: dict[str, int] = {}
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in steps[node].after:
            if nxt not in steps:
                continue
            if state.get(nxt) == 1:
                cycle = (
                    [*stack[stack.index(nxt) :], nxt] if nxt in stack else [node, nxt]
                )
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    c, rel = where(owner[("steps", node)], "steps", node)
                    c.add(
                        rel,
                        f"steps.{node}.after",
                        "cycle in 'after': " + " -> ".join(cycle),
                    )
            elif state.get(nxt) is None:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for key in sorted(steps):
        if key not in state:
            visit(key, [key])


# -- discovery and the registry -------------------------------------------------


def _bundled() -> Traversable:
    """simexit's data folder: found by path when simexit is a plain directory
    (the folder importlib_resources would give, without importing it)."""
    import importlib.machinery
    import sys

    spec = sys.modules[__package__].__spec__
    loader = getattr(spec, "loader", None)
    plain = (
        importlib.machinery.SourceFileLoader,
        importlib.machinery.SourcelessFileLoader,
    )
    if isinstance(loader, plain):
        from ._compiled import bundled_data

        folder = bundled_data()
        if folder is not None:
            return folder
    import importlib_resources

    return importlib_resources.files(__package__).joinpath("data")


def _is_package(folder: Traversable) -> bool:
    return folder.is_dir() and folder.joinpath("package.toml").is_file()


#: Who claims a country: a label and its folder, or an entry point to import.
Provider = tuple[str, "Traversable | EntryPoint"]


class Registry:
    """The countries available to :func:`simexit.plan_for`.

    Countries are loaded, validated and compiled once, on first use, under a
    lock; afterwards every call reads immutable data only.  Installed
    packages are found by reading entry points, not importing them: a
    provider is imported when its country is first loaded, and a provider
    that fails (or two providers of one country) breaks that country alone
    -- see :meth:`broken`.
    """

    def __init__(
        self,
        core: Traversable,
        providers: dict[str, list[Provider]],
        *,
        compiled: bool = False,
    ) -> None:
        self._core_folder = core
        #: Whether bundled countries may come from their compiled files.
        self._compiled = compiled
        self._providers = providers
        self._lock = threading.RLock()
        self._core: _Package | None = None
        self._core_col: _Collector | None = None
        self._countries: dict[str, Country] = {}
        self._engines: dict[str, CompiledCountry] = {}
        self._resolved: dict[str, tuple[str, Traversable] | DataPackageError] = {}

    def __repr__(self) -> str:
        return f"<simexit.Registry(countries={self.countries()!r})>"

    @classmethod
    def default(cls) -> Registry:
        """Bundled countries plus those installed through entry points.

        Entry points are read, not imported (see :meth:`broken`).
        """
        from ._entrypoints import provided

        providers: dict[str, list[Provider]] = {}
        root = _bundled()
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name != CORE and _is_package(entry):
                providers.setdefault(entry.name.upper(), []).append(
                    (f"simexit (bundled {entry.name})", entry)
                )
        for ep in sorted(provided(ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
            label = f"{ep.dist} (entry point {ep.name} = {ep.value})"
            providers.setdefault(ep.name.strip().upper(), []).append((label, ep))
        return cls(root.joinpath(CORE), providers, compiled=True)

    @classmethod
    def from_paths(cls, *folders: str | Path) -> Registry:
        """The core data plus the country folders given (for package authors)."""
        providers: dict[str, list[Provider]] = {}
        for folder in folders:
            path = _folder_path(folder)
            if not _is_file(path.joinpath("package.toml")):
                raise DataPackageError(
                    (
                        Problem(
                            str(path),
                            "package.toml",
                            "",
                            "required file is missing (is this a country package folder?)",
                        ),
                    )
                )
            code = _peek_code(path)
            providers.setdefault(code, []).append((str(path), path))
        return cls(_bundled().joinpath(CORE), providers)

    def countries(self) -> tuple[str, ...]:
        """ISO codes of every country this registry provides, sorted.

        Broken countries are listed too; :meth:`broken` tells which.
        """
        return tuple(sorted(self._providers))

    def broken(self) -> dict[str, DataPackageError]:
        """The countries whose provider cannot be used, each with the error
        that loading it raises; empty when every provider is fine.

        A provider is broken when two packages claim its country, or when
        its entry point cannot be imported, is not a package, or holds no
        ``package.toml``.  This imports every installed provider not yet
        imported (once per registry) but does not read or check their data:
        that is :meth:`load`'s job.
        """
        out: dict[str, DataPackageError] = {}
        for code in self.countries():
            found = self._resolve(code)
            if isinstance(found, DataPackageError):
                out[code] = DataPackageError(found.problems)
        return out

    def _folder(self, code: Any) -> tuple[str, Traversable]:
        text = plain_str(code)
        key = text.strip().upper() if text is not None else None
        if key is None or key not in self._providers:
            raise UnknownCountryError(
                shown(code) if text is None else text, self.countries()
            )
        found = self._resolve(key)
        if isinstance(found, DataPackageError):
            raise DataPackageError(found.problems)  # a fresh one: no stale traceback
        return found

    def _resolve(self, key: str) -> tuple[str, Traversable] | DataPackageError:
        """The provider of *key*, imported once; a failure is kept, not retried."""
        found = self._resolved.get(key)
        if found is None:
            with self._lock:
                found = self._resolved.get(key)
                if found is None:
                    found = _resolve(key, self._providers[key])
                    self._resolved[key] = found
        return found

    def load(self, code: str) -> Country:
        """The validated :class:`Country` for *code* (any case)."""
        text = plain_str(code)
        key = "" if text is None else text.strip().upper()  # "" is never a country
        country = self._countries.get(key)
        if country is not None:
            return country
        _, folder = self._folder(code)
        with self._lock:
            country = self._countries.get(key)
            if country is None:
                country = self._load(key, folder)
                self._countries[key] = country
        return country

    def _load(self, code: str, folder: Traversable) -> Country:
        if self._compiled:
            from ._compiled import load  # bundled countries, compiled at build

            country = load(self._core_folder, folder, code)
            if country is not None:
                return country
        return self._read(code, folder)

    def _read(self, code: str, folder: Traversable) -> Country:
        from ._compiled import Folder

        if isinstance(folder, Folder):  # the TOML loader reads Paths
            folder = folder.path()
        if isinstance(self._core_folder, Folder):
            self._core_folder = self._core_folder.path()
        if self._core is None:
            core_col = _Collector(CORE)
            self._core = _read_package(self._core_folder, CORE, core_col)
            self._core_col = core_col
        assert self._core_col is not None
        core_col = _Collector(CORE)
        core_col.problems = list(self._core_col.problems)
        core_col.texts = self._core_col.texts
        col = _Collector(code.lower())
        pkg = _read_package(folder, code.lower(), col)
        if pkg.info is not None and pkg.info.code.upper() != code:
            col.add(
                "package.toml",
                "package.code",
                f"got {pkg.info.code!r}, expected {code!r} (the country this package is registered for)",
            )
        country = _merge(self._core, pkg, col, core_col)
        problems = core_col.problems + col.problems
        if problems or country is None:
            raise DataPackageError(tuple(problems))
        return country

    def engine(self, code: str) -> CompiledCountry:
        """The compiled engine for *code* (internal)."""
        key = code.upper()
        eng = self._engines.get(key)
        if eng is None:
            country = self.load(code)
            with self._lock:
                eng = self._engines.get(key)
                if eng is None:
                    from ._engine import CompiledCountry

                    eng = CompiledCountry(country)
                    self._engines[key] = eng
        return eng


class _Unusable(Exception):
    """Why an installed provider cannot serve its country."""


def _resolve(
    code: str, providers: list[Provider]
) -> tuple[str, Traversable] | DataPackageError:
    if len(providers) > 1:
        names = "; ".join(label for label, _ in providers)
        return _provider_error(code, f"provided by more than one package: {names}")
    from ._entrypoints import EntryPoint

    label, where = providers[0]
    if not isinstance(where, EntryPoint):
        return label, where
    try:
        return label, _locate(where.value)
    except _Unusable as e:
        return _provider_error(code, f"{label}: {e}")


def _provider_error(code: str, message: str) -> DataPackageError:
    return DataPackageError((Problem(code, "", "", message),))


def _locate(value: str) -> Traversable:
    """The folder of the package *value* names, imported; else _Unusable.

    Whatever the import does -- raise, exit, fail to compile -- stays a
    problem of this provider (only KeyboardInterrupt goes through).
    """
    if not value or not all(part.isidentifier() for part in value.split(".")):
        raise _Unusable(f"{value!r} is not the dotted name of a package")
    import importlib

    import importlib_resources

    module = _attempt("importing it", lambda: importlib.import_module(value))
    if _attempt("importing it", lambda: getattr(module, "__path__", None)) is None:
        raise _Unusable("it names a module, not a package (a folder of data files)")
    folder = _attempt("listing its files", lambda: importlib_resources.files(module))
    info = folder.joinpath("package.toml")
    if not _attempt("listing its files", info.is_file):
        raise _Unusable("its package has no package.toml (is it a country package?)")
    return folder


def _attempt(what: str, action: Callable[[], T]) -> T:
    """What *action* returns; anything it raises but Ctrl-C is _Unusable."""
    try:
        return action()
    except KeyboardInterrupt:
        raise
    except BaseException as e:
        raise _Unusable(f"{what} raised {_describe(e)}") from None


def _describe(error: BaseException, limit: int = 200) -> str:
    """``Type: message`` of *error* on one line, even if its ``str`` fails."""
    name = _safely(lambda: type(error).__name__, "an exception")
    text = _safely(lambda: " ".join(str(error).split()), "")
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return f"{name}: {text}" if text else name


def _safely(show: Callable[[], str], default: str) -> str:
    """What *show* returns, or *default* if it raises (a plugin's exception
    may have a hostile ``__str__``)."""
    try:
        text = show()
    except KeyboardInterrupt:
        raise
    except BaseException:
        return default
    return text if isinstance(text, str) else default


def _folder_path(folder: object) -> Path:
    """*folder* (a str or pathlib path) as a Path; anything else is refused."""
    from pathlib import Path, PurePath

    text = plain_str(folder)
    if text is None and isinstance(folder, PurePath):
        text = PurePath.__str__(folder)  # not a subclass's own __str__
    if not text or "\0" in text:
        raise DataPackageError(
            (
                Problem(
                    shown(folder),
                    "",
                    "",
                    "expected the path of a country package folder (a non-empty "
                    "str or pathlib.Path without NUL)",
                ),
            )
        )
    return Path(text)


def _folder_list(folders: object) -> list[Any]:
    """*folders*, an iterable of paths or one path, as a list."""
    from pathlib import PurePath

    if isinstance(folders, str | PurePath):
        return [folders]
    try:
        return list(folders)  # type: ignore[call-overload, no-any-return]
    except TypeError:
        raise DataPackageError(
            (Problem(shown(folders), "", "", "expected a list of package folders"),)
        ) from None


def _is_file(path: Path) -> bool:
    """Whether *path* is a file; a path the system cannot even look up is not."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # too long, or a component is not readable
        return False


def _peek_code(path: Path) -> str:
    import tomllib

    try:
        raw = tomllib.loads(path.joinpath("package.toml").read_text("utf-8"))
        code = raw["package"]["code"]
        if isinstance(code, str) and code:
            return code.upper()
    except (tomllib.TOMLDecodeError, KeyError, TypeError, UnicodeDecodeError):
        pass
    return path.name.upper()


_default: Registry | None = None
_default_lock = threading.Lock()


def default_registry() -> Registry:
    """The process-wide registry of bundled and installed countries."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Registry.default()
    return _default


def validate_paths(folders: Iterable[str | Path]) -> list[Problem]:
    """Every problem in the given package folders (empty when all are valid)."""
    problems: list[Problem] = []
    for folder in _folder_list(folders):
        try:
            reg = Registry.from_paths(folder)
            for code in reg.countries():
                reg.load(code)
        except DataPackageError as e:
            problems.extend(e.problems)
    return problems
