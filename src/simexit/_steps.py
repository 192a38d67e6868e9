"""How the planner writes one step: procedure, channel, blocker, confidence.

:func:`make_step` reads top to bottom: the operator's way of doing the step
(:func:`method_for`: its procedure in force, the preconditions, the channel
chosen by :func:`choose_channels`, or the blocker of :func:`blocker_for`),
the facts the step states (:func:`facts_for`), then its sources,
:func:`confidence` and freshness (:func:`fresh_until`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ._model import (
    Channel,
    Confidence,
    Country,
    Fact,
    FactLike,
    Operator,
    Precondition,
    Procedure,
    Requirement,
    StepDefinition,
    derived_confidence,
)
from ._plan import Notice, Step
from ._situation import Device, Location, Situation

if TYPE_CHECKING:
    from ._planner import Case, Prepared, RuledStep


#: A fact not verified again for this many months is stale.
STALE_MONTHS = 18


class MadeStep(NamedTuple):
    """A step as made for a plan, with what the plan needs beside it."""

    step: Step
    #: Why its procedure cannot be carried out, when no channel can be used.
    blocker: Notice | None
    #: The last day every date it rests on is fresh; None if it rests on none.
    fresh_until: dt.date | None

    def stale_on(self, day: dt.date) -> bool:
        """Whether some date the step rests on is stale on *day*."""
        return self.fresh_until is not None and day > self.fresh_until


def make_step(
    prepared: Prepared,
    ruled: RuledStep,
    because: tuple[str, ...],
    case: Case,
    present: Collection[str],
) -> MadeStep:
    """The step *ruled* as it reads in this plan.

    *because* explains why it is in; *present* holds the ids of the plan's
    steps (its ``after`` keeps those only).
    """
    country, sd, loc = prepared.country, ruled.definition, case.locale
    method = method_for(prepared, sd, case) if sd.needs_operator else None
    facts = facts_for(prepared, sd.id, case)
    stated: list[FactLike] = [*(method.stated if method else ()), *facts]
    detail = [sd.detail.get(loc)]
    if method is not None and method.note is not None:
        detail.append(method.note)
    detail.extend(f.text.get(loc) for f in facts)
    source_ids = [*sd.sources, *(i for item in stated for i in item.sources)]
    choice = method.choice if method else _NO_CHANNELS
    step = Step(
        id=sd.id,
        kind=sd.kind,
        urgent=sd.urgent,
        title=sd.title.get(loc),
        detail="\n".join(detail),
        channel=choice.chosen,
        alternatives=choice.alternatives,
        preconditions=tuple(p.text.get(loc) for p in method.preconditions)
        if method
        else (),
        show_staff=method.procedure.show_staff if method and method.procedure else None,
        after=tuple(a for a in sd.after if a in present),
        because=because,
        sources=tuple(country.sources[i] for i in dict.fromkeys(source_ids)),
        confidence=confidence(country, sd, method, stated),
    )
    blocker = method.blocker if method else None
    return MadeStep(step, blocker, fresh_until(country, sd, stated))


# -- the operator's way of doing a step ---------------------------------------


class Failure(NamedTuple):
    """A channel that cannot be used, and the requirements it fails."""

    channel: Channel
    unmet: tuple[Requirement, ...]


class ChannelChoice(NamedTuple):
    """The channels of a procedure, sorted into usable and failed."""

    #: Usable channels, best first: those sure to work, then those that work
    #: if something unknown turns out well; each in the procedure's order.
    usable: tuple[Channel, ...] = ()
    failed: tuple[Failure, ...] = ()

    @property
    def chosen(self) -> Channel | None:
        """The channel the step shows: the first usable one."""
        return self.usable[0] if self.usable else None

    @property
    def alternatives(self) -> tuple[Channel, ...]:
        return self.usable[1:]


_NO_CHANNELS = ChannelChoice()


class Method(NamedTuple):
    """How the operator carries out a step, as far as the data says."""

    #: The procedure in force; None when nobody can say how (see *note*).
    procedure: Procedure | None
    #: A line for the step's detail: the procedure's own, or why it is unknown.
    note: str | None
    #: The procedure's preconditions in force.
    preconditions: tuple[Precondition, ...] = ()
    choice: ChannelChoice = _NO_CHANNELS
    blocker: Notice | None = None

    @property
    def stated(self) -> tuple[FactLike, ...]:
        """What the step states through it: procedure, preconditions, channels."""
        if self.procedure is None:
            return ()
        return (self.procedure, *self.preconditions, *self.choice.usable)


def method_for(prepared: Prepared, sd: StepDefinition, case: Case) -> Method:
    """How the situation's operator carries out *sd*.

    Unknown when the operator is unknown or has no procedure for the step in
    force that applies; otherwise the first such procedure, in data order.
    A procedure none of whose channels in force can be used is blocked.
    """
    op, loc, today = case.operator, case.locale, case.today
    t = prepared.country.vocabulary.templates
    if op is None:
        return Method(procedure=None, note=t["operator_unknown"].get(loc))
    procedure = next(
        (
            g.item
            for g in prepared.procedures[op.id].get(sd.id, ())
            if in_force(g.item, today) and g.holds(case.context)
        ),
        None,
    )
    if procedure is None:
        note = t["no_procedure"].get(loc).format(operator=op.name_in(loc))
        return Method(procedure=None, note=note)
    choice = choose_channels(procedure, op, case.situation, today)
    blocked = not choice.usable and bool(choice.failed)
    return Method(
        procedure=procedure,
        note=None if procedure.detail is None else procedure.detail.get(loc),
        preconditions=tuple(
            p
            for p in (op.preconditions[i] for i in procedure.preconditions)
            if in_force(p, today)
        ),
        choice=choice,
        blocker=blocker_for(prepared.country, sd, procedure, choice.failed, loc)
        if blocked
        else None,
    )


class Usability(enum.Enum):
    """Whether a channel can be used in a situation."""

    SURE = "sure"
    #: usable if what is not known (where the person is, ...) turns out well
    IF_UNKNOWN_WELL = "if_unknown_well"
    UNUSABLE = "unusable"


def choose_channels(
    procedure: Procedure, op: Operator, s: Situation, today: dt.date
) -> ChannelChoice:
    """The procedure's channels in force, sorted by :func:`assess`."""
    sure: list[Channel] = []
    maybe: list[Channel] = []
    failed: list[Failure] = []
    for cid in procedure.channels:
        channel = op.channels[cid]
        if not in_force(channel, today):
            continue
        usability, unmet = assess(channel, s)
        if usability is Usability.SURE:
            sure.append(channel)
        elif usability is Usability.IF_UNKNOWN_WELL:
            maybe.append(channel)
        else:
            failed.append(Failure(channel, unmet))
    return ChannelChoice(usable=(*sure, *maybe), failed=tuple(failed))


def assess(channel: Channel, s: Situation) -> tuple[Usability, tuple[Requirement, ...]]:
    """Whether *channel* can be used, and the requirements it fails.

    Each requirement is met, not met or unknown (:func:`requirement_met`); a
    channel not reachable from abroad also needs the person in the country.
    One unmet requirement makes it unusable; otherwise one unknown makes it
    usable only if the unknown turns out well.
    """
    unmet: list[Requirement] = []
    unsure = False
    for req in channel.requires:
        met = requirement_met(req, s)
        if met is None:
            unsure = True
        elif not met:
            unmet.append(req)
    if (
        channel.reachable_from_abroad is False
        and Requirement.IN_COUNTRY not in channel.requires
    ):
        if s.location is Location.ABROAD:
            unmet.append(Requirement.IN_COUNTRY)
        elif s.location is None:
            unsure = True
    if unmet:
        return Usability.UNUSABLE, tuple(unmet)
    return (Usability.IF_UNKNOWN_WELL if unsure else Usability.SURE), ()


def requirement_met(req: Requirement, s: Situation) -> bool | None:
    """Whether the situation meets *req*; None when it does not say."""
    if req is Requirement.IN_COUNTRY:
        return None if s.location is None else s.location is Location.IN_COUNTRY
    if req is Requirement.ID_DOCUMENT:
        return s.has_id_document
    if req is Requirement.REGISTERED_OWNER:
        return s.registered_owner
    # FROM_THE_NUMBER, DEVICE_IN_HAND: both need the phone at hand
    return None if s.device is None else s.device is Device.IN_HAND


def blocker_for(
    country: Country,
    sd: StepDefinition,
    procedure: Procedure,
    failures: Sequence[Failure],
    loc: str,
) -> Notice:
    """Why *sd* cannot be carried out, and what would unblock it.

    Names each failed channel with the requirements it fails, then what
    meets every requirement that failed, in :class:`Requirement` order.
    """
    v = country.vocabulary
    t = v.templates
    sep, names = t["join"].get(loc), t["list"].get(loc)
    reasons = sep.join(
        t["channel_fails"]
        .get(loc)
        .format(
            channel=f.channel.name.get(loc),
            requirement=names.join(v.requirements[r.value].get(loc) for r in f.unmet),
        )
        for f in failures
    )
    needed = sorted({r for f in failures for r in f.unmet}, key=list(Requirement).index)
    unblock = sep.join(v.unblock[r.value].get(loc) for r in needed)
    text = (
        t["blocked"]
        .get(loc)
        .format(step=sd.title.get(loc), reasons=reasons, unblock=unblock)
    )
    ids = [*procedure.sources, *(i for f in failures for i in f.channel.sources)]
    return Notice(
        id=f"blocked-{sd.id}",
        text=text,
        sources=tuple(country.sources[i] for i in dict.fromkeys(ids)),
    )


# -- facts, confidence, freshness ---------------------------------------------


def facts_for(prepared: Prepared, step_id: str, case: Case) -> tuple[Fact, ...]:
    """The facts the step states: the operator's, then the country's; each
    in force on the day and applying to the situation."""
    op = case.operator
    found = [
        *(prepared.operator_facts[op.id].get(step_id, ()) if op else ()),
        *prepared.country_facts.get(step_id, ()),
    ]
    return tuple(
        g.item for g in found if in_force(g.item, case.today) and g.holds(case.context)
    )


def confidence(
    country: Country,
    sd: StepDefinition,
    method: Method | None,
    stated: Iterable[FactLike],
) -> Confidence:
    """How sure the step is: the weakest of

    - what its own sources support (:func:`~simexit._model.derived_confidence`), if it has any;
    - unverified, when how to do it is unknown (*method* has no procedure:
      the operator is unknown, or has no procedure for it);
    - the confidence of every fact it states.

    A step that states nothing (plain advice such as backing up data) has
    nothing that could be unverified: it is verified.
    """
    floor: list[Confidence] = []
    if sd.sources:
        floor.append(derived_confidence(sd.sources, country.sources))
    if method is not None and method.procedure is None:
        floor.append(Confidence.UNVERIFIED)
    for item in stated:
        assert item.confidence is not None  # the loader sets every confidence
        floor.append(item.confidence)
    return min(floor, key=lambda c: c.rank, default=Confidence.VERIFIED)


def fresh_until(
    country: Country, sd: StepDefinition, stated: Iterable[FactLike]
) -> dt.date | None:
    """The last day every date the step rests on is fresh (:func:`stale_after`):
    its own sources' retrieval and its facts' verification."""
    checked = [country.sources[i].retrieved for i in sd.sources]
    for item in stated:
        assert item.verified_on is not None  # the loader sets every date
        checked.append(item.verified_on)
    oldest = min(checked, default=None)
    return None if oldest is None else stale_after(oldest)


def in_force(fact: FactLike, today: dt.date) -> bool:
    """Whether *fact* holds on *today* (from ``valid_from``, before
    ``valid_until``)."""
    return (fact.valid_from is None or fact.valid_from <= today) and (
        fact.valid_until is None or today < fact.valid_until
    )


def stale_after(verified_on: dt.date) -> dt.date:
    """The last day a fact verified on *verified_on* is still fresh."""
    return add_months(verified_on, STALE_MONTHS)


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved *months* on; the month's last day if it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover
