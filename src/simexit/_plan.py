"""What :func:`simexit.plan_for` returns: a Plan of ordered, explained Steps."""

from __future__ import annotations

import datetime as dt

import attrs

from ._methods import methods
from ._model import Channel, Confidence, Source, StaffNote, StepKind
from ._situation import Situation, plain_str


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Notice:
    """A warning or a blocker, in the plan's locale, with its sources."""

    id: str
    text: str
    sources: tuple[Source, ...] = ()
    #: The ids of the steps it concerns (a blocker: the steps it blocks).
    steps: tuple[str, ...] = ()


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Excluded:
    """A step that was considered and left out, and why."""

    id: str
    reason: str


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Step:
    """One thing to do, why, how, and how sure we are."""

    id: str
    kind: StepKind
    urgent: bool
    title: str
    detail: str
    channel: Channel | None
    alternatives: tuple[Channel, ...]
    preconditions: tuple[str, ...]
    show_staff: StaffNote | None
    after: tuple[str, ...]
    because: tuple[str, ...]
    #: The ids of the rules that put the step in the plan, one per sentence
    #: of *because*, in the same order (rule id order); the sentences of a
    #: due day (one per window that dates it) follow them.  Every step of a
    #: plan has at least one; the default is for steps made by hand.
    rules: tuple[str, ...] = ()
    sources: tuple[Source, ...]
    confidence: Confidence
    #: The last day to do it, from a sourced window in the data (see
    #: ``simexit._due``); None when no window applies or its day is unknown.
    due: dt.date | None = None


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Plan:
    """An ordered, explained plan for one situation."""

    situation: Situation
    locale: str
    today: dt.date
    steps: tuple[Step, ...]
    warnings: tuple[Notice, ...]
    blockers: tuple[Notice, ...]
    excluded: tuple[Excluded, ...]
    data_as_of: dt.date
    data_version: str
    #: The ids of the steps done (``plan_for(..., done=...)``) that the plan
    #: has, in plan order; they are not in ``steps``.
    done: tuple[str, ...] = ()

    def step(self, step_id: str) -> Step | None:
        """The step called *step_id*, or None if the plan has none."""
        wanted = plain_str(step_id)
        for s in self.steps:
            if s.id == wanted:
                return s
        return None

    @property
    def step_ids(self) -> tuple[str, ...]:
        """The ids of the steps, in order."""
        return tuple(s.id for s in self.steps)


__all__ = ["Excluded", "Notice", "Plan", "Step"]
