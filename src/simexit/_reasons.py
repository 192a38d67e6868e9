"""Why a step is in a plan, or left out: conditions told in words.

A rule's condition is explained by the atoms that decide its outcome
(:func:`simexit._conditions.explain`), each told as a phrase from the
vocabulary's templates ("the card is an eSIM", "arrears are unknown").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ._conditions import Compare, Condition, Context, explain
from ._model import Country


def reasons(
    country: Country,
    conditions: Sequence[Condition],
    ctx: Context,
    loc: str,
    *,
    want: bool,
) -> str:
    """Why *conditions* evaluate to *want* in *ctx*: the phrases of the atoms
    that decide it, each once, in order, joined."""
    phrases: list[str] = []
    for cond in conditions:
        for atom, outcome in explain(cond, ctx, want):
            said = phrase(country, atom, outcome, ctx, loc)
            if said not in phrases:
                phrases.append(said)
    return country.vocabulary.templates["join"].get(loc).join(phrases)


def phrase(
    country: Country, atom: Compare, outcome: bool, ctx: Context, loc: str
) -> str:
    """One atom, told as the situation stands.

    An unknown value reads "unknown"; a money threshold names the
    threshold, never the amount; a test that holds, or a yes/no one, reads
    as the answer given; a test that fails lists what was expected.
    """
    v = country.vocabulary
    t = v.templates
    field = v.fields[atom.field].get(loc) if atom.field in v.fields else atom.field
    actual = ctx[atom.field]
    if atom.op == "unknown":
        is_unknown = outcome if atom.value else not outcome
        return t["unknown" if is_unknown else "known"].get(loc).format(field=field)
    if actual is None:
        return t["unknown"].get(loc).format(field=field)
    if atom.op in ("greater_than", "less_than"):
        name = atom.op if outcome else f"not_{atom.op}"
        return t[name].get(loc).format(field=field, value=atom.value)
    if outcome or isinstance(actual, bool):
        said = atom.value if atom.op == "contains" else actual  # not the whole set
        shown = value_text(country, atom.field, said, loc)
        return t["equals"].get(loc).format(field=field, value=shown)
    values = atom.value if atom.op == "one_of" else (atom.value,)
    shown = (
        t["or"].get(loc).join(value_text(country, atom.field, x, loc) for x in values)
    )
    return t["not_equals"].get(loc).format(field=field, value=shown)


def value_text(country: Country, field: str, value: Any, loc: str) -> str:
    """A field's value in words: yes/no, the operator's name, or its label."""
    v = country.vocabulary
    if isinstance(value, bool):
        return v.values["bool"][str(value).lower()].get(loc)
    if field == "operator":
        op = country.operators.get(value)
        return op.name if op else str(value)
    text = v.values.get(field, {}).get(str(value))
    return text.get(loc) if text else str(value)
