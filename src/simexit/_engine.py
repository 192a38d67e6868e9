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
   steps are in (on the fields the rules read), each group's part of the
   ruling (on the fields its rules read, kept ready to join), each step's
   content as make_step made it (on what its content reads, with no
   *because* and no ``after``; one content key per plan for all the steps
   that read the same, ``_keys.content_classes``), each step as in the plan
   (its content with its *because* and ``after``, :func:`_assemble_step`),
   the warnings.  Every projection is a C-level ``itemgetter``.
3. **Memory.**  Every memo draws on the process's one budget
   (:mod:`simexit._memo`), and what is memoised is laid out for the garbage
   collector (see ``_Skeleton`` and ``_Rulings``).
4. **The guard mask.**  The conditions make_step and the warnings test
   (on procedures, facts and notices) are compiled once per country into
   one generated function (:mod:`simexit._masks`) whose result holds their
   outcomes as bits; a step's content and the warnings are keyed on the
   bits of the conditions they test, not on the fields those read, and on
   only what channel choice reads of the operator's own channels
   (:mod:`simexit._keys`).  The rules are not in it: *because* and
   *excluded* tell the values the rules read, not just their outcome.
5. **Dates after the memo.**  The situation's days are not in the key:
   due days (:mod:`simexit._due`) are applied to the memoised steps, as the
   planner applies them to its own, and only for a dated situation whose
   operator has windows.

Each trick is explained again where it is used.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from ._conditions import money_thresholds as _money_thresholds
from ._due import dated, with_due
from ._keys import EPOCH as _EPOCH
from ._keys import FALLBACK as _FALLBACK
from ._keys import LOCALE as _LOCALE
from ._keys import (
    Key,
    conditions,
    content_classes,
    guards_of,
    money_class,
    periods,
    rule_fields,
    rule_groups,
)
from ._keys import getter as _getter
from ._masks import compile_mask
from ._memo import BUDGET, Memo
from ._model import Country, Operator
from ._plan import Excluded, Notice, Plan, Step
from ._planner import Case, Guard, RuledStep, check, context, prepare, rule
from ._situation import Situation
from ._steps import MadeStep, make_step, merge_blockers
from ._warnings import warnings


class _StepMemo:
    """One ruled step's memos, and what of the key they use (a plain
    slotted class, as the planner's records are)."""

    __slots__ = ("after", "after_ids", "bit", "content", "made", "ruled")

    def __init__(
        self,
        *,
        ruled: RuledStep,
        after_ids: tuple[tuple[str, int], ...],
        after: int,
        bit: int,
        content: Memo,
        made: Memo,
    ) -> None:
        self.ruled = ruled
        #: The ids of the steps it comes after, each with its bit (0: no
        #: rule puts it in a plan), and its own bit.
        self.after_ids = after_ids
        self.after = after
        self.bit = bit
        #: content key -> _Made, with no because, rules or after
        self.content = content
        #: (because, rules, content key, after bits present) -> _Made
        self.made = made


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
#: steps that are present), ...) and the excluded.  Plain tuples of ints and
#: strings in the first part, not records: the garbage collector stops
#: tracking them, which matters once hundreds of thousands of plans are
#: memoised.
_Rulings = tuple[
    tuple[tuple[int, tuple[str, ...], tuple[str, ...], int], ...], tuple[Excluded, ...]
]

#: One group's part of a ruling (see CompiledCountry._rule_all): the bits of
#: its steps that are in, those steps (index, because, rules), the others
#: (index, Excluded).
_RuleGroup = tuple[
    int,
    tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...],
    tuple[tuple[int, Excluded], ...],
]

#: The immutable parts of a plan, shared by every plan with the same key:
#: (warnings, blockers, excluded, steps), each a tuple.  A plain tuple rather
#: than a record: every memoised plan is an object the garbage collector
#: tracks, and in a batch of new situations its full collections are a third
#: of the time.  The steps are one tuple of their own, handed to every plan
#: of the key as it is: the plans of a key share all four tuples, so the JSON
#: writer remembers each whole tuple's fragment by its identity.
_Skeleton = tuple[
    tuple[Notice, ...], tuple[Notice, ...], tuple[Excluded, ...], tuple[Step, ...]
]


class CompiledCountry:
    """A country's data compiled for fast, repeated planning."""

    def __init__(self, country: Country) -> None:
        self.country = country
        self.prepared = prepare(country)
        self.boundaries = periods(country)
        self.thresholds: dict[str, tuple[Decimal, ...]] = _money_thresholds(
            conditions(country)
        )
        self._arrears_t = self.thresholds.get("arrears", ())
        self._balance_t = self.thresholds.get("balance", ())
        # Every memo keyed by situations, locales or dates draws on the
        # process's one budget (see _memo); values are never None.
        self._cache: Memo = BUDGET.memo()  # plan key -> _Skeleton
        self._rulings: Memo = BUDGET.memo()  # -> _Rulings
        self._warning_cache: Memo = BUDGET.memo()  # -> tuple[Notice, ...]
        # Trick 4, the guard mask: every condition that make_step and the
        # warnings test (procedures, facts, notices) compiled into one
        # function (simexit._masks); a part is keyed on the bits of the
        # conditions it tests rather than on the fields they read.
        guards = guards_of(self.prepared)
        self._mask = compile_mask(guards)
        self._guard_bit = {c: 1 << i for i, c in enumerate(guards)}
        self._steps = self._step_memos()
        self._content = content_classes(self.prepared, self._bits)
        self._ids = tuple(m.ruled.definition.id for m in self._steps)
        groups = rule_groups(self.prepared.steps)
        self._after = tuple(m.after for m in self._steps)
        self._rule_groups = tuple((get, BUDGET.memo(), m) for get, m in groups)
        self._rulings_key = _getter(rule_fields(self.prepared), _EPOCH, _LOCALE)
        # What the warnings read beside the steps: the claims read the
        # operator and the card, the notices their mask bits.
        self._notice_bits = self._bits(g.guard for g in self.prepared.notices)
        self._warnings_key = _getter(("operator", "card"), _EPOCH, _LOCALE, _FALLBACK)

    def _bits(self, guards: Iterable[Guard | None]) -> int:
        """The mask bits of *guards* (None: no condition)."""
        bits = 0
        for g in guards:
            if g is not None:
                bits |= self._guard_bit[g.condition]
        return bits

    def _step_memos(self) -> tuple[_StepMemo, ...]:
        """For every ruled step, the ids and bits of its ``after`` steps,
        and its memos."""
        p = self.prepared
        bit = {m.definition.id: 1 << i for i, m in enumerate(p.steps)}
        out: list[_StepMemo] = []
        for ruled in p.steps:
            sd = ruled.definition
            after = 0
            for a in sd.after:
                after |= bit.get(a, 0)
            out.append(
                _StepMemo(
                    ruled=ruled,
                    after_ids=tuple((a, bit.get(a, 0)) for a in sd.after),
                    after=after,
                    bit=bit[sd.id],
                    content=BUDGET.memo(),
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
            money_class(s.arrears, self._arrears_t),
            money_class(s.balance, self._balance_t),
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
                skeleton = self._body(s, key, locale, fallback, today)
                memo.put(key, skeleton)
        c = self.country
        steps = skeleton[3]
        if dated(self.prepared.windows, s):  # due days: after the memo (_due)
            op = c.operators[s.operator or ""]
            ctx = context(s, op, today)
            steps = with_due(self.prepared.windows, c, s, ctx, locale, today, steps)
        return Plan(
            situation=s,
            locale=locale,
            today=today,
            steps=steps,
            warnings=skeleton[0],
            blockers=skeleton[1],
            excluded=skeleton[2],
            data_as_of=c.data_as_of,
            data_version=c.data_version,
        )

    # -- a plan whose key is new ------------------------------------------

    def _body(
        self, s: Situation, key: Key, loc: str, fallback: bool, today: dt.date
    ) -> _Skeleton:
        """The skeleton of a plan whose key is new: the situation checked,
        the guard mask worked out, then built."""
        operator = check(self.country, s)
        # The guard mask: which of the conditions the parts test hold.
        if operator is None:
            guards = self._mask(s, None, None)
        else:
            kind, status = operator.kind.value, operator.status_on(today).value
            guards = self._mask(s, kind, status)
        return self._build(s, key, operator, guards, loc, fallback, today)

    def _build(
        self,
        s: Situation,
        key: Key,
        operator: Operator | None,
        guards: int,
        loc: str,
        fallback: bool,
        today: dt.date,
    ) -> _Skeleton:
        """planner.plan's parts, each taken from its memo or made by the
        planner function that makes it (then memoised)."""
        # The planner's Case is made only when some part has to be made.
        case: Case | None = None
        rkey = self._rulings_key(key)
        ruling = self._rulings.new.get(rkey) or self._rulings.recall(rkey)
        if ruling is None:
            case = _case(s, operator, loc, fallback, today)
            ruling = self._rule_all(key, case)
            self._rulings.put(rkey, ruling)
        included, excluded = ruling
        # The content key of every step: one per pair of guard bits and key
        # slots its steps read (see _keys.content_classes), made once per plan.
        classes, class_of = self._content[s.operator]
        ckeys = [(guards & bits, project(key)) for bits, project in classes]
        step_memos = self._steps
        steps: list[Step] = []
        blockers: list[Notice] = []
        stale: list[str] = []
        seen: list[str] = []
        for index, because, rules, after in included:
            memo = step_memos[index]
            # The step's content depends on the key only through its
            # content key; its ruling only through *because* and *rules*;
            # its ``after`` only through which of its after steps are present.
            ckey = ckeys[class_of[index]]
            vkey = (because, rules, ckey, after)
            variant: _Made | None = memo.made.new.get(vkey) or memo.made.recall(vkey)
            if variant is None:
                content = memo.content.new.get(ckey) or memo.content.recall(ckey)
                if content is None:
                    case = case or _case(s, operator, loc, fallback, today)
                    made = make_step(self.prepared, memo.ruled, (), case, (), rules=())
                    content = _Made.of(made)
                    memo.content.put(ckey, content)
                ids = tuple(a for a, bit in memo.after_ids if bit & after)
                variant = content._replace(
                    step=_assemble_step(content.step, because, rules, ids)
                )
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
        found = _warnings(self, key, guards, steps, seen, stale, case)
        if found is None:
            case = case or _case(s, operator, loc, fallback, today)
            found = _warnings(self, key, guards, steps, seen, stale, case)
            assert found is not None  # made with the case
        return (found, merge_blockers(blockers), excluded, tuple(steps))

    def _rule_all(self, key: Key, case: Case) -> _Rulings:
        """planner.rule for every ruled step, memoised per group of steps
        whose rules read the same fields (see _rule_groups).

        Each group's memo holds its part of a ruling, ready to join: the
        bits of its steps that are in, those steps as (index, because,
        rules) and the others as (index, Excluded).  Joined, sorted by index
        (plan order); a step's ``after`` bits are the present steps' bits
        among those of its ``after`` steps (which come before it in plan
        order, so this is what planner.make_step keeps)."""
        present = 0
        found: list[tuple[int, tuple[str, ...], tuple[str, ...]]] = []
        out: list[tuple[int, Excluded]] = []
        for project, memo, members in self._rule_groups:
            gkey = project(key)
            part = memo.new.get(gkey) or memo.recall(gkey)
            if part is None:
                part = self._rule_group(members, case)
                memo.put(gkey, part)
            present |= part[0]
            found.extend(part[1])
            out.extend(part[2])
        found.sort()
        out.sort()  # indices are distinct: Excluded is never compared
        after = self._after
        included = tuple([(i, b, r, present & after[i]) for i, b, r in found])
        return included, tuple([e for _, e in out])

    def _rule_group(self, members: tuple[int, ...], case: Case) -> _RuleGroup:
        """planner.rule for the steps of one group, as _rule_all joins it."""
        bits = 0
        found = []
        out = []
        for i in members:
            ruling = rule(self.country, self._steps[i].ruled, case)
            if ruling.excluded is None:
                bits |= self._steps[i].bit
                found.append((i, ruling.because, ruling.rules))
            else:
                out.append((i, ruling.excluded))
        return bits, tuple(found), tuple(out)


def _warnings(
    cc: CompiledCountry,
    key: Key,
    guards: int,
    steps: list[Step],
    seen: list[str],
    stale: list[str],
    case: Case | None,
) -> tuple[Notice, ...] | None:
    """planner.warnings for *cc*, memoised; None if they must be made and
    there is no *case* yet to make them with."""
    # The warnings read the operator, the card, the notices' conditions,
    # the steps' ids, titles (id and locale) and confidences, and the
    # stale titles.
    wkey = (
        cc._warnings_key(key),
        guards & cc._notice_bits,
        tuple(seen),
        tuple(stale),
    )
    found: tuple[Notice, ...] | None = cc._warning_cache.new.get(wkey)
    if found is None:
        found = cc._warning_cache.recall(wkey)
    if found is None and case is not None:
        found = warnings(cc.prepared, case, steps, stale)
        cc._warning_cache.put(wkey, found)
    return found


def _assemble_step(
    content: Step,
    because: tuple[str, ...],
    rules: tuple[str, ...],
    after: tuple[str, ...],
) -> Step:
    """The one place the memo layer constructs a Step: the step as
    make_step made it with no *because*, *rules* and ``after`` (its content,
    shared by every plan whose content key is the same), with this plan's
    *because*, the *rules* that put it in and the ids of its ``after``
    steps present, in its order.  Its ``due`` is the content's (none: due
    days are applied after the memo, by ``_due.with_due``).
    Through Step's own ``__init__``, every field named: a field added to
    Step is added here."""
    c = content
    return Step(
        id=c.id,
        kind=c.kind,
        urgent=c.urgent,
        title=c.title,
        detail=c.detail,
        channel=c.channel,
        alternatives=c.alternatives,
        preconditions=c.preconditions,
        show_staff=c.show_staff,
        after=after,
        because=because,
        sources=c.sources,
        confidence=c.confidence,
        due=c.due,
        rules=rules,
    )


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
