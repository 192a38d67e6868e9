"""Why a step is in a plan, or left out: conditions told in words.

A rule's condition is explained by the atoms that decide its outcome
(:func:`simexit._conditions.explain`), each told as a person would say it:
the vocabulary's ``[says]`` phrases ("you hold {value}", "we don't know
whether you owe money"), or, for a field without one, its generic templates
("{field}: {value}").  The phrases of one rule make one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
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
    that decide it, each once, in order, joined into one sentence."""
    phrases: list[str] = []
    for cond in conditions:
        for atom, outcome in explain(cond, ctx, want):
            said = phrase(country, atom, outcome, ctx, loc)
            if said not in phrases:
                phrases.append(said)
    if not phrases:
        return ""
    t = country.vocabulary.templates
    text = t["join"].get(loc).join(phrases)
    return t["sentence"].get(loc).format(text=text[:1].upper() + text[1:])


def phrase(
    country: Country, atom: Compare, outcome: bool, ctx: Context, loc: str
) -> str:
    """One atom, told as the situation stands.

    With a ``[says]`` phrase for the field (:func:`said`), the situation is
    told as it is; otherwise in the generic templates: an unknown value
    reads "unknown"; a money threshold names the threshold, never the
    amount; a test that holds, or a yes/no one, reads as the answer given;
    a test that fails lists what was expected.
    """
    own = said(country, atom, outcome, ctx, loc)
    if own is not None:
        return own
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
        told = atom.value if atom.op == "contains" else actual  # not the whole set
        shown = value_text(country, atom.field, told, loc)
        return t["equals"].get(loc).format(field=field, value=shown)
    values = atom.value if atom.op == "one_of" else (atom.value,)
    shown = (
        t["or"].get(loc).join(value_text(country, atom.field, x, loc) for x in values)
    )
    return t["not_equals"].get(loc).format(field=field, value=shown)


def said(
    country: Country, atom: Compare, outcome: bool, ctx: Context, loc: str
) -> str | None:
    """The atom in the field's own ``[says]`` phrase, or None without one.

    What is told is the situation, not the test: "we don't know whether
    you owe money", "you owe money" (a threshold of zero) or "you owe more
    than 5"; a yes/no field by its answer; any other field by its actual
    value ("you hold an operator eSIM", also when the test was for
    another card: that is why it fails).
    """
    phrases = country.vocabulary.says.get(atom.field)
    if not phrases:
        return None
    actual = ctx[atom.field]
    key: str
    value: Any = None
    if atom.op == "unknown":
        is_unknown = outcome if atom.value else not outcome
        key = "unknown" if is_unknown else "known"
    elif actual is None:
        key = "unknown"
    elif atom.op == "contains":  # a set field: the member tested, not the set
        key = "contains" if outcome else "not_contains"
        value = value_text(country, atom.field, atom.value, loc)
    elif atom.op in ("greater_than", "less_than"):
        key = atom.op if outcome else f"not_{atom.op}"
        value = atom.value
        if atom.op == "greater_than" and Decimal(value) == 0:
            key = "positive" if outcome else "not_positive"
    elif isinstance(actual, bool):
        key = str(actual).lower()
    else:
        key, value = "equals", value_text(country, atom.field, actual, loc)
    text = phrases.get(key)
    return None if text is None else text.get(loc).format(value=value)


def value_text(country: Country, field: str, value: Any, loc: str) -> str:
    """A field's value in words: yes/no, the operator's name, or its label."""
    v = country.vocabulary
    if isinstance(value, bool):
        return v.values["bool"][str(value).lower()].get(loc)
    if field == "operator":
        op = country.operators.get(value)
        return op.name_in(loc) if op else str(value)
    text = v.values.get(field, {}).get(str(value))
    return text.get(loc) if text else str(value)
