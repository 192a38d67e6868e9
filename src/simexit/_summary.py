"""The plan in short, at the top of the text, Markdown and HTML formats.

A long plan is read on a phone; before its steps it says in a few lines
what to do now and what can wait.  The steps fall into up to three groups,
each a list of step numbers and titles, in plan order:

1. *now*: the urgent steps (blocking a lost or stolen line);
2. *before*: the other steps before the first step that ends the line
   (:data:`ENDS_THE_LINE`): what is lost with the number, the credit or the
   eSIM must be done first; the group is named for what ends (the number,
   or the eSIM for a travel eSIM);
3. *later*: the line's ending and everything after it.

A plan without a step that ends the line lists its other steps as *to do*.
A plan of fewer than :data:`SHORTEST` steps needs no summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ._locales import word
from ._plan import Plan
from ._situation import Card

#: The steps after which the number, its credit or the eSIM are gone.
ENDS_THE_LINE = frozenset(
    {"terminate-subscription", "port-number", "delete-esim-profile", "destroy-sim"}
)

#: Plans with fewer steps are short enough without a summary.
SHORTEST = 3


class Group(NamedTuple):
    """One group of the summary: its label and its steps (number, title).
    (A named tuple: an attrs class costs a fresh process more to build.)"""

    key: str
    label: str
    steps: tuple[tuple[int, str], ...]


def summary(plan: Plan) -> tuple[Group, ...]:
    """The groups of *plan*'s summary, in order; empty if it needs none."""
    if len(plan.steps) < SHORTEST:
        return ()
    loc = plan.locale
    numbered = list(enumerate(plan.steps, 1))
    end = next((i for i, s in numbered if s.id in ENDS_THE_LINE), None)
    now = [(i, s.title) for i, s in numbered if s.urgent]
    rest = [(i, s) for i, s in numbered if not s.urgent]
    if end is None:
        parts = [("now", now), ("todo", [(i, s.title) for i, s in rest])]
    else:
        before = "before-esim" if plan.situation.card is Card.TRAVEL_ESIM else "before"
        parts = [
            ("now", now),
            (before, [(i, s.title) for i, s in rest if i < end]),
            ("later", [(i, s.title) for i, s in rest if i >= end]),
        ]
    return tuple(
        Group(key, word(loc, "labels", f"summary-{key}"), tuple(items))
        for key, items in parts
        if items
    )


def summary_text(
    plan: Plan,
    heading: Callable[[str], None],
    para: Callable[[str, str, str], None],
) -> None:
    """Write the summary of *plan* with the text renderer's *heading* and
    *para* (text, indent, hanging indent)."""
    groups = summary(plan)
    if not groups:
        return
    loc = plan.locale
    heading(word(loc, "labels", "summary"))
    colon = word(loc, "format", "colon").rstrip()
    for group in groups:
        para(group.label + colon, "", "")
        for n, title in group.steps:
            para(f"{n}. {title}", "  ", "  " + " " * (len(str(n)) + 2))


def summary_markdown(plan: Plan, escape: Callable[[str], str]) -> list[str]:
    """The Markdown lines of *plan*'s summary (none if it needs none), text
    made safe with *escape*."""
    groups = summary(plan)
    if not groups:
        return []
    loc = plan.locale
    colon = word(loc, "format", "colon").rstrip()
    out = [f"## {word(loc, 'labels', 'summary')}", ""]
    for group in groups:
        out += [f"**{escape(group.label)}**{colon}", ""]
        out += [f"{n}. {escape(title)}" for n, title in group.steps]
        out.append("")
    return out
