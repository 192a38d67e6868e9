"""Checks of the core vocabulary's words: every template the engine fills
is defined and uses only the placeholders it is given; every ``[says]``
phrase is about a known field and outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._merge import Merged

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
    "ask_through",
    "no_channel",
    "operator_needed",
    "if_nothing_done",
    "consequence_unknown",
    "operator_unknown",
    "unverified",
    "stale",
    "defunct",
    "claim",
    "sentence",
    "due",
    "anchor_bought_on",
    "anchor_leaving_on",
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
    "ask_through": frozenset({"operator", "channels"}),
    "no_channel": frozenset({"step", "operator"}),
    "if_nothing_done": frozenset({"consequences"}),
    "unverified": frozenset({"steps"}),
    "stale": frozenset({"steps"}),
    "defunct": frozenset({"operator", "date"}),
    "claim": frozenset({"claim", "correction"}),
    "sentence": frozenset({"text"}),
    "due": frozenset({"name", "length", "anchor", "source", "date"}),
}

#: The outcomes a ``[says.<field>]`` phrase may be given for, and the
#: placeholders each gets (see :func:`simexit._reasons.phrase`).
SAYS_KEYS: dict[str, frozenset[str]] = {
    "equals": frozenset({"value"}),
    "unknown": frozenset(),
    "known": frozenset(),
    "true": frozenset(),
    "false": frozenset(),
    "positive": frozenset(),
    "not_positive": frozenset(),
    "greater_than": frozenset({"value"}),
    "not_greater_than": frozenset({"value"}),
    "less_than": frozenset({"value"}),
    "not_less_than": frozenset({"value"}),
    "contains": frozenset({"value"}),
    "not_contains": frozenset({"value"}),
}


def check_templates(m: Merged) -> None:
    """The core vocabulary defines every template the engine fills, and each
    uses only the placeholders the engine gives it."""
    vocab = m.core.vocabulary
    if vocab is None:
        return
    col = m.core_col
    for key in sorted(set(REQUIRED_TEMPLATES) - set(vocab.templates)):
        col.add("vocabulary.toml", f"templates.{key}", "required key missing")
    for key, allowed in TEMPLATE_FIELDS.items():
        text = vocab.templates.get(key)
        if text is None:
            continue
        for loc, value in text.texts.items():
            why = template_problem(value, allowed)
            if why is not None:
                col.add("vocabulary.toml", f"templates.{key}.{loc}", why)
    check_says(m)


def check_says(m: Merged) -> None:
    """Each ``[says]`` phrase is about a known field and outcome, and uses
    only the placeholders the engine gives it."""
    from ._conditions import FIELDS

    vocab = m.core.vocabulary
    assert vocab is not None
    col = m.core_col
    for field, phrases in vocab.says.items():
        if field not in FIELDS:
            col.add("vocabulary.toml", f"says.{field}", "not a condition field")
        for key, text in phrases.items():
            path = f"says.{field}.{key}"
            allowed = SAYS_KEYS.get(key)
            if allowed is None:
                expected = ", ".join(SAYS_KEYS)
                col.add(
                    "vocabulary.toml", path, f"unknown outcome, expected: {expected}"
                )
                continue
            for loc, value in text.texts.items():
                why = template_problem(value, allowed)
                if why is not None:
                    col.add("vocabulary.toml", f"{path}.{loc}", why)


def template_problem(text: str, allowed: frozenset[str]) -> str | None:
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


__all__ = [
    "REQUIRED_TEMPLATES",
    "SAYS_KEYS",
    "TEMPLATE_FIELDS",
    "check_says",
    "check_templates",
    "template_problem",
]
