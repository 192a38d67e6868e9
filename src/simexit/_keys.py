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
from decimal import Decimal

from ._conditions import Condition
from ._dates import stale_after
from ._model import Channel, Country, FactLike, Requirement
from ._planner import Guard, Prepared
from ._situation import Money
from ._steps import needs_presence

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
