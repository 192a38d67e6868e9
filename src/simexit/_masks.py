"""Many conditions compiled into one function that returns a bit mask.

The memo layer asks, for a new plan, which of a country's guards (the
conditions on procedures, facts and notices) hold.  Asked one by one through
:func:`simexit._conditions.compile_condition`, each is a chain of closures
over a context dictionary that has to be built first; :func:`compile_mask`
instead writes one small Python function for all of them, reading the
situation's attributes directly, and returns it: bit *i* of its result is
condition *i*'s outcome.

Data is never executed.  The source of the generated function is built from
the validated condition tree (:mod:`simexit._conditions` has parsed and
checked every field, comparison and value) and from nothing else:

- a field becomes an attribute access taken from :data:`_READ`, a table
  written here; a field not in it is refused (``ValueError``), so no name
  from a data file is ever spelled into the source;
- a comparison becomes one of the fixed fragments below;
- a value (an operator id, a service id, a threshold, an enum member) never
  enters the source at all: it is bound in the function's namespace under a
  name the compiler makes up (``_v0``, ``_v1``, ...), and the source refers
  to that name.  The only data-derived text is those counters, formatted
  from ints, and field names, which must be keys of :data:`_READ` and are
  written with ``repr`` only in error messages.

So a hostile id (quotes, newlines, ``__import__``) is compared as the string
it is; ``tests/test_masks.py`` proves it, and that every mask agrees with
``compile_condition`` on generated situations.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ._conditions import FIELDS, All, AnyOf, Compare, Condition, Not
from ._situation import Situation

#: A compiled mask: (situation, operator kind value, operator status value)
#: -> the bits of the conditions that hold.
Mask = Callable[[Situation, "str | None", "str | None"], int]

#: How the generated code reads each field, as planner.context sees it.
#: Enum fields read the member (compared by identity with the member whose
#: value the condition names); the operator's kind and status are passed in
#: as their values.
_READ: dict[str, str] = {
    "operator": "s.operator",
    "operator_kind": "kind",
    "operator_status": "status",
    "card": "s.card",
    "billing": "s.billing",
    "arrears": "s.arrears",
    "balance": "s.balance",
    "location": "s.location",
    "device": "s.device",
    "registered_owner": "s.registered_owner",
    "has_id_document": "s.has_id_document",
    "keep_number": "s.keep_number",
    "linked_accounts": "s.linked_accounts",
    "autopay": "s.autopay",
    "other_esim_profiles": "s.other_esim_profiles",
    "accounts": "s.accounts",
}
#: Fields whose situation attribute is an enum member (context: its value).
_MEMBERS = frozenset({"card", "billing", "location", "device"})
#: Money fields: the attribute is a Money (context: its amount).
_MONEY = frozenset({"arrears", "balance"})


class _Writer:
    """The source of one mask function, and the values it names."""

    def __init__(self) -> None:
        self.namespace: dict[str, Any] = {}

    def name(self, value: Any) -> str:
        """A made-up name bound to *value* in the namespace."""
        made = f"_v{len(self.namespace):d}"
        self.namespace[made] = value
        return made

    def expr(self, cond: Condition) -> str:
        """*cond* as a Python expression over the fixed names."""
        if isinstance(cond, Compare):
            return self.compare(cond)
        if isinstance(cond, Not):
            return f"(not {self.expr(cond.item)})"
        joiner = " and " if isinstance(cond, All) else " or "
        assert isinstance(cond, All | AnyOf)
        return "(" + joiner.join(self.expr(c) for c in cond.items) + ")"

    def compare(self, cond: Compare) -> str:
        field, op, value = cond.field, cond.op, cond.value
        if field not in _READ or field not in FIELDS:
            raise ValueError(f"cannot compile a condition on field {field!r}")
        read = _READ[field]
        if op == "unknown":
            return f"({read} is None)" if value else f"({read} is not None)"
        if field in _MONEY:
            cmp = {"greater_than": ">", "less_than": "<"}[op]
            return f"({read} is not None and {read}.amount {cmp} {self.name(value)})"
        if op == "contains":
            return f"({read} is not None and {self.name(value)} in {read})"
        kind = FIELDS[field]
        values = tuple(value) if op == "one_of" else (value,)
        if field in _MEMBERS:
            assert isinstance(kind, type)
            # The member itself: `is` against a tuple of members is what
            # `ctx[field] in values` is on their values, at C speed.
            values = tuple(kind(v) for v in values)
        if op == "equals":
            if field in _MEMBERS:
                return f"({read} is {self.name(values[0])})"
            return f"({read} == {self.name(values[0])})"
        assert op == "one_of"
        return f"({read} in {self.name(values)})"


def compile_mask(conditions: Sequence[Condition]) -> Mask:
    """One function returning the bits of the *conditions* that hold.

    Bit ``1 << i`` of ``mask(situation, kind, status)`` is set when
    ``conditions[i]`` holds for the situation whose operator has *kind* and,
    on the day, *status* (their values, None without an operator).
    """
    w = _Writer()
    lines = ["def mask(s, kind, status):", "    m = 0"]
    for i, cond in enumerate(conditions):
        lines.append(f"    if {w.expr(cond)}:")
        lines.append(f"        m |= {1 << i:d}")
    lines.append("    return m")
    # The source holds fixed text, counters and names from _READ only (see
    # the module's docstring).  The values are the function's globals, with
    # no builtins: it needs none.
    scope: dict[str, Any] = {"__builtins__": {}, **w.namespace}
    exec(compile("\n".join(lines), "<simexit mask>", "exec"), scope)
    fn: Mask = scope["mask"]
    return fn


__all__ = ["Mask", "compile_mask"]
