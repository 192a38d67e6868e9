"""The rules engine: a Situation and a Country's data in, a Plan out.

Everything that does not depend on the situation is done once, when a
country is compiled: conditions become closures, the ``after`` graph becomes
a fixed order, money thresholds and validity dates are collected.  A plan
then depends only on a small *key* — the situation's enum and boolean
fields, which side of every threshold each amount lies on, and which
validity period ``today`` falls into — so the immutable parts of a plan are
built once per key and locale and shared by every plan with that key.
"""

from __future__ import annotations

import bisect
import datetime as dt
import graphlib
import itertools
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any

from ._conditions import (
    Compare,
    Condition,
    Context,
    compile_condition,
    explain,
    fields_of,
)
from ._conditions import money_thresholds as _money_thresholds
from ._locales import (
    FALLBACK_NOTICE,
    fallback_language_text,
    locale_fallback_text,
)
from ._memo import BUDGET, Memo
from ._model import (
    Channel,
    Confidence,
    Country,
    Fact,
    FactLike,
    Operator,
    OperatorStatus,
    Procedure,
    Requirement,
    StepDefinition,
    Text,
    derived_confidence,
)
from ._plan import Excluded, Notice, Plan, Step
from ._situation import Device, Location, Money, Situation
from .exceptions import InvalidSituationError, UnknownOperatorError

Predicate = Callable[[Context], bool]

_STALE_MONTHS = 18

# Where each field sits in a plan's key (see CompiledCountry.plan).  Enums are
# keyed by id(): members are singletons, and Enum.__hash__ is Python code that
# would otherwise run several times per plan.  operator_kind and
# operator_status follow from the operator and the validity period.
_KEY_INDEX: dict[str, tuple[int, ...]] = {
    "operator": (0,),
    "operator_kind": (0,),
    "operator_status": (0, 13),
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
}
_EPOCH, _LOCALE, _FALLBACK = 13, 14, 15
#: What channel choice reads (see _assess), besides the operator.
_CHANNEL_FIELDS = (
    "operator",
    "location",
    "device",
    "registered_owner",
    "has_id_document",
)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def stale_after(verified_on: dt.date) -> dt.date:
    """The last day a fact verified on *verified_on* is still fresh."""
    return _add_months(verified_on, _STALE_MONTHS)


def _valid(fact: FactLike, today: dt.date) -> bool:
    return (fact.valid_from is None or fact.valid_from <= today) and (
        fact.valid_until is None or today < fact.valid_until
    )


def _order(steps: dict[str, StepDefinition]) -> dict[str, int]:
    """A topological order of every step, ties broken by (rank, id)."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for sid, step in steps.items():
        sorter.add(sid, *(a for a in step.after if a in steps))
    sorter.prepare()
    order: list[str] = []
    key = lambda s: (steps[s].rank, s)  # noqa: E731
    ready = sorted(sorter.get_ready(), key=key)
    while ready:
        node = ready.pop(0)
        order.append(node)
        sorter.done(node)
        ready = sorted([*ready, *sorter.get_ready()], key=key)
    return {sid: i for i, sid in enumerate(order)}


def _getter(fields: Iterable[str], *extra: int) -> Callable[[tuple[Any, ...]], Any]:
    """A C-level projection of a plan key onto *fields* (and *extra* slots)."""
    return itemgetter(*sorted({i for f in fields for i in _KEY_INDEX[f]} | set(extra)))


#: A ruled step's inclusion: (serial, because, None) if it is in, (0, (), why
#: not) if not.  The serial stands for the because texts in the keys of the
#: step's variants: a fresh one for every rule built, so a serial is never
#: shared by two different texts, even once memos have been rotated.
_Rule = tuple[int, tuple[str, ...], Excluded | None]

#: One built variant of a step, shared by every plan that has it: the step,
#: its blocker, the last day its facts are not stale, and what the warnings
#: depend on (its id and confidence).
_Variant = tuple[Step, Notice | None, dt.date | None, str]

#: Per ruled step: id, rules, key -> what the rules read, key -> what the
#: content reads, bits of the ruled steps it comes after, its own bit, and
#: its two memos (of _Rule and _Variant).  Plain tuples: they unpack faster
#: than named ones.
_Layout = tuple[
    str,
    list[tuple[Condition, Predicate]],
    Callable[[tuple[Any, ...]], Any],
    Callable[[tuple[Any, ...]], Any],
    int,
    int,
    Memo,
    Memo,
]

#: A plan's rulings: the included steps, as (layout index, serial of its
#: rule's outcome, which of its after steps are present, its because texts),
#: and the excluded ones.  Only ints and strings in the first part: the
#: garbage collector stops tracking it, which matters once hundreds of
#: thousands of plans are memoised.
_Ruling = tuple[tuple[tuple[int, int, int, tuple[str, ...]], ...], tuple[Excluded, ...]]


#: The immutable parts of a plan, shared by every plan with the same key:
#: (warnings, blockers, excluded, *steps).  One flat tuple rather than a tuple
#: of tuples: every cached plan is an object the garbage collector tracks,
#: and in a batch of new situations its full collections are a third of the
#: time; one object per plan instead of two.
_Skeleton = tuple[Any, ...]


class CompiledCountry:
    """A country's data compiled for fast, repeated planning."""

    def __init__(self, country: Country) -> None:
        self.country = country
        self.vocab = country.vocabulary
        self.position = _order(country.steps)
        self.rules: list[tuple[str, Condition, Predicate]] = [
            (r.step, r.when, compile_condition(r.when))
            for _, r in sorted(
                country.rules.items(),
                key=lambda kv: (self.position[kv[1].step], kv[0]),
            )
        ]
        self.ruled_steps = sorted(
            {r.step for r in country.rules.values()}, key=self.position.__getitem__
        )
        conditions: list[Condition] = [r.when for r in country.rules.values()]
        boundaries: set[dt.date] = set()
        self.procedures: dict[
            str, dict[str, list[tuple[Procedure, Predicate | None]]]
        ] = {}
        self.facts: dict[str, dict[str, list[tuple[Fact, Predicate | None]]]] = {}
        for op in country.operators.values():
            procs = self.procedures.setdefault(op.id, {})
            for proc in op.procedures.values():
                procs.setdefault(proc.step, []).append((proc, _maybe(proc.when)))
            facts = self.facts.setdefault(op.id, {})
            for fact in op.facts.values():
                facts.setdefault(fact.step, []).append((fact, _maybe(fact.when)))
            items: list[FactLike] = [
                *op.channels.values(),
                *op.preconditions.values(),
                *op.procedures.values(),
                *op.facts.values(),
            ]
            for item in items:
                _collect_dates(item, boundaries)
                if isinstance(item, Procedure | Fact) and item.when is not None:
                    conditions.append(item.when)
            if op.defunct_since is not None:
                boundaries.add(op.defunct_since)
        self.country_facts: dict[str, list[tuple[Fact, Predicate | None]]] = {}
        for fact in country.facts.values():
            self.country_facts.setdefault(fact.step, []).append(
                (fact, _maybe(fact.when))
            )
            _collect_dates(fact, boundaries)
            if fact.when is not None:
                conditions.append(fact.when)
        for step in country.steps.values():
            for sid in step.sources:
                retrieved = country.sources[sid].retrieved
                boundaries.add(stale_after(retrieved) + dt.timedelta(days=1))
        self.notices = [
            (n, _maybe(n.when))
            for _, n in sorted(country.notices.items())
            if n.id != FALLBACK_NOTICE
        ]
        conditions.extend(n.when for n in country.notices.values() if n.when)
        self.claims = sorted(country.claims.values(), key=lambda c: c.id)
        self.boundaries = tuple(sorted(boundaries))
        self.thresholds: dict[str, tuple[Decimal, ...]] = _money_thresholds(conditions)
        self._arrears_t = self.thresholds.get("arrears", ())
        self._balance_t = self.thresholds.get("balance", ())
        # Every memo keyed by situations, locales or dates draws on the
        # process's one budget (see _memo); values are never None.
        self._cache: Memo = BUDGET.memo()  # plan key -> _Skeleton
        self._reason_cache: Memo = BUDGET.memo()  # -> str
        self._warning_cache: Memo = BUDGET.memo()  # -> tuple[Notice, ...]
        # Bounded by the data, so outside the budget: _reasons is only ever
        # given one rule's condition or all the rules of one step, so this
        # holds at most one entry per rule and one per ruled step.  The ids
        # are those of conditions self.rules keeps alive.
        self._fields_memo: dict[tuple[int, ...], tuple[str, ...]] = {}
        self._compile_layout()

    def _compile_layout(self) -> None:
        """For every ruled step, what its inclusion and its content depend on.

        A plan whose key is new is assembled from small caches: one per
        country keyed by every field any rule reads (which steps are in and
        why, which are out and why), one per step keyed by the fields its
        rules read (the same, for one step), and one per step keyed by what
        its content reads (the operator, its procedures' and facts'
        conditions, channel requirements, which of its ``after`` steps are
        present).  Every key is a C-level projection of the plan's key, so a
        new plan is mostly dictionary lookups.
        """
        c = self.country
        rules_of: dict[str, list[tuple[Condition, Predicate]]] = {}
        for step_id, cond, pred in self.rules:
            rules_of.setdefault(step_id, []).append((cond, pred))
        bit = {sid: 1 << i for i, sid in enumerate(self.ruled_steps)}
        self._layout: list[_Layout] = []
        ruled_fields: set[str] = set()
        for sid in self.ruled_steps:
            rules = rules_of[sid]
            reads = {f for cond, _ in rules for f in fields_of(cond)}
            ruled_fields |= reads
            content = {"operator"}  # the rules' part is in the rule's serial
            found: list[Condition | None] = [
                *(
                    p.when
                    for ps in self.procedures.values()
                    for p, _ in ps.get(sid, ())
                ),
                *(f.when for fs in self.facts.values() for f, _ in fs.get(sid, ())),
                *(f.when for f, _ in self.country_facts.get(sid, ())),
            ]
            for when in found:
                if when is not None:
                    content.update(fields_of(when))
            if c.steps[sid].needs_operator:
                content.update(_CHANNEL_FIELDS)
            after = 0
            for a in c.steps[sid].after:
                after |= bit.get(a, 0)
            self._layout.append(
                (
                    sid,
                    rules,
                    _getter(reads, _LOCALE),
                    _getter(content, _EPOCH, _LOCALE),
                    after,
                    bit[sid],
                    BUDGET.memo(),
                    BUDGET.memo(),
                )
            )
        shown = {"operator", "card"}
        for n, _ in self.notices:
            if n.when is not None:
                shown.update(fields_of(n.when))
        self._warnings_key = _getter(shown, _EPOCH, _LOCALE, _FALLBACK)
        self._serial = itertools.count(1)
        self._rulings_key = _getter(ruled_fields, _EPOCH, _LOCALE)
        self._rulings: Memo = BUDGET.memo()  # -> _Ruling

    # -- the hot path -----------------------------------------------------

    def plan(
        self, situation: Situation, locale: str, fallback: bool, today: dt.date
    ) -> Plan:
        s = situation
        op = s.operator
        if op is not None and op not in self.country.operators:
            raise UnknownOperatorError(
                self.country.code, op, tuple(sorted(self.country.operators))
            )
        key = (  # the field order is _KEY_INDEX's
            op,
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
            bisect.bisect_right(self.boundaries, today),
            locale,
            fallback,
        )
        memo = self._cache
        skeleton = memo.new.get(key)
        if skeleton is None:
            skeleton = memo.recall(key)
            if skeleton is None:
                self._check(s)
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

    def _falls_back(self, loc: str) -> bool:
        """True if some text of the country may lack *loc*: the packages do
        not all declare it (the loader checks the ones they declare)."""
        return loc not in self.country.locales

    def _check(self, s: Situation) -> None:
        c = self.country
        if s.card not in c.cards:
            raise InvalidSituationError(
                "card",
                s.card.value,
                f"one of the cards {c.code} data covers: "
                + ", ".join(card.value for card in c.cards),
            )
        if s.operator is not None:
            op = c.operators[s.operator]
            if s.card not in op.cards:
                fits = sorted(o.id for o in c.operators.values() if s.card in o.cards)
                raise InvalidSituationError(
                    "operator",
                    s.operator,
                    f"an operator that provides {s.card.value} in {c.code}: "
                    + (", ".join(fits) or "none")
                    + ", or None (unknown)",
                )

    # -- building a skeleton (once per key) -------------------------------

    def _context(self, s: Situation, op: Operator | None, today: dt.date) -> Context:
        return {
            "operator": s.operator,
            "operator_kind": op.kind.value if op else None,
            "operator_status": op.status_on(today).value if op else None,
            "card": s.card.value,
            "billing": s.billing.value if s.billing else None,
            "arrears": s.arrears.amount if s.arrears else None,
            "balance": s.balance.amount if s.balance else None,
            "location": s.location.value if s.location else None,
            "device": s.device.value if s.device else None,
            "registered_owner": s.registered_owner,
            "has_id_document": s.has_id_document,
            "keep_number": s.keep_number,
            "linked_accounts": s.linked_accounts,
            "autopay": s.autopay,
            "other_esim_profiles": s.other_esim_profiles,
        }

    def _build(
        self,
        s: Situation,
        key: tuple[Any, ...],
        loc: str,
        fallback: bool,
        today: dt.date,
    ) -> _Skeleton:
        """The skeleton of a plan whose key is new, assembled from parts."""
        op = self.country.operators.get(s.operator) if s.operator else None
        ctx: Context | None = None
        rkey = self._rulings_key(key)
        rulings = self._rulings
        ruling = rulings.new.get(rkey) or rulings.recall(rkey)
        if ruling is None:
            ctx = self._context(s, op, today)
            ruling = self._rule_all(key, ctx, loc)
            rulings.put(rkey, ruling)
        included, excluded = ruling
        steps: list[Step] = []
        blockers: list[Notice] = []
        stale: list[str] = []  # titles of steps resting on facts not re-verified
        shown: list[str] = []
        layout = self._layout
        for index, serial, after, because in included:
            sid, _, _, content, _, _, _, built = layout[index]
            ckey = (serial, content(key), after)
            hit = built.new.get(ckey) or built.recall(ckey)
            if hit is None:
                if ctx is None:
                    ctx = self._context(s, op, today)
                present = {st.id for st in steps} | {sid}
                found: list[Notice] = []
                checked: list[dt.date] = []
                made = self._step(
                    sid, because, s, op, ctx, loc, today, present, found, checked
                )
                last = min(checked, default=None)
                hit = (
                    made,
                    found[0] if found else None,
                    None if last is None else stale_after(last),
                    f"{sid} {made.confidence.value}",
                )
                built.put(ckey, hit)
            step, blocker, fresh_until, seen = hit
            steps.append(step)
            shown.append(seen)
            if blocker is not None:
                blockers.append(blocker)
            if fresh_until is not None and today > fresh_until:
                stale.append(step.title)
        wkey = (self._warnings_key(key), tuple(shown), tuple(stale))
        memo = self._warning_cache
        warnings = memo.new.get(wkey)
        if warnings is None:
            warnings = memo.recall(wkey)
        if warnings is None:
            if ctx is None:
                ctx = self._context(s, op, today)
            present = {st.id for st in steps}
            warnings = tuple(
                self._warnings(s, op, ctx, loc, fallback, today, steps, present, stale)
            )
            memo.put(wkey, warnings)
        return (warnings, tuple(blockers), excluded, *steps)

    def _rule_all(self, key: tuple[Any, ...], ctx: Context, loc: str) -> _Ruling:
        """Which steps are in the plan and why, which are out and why."""
        mask = 0
        included = []
        excluded = []
        for index, row in enumerate(self._layout):
            sid, rules, reads, _, after, bit, ruled, _ = row
            rkey = reads(key)
            rule = ruled.new.get(rkey) or ruled.recall(rkey)
            if rule is None:
                rule = self._rule(sid, rules, ctx, loc)
                ruled.put(rkey, rule)
            serial, because, left_out = rule
            if left_out is not None:
                excluded.append(left_out)
                continue
            included.append((index, serial, mask & after, because))
            mask |= bit
        return tuple(included), tuple(excluded)

    def _rule(
        self,
        sid: str,
        rules: list[tuple[Condition, Predicate]],
        ctx: Context,
        loc: str,
    ) -> _Rule:
        """Whether *sid* is in the plan and why, or why it is left out."""
        conds = [cond for cond, pred in rules if pred(ctx)]
        if conds:
            because = tuple(self._reasons([c], ctx, loc, want=True) for c in conds)
            return next(self._serial), because, None
        reason = self._reasons([c for c, _ in rules], ctx, loc, want=False)
        return 0, (), Excluded(id=sid, reason=reason)

    def _step(
        self,
        step_id: str,
        because: tuple[str, ...],
        s: Situation,
        op: Operator | None,
        ctx: Context,
        loc: str,
        today: dt.date,
        present: set[str],
        blockers: list[Notice],
        checked: list[dt.date],
    ) -> Step:
        """Build one step; append its blocker to *blockers* and the dates its
        facts were last verified to *checked*."""
        c, v = self.country, self.vocab
        sd = c.steps[step_id]
        detail = [sd.detail.get(loc)]
        stated: list[FactLike] = []
        source_ids: list[str] = list(sd.sources)
        floor: list[Confidence] = []
        if sd.sources:
            floor.append(derived_confidence(sd.sources, c.sources))
        channel: Channel | None = None
        alternatives: tuple[Channel, ...] = ()
        preconditions: tuple[str, ...] = ()
        show_staff = None
        if sd.needs_operator:
            if op is None:
                detail.append(v.templates["operator_unknown"].get(loc))
                # how to do it depends on a company we do not know yet
                floor.append(Confidence.UNVERIFIED)
            else:
                proc = next(
                    (
                        p
                        for p, pred in self.procedures[op.id].get(step_id, ())
                        if _valid(p, today) and (pred is None or pred(ctx))
                    ),
                    None,
                )
                if proc is None:
                    detail.append(
                        v.templates["no_procedure"].get(loc).format(operator=op.name)
                    )
                    floor.append(Confidence.UNVERIFIED)
                else:
                    stated.append(proc)
                    if proc.detail is not None:
                        detail.append(proc.detail.get(loc))
                    show_staff = proc.show_staff
                    pres = [op.preconditions[p] for p in proc.preconditions]
                    pres = [p for p in pres if _valid(p, today)]
                    stated.extend(pres)
                    preconditions = tuple(p.text.get(loc) for p in pres)
                    usable, failures = self._choose(proc, op, s, today)
                    if usable:
                        channel, alternatives = usable[0], tuple(usable[1:])
                        stated.extend(usable)
                    elif failures:
                        blockers.append(self._blocker(sd, proc, failures, loc))
        if op is not None:
            for fact, pred in self.facts[op.id].get(step_id, ()):
                if _valid(fact, today) and (pred is None or pred(ctx)):
                    stated.append(fact)
                    detail.append(fact.text.get(loc))
        for fact, pred in self.country_facts.get(step_id, ()):
            if _valid(fact, today) and (pred is None or pred(ctx)):
                stated.append(fact)
                detail.append(fact.text.get(loc))
        checked.extend(c.sources[i].retrieved for i in sd.sources)
        for item in stated:
            source_ids.extend(item.sources)
            assert item.confidence is not None
            assert item.verified_on is not None
            floor.append(item.confidence)
            checked.append(item.verified_on)
        # The weakest of the facts the step states.  A step that states no
        # fact (plain advice such as backing up data) has nothing that could
        # be unverified, so the minimum over no facts is the top of the scale.
        confidence = min(floor, key=lambda x: x.rank, default=Confidence.VERIFIED)
        return Step(
            id=step_id,
            kind=sd.kind,
            urgent=sd.urgent,
            title=sd.title.get(loc),
            detail="\n".join(detail),
            channel=channel,
            alternatives=alternatives,
            preconditions=preconditions,
            show_staff=show_staff,
            after=tuple(a for a in sd.after if a in present),
            because=because,
            sources=tuple(c.sources[i] for i in dict.fromkeys(source_ids)),
            confidence=confidence,
        )

    def _choose(
        self, proc: Procedure, op: Operator, s: Situation, today: dt.date
    ) -> tuple[list[Channel], list[tuple[Channel, list[Requirement]]]]:
        sure: list[Channel] = []
        maybe: list[Channel] = []
        failures: list[tuple[Channel, list[Requirement]]] = []
        for cid in proc.channels:
            ch = op.channels[cid]
            if not _valid(ch, today):
                continue
            state, failed = _assess(ch, s)
            if state == 0:
                sure.append(ch)
            elif state == 1:
                maybe.append(ch)
            else:
                failures.append((ch, failed))
        return sure + maybe, failures

    def _blocker(
        self,
        sd: StepDefinition,
        proc: Procedure,
        failures: list[tuple[Channel, list[Requirement]]],
        loc: str,
    ) -> Notice:
        v = self.vocab
        t = v.templates
        sep = t["join"].get(loc)
        reasons = sep.join(
            t["channel_fails"]
            .get(loc)
            .format(
                channel=ch.name.get(loc),
                requirement=t["list"]
                .get(loc)
                .join(v.requirements[r.value].get(loc) for r in reqs),
            )
            for ch, reqs in failures
        )
        needed = sorted(
            {r for _, reqs in failures for r in reqs}, key=list(Requirement).index
        )
        unblock = sep.join(v.unblock[r.value].get(loc) for r in needed)
        text = (
            t["blocked"]
            .get(loc)
            .format(step=sd.title.get(loc), reasons=reasons, unblock=unblock)
        )
        ids = list(proc.sources) + [i for ch, _ in failures for i in ch.sources]
        return Notice(
            id=f"blocked-{sd.id}",
            text=text,
            sources=tuple(self.country.sources[i] for i in dict.fromkeys(ids)),
        )

    def _warnings(
        self,
        s: Situation,
        op: Operator | None,
        ctx: Context,
        loc: str,
        fallback: bool,
        today: dt.date,
        steps: list[Step],
        present: set[str],
        stale: list[str],
    ) -> list[Notice]:
        c, t = self.country, self.vocab.templates
        out: list[Notice] = []
        if fallback:
            out.append(Notice(id="locale-fallback", text=locale_fallback_text()))
        elif self._falls_back(loc):
            fell = c.notices.get(FALLBACK_NOTICE)
            text = fell.text.get(loc) if fell else fallback_language_text()
            out.append(Notice(id=FALLBACK_NOTICE, text=text))
        if op is not None and op.status_on(today) is OperatorStatus.DEFUNCT:
            assert op.defunct_since is not None
            out.append(
                Notice(
                    id="operator-defunct",
                    text=t["defunct"]
                    .get(loc)
                    .format(operator=op.name, date=op.defunct_since.isoformat()),
                    sources=tuple(c.sources[i] for i in op.sources),
                )
            )
        for notice, pred in self.notices:
            if pred is None or pred(ctx):
                out.append(
                    Notice(
                        id=notice.id,
                        text=notice.text.get(loc),
                        sources=tuple(c.sources[i] for i in notice.sources),
                    )
                )
        for claim in self.claims:
            a = claim.about
            if a.operators and s.operator is not None and s.operator not in a.operators:
                continue
            if a.cards and s.card not in a.cards:
                continue
            if a.steps and not present.intersection(a.steps):
                continue
            text = (
                t["claim"]
                .get(loc)
                .format(
                    claim=claim.claim.get(loc), correction=claim.correction.get(loc)
                )
            )
            ids = (*claim.sources, *claim.seen_in)
            out.append(
                Notice(id=claim.id, text=text, sources=tuple(c.sources[i] for i in ids))
            )
        names = t["list"].get(loc)
        unverified = [
            st.title for st in steps if st.confidence is Confidence.UNVERIFIED
        ]
        if unverified:
            out.append(
                Notice(
                    id="unverified-data",
                    text=t["unverified"].get(loc).format(steps=names.join(unverified)),
                )
            )
        if stale:
            out.append(
                Notice(
                    id="stale-data",
                    text=t["stale"].get(loc).format(steps=names.join(stale)),
                )
            )
        return out

    # -- explanations -----------------------------------------------------

    def _reasons(
        self, conds: list[Condition], ctx: Context, loc: str, *, want: bool
    ) -> str:
        ids = tuple(map(id, conds))
        fields = self._fields_for(ids, conds)
        key = (
            ids,
            want,
            loc,
            tuple(self._plain(f, ctx[f]) for f in fields),
        )
        memo = self._reason_cache
        cached: str | None = memo.new.get(key)
        if cached is None:
            cached = memo.recall(key)
        if cached is not None:
            return cached
        t = self.vocab.templates
        phrases: list[str] = []
        for cond in conds:
            for atom, outcome in explain(cond, ctx, want):
                phrase = self._phrase(atom, outcome, ctx, loc)
                if phrase not in phrases:
                    phrases.append(phrase)
        text = t["join"].get(loc).join(phrases)
        memo.put(key, text)
        return text

    def _fields_for(
        self, ids: tuple[int, ...], conds: list[Condition]
    ) -> tuple[str, ...]:
        fields = self._fields_memo.get(ids)
        if fields is None:
            fields = tuple(sorted({f for c in conds for f in fields_of(c)}))
            self._fields_memo[ids] = fields
        return fields

    def _plain(self, field: str, value: Any) -> Any:
        """*value* as it matters to conditions: money by threshold class."""
        if isinstance(value, Decimal):
            return _amount_class(value, self.thresholds.get(field, ()))
        return value

    def _phrase(self, atom: Compare, outcome: bool, ctx: Context, loc: str) -> str:
        t, v = self.vocab.templates, self.vocab
        field = v.fields[atom.field].get(loc) if atom.field in v.fields else atom.field
        actual = ctx[atom.field]
        if atom.op == "unknown":
            is_unknown = outcome if atom.value else not outcome
            return t["unknown" if is_unknown else "known"].get(loc).format(field=field)
        if actual is None:
            return t["unknown"].get(loc).format(field=field)
        if atom.op in ("greater_than", "less_than"):
            name = atom.op if outcome else f"not_{atom.op}"
            return t[name].get(loc).format(field=field, value=atom.value)
        if outcome or isinstance(actual, bool):
            # a failed yes/no test reads better as the answer given
            return (
                t["equals"]
                .get(loc)
                .format(field=field, value=self._value(atom.field, actual, loc))
            )
        values = atom.value if atom.op == "one_of" else (atom.value,)
        shown = t["or"].get(loc).join(self._value(atom.field, x, loc) for x in values)
        return t["not_equals"].get(loc).format(field=field, value=shown)

    def _value(self, field: str, value: Any, loc: str) -> str:
        v = self.vocab
        if isinstance(value, bool):
            return v.values["bool"][str(value).lower()].get(loc)
        if field == "operator":
            op = self.country.operators.get(value)
            return op.name if op else str(value)
        text: Text | None = v.values.get(field, {}).get(str(value))
        return text.get(loc) if text else str(value)


def _maybe(cond: Condition | None) -> Predicate | None:
    return None if cond is None else compile_condition(cond)


def _collect_dates(fact: FactLike, into: set[dt.date]) -> None:
    if fact.valid_from:
        into.add(fact.valid_from)
    if fact.valid_until:
        into.add(fact.valid_until)
    if fact.verified_on:
        into.add(stale_after(fact.verified_on) + dt.timedelta(days=1))


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


def _assess(ch: Channel, s: Situation) -> tuple[int, list[Requirement]]:
    """0: usable; 1: usable if an unknown turns out well; 2: not usable."""
    failed: list[Requirement] = []
    unsure = False
    for req in ch.requires:
        if req is Requirement.IN_COUNTRY:
            ok = None if s.location is None else s.location is Location.IN_COUNTRY
        elif req is Requirement.ID_DOCUMENT:
            ok = s.has_id_document
        elif req is Requirement.REGISTERED_OWNER:
            ok = s.registered_owner
        else:  # FROM_THE_NUMBER, DEVICE_IN_HAND
            ok = None if s.device is None else s.device is Device.IN_HAND
        if ok is None:
            unsure = True
        elif not ok:
            failed.append(req)
    if ch.reachable_from_abroad is False and Requirement.IN_COUNTRY not in ch.requires:
        if s.location is Location.ABROAD:
            failed.append(Requirement.IN_COUNTRY)
        elif s.location is None:
            unsure = True
    if failed:
        return 2, failed
    return (1 if unsure else 0), failed
