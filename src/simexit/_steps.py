"""How the planner writes one step: procedure, channel, blocker, confidence.

:func:`make_step` reads top to bottom: the operator's way of doing the step
(:func:`method_for`: its procedure in force, the preconditions, the channel
chosen by :func:`choose_channels`, or the blocker of :func:`blocker_for`;
without a procedure, the operator's contacts, :func:`ask_contacts`), the
facts the step states (:func:`facts_for`), then its sources,
:func:`confidence` and freshness (:func:`fresh_until`).  Abroad, a channel
that needs presence (:func:`needs_presence`: a store, a short code) is never
chosen; a blocker says what happens if nothing is done.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, NamedTuple

import attrs

from ._dates import in_force, stale_after
from ._links import is_international
from ._model import (
    Channel,
    ChannelKind,
    Confidence,
    Country,
    Fact,
    FactLike,
    Operator,
    Precondition,
    Procedure,
    Requirement,
    StepDefinition,
    StepKind,
    Text,
    derived_confidence,
)
from ._plan import Notice, Step
from ._situation import Device, Location, Situation

if TYPE_CHECKING:
    from ._planner import Case, Prepared, RuledStep


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
    *,
    rules: tuple[str, ...],
) -> MadeStep:
    """The step *ruled* as it reads in this plan.

    *because* explains why it is in, *rules* names the rules that put it
    there; *present* holds the ids of the plan's steps (its ``after`` keeps
    those only).
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
        rules=rules,
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
        if self.procedure is None:  # the operator's contacts, if any
            return self.choice.usable
        return (self.procedure, *self.preconditions, *self.choice.usable)


def method_for(prepared: Prepared, sd: StepDefinition, case: Case) -> Method:
    """How the situation's operator carries out *sd*.

    Unknown when the operator is unknown (an action is then blocked until
    it is known) or has no procedure for the step in force that applies (the
    step then names the operator's contacts usable in the situation,
    :func:`ask_contacts`); otherwise the first such procedure, in data
    order.  A procedure none of whose channels in force can be used is
    blocked (:func:`blocker_for`).
    """
    op, loc, today = case.operator, case.locale, case.today
    country = prepared.country
    t = country.vocabulary.templates
    if op is None:
        needed = (
            operator_needed(country, sd, loc) if sd.kind is StepKind.ACTION else None
        )
        return Method(
            procedure=None, note=t["operator_unknown"].get(loc), blocker=needed
        )
    procedure = next(
        (
            g.item
            for g in prepared.procedures[op.id].get(sd.id, ())
            if in_force(g.item, today) and g.holds(case.context)
        ),
        None,
    )
    if procedure is None:
        return ask_contacts(prepared, sd, op, case)
    choice = choose_channels(procedure.channels, op, case.situation, today)
    return Method(
        procedure=procedure,
        note=None if procedure.detail is None else procedure.detail.get(loc),
        preconditions=tuple(
            p
            for p in (op.preconditions[i] for i in procedure.preconditions)
            if in_force(p, today)
        ),
        choice=choice,
        # A published procedure that needs no channel (nothing to cancel: a
        # visitor SIM that ends by itself) says what to do; it is not blocked.
        blocker=(
            blocker_for(prepared, sd, op, procedure.sources, choice, case)
            if procedure.channels
            else None
        ),
    )


def ask_contacts(
    prepared: Prepared, sd: StepDefinition, op: Operator, case: Case
) -> Method:
    """A step *op* publishes no procedure for: its contacts usable in the
    situation (``Operator.contacts``), named in the note, or a blocker."""
    loc, t = case.locale, prepared.country.vocabulary.templates
    note = t["no_procedure"].get(loc).format(operator=op.name_in(loc))
    choice = choose_channels(op.contacts, op, case.situation, case.today)
    if choice.usable:
        names = t["list"].get(loc).join(c.name.get(loc) for c in choice.usable)
        asked = (
            t["ask_through"].get(loc).format(operator=op.name_in(loc), channels=names)
        )
        note = f"{note}\n{asked}"
    return Method(
        procedure=None,
        note=note,
        choice=choice,
        blocker=blocker_for(prepared, sd, op, (), choice, case),
    )


def operator_needed(country: Country, sd: StepDefinition, loc: str) -> Notice:
    """The blocker of an action while the operator is not known; one notice
    for all such steps (:func:`merge_blockers` joins their ids)."""
    text = country.vocabulary.templates["operator_needed"].get(loc)
    return Notice(id=OPERATOR_NEEDED, text=text, steps=(sd.id,))


#: The id of the blocker every action shares while the operator is unknown.
OPERATOR_NEEDED = "blocked-operator-unknown"


def merge_blockers(blockers: Iterable[Notice]) -> tuple[Notice, ...]:
    """A plan's blockers, one per id, in order: a notice several steps
    share (the operator is unknown) names all of them in ``steps``."""
    out: dict[str, Notice] = {}
    for b in blockers:
        seen = out.get(b.id)
        out[b.id] = (
            b if seen is None else attrs.evolve(seen, steps=(*seen.steps, *b.steps))
        )
    return tuple(out.values())


class Usability(enum.Enum):
    """Whether a channel can be used in a situation."""

    SURE = "sure"
    #: usable if what is not known (where the person is, ...) turns out well
    IF_UNKNOWN_WELL = "if_unknown_well"
    UNUSABLE = "unusable"


def choose_channels(
    ids: Iterable[str], op: Operator, s: Situation, today: dt.date
) -> ChannelChoice:
    """The channels *ids* of *op* in force, sorted by :func:`assess`."""
    sure: list[Channel] = []
    maybe: list[Channel] = []
    failed: list[Failure] = []
    for cid in ids:
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
    channel that needs presence (:func:`needs_presence`) also needs the
    person in the country.  One unmet requirement makes it unusable;
    otherwise one unknown makes it usable only if the unknown turns out well.
    """
    unmet: list[Requirement] = []
    unsure = False
    for req in channel.requires:
        met = requirement_met(req, s)
        if met is None:
            unsure = True
        elif not met:
            unmet.append(req)
    if needs_presence(channel) and Requirement.IN_COUNTRY not in channel.requires:
        if s.location is Location.ABROAD:
            unmet.append(Requirement.IN_COUNTRY)
        elif s.location is None:
            unsure = True
    if unmet:
        return Usability.UNUSABLE, tuple(unmet)
    return (Usability.IF_UNKNOWN_WELL if unsure else Usability.SURE), ()


#: Channel kinds that reach a number: abroad only an international one works.
_DIALLED = (ChannelKind.HOTLINE, ChannelKind.SMS)


def needs_presence(channel: Channel) -> bool:
    """Whether *channel* works only in the country: a hotline or SMS number
    without an international ``tel:+`` uri (a short code, never offered
    abroad), one the data marks not reachable from abroad, or a store the
    data does not mark reachable."""
    if channel.kind in _DIALLED and not is_international(channel.uri):
        return True
    if channel.reachable_from_abroad is not None:
        return not channel.reachable_from_abroad
    return channel.kind is ChannelKind.STORE


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


def unblock_text(unblock: dict[str, Text], req: Requirement, *, poa: bool) -> Text:
    """What meets *req*. A power of attorney is suggested only where the
    operator takes one (*poa*: its procedure has such a channel); otherwise
    the ``<requirement>_in_person`` wording, where the vocabulary has one."""
    if not poa and f"{req.value}_in_person" in unblock:
        return unblock[f"{req.value}_in_person"]
    return unblock[req.value]


def blocker_for(
    prepared: Prepared,
    sd: StepDefinition,
    op: Operator,
    source_ids: Iterable[str],
    choice: ChannelChoice,
    case: Case,
) -> Notice | None:
    """Why *sd* cannot be carried out, what would unblock it, and what
    happens if nothing is done; None when a channel can be used.

    A step is blocked when none of its channels can be used and some failed
    (or, for an action, when it has none).  The notice names each failed
    channel with the requirements it fails, then what meets every
    requirement that failed, in :class:`Requirement` order; with no channel
    at all, that none is known.  Then the step's facts marked
    ``consequence`` (or that none is known).
    """
    failures = choice.failed
    if choice.usable or not (failures or sd.kind is StepKind.ACTION):
        return None
    country, loc = prepared.country, case.locale
    v = country.vocabulary
    t = v.templates
    sep, names = t["join"].get(loc), t["list"].get(loc)
    if failures:
        reasons = sep.join(
            t["channel_fails"]
            .get(loc)
            .format(
                channel=f.channel.name.get(loc),
                requirement=names.join(
                    v.requirements[r.value].get(loc) for r in f.unmet
                ),
            )
            for f in failures
        )
        needed = sorted(
            {r for f in failures for r in f.unmet}, key=list(Requirement).index
        )
        poa = any(f.channel.kind is ChannelKind.POWER_OF_ATTORNEY for f in failures)
        unblock = sep.join(unblock_text(v.unblock, r, poa=poa).get(loc) for r in needed)
        text = (
            t["blocked"]
            .get(loc)
            .format(step=sd.title.get(loc), reasons=reasons, unblock=unblock)
        )
    else:
        text = (
            t["no_channel"]
            .get(loc)
            .format(step=sd.title.get(loc), operator=op.name_in(loc))
        )
    then = [f for f in facts_for(prepared, sd.id, case) if f.consequence]
    if then:
        said = " ".join(f.text.get(loc) for f in then)
        text += "\n" + t["if_nothing_done"].get(loc).format(consequences=said)
    else:
        text += "\n" + t["consequence_unknown"].get(loc)
    ids = [
        *source_ids,
        *(i for f in failures for i in f.channel.sources),
        *(i for f in then for i in f.sources),
    ]
    return Notice(
        id=f"blocked-{sd.id}",
        text=text,
        sources=tuple(country.sources[i] for i in dict.fromkeys(ids)),
        steps=(sd.id,),
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
    - the confidence of every fact it states; unverified for a placeholder
      (:attr:`~simexit._model.Fact.gap`), whatever it cites.

    So a step is verified only when official sources state all it says.  A
    step that states nothing and cites nothing (general advice such as
    destroying a used SIM) is :attr:`~Confidence.GENERAL`: no source states
    it, so it is not verified.
    """
    floor: list[Confidence] = []
    if sd.sources:
        floor.append(derived_confidence(sd.sources, country.sources))
    if method is not None and method.procedure is None:
        floor.append(Confidence.UNVERIFIED)
    for item in stated:
        if type(item) is Fact and item.gap:
            floor.append(Confidence.UNVERIFIED)
            continue
        assert item.confidence is not None  # the loader sets every confidence
        floor.append(item.confidence)
    return min(floor, key=lambda c: c.rank, default=Confidence.GENERAL)


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
