"""The planner: how a plan is decided, in plain functions.

Read :func:`plan` first; it tells the whole story in a few lines:

1. :func:`check` refuses a situation the country's data cannot plan;
2. :func:`rule` decides, step by step, whether a step is in the plan (one of
   its rules holds) and why, or why it is left out (see ``_reasons``);
3. ``_steps.make_step`` writes each step that is in: its detail, the
   procedure of the operator, the channel chosen (``choose_channels``),
   the blocker when no channel can be used (``blocker_for``), its
   sources and ``confidence``;
4. the warnings are added (``_warnings``), and the plan keeps the steps in
   the order :func:`step_order` fixed for the country.

Nothing here is memoised: :mod:`simexit._engine` makes the same plans fast,
and a property test (``tests/test_planner.py``) proves both give the same.
"""

from __future__ import annotations

import datetime as dt
import graphlib
from collections.abc import Iterable
from typing import Generic, NamedTuple, TypeVar

from ._anywhere import NO_PACKAGE_NOTICE
from ._conditions import Condition, Context, Predicate, compile_condition
from ._due import DueWindows, prepare_windows, with_due
from ._locales import FALLBACK_NOTICE
from ._model import (
    Claim,
    Country,
    Fact,
    NoticeDefinition,
    Operator,
    Procedure,
    StepDefinition,
)
from ._plan import Excluded, Plan
from ._reasons import reasons
from ._situation import Situation
from ._steps import make_step, merge_blockers
from ._warnings import warnings
from .exceptions import InvalidSituationError, UnknownOperatorError

_T = TypeVar("_T")


# -- the country, arranged for planning (once per country) --------------------


class Guard:
    """A condition from the data, with its compiled test.

    This record and the others of the planner are plain slotted classes,
    not attrs classes: nothing compares, shows or converts them, and
    building an attrs class at import costs more (see ``_methods``)."""

    __slots__ = ("condition", "test")

    def __init__(self, condition: Condition, test: Predicate) -> None:
        self.condition = condition
        self.test = test

    @classmethod
    def of(cls, condition: Condition) -> Guard:
        return cls(condition, compile_condition(condition))


class Guarded(Generic[_T]):
    """A procedure, fact or notice, and the condition it applies under."""

    __slots__ = ("guard", "item")

    def __init__(self, item: _T, guard: Guard | None) -> None:
        self.item = item
        self.guard = guard

    def holds(self, ctx: Context) -> bool:
        """Whether the item applies (always, if it has no condition)."""
        return self.guard is None or self.guard.test(ctx)


class RuledStep:
    """A step that rules can put into a plan, and those rules (by rule id).

    *rule_ids* holds the id of each rule in *rules*, in the same order: a
    country rule's id in ``rules.toml``, or for a step's inline ``when``
    the step's id."""

    __slots__ = ("definition", "rule_ids", "rules")

    def __init__(
        self,
        definition: StepDefinition,
        rules: tuple[Guard, ...],
        rule_ids: tuple[str, ...],
    ) -> None:
        self.definition = definition
        self.rules = rules
        self.rule_ids = rule_ids


class Prepared:
    """A country's data arranged for planning; built by :func:`prepare`."""

    __slots__ = (
        "claims",
        "country",
        "country_facts",
        "notices",
        "operator_facts",
        "procedures",
        "steps",
        "windows",
    )

    def __init__(
        self,
        *,
        country: Country,
        steps: tuple[RuledStep, ...],
        procedures: dict[str, dict[str, tuple[Guarded[Procedure], ...]]],
        operator_facts: dict[str, dict[str, tuple[Guarded[Fact], ...]]],
        country_facts: dict[str, tuple[Guarded[Fact], ...]],
        notices: tuple[Guarded[NoticeDefinition], ...],
        claims: tuple[Claim, ...],
        windows: DueWindows,
    ) -> None:
        self.country = country
        #: Every step some rule can put into a plan, in the order of plans.
        self.steps = steps
        #: operator id -> step id -> the operator's procedures for the step.
        self.procedures = procedures
        #: operator id -> step id -> the operator's facts shown in the step.
        self.operator_facts = operator_facts
        #: step id -> the country's facts shown in the step.
        self.country_facts = country_facts
        #: The country's notices, by id.
        self.notices = notices
        #: The claims seen in the wild, by id.
        self.claims = claims
        #: The operators' windows that make steps due (see ``_due``).
        self.windows = windows


def prepare(country: Country) -> Prepared:
    """Group *country*'s rules, procedures and facts by step, in plan order."""
    position = step_order(country.steps)
    rules: dict[str, list[Guard]] = {}
    ids: dict[str, list[str]] = {}
    for rid, rule_ in sorted(country.rules.items()):
        rules.setdefault(rule_.step, []).append(Guard.of(rule_.when))
        ids.setdefault(rule_.step, []).append(rid)
    return Prepared(
        country=country,
        steps=tuple(
            RuledStep(country.steps[sid], tuple(rules[sid]), tuple(ids[sid]))
            for sid in sorted(rules, key=position.__getitem__)
        ),
        procedures={
            op.id: _by_step(op.procedures.values()) for op in country.operators.values()
        },
        operator_facts={
            op.id: _by_step(op.facts.values()) for op in country.operators.values()
        },
        country_facts=_by_step(country.facts.values()),
        notices=tuple(
            Guarded(n, _guard(n.when))
            for _, n in sorted(country.notices.items())
            # added by warnings() only, once
            if n.id not in (FALLBACK_NOTICE, NO_PACKAGE_NOTICE)
        ),
        claims=tuple(sorted(country.claims.values(), key=lambda c: c.id)),
        windows=prepare_windows(country),
    )


_Stepped = TypeVar("_Stepped", Procedure, Fact)


def _by_step(items: Iterable[_Stepped]) -> dict[str, tuple[Guarded[_Stepped], ...]]:
    """*items* grouped by their step, in the data's order."""
    out: dict[str, list[Guarded[_Stepped]]] = {}
    for item in items:
        out.setdefault(item.step, []).append(Guarded(item, _guard(item.when)))
    return {step: tuple(found) for step, found in out.items()}


def _guard(condition: Condition | None) -> Guard | None:
    return None if condition is None else Guard.of(condition)


def step_order(steps: dict[str, StepDefinition]) -> dict[str, int]:
    """Each step's place in plans: a topological order of the ``after``
    graph, ties broken by (rank, id)."""
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


# -- one plan -----------------------------------------------------------------


class Case:
    """What one plan is decided for: the situation and what is read from it."""

    __slots__ = ("context", "fallback", "locale", "operator", "situation", "today")

    def __init__(
        self,
        *,
        situation: Situation,
        operator: Operator | None,
        context: Context,
        locale: str,
        fallback: bool,
        today: dt.date,
    ) -> None:
        self.situation = situation
        #: The situation's operator, or None when it is not known.
        self.operator = operator
        #: The situation as conditions see it (see :func:`context`).
        self.context = context
        self.locale = locale
        #: Whether the locale asked for is not available (the plan is in
        #: *locale*).
        self.fallback = fallback
        self.today = today


class Ruling(NamedTuple):
    """Whether a step is in a plan: why it is, or why it is left out."""

    step: str
    #: One explanation per rule that holds, in rule id order.
    because: tuple[str, ...] = ()
    excluded: Excluded | None = None
    #: The ids of the rules that hold, in the order of *because*.
    rules: tuple[str, ...] = ()


def plan(
    prepared: Prepared,
    situation: Situation,
    locale: str,
    fallback: bool,
    today: dt.date,
) -> Plan:
    """The plan for *situation* in *locale* on *today*, decided from scratch.

    *locale* is a supported locale; *fallback* says that it replaces the one
    asked for.  Raises what :func:`check` raises.
    """
    country = prepared.country
    operator = check(country, situation)
    case = Case(
        situation=situation,
        operator=operator,
        context=context(situation, operator, today),
        locale=locale,
        fallback=fallback,
        today=today,
    )
    rulings = [(ruled, rule(country, ruled, case)) for ruled in prepared.steps]
    present = {ruling.step for _, ruling in rulings if ruling.excluded is None}
    made = [
        make_step(prepared, ruled, ruling.because, case, present, rules=ruling.rules)
        for ruled, ruling in rulings
        if ruling.excluded is None
    ]
    steps = tuple(m.step for m in made)
    stale = [m.step.title for m in made if m.stale_on(today)]
    found = warnings(prepared, case, steps, stale)  # of the undated steps
    return Plan(
        situation=situation,
        locale=locale,
        today=today,
        steps=with_due(
            prepared.windows, country, situation, case.context, locale, today, steps
        ),
        warnings=found,
        blockers=merge_blockers(m.blocker for m in made if m.blocker is not None),
        excluded=tuple(r.excluded for _, r in rulings if r.excluded is not None),
        data_as_of=country.data_as_of,
        data_version=country.data_version,
    )


def check(country: Country, situation: Situation) -> Operator | None:
    """The situation's operator, once the data is known to cover the situation.

    Raises :class:`UnknownOperatorError` for an operator the country does not
    have, and :class:`InvalidSituationError` for a card the country's data
    does not cover or its operator does not provide.
    """
    c, s = country, situation
    if s.operator is not None and s.operator not in c.operators:
        raise UnknownOperatorError(c.code, s.operator, tuple(sorted(c.operators)))
    if s.card not in c.cards:
        raise InvalidSituationError(
            "card",
            s.card.value,
            f"one of the cards {c.code} data covers: "
            + ", ".join(card.value for card in c.cards),
        )
    if s.operator is None:
        return None
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
    return op


def context(s: Situation, op: Operator | None, today: dt.date) -> Context:
    """The situation as conditions see it: plain values, None for unknown."""
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
        "accounts": s.accounts,
    }


def rule(country: Country, ruled: RuledStep, case: Case) -> Ruling:
    """Whether the step is in the plan: it is when any of its rules holds.

    It is in *because* of every rule that holds (one explanation each, and
    the rule's id in *rules*, in rule id order); it is left out with the
    reason none of them holds.
    """
    sid = ruled.definition.id
    ctx, loc = case.context, case.locale
    held = [
        (g.condition, rid)
        for g, rid in zip(ruled.rules, ruled.rule_ids, strict=True)
        if g.test(ctx)
    ]
    if held:
        because = tuple(reasons(country, [c], ctx, loc, want=True) for c, _ in held)
        return Ruling(sid, because=because, rules=tuple(rid for _, rid in held))
    conditions = [g.condition for g in ruled.rules]
    reason = reasons(country, conditions, ctx, loc, want=False)
    return Ruling(sid, excluded=Excluded(id=sid, reason=reason))
