"""What the memo layer keys its parts on, read from a country's data.

:mod:`simexit._engine` memoises the parts of plans on small keys; this
module says what they are made of: the periods between the days on which
what a plan reads of the data may change, which side of every money
threshold an amount lies on, the conditions the guard mask tests
(:mod:`simexit._masks`), and what channel choice reads of the situation.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ._conditions import Condition, fields_of
from ._dates import stale_after
from ._model import Channel, Country, FactLike, Requirement, StepDefinition
from ._planner import Guard, Prepared, RuledStep
from ._situation import Money
from ._steps import needs_presence

#: A plan key (see _engine.CompiledCountry.plan) and a projection of it.
Key = tuple[Any, ...]
Projection = Callable[[Key], Any]

# Where each field sits in a plan's key.  operator_kind and operator_status
# follow from the operator and the validity period.
KEY_INDEX: dict[str, tuple[int, ...]] = {
    "operator": (0,),
    "operator_kind": (0,),
    "operator_status": (0, 14),
    "card": (1,),
    "billing": (2,),
    "arrears": (3,),
    "balance": (4,),
    "location": (5,),
    "device": (6,),
    "registered_owner": (7,),
    "has_id_document": (8,),
    "keep_number": (9,),
    "linked_accounts": (10,),
    "autopay": (11,),
    "other_esim_profiles": (12,),
    "accounts": (13,),
}
EPOCH, LOCALE, FALLBACK = 14, 15, 16


def slots(fields: Iterable[str], *extra: int) -> tuple[int, ...]:
    """The slots of a plan key that hold *fields* (and the *extra* slots)."""
    return tuple(sorted({i for f in fields for i in KEY_INDEX[f]} | set(extra)))


def getter(fields: Iterable[str], *extra: int) -> Projection:
    """A C-level projection of a plan key onto *fields* (and *extra* slots)."""
    return itemgetter(*slots(fields, *extra))


#: What _steps.assess reads of the situation for a channel's requirement
#: (through _steps.requirement_met); a channel that needs presence
#: (_steps.needs_presence) reads the location too.
REQUIREMENT_READS: dict[Requirement, str] = {
    Requirement.IN_COUNTRY: "location",
    Requirement.ID_DOCUMENT: "has_id_document",
    Requirement.REGISTERED_OWNER: "registered_owner",
    Requirement.FROM_THE_NUMBER: "device",
    Requirement.DEVICE_IN_HAND: "device",
}


def rule_fields(p: Prepared) -> set[str]:
    """The fields the rules of every ruled step read."""
    return {f for m in p.steps for g in m.rules for f in fields_of(g.condition)}


def rule_groups(
    steps: Sequence[RuledStep],
) -> tuple[tuple[Projection, tuple[int, ...]], ...]:
    """The ruled *steps* grouped by what planner.rule reads of them (the
    fields their rules read, and the locale), each group with its
    projection and its steps' indices."""
    groups: dict[tuple[int, ...], list[int]] = {}
    for index, m in enumerate(steps):
        reads = {f for g in m.rules for f in fields_of(g.condition)}
        slots = {i for f in reads for i in KEY_INDEX[f]} | {LOCALE}
        groups.setdefault(tuple(sorted(slots)), []).append(index)
    return tuple(
        (itemgetter(*slots), tuple(members)) for slots, members in groups.items()
    )


def content_keys(
    p: Prepared, sd: StepDefinition, bits: Callable[[Iterable[Guard | None]], int]
) -> dict[str | None, tuple[int, tuple[int, ...]]]:
    """What make_step reads to make *sd*, per operator id (None: unknown):
    the *bits* of the guard mask for the conditions it tests, and the slots
    of the key it reads (see _engine._StepMemo)."""
    country_facts = bits(g.guard for g in p.country_facts.get(sd.id, ()))
    keys: dict[str | None, tuple[int, tuple[int, ...]]] = {
        None: (country_facts, slots(("operator",), EPOCH, LOCALE))
    }
    for op in p.country.operators.values():
        tested = [g.guard for g in p.procedures[op.id].get(sd.id, ())]
        tested += [g.guard for g in p.operator_facts[op.id].get(sd.id, ())]
        fields = {"operator"}
        if sd.needs_operator:
            for channel in op.channels.values():
                fields.update(channel_reads(channel))
        keys[op.id] = (country_facts | bits(tested), slots(fields, EPOCH, LOCALE))
    return keys


#: What make_step reads, for one operator (see content_classes).
Classes = tuple[tuple[tuple[int, Projection], ...], tuple[int, ...]]


def content_classes(
    p: Prepared, bits: Callable[[Iterable[Guard | None]], int]
) -> dict[str | None, Classes]:
    """What make_step reads of a plan, per operator id (None: unknown; see
    :func:`content_keys`): the distinct pairs of guard bits and key slots
    its ruled steps read, each with its projection, and for every ruled
    step in plan order the index of its pair.  The pairs are few (most
    steps test no condition and read the operator, the period and the
    locale), so a plan makes one content key per pair, not one per step."""
    per_step = [content_keys(p, m.definition, bits) for m in p.steps]
    out: dict[str | None, Classes] = {}
    for op_id in (None, *p.country.operators):
        pairs: dict[tuple[int, tuple[int, ...]], int] = {}
        class_of = tuple(pairs.setdefault(keys[op_id], len(pairs)) for keys in per_step)
        classes: tuple[tuple[int, Projection], ...] = tuple(
            (b, itemgetter(*slots_)) for b, slots_ in pairs
        )
        out[op_id] = (classes, class_of)
    return out


def guards_of(p: Prepared) -> list[Condition]:
    """Every condition make_step and the warnings test, once each, in a
    fixed order: the procedures', the operators' facts', the country's
    facts', the notices'."""
    found: list[Guard | None] = [
        g.guard
        for by_step in p.procedures.values()
        for gs in by_step.values()
        for g in gs
    ]
    found += [
        g.guard
        for by_step in p.operator_facts.values()
        for gs in by_step.values()
        for g in gs
    ]
    found += [g.guard for gs in p.country_facts.values() for g in gs]
    found += [g.guard for g in p.notices]
    return list(dict.fromkeys(g.condition for g in found if g is not None))


def channel_reads(channel: Channel) -> set[str]:
    """The fields _steps.assess reads to tell whether *channel* can be used."""
    fields = {REQUIREMENT_READS[r] for r in channel.requires}
    if needs_presence(channel):
        fields.add("location")
    return fields


# -- what a plan key is made of -------------------------------------------------


def periods(country: Country) -> tuple[dt.date, ...]:
    """Every day on which what a plan reads of the data may change, sorted:
    validity dates, the day after a fact or source turns stale, the day an
    operator ceases trading.  Between two of them, every plan is the same."""
    days: set[dt.date] = set()
    items: list[FactLike] = [*country.facts.values()]
    for op in country.operators.values():
        items.extend(op.channels.values())
        items.extend(op.preconditions.values())
        items.extend(op.procedures.values())
        items.extend(op.facts.values())
        if op.defunct_since is not None:
            days.add(op.defunct_since)
    for item in items:
        days.update(d for d in (item.valid_from, item.valid_until) if d)
        if item.verified_on:
            days.add(stale_after(item.verified_on) + dt.timedelta(days=1))
    for step in country.steps.values():
        for sid in step.sources:
            retrieved = country.sources[sid].retrieved
            days.add(stale_after(retrieved) + dt.timedelta(days=1))
    return tuple(sorted(days))


def conditions(country: Country) -> list[Condition]:
    """Every condition of the data: the money thresholds are theirs."""
    found: list[Condition | None] = [r.when for r in country.rules.values()]
    for op in country.operators.values():
        found.extend(p.when for p in op.procedures.values())
        found.extend(f.when for f in op.facts.values())
    found.extend(f.when for f in country.facts.values())
    found.extend(n.when for n in country.notices.values())
    return [c for c in found if c is not None]


def money_class(money: Money | None, thresholds: tuple[Decimal, ...]) -> int | None:
    if money is None:
        return None
    return amount_class(money.amount, thresholds)


def amount_class(amount: Decimal, thresholds: tuple[Decimal, ...]) -> int:
    """Which side of every threshold *amount* lies on: all a condition can see.

    One small int (how many thresholds are below it, twice, plus one if it
    is one of them) rather than a pair: CPython shares small ints, so a
    memoised plan key holds no object of its own for it.
    """
    return 2 * bisect.bisect_left(thresholds, amount) + (amount in thresholds)
