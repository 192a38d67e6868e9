"""Progress: a plan seen after some of its steps are done.

The planner decides the whole plan; :func:`mark_done` derives what is left
of it once the steps a caller names are done, so a program (a chat bot, a
support desk) can re-plan after every answer holding no state but the ids.
Deriving it after the plan is decided keeps the planner and the memo layer
untouched: a plan with steps done is the full plan, then this function.

What is left, exactly:

- ``steps``: the plan's steps without the done ones, in the same order,
  each with its explanation (``because``, ``rules``) as in the full plan;
- ``after``: a done step no longer has to come first, so its id is removed
  from every remaining step's ``after`` (which keeps naming only steps in
  ``steps``);
- ``blockers`` and ``warnings``: a notice that concerns steps (its
  ``steps`` is not empty) lists only the remaining ones, and is left out
  once all of them are done: a blocker about a done step no longer blocks
  anything.  Its text is the full plan's (a warning listing several step
  titles may still name a done one).  A notice about the whole plan
  (empty ``steps``) stays;
- ``excluded``, the situation, the dates: unchanged;
- ``done``: the named ids the full plan has, in plan order.  An id the
  plan does not have (a step left out, a typo, a step of another country)
  is ignored, so re-planning with ids from an older plan is safe.
"""

from __future__ import annotations

from collections.abc import Collection

import attrs

from ._plan import Notice, Plan
from ._situation import plain_str
from .exceptions import InvalidSituationError

#: What ``plan_for(..., done=...)`` accepts: step ids.
Done = frozenset[str] | set[str] | tuple[str, ...] | list[str]

#: What ``done`` must be, as the error says.
DONE_ALLOWED = "a set, frozenset, tuple or list of step ids (str)"


def done_ids(value: object) -> frozenset[str]:
    """*value*, the ``done`` argument, as a frozenset of step ids.

    Raises :class:`InvalidSituationError` naming ``done`` unless it is a
    set, frozenset, tuple or list whose items are all text (text itself, a
    dict or an iterator is refused: each means something else).
    """
    if type(value) is frozenset and not value:
        return value  # the default: nothing done
    if not isinstance(value, set | frozenset | tuple | list):
        raise InvalidSituationError("done", value, DONE_ALLOWED)
    ids: list[str] = []
    for item in value:
        text = plain_str(item)
        if text is None:
            raise InvalidSituationError("done", value, DONE_ALLOWED)
        ids.append(text)
    return frozenset(ids)


def mark_done(plan: Plan, done: Collection[str]) -> Plan:
    """*plan* once the steps *done* are done (see the module's docstring)."""
    if not done:
        return plan
    finished = tuple(s.id for s in plan.steps if s.id in done)
    if not finished:
        return plan
    gone = frozenset(finished)
    steps = tuple(
        attrs.evolve(s, after=tuple(a for a in s.after if a not in gone))
        if gone.intersection(s.after)
        else s
        for s in plan.steps
        if s.id not in gone
    )
    return attrs.evolve(
        plan,
        steps=steps,
        warnings=_left(plan.warnings, gone),
        blockers=_left(plan.blockers, gone),
        done=finished,
    )


def _left(notices: tuple[Notice, ...], gone: frozenset[str]) -> tuple[Notice, ...]:
    """*notices* about the steps not *gone*: narrowed, or left out once
    every step a notice concerns is gone; *notices* itself if none is."""
    out: list[Notice] = []
    changed = False
    for n in notices:
        if not gone.intersection(n.steps):
            out.append(n)
            continue
        changed = True
        remaining = tuple(i for i in n.steps if i not in gone)
        if remaining:
            out.append(attrs.evolve(n, steps=remaining))
    return tuple(out) if changed else notices


__all__ = ["DONE_ALLOWED", "Done", "done_ids", "mark_done"]
