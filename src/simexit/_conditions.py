"""The condition language of data packages: parse, validate, explain, compile.

Conditions are data, never code.  A condition is parsed from a TOML table
into a small tree of frozen objects, validated against the fields a Situation
has, and compiled into closures over that tree.  Nothing from a data file is
ever evaluated as Python: strings stay strings and are only ever compared.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, Union

import attrs

from ._methods import methods
from ._situation import (
    SERVICES,
    Billing,
    Card,
    Device,
    Location,
    _Named,
    parse_plain_decimal,
)


class _OperatorKind(_Named):  # mirrors _model.OperatorKind without a cycle
    MOBILE_OPERATOR = "mobile_operator"
    TRAVEL_ESIM_SELLER = "travel_esim_seller"
    AUTHORITY = "authority"


class _OperatorStatus(_Named):
    ACTIVE = "active"
    DEFUNCT = "defunct"


#: field name -> kind of value: an enum class, "bool", "money", "operator" or
#: "services" (a set of ids from SERVICES, tested with ``contains``).
FIELDS: dict[str, type[_Named] | str] = {
    "operator": "operator",
    "operator_kind": _OperatorKind,
    "operator_status": _OperatorStatus,
    "card": Card,
    "billing": Billing,
    "arrears": "money",
    "balance": "money",
    "location": Location,
    "device": Device,
    "registered_owner": "bool",
    "has_id_document": "bool",
    "keep_number": "bool",
    "linked_accounts": "bool",
    "autopay": "bool",
    "other_esim_profiles": "bool",
    "accounts": "services",
}

OPERATORS = ("equals", "one_of", "greater_than", "less_than", "unknown", "contains")
COMBINATORS = ("all", "any", "not")


@methods()
@attrs.frozen(repr=False, eq=False)
class Compare:
    """An atom: one field compared with one value (or tested for unknown)."""

    field: str
    op: str
    value: Any


@methods()
@attrs.frozen(repr=False, eq=False)
class All:
    items: tuple[Condition, ...]


@methods()
@attrs.frozen(repr=False, eq=False)
class AnyOf:
    items: tuple[Condition, ...]


@methods()
@attrs.frozen(repr=False, eq=False)
class Not:
    item: Condition


Condition = Union[Compare, All, AnyOf, Not]  # noqa: UP007  (runtime alias)


class ConditionError(Exception):
    """Raised by :func:`parse` with every problem found, as (path, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


def _did_you_mean(word: str, choices: Any) -> str:
    import difflib  # only for a mistake's message

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def parse(raw: Any) -> Condition:
    """Parse a condition table; raise :class:`ConditionError` listing problems."""
    problems: list[tuple[str, str]] = []
    cond = _parse(raw, "", problems)
    if problems or cond is None:
        raise ConditionError(problems or [("", "empty condition")])
    return cond


def _parse(raw: Any, path: str, problems: list[tuple[str, str]]) -> Condition | None:
    if not isinstance(raw, dict):
        problems.append((path, f"got {_describe(raw)}, expected a condition table"))
        return None
    if "field" not in raw:
        return _parse_combinator(raw, path, problems)
    field = raw["field"]
    ops = [k for k in raw if k != "field"]
    unknown = [k for k in ops if k not in OPERATORS]
    for k in unknown:
        problems.append(
            (
                _join(path, k),
                f"unknown comparison {k!r}{_did_you_mean(k, OPERATORS)}, "
                f"expected one of: {', '.join(OPERATORS)}",
            )
        )
    if unknown:
        return None
    if not isinstance(field, str) or field not in FIELDS:
        hint = _did_you_mean(field, FIELDS) if isinstance(field, str) else ""
        problems.append(
            (
                _join(path, "field"),
                f"unknown field {field!r}{hint}, expected one of: "
                + ", ".join(sorted(FIELDS)),
            )
        )
        return None
    if len(ops) != 1:
        problems.append((path, "expected exactly one of: " + ", ".join(OPERATORS)))
        return None
    op = ops[0]
    value = _parse_value(field, op, raw[op], _join(path, op), problems)
    if value is _INVALID:
        return None
    return Compare(field, op, value)


_INVALID = object()


def _parse_combinator(
    raw: dict[str, Any], path: str, problems: list[tuple[str, str]]
) -> Condition | None:
    keys = list(raw)
    if len(keys) != 1 or keys[0] not in COMBINATORS:
        bad = [k for k in keys if k not in COMBINATORS] or keys
        hint = _did_you_mean(bad[0], (*COMBINATORS, "field")) if bad else ""
        problems.append(
            (
                _join(path, bad[0]) if bad else path,
                f"unknown condition key {bad[0]!r}{hint}, expected 'field' "
                "with one comparison, or exactly one of: all, any, not"
                if bad
                else "empty condition",
            )
        )
        return None
    key = keys[0]
    inner = raw[key]
    if key == "not":
        item = _parse(inner, _join(path, "not"), problems)
        return None if item is None else Not(item)
    if not isinstance(inner, list) or not inner:
        problems.append(
            (_join(path, key), f"got {_describe(inner)}, expected a non-empty list")
        )
        return None
    items = [
        _parse(c, f"{_join(path, key)}[{i}]", problems) for i, c in enumerate(inner)
    ]
    if any(i is None for i in items):
        return None
    parsed = tuple(i for i in items if i is not None)
    return All(parsed) if key == "all" else AnyOf(parsed)


def _threshold(raw: Any) -> Decimal | None:
    """A money threshold: a plain decimal string (see Money) or an int."""
    if type(raw) is str:
        return parse_plain_decimal(raw)
    if type(raw) is int:
        return Decimal(raw)
    return None


def _parse_value(
    field: str, op: str, raw: Any, path: str, problems: list[tuple[str, str]]
) -> Any:
    kind = FIELDS[field]
    if op == "unknown":
        if isinstance(raw, bool):
            return raw
        problems.append((path, f"got {_describe(raw)}, expected true or false"))
        return _INVALID
    if kind == "services" or op == "contains":
        return _parse_service(field, op, raw, path, problems)
    if op in ("greater_than", "less_than"):
        if kind != "money":
            problems.append(
                (
                    path,
                    f"{op} works on money fields only (arrears, balance), "
                    f"not on {field!r}",
                )
            )
            return _INVALID
        number = _threshold(raw)
        if number is not None:
            return number
        problems.append(
            (path, f'got {_describe(raw)}, expected a number as a string, e.g. "0"')
        )
        return _INVALID
    if kind == "money":
        problems.append(
            (
                path,
                f"{op} does not work on money field {field!r}; "
                "use greater_than, less_than or unknown",
            )
        )
        return _INVALID
    if op == "one_of":
        if not isinstance(raw, list) or not raw:
            problems.append((path, f"got {_describe(raw)}, expected a non-empty list"))
            return _INVALID
        values = [
            _parse_scalar(kind, v, f"{path}[{i}]", problems) for i, v in enumerate(raw)
        ]
        if any(v is _INVALID for v in values):
            return _INVALID
        return tuple(values)
    return _parse_scalar(kind, raw, path, problems)


def _parse_service(
    field: str, op: str, raw: Any, path: str, problems: list[tuple[str, str]]
) -> Any:
    """``contains``: one service id, on a set field (``accounts``) only."""
    if FIELDS[field] != "services":
        problems.append((path, f"contains works on accounts only, not on {field!r}"))
        return _INVALID
    if op != "contains":
        problems.append(
            (path, f"{op} does not work on {field!r}; use contains or unknown")
        )
        return _INVALID
    if isinstance(raw, str) and raw in SERVICES:
        return raw
    hint = _did_you_mean(raw, SERVICES) if isinstance(raw, str) else ""
    problems.append(
        (path, f"got {raw!r}{hint}, expected one of: {', '.join(SERVICES)}")
    )
    return _INVALID


def _parse_scalar(
    kind: type[_Named] | str, raw: Any, path: str, problems: list[tuple[str, str]]
) -> Any:
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        problems.append((path, f"got {_describe(raw)}, expected true or false"))
        return _INVALID
    if kind == "operator":
        if isinstance(raw, str):
            return raw  # checked against the country's operators after loading
        problems.append((path, f"got {_describe(raw)}, expected an operator id"))
        return _INVALID
    assert isinstance(kind, type)
    allowed = [m.value for m in kind]
    if isinstance(raw, str) and raw in allowed:
        return raw
    hint = _did_you_mean(raw, allowed) if isinstance(raw, str) else ""
    problems.append((path, f"got {raw!r}{hint}, expected one of: {', '.join(allowed)}"))
    return _INVALID


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def atoms(cond: Condition) -> Iterator[Compare]:
    """Every comparison in *cond*, depth first."""
    if isinstance(cond, Compare):
        yield cond
    elif isinstance(cond, Not):
        yield from atoms(cond.item)
    else:
        for item in cond.items:
            yield from atoms(item)


# -- evaluation ---------------------------------------------------------------
#
# A context is a mapping from field name to a plain value: enum *values* (the
# lower-case strings), booleans, Decimals for money, or None for unknown.

Context = dict[str, Any]
Predicate = Callable[[Context], bool]


@functools.cache
def compile_condition(cond: Condition) -> Predicate:
    """Compile *cond* into a closure over its validated tree (memoised)."""
    if isinstance(cond, Compare):
        return _compile_compare(cond)
    if isinstance(cond, Not):
        inner = compile_condition(cond.item)
        return lambda ctx: not inner(ctx)
    parts = tuple(compile_condition(c) for c in cond.items)
    if isinstance(cond, All):
        return lambda ctx: all(p(ctx) for p in parts)
    return lambda ctx: any(p(ctx) for p in parts)


def _compile_compare(cond: Compare) -> Predicate:
    field, value = cond.field, cond.value
    if cond.op == "unknown":
        if value:
            return lambda ctx: ctx[field] is None
        return lambda ctx: ctx[field] is not None
    if cond.op == "equals":
        return lambda ctx: ctx[field] == value
    if cond.op == "one_of":
        options = frozenset(value)
        return lambda ctx: ctx[field] in options
    if cond.op == "contains":
        return lambda ctx: ctx[field] is not None and value in ctx[field]
    if cond.op == "greater_than":
        return lambda ctx: ctx[field] is not None and ctx[field] > value
    assert cond.op == "less_than"
    return lambda ctx: ctx[field] is not None and ctx[field] < value


def evaluate(cond: Condition, ctx: Context) -> bool:
    """Evaluate *cond* directly (used for explanations; hot paths compile)."""
    return compile_condition(cond)(ctx)


def explain(cond: Condition, ctx: Context, want: bool) -> list[tuple[Compare, bool]]:
    """The atoms that make *cond* evaluate to *want*, each with its own outcome."""
    if isinstance(cond, Compare):
        return [(cond, want)]
    if isinstance(cond, Not):
        return explain(cond.item, ctx, not want)
    out: list[tuple[Compare, bool]] = []
    conj = isinstance(cond, All)
    for item in cond.items:
        held = evaluate(item, ctx)
        # all=True / any=False: every item explains; otherwise the ones that decide
        if (conj == want) or held == want:
            out.extend(explain(item, ctx, want))
    return out


@functools.cache
def fields_of(cond: Condition) -> tuple[str, ...]:
    """The fields *cond* looks at, sorted."""
    return tuple(sorted({a.field for a in atoms(cond)}))


def money_thresholds(conds: Any) -> dict[str, tuple[Decimal, ...]]:
    """Every threshold each money field is compared with, sorted."""
    found: dict[str, set[Decimal]] = {}
    for cond in conds:
        for atom in atoms(cond):
            if atom.op in ("greater_than", "less_than"):
                found.setdefault(atom.field, set()).add(atom.value)
    return {k: tuple(sorted(v)) for k, v in found.items()}
