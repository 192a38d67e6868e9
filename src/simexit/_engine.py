"""The memo layer: the planner's plans, made fast.

:mod:`simexit._planner` decides a plan from scratch and is the only place
that says *how* it is decided.  :class:`CompiledCountry` gives the very same
plans (``tests/test_planner.py`` proves it over generated situations,
locales and days) while deciding as little as possible again.  It knows
nothing of rules, channels or confidence; it knows what each planner
function reads, and memoises its results on exactly that.  Its tricks:

1. **A plan key.**  A plan depends only on a small key: the situation's
   enum and boolean fields, its accounts, which side of every money threshold each amount
   lies on, which validity period ``today`` falls into, the locale and the
   fallback flag (:meth:`CompiledCountry.plan`).  The immutable parts of a
   plan are memoised per key and shared by every plan with that key; a
   warm plan is one key, one dictionary lookup and one Plan.
2. **Parts on projections of the key.**  A plan whose key is new is
   assembled from parts memoised on what each reads (:meth:`_build`): which
   steps are in (on the fields the rules read), each step's ruling (on the
   fields its own rules read), each step as made (on what its content
   reads), the warnings.  Every projection is a C-level ``itemgetter``.
3. **Memory.**  Every memo draws on the process's one budget
   (:mod:`simexit._memo`), and what is memoised is laid out for the garbage
   collector (see ``_Skeleton`` and ``_Rulings``).

Each trick is explained again where it is used.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

import attrs

from ._conditions import Condition, fields_of
from ._conditions import money_thresholds as _money_thresholds
from ._dates import stale_after
from ._memo import BUDGET, Memo
from ._model import Country, FactLike, Operator, StepDefinition
from ._plan import Excluded, Notice, Plan, Step
from ._planner import Case, Guard, Prepared, RuledStep, check, context, prepare, rule
from ._situation import Money, Situation
from ._steps import MadeStep, make_step, merge_blockers
from ._warnings import warnings

#: A plan key (see CompiledCountry.plan) and a projection of it.
Key = tuple[Any, ...]
Projection = Callable[[Key], Any]

# Where each field sits in a plan's key.  operator_kind and operator_status
# follow from the operator and the validity period.
_KEY_INDEX: dict[str, tuple[int, ...]] = {
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
_EPOCH, _LOCALE, _FALLBACK = 14, 15, 16
#: What channel choice reads (see _steps.assess), besides the operator.
_CHANNEL_FIELDS = (
    "operator",
    "location",
    "device",
    "registered_owner",
    "has_id_document",
)


def _getter(fields: Iterable[str], *extra: int) -> Projection:
    """A C-level projection of a plan key onto *fields* (and *extra* slots)."""
    return itemgetter(*sorted({i for f in fields for i in _KEY_INDEX[f]} | set(extra)))


@attrs.frozen(eq=False)
class _StepMemo:
    """One ruled step's two memos, and the projections of the key they use."""

    ruled: RuledStep
    #: What planner.rule reads: the fields its rules read, and the locale.
    rule_key: Projection
    #: What planner.make_step reads beside *because* and ``after``: the
    #: operator, the fields its procedures' and facts' conditions read, what
    #: channel choice reads if it needs an operator, the period, the locale.
    content_key: Projection
    #: The bits of the ruled steps it comes after, and its own bit.
    after: int
    bit: int
    rulings: Memo  # rule_key(key) -> planner.Ruling
    made: Memo  # (because, rules, content_key(key), after bits) -> _Made


class _Made(NamedTuple):
    """A step as planner.make_step made it (a MadeStep, spread out), and
    what the warnings read of it.  A NamedTuple, not a record: a plan of a
    new key unpacks one per step, and a tuple unpacks at C speed."""

    step: Step
    blocker: Notice | None
    fresh_until: dt.date | None
    #: Its id and confidence, as one string: a string caches its hash, so a
    #: warnings key made of these hashes fast (an Enum's hash is Python code).
    seen: str

    @classmethod
    def of(cls, made: MadeStep) -> _Made:
        seen = f"{made.step.id} {made.step.confidence.value}"
        return cls(made.step, made.blocker, made.fresh_until, seen)


#: Which steps are in a plan and why, and which are out: ((index of the
#: step's _StepMemo, its because texts, its rule ids, bits of its ``after``
#: steps that are present), ...) and the excluded.  Plain tuples of ints and strings in the
#: first part, not records: the garbage collector stops tracking them, which
#: matters once hundreds of thousands of plans are memoised.
_Rulings = tuple[
    tuple[tuple[int, tuple[str, ...], tuple[str, ...], int], ...], tuple[Excluded, ...]
]

#: The immutable parts of a plan, shared by every plan with the same key:
#: (warnings, blockers, excluded, *steps).  One flat tuple rather than a
#: record: every memoised plan is an object the garbage collector tracks, and
#: in a batch of new situations its full collections are a third of the
#: time; one object per plan instead of two.
_Skeleton = tuple[Any, ...]


class CompiledCountry:
    """A country's data compiled for fast, repeated planning."""

    def __init__(self, country: Country) -> None:
        self.country = country
        self.prepared = prepare(country)
        self.boundaries = _periods(country)
        self.thresholds: dict[str, tuple[Decimal, ...]] = _money_thresholds(
            _conditions(country)
        )
        self._arrears_t = self.thresholds.get("arrears", ())
        self._balance_t = self.thresholds.get("balance", ())
        # Every memo keyed by situations, locales or dates draws on the
        # process's one budget (see _memo); values are never None.
        self._cache: Memo = BUDGET.memo()  # plan key -> _Skeleton
        self._rulings: Memo = BUDGET.memo()  # -> _Rulings
        self._warning_cache: Memo = BUDGET.memo()  # -> tuple[Notice, ...]
        self._steps = self._step_memos()
        self._ids = tuple(m.ruled.definition.id for m in self._steps)
        self._rulings_key = _getter(
            {
                f
                for m in self.prepared.steps
                for g in m.rules
                for f in fields_of(g.condition)
            },
            _EPOCH,
            _LOCALE,
        )
        shown = {"operator", "card"}  # what the claims read
        for g in self.prepared.notices:
            if g.guard is not None:
                shown.update(fields_of(g.guard.condition))
        self._warnings_key = _getter(shown, _EPOCH, _LOCALE, _FALLBACK)

    def _step_memos(self) -> tuple[_StepMemo, ...]:
        """For every ruled step, what its ruling and its content read."""
        p = self.prepared
        bit = {m.definition.id: 1 << i for i, m in enumerate(p.steps)}
        out: list[_StepMemo] = []
        for ruled in p.steps:
            sd = ruled.definition
            reads = {f for g in ruled.rules for f in fields_of(g.condition)}
            after = 0
            for a in sd.after:
                after |= bit.get(a, 0)
            out.append(
                _StepMemo(
                    ruled=ruled,
                    rule_key=_getter(reads, _LOCALE),
                    content_key=_getter(_content_fields(p, sd), _EPOCH, _LOCALE),
                    after=after,
                    bit=bit[sd.id],
                    rulings=BUDGET.memo(),
                    made=BUDGET.memo(),
                )
            )
        return tuple(out)

    # -- the hot path -----------------------------------------------------

    def plan(
        self, situation: Situation, locale: str, fallback: bool, today: dt.date
    ) -> Plan:
        """planner.plan(situation, locale, fallback, today), memoised."""
        s = situation
        # The key, in _KEY_INDEX's order.  Enums are keyed by id(): members
        # are singletons, and Enum.__hash__ is Python code that would
        # otherwise run several times per plan.  Amounts are keyed by their
        # class (_money_class), dates by their period among the boundaries.
        key = (
            s.operator,
            id(s.card),
            id(s.billing),
            _money_class(s.arrears, self._arrears_t),
            _money_class(s.balance, self._balance_t),
            id(s.location),
            id(s.device),
            s.registered_owner,
            s.has_id_document,
            s.keep_number,
            s.linked_accounts,
            s.autopay,
            s.other_esim_profiles,
            s.accounts,  # a frozenset (its hash is cached) or None
            bisect.bisect_right(self.boundaries, today),
            locale,
            fallback,
        )
        # A situation the planner refuses is never memoised (planner.check
        # raises in _build), so a key found is one it accepted.
        memo = self._cache
        skeleton = memo.new.get(key)
        if skeleton is None:
            skeleton = memo.recall(key)
            if skeleton is None:
                skeleton = self._build(s, key, locale, fallback, today)
                memo.put(key, skeleton)
        c = self.country
        return Plan(
            situation=s,
            locale=locale,
            today=today,
            steps=skeleton[3:],
            warnings=skeleton[0],
            blockers=skeleton[1],
            excluded=skeleton[2],
            data_as_of=c.data_as_of,
            data_version=c.data_version,
        )

    # -- a plan whose key is new ------------------------------------------

    def _build(
        self, s: Situation, key: Key, loc: str, fallback: bool, today: dt.date
    ) -> _Skeleton:
        """planner.plan's parts, each taken from its memo or made by the
        planner function that makes it (then memoised)."""
        operator = check(self.country, s)
        # The planner's Case is made only when some part has to be made.
        case: Case | None = None
        rkey = self._rulings_key(key)
        ruling = self._rulings.new.get(rkey) or self._rulings.recall(rkey)
        if ruling is None:
            case = _case(s, operator, loc, fallback, today)
            ruling = self._rule_all(key, case)
            self._rulings.put(rkey, ruling)
        included, excluded = ruling
        steps: list[Step] = []
        blockers: list[Notice] = []
        stale: list[str] = []
        seen: list[str] = []
        present: set[str] | None = None  # the steps' ids, once a step is made
        for index, because, rules, after in included:
            memo = self._steps[index]
            # The step's content depends on the key only through
            # content_key; its ruling only through *because* and *rules*;
            # its ``after`` only through which of its after steps are present.
            vkey = (because, rules, memo.content_key(key), after)
            variant: _Made | None = memo.made.new.get(vkey) or memo.made.recall(vkey)
            if variant is None:
                case = case or _case(s, operator, loc, fallback, today)
                if present is None:
                    present = {self._ids[i] for i, _, _, _ in included}
                made = make_step(
                    self.prepared, memo.ruled, because, case, present, rules=rules
                )
                variant = _Made.of(made)
                memo.made.put(vkey, variant)
            step, blocker, fresh_until, shown = variant
            steps.append(step)
            seen.append(shown)
            if blocker is not None:
                blockers.append(blocker)
            # MadeStep.stale_on, inlined.  Stale or not is constant within a
            # period (the boundaries include every day after a fact turns
            # stale), but it is the plan's day that decides, so it is worked
            # out per plan.
            if fresh_until is not None and today > fresh_until:
                stale.append(step.title)
        # The warnings read the fields of _warnings_key, the steps' ids,
        # titles (id and locale) and confidences, and the stale titles.
        wkey = (self._warnings_key(key), tuple(seen), tuple(stale))
        found = self._warning_cache.new.get(wkey)
        if found is None:
            found = self._warning_cache.recall(wkey)
        if found is None:
            case = case or _case(s, operator, loc, fallback, today)
            found = warnings(self.prepared, case, steps, stale)
            self._warning_cache.put(wkey, found)
        return (found, merge_blockers(blockers), excluded, *steps)

    def _rule_all(self, key: Key, case: Case) -> _Rulings:
        """planner.rule for every ruled step, each memoised on rule_key."""
        mask = 0  # the bits of the steps found in so far
        included = []
        excluded = []
        for index, memo in enumerate(self._steps):
            rkey = memo.rule_key(key)
            ruling = memo.rulings.new.get(rkey) or memo.rulings.recall(rkey)
            if ruling is None:
                ruling = rule(self.country, memo.ruled, case)
                memo.rulings.put(rkey, ruling)
            if ruling.excluded is not None:
                excluded.append(ruling.excluded)
                continue
            # Steps come in plan order, so the steps it comes after that are
            # present are among those found in so far.
            included.append((index, ruling.because, ruling.rules, mask & memo.after))
            mask |= memo.bit
        return tuple(included), tuple(excluded)


def _content_fields(p: Prepared, sd: StepDefinition) -> set[str]:
    """The fields planner.make_step reads to make *sd*: the operator, those
    its procedures' and facts' conditions read, and, if it needs an
    operator, those channel choice reads."""
    guards: list[Guard | None] = [
        g.guard for by_step in p.procedures.values() for g in by_step.get(sd.id, ())
    ]
    guards += [
        g.guard for by_step in p.operator_facts.values() for g in by_step.get(sd.id, ())
    ]
    guards += [g.guard for g in p.country_facts.get(sd.id, ())]
    fields = {"operator"}
    for guard in guards:
        if guard is not None:
            fields.update(fields_of(guard.condition))
    if sd.needs_operator:
        fields.update(_CHANNEL_FIELDS)
    return fields


def _case(
    s: Situation, op: Operator | None, loc: str, fallback: bool, today: dt.date
) -> Case:
    return Case(
        situation=s,
        operator=op,
        context=context(s, op, today),
        locale=loc,
        fallback=fallback,
        today=today,
    )


# -- what a plan key is made of -----------------------------------------------


def _periods(country: Country) -> tuple[dt.date, ...]:
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


def _conditions(country: Country) -> list[Condition]:
    """Every condition of the data: the money thresholds are theirs."""
    found: list[Condition | None] = [r.when for r in country.rules.values()]
    for op in country.operators.values():
        found.extend(p.when for p in op.procedures.values())
        found.extend(f.when for f in op.facts.values())
    found.extend(f.when for f in country.facts.values())
    found.extend(n.when for n in country.notices.values())
    return [c for c in found if c is not None]


def _money_class(money: Money | None, thresholds: tuple[Decimal, ...]) -> int | None:
    if money is None:
        return None
    return _amount_class(money.amount, thresholds)


def _amount_class(amount: Decimal, thresholds: tuple[Decimal, ...]) -> int:
    """Which side of every threshold *amount* lies on: all a condition can see.

    One small int (how many thresholds are below it, twice, plus one if it
    is one of them) rather than a pair: CPython shares small ints, so a
    memoised plan key holds no object of its own for it.
    """
    return 2 * bisect.bisect_left(thresholds, amount) + (amount in thresholds)
