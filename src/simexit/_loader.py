"""Read data packages, validate them completely, and discover countries.

One direction of flow: TOML files -> strict cattrs structuring -> cross-file
checks -> a typed :class:`~simexit.Country`.  Every problem is collected and
raised at once in a single :class:`~simexit.DataPackageError`.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._conditions import Condition, _did_you_mean, atoms
from ._model import (
    Channel,
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


def _read_toml(node: Traversable, rel: str, col: _Collector) -> dict[str, Any] | None:
    if not node.is_file():
        return None
    try:
        text = node.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        col.add(rel, "", f"not UTF-8 text: {e.reason} at byte {e.start}")
        col.unparsed.add(rel)
        return {}
    col.texts[rel] = text
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        col.add(rel, "", f"invalid TOML: {msg}", line)
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
    for rel in _FILES:
        raw = _read_toml(folder.joinpath(rel), rel, col)
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
                tables[kind].update(items)
                origin.update({(kind, k): rel for k in items})
    operators: dict[str, Operator] = {}
    ops_dir = folder.joinpath("operators")
    if ops_dir.is_dir():
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
            raw = _read_toml(entry, rel, col)
            op = _read_operator(raw, op_id, rel, col) if raw else None
            if op is not None:
                operators[op_id] = op
                origin[("operators", op_id)] = rel
            else:
                col.broken.add(("operators", op_id))
    return _Package(name, info, tables, operators, origin, vocabulary, col.texts)


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
    return attrs.evolve(
        op,
        channels=parts.get("channels", {}),
        preconditions=parts.get("preconditions", {}),
        procedures=parts.get("procedures", {}),
        facts=parts.get("facts", {}),
    )


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

    for key, fact in merged["facts"].items():
        c, rel = where(owner[("facts", key)], "facts", key)
        check_sources(c, rel, f"facts.{key}", fact.sources, claim=False, required=True)
        check_step(c, rel, f"facts.{key}.step", fact.step)
        check_condition(c, rel, f"facts.{key}", fact.when)
    vocab = core.vocabulary
    if vocab is not None:
        for key in sorted(set(REQUIRED_TEMPLATES) - set(vocab.templates)):
            core_col.add("vocabulary.toml", f"templates.{key}", "required key missing")
        for key, allowed in TEMPLATE_FIELDS.items():
            text = vocab.templates.get(key)
            for loc, attr in (
                ("en", "en"),
                ("zh-Hans", "zh_hans"),
                ("zh-Hant", "zh_hant"),
            ):
                why = (
                    None
                    if text is None
                    else _template_problem(getattr(text, attr), allowed)
                )
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
            check_sources(c, rel, path, fact.sources, claim=False, required=True)
            if (
                fact.valid_from
                and fact.valid_until
                and fact.valid_from >= fact.valid_until
            ):
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
    import importlib_resources

    return importlib_resources.files("simexit").joinpath("data")


def _is_package(folder: Traversable) -> bool:
    return folder.is_dir() and folder.joinpath("package.toml").is_file()


class Registry:
    """The countries available to :func:`simexit.plan_for`.

    Countries are loaded, validated and compiled once, on first use, under a
    lock; afterwards every call reads immutable data only.
    """

    def __init__(
        self,
        core: Traversable,
        providers: dict[str, list[tuple[str, Traversable]]],
    ) -> None:
        self._core_folder = core
        self._providers = providers
        self._lock = threading.RLock()
        self._core: _Package | None = None
        self._core_col: _Collector | None = None
        self._countries: dict[str, Country] = {}
        self._engines: dict[str, CompiledCountry] = {}

    @classmethod
    def default(cls) -> Registry:
        """Bundled countries plus those installed through entry points."""
        import importlib_resources

        from ._entrypoints import entry_points

        providers: dict[str, list[tuple[str, Traversable]]] = {}
        root = _bundled()
        for entry in sorted(root.iterdir(), key=lambda e: e.name):
            if entry.name != CORE and _is_package(entry):
                providers.setdefault(entry.name.upper(), []).append(
                    (f"simexit (bundled {entry.name})", entry)
                )
        for name, value in sorted(entry_points(ENTRY_POINT_GROUP)):
            try:
                folder = importlib_resources.files(value)
            except (ImportError, TypeError, ValueError) as e:
                raise DataPackageError(
                    (
                        Problem(
                            name.upper(),
                            "",
                            "",
                            f"entry point {value!r} cannot be imported: {e}",
                        ),
                    )
                ) from None
            providers.setdefault(name.upper(), []).append(
                (f"entry point {name} = {value}", folder)
            )
        return cls(root.joinpath(CORE), providers)

    @classmethod
    def from_paths(cls, *folders: str | Path) -> Registry:
        """The core data plus the country folders given (for package authors)."""
        providers: dict[str, list[tuple[str, Traversable]]] = {}
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
        """ISO codes of every country this registry provides, sorted."""
        self._check_conflicts()
        return tuple(sorted(self._providers))

    def _check_conflicts(self) -> None:
        problems = [
            Problem(
                code,
                "",
                "",
                "provided by more than one package: " + "; ".join(n for n, _ in found),
            )
            for code, found in sorted(self._providers.items())
            if len(found) > 1
        ]
        if problems:
            raise DataPackageError(tuple(problems))

    def _folder(self, code: Any) -> tuple[str, Traversable]:
        text = plain_str(code)
        key = text.strip().upper() if text is not None else None
        if key is None or key not in self._providers:
            raise UnknownCountryError(
                shown(code) if text is None else text, self.countries()
            )
        self._check_conflicts()
        return self._providers[key][0]

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
        from ._datacache import DataCache  # validated data, kept like bytecode

        cache = DataCache.locate(self._core_folder, folder, code)
        country = cache.read(code) if cache is not None else None
        if country is None:
            country = self._read(code, folder)
            if cache is not None:
                cache.write(country)
        return country

    def _read(self, code: str, folder: Traversable) -> Country:
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
