"""The baseline simexit has to beat: the same decisions, written by hand.

This is what a careful programmer would write without a rules engine: the
core and country rules as ``if``/``else`` on the Situation, the order of
the steps compiled once per country (a :mod:`graphlib` sort in
:func:`constants`, then a sort by position per call), channels chosen by checking requirements one
by one, and the same :class:`~simexit.Plan` and :class:`~simexit.Step`
objects built at the end.

Texts, channels, sources and the ``after`` lists are *constants* here, as
they would be in hand-written code: :func:`constants` copies them out of the
loaded data once, the way a programmer would have typed them in.  Every
decision that depends on the situation is made per call, in code, below.

``benchmarks/run.py`` checks that this baseline makes the same decisions as
:func:`simexit.plan_for` (step ids and order, channels, blockers, warnings)
for every situation it times, and reports any difference.
"""

from __future__ import annotations

import datetime as dt
import graphlib
from dataclasses import dataclass
from typing import Any

import simexit
from simexit import (
    Card,
    Channel,
    ChannelKind,
    Confidence,
    Device,
    Excluded,
    Fact,
    Location,
    Notice,
    Plan,
    Requirement,
    Situation,
    SourceKind,
    Step,
    StepKind,
)

PHONE = (Card.PHYSICAL_SIM, Card.ESIM)
WITH_DEVICE = (Card.PHYSICAL_SIM, Card.ESIM, Card.TRAVEL_ESIM)
EUICC = (Card.ESIM, Card.TRAVEL_ESIM)
GONE = (Device.LOST, Device.STOLEN)
DIALLED = (ChannelKind.HOTLINE, ChannelKind.SMS)


def stale_after(day: dt.date) -> dt.date:
    """18 months after *day* (the staleness rule of the data format)."""
    month = day.month - 1 + 18
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _positive(money: simexit.Money | None) -> bool:
    return money is not None and money.amount > 0


def _simple_condition(cond: Any) -> tuple[str, frozenset[Any]] | None:
    """The ``field in values`` test a hand-written program would use.

    Only the shapes the bundled data uses for procedures, facts and notices
    (``equals`` / ``one_of`` on one field) are supported; anything else is
    a sign that this baseline no longer matches the data.
    """
    if cond is None:
        return None
    from simexit._conditions import Compare

    if not isinstance(cond, Compare) or cond.op not in ("equals", "one_of"):
        raise ValueError(f"the hand-written baseline cannot express {cond!r}")
    values = cond.value if cond.op == "one_of" else (cond.value,)
    if cond.field in ("card", "billing", "location", "device"):
        enum = {
            "card": simexit.Card,
            "billing": simexit.Billing,
            "location": simexit.Location,
            "device": simexit.Device,
        }[cond.field]
        values = tuple(enum(v) for v in values)
    return cond.field, frozenset(values)


def _holds(test: tuple[str, frozenset[Any]] | None, s: Situation) -> bool:
    if test is None:
        return True
    field, values = test
    return getattr(s, field) in values


@dataclass
class Constants:
    """What a hand-written implementation would have as literals."""

    code: str
    #: The no-country-package notice's text, for a country with no package.
    no_package: dict[str, str] | None
    data_as_of: dt.date
    data_version: str
    operators: dict[str, Any]
    cards: tuple[Card, ...]
    rank: dict[str, tuple[int, str]]
    after: dict[str, tuple[str, ...]]
    #: step id -> its place in plan order (:func:`step_order`, once).
    position: dict[str, int]
    step_text: dict[str, dict[str, tuple[str, str]]]
    step_kind: dict[str, tuple[Any, bool, bool]]
    step_sources: dict[str, tuple[Any, ...]]
    procedures: dict[tuple[str, str], list[tuple[Any, Any]]]
    facts: dict[tuple[str, str], list[tuple[Any, Any]]]
    country_facts: dict[str, list[tuple[Any, Any]]]
    notices: list[tuple[Any, Any]]
    claims: list[Any]
    sources: dict[str, Any]
    because: dict[str, str]
    ruled: tuple[str, ...]
    defunct_since: dict[str, dt.date]
    step_floor: dict[str, Confidence]
    stale_after: dict[str, dt.date]
    no_procedure: dict[str, str]
    operator_unknown: dict[str, str]


def step_order(
    after: dict[str, tuple[str, ...]], rank: dict[str, tuple[int, str]]
) -> tuple[str, ...]:
    """Every step in plan order: a topological sort of the ``after`` graph,
    ties broken by rank (done once per country, as compiled code would)."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for sid, before in after.items():
        sorter.add(sid, *(a for a in before if a in after))
    sorter.prepare()
    order: list[str] = []
    ready = sorted(sorter.get_ready(), key=rank.__getitem__)
    while ready:
        node = ready.pop(0)
        order.append(node)
        sorter.done(node)
        ready = sorted([*ready, *sorter.get_ready()], key=rank.__getitem__)
    return tuple(order)


def constants(code: str) -> Constants:
    """Copy the literals of *code*'s data out of the loaded package."""
    c = simexit.load_country(code)
    locales = ("en", "zh-Hans", "zh-Hant")
    procs: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
    facts: dict[tuple[str, str], list[tuple[Any, Any]]] = {}
    for op in c.operators.values():
        for p in op.procedures.values():
            procs.setdefault((op.id, p.step), []).append((p, _simple_condition(p.when)))
        for f in op.facts.values():
            facts.setdefault((op.id, f.step), []).append((f, _simple_condition(f.when)))
    country_facts: dict[str, list[tuple[Any, Any]]] = {}
    for f in c.facts.values():
        country_facts.setdefault(f.step, []).append((f, _simple_condition(f.when)))
    return Constants(
        code=c.code,
        no_package=None
        if c.packaged
        else {loc: c.notices["no-country-package"].text.get(loc) for loc in locales},
        data_as_of=c.data_as_of,
        data_version=c.data_version,
        operators=dict(c.operators),
        cards=c.cards,
        rank=(rank := {sid: (sd.rank, sid) for sid, sd in c.steps.items()}),
        after=(after := {sid: sd.after for sid, sd in c.steps.items()}),
        position={sid: i for i, sid in enumerate(step_order(after, rank))},
        step_text={
            loc: {
                sid: (sd.title.get(loc), sd.detail.get(loc))
                for sid, sd in c.steps.items()
            }
            for loc in locales
        },
        step_kind={
            sid: (sd.kind, sd.urgent, sd.needs_operator) for sid, sd in c.steps.items()
        },
        step_sources={sid: sd.sources for sid, sd in c.steps.items()},
        procedures=procs,
        facts=facts,
        country_facts=country_facts,
        # fallback-language is added for a locale the packages lack, not by
        # a condition: every bundled package is complete in "en";
        # no-country-package only for a country without a package (below)
        notices=[
            (n, _simple_condition(n.when))
            for _, n in sorted(c.notices.items())
            if n.id not in ("fallback-language", "no-country-package")
        ],
        claims=sorted(c.claims.values(), key=lambda x: x.id),
        sources=c.sources,
        because={r.step: r.id for r in c.rules.values()},
        ruled=tuple(sorted({r.step for r in c.rules.values()})),
        defunct_since={
            op.id: op.defunct_since for op in c.operators.values() if op.defunct_since
        },
        step_floor={
            sid: (
                Confidence.VERIFIED
                if any(c.sources[i].kind is SourceKind.OFFICIAL for i in sd.sources)
                else Confidence.REPORTED
            )
            for sid, sd in c.steps.items()
        },
        stale_after={i: stale_after(src.retrieved) for i, src in c.sources.items()},
        no_procedure={
            loc: c.vocabulary.templates["no_procedure"].get(loc) for loc in locales
        },
        operator_unknown={
            loc: c.vocabulary.templates["operator_unknown"].get(loc) for loc in locales
        },
    )


def _needs_presence(ch: Channel) -> bool:
    """A short code (no ``tel:+`` uri), a channel not reachable from abroad,
    or a store not marked reachable: it works only in the country."""
    if ch.kind in DIALLED and not (ch.uri is not None and ch.uri.startswith("tel:+")):
        return True
    if ch.reachable_from_abroad is not None:
        return not ch.reachable_from_abroad
    return ch.kind is ChannelKind.STORE


def _usable(ch: Channel, s: Situation) -> int:
    """0: usable, 1: usable if an unknown turns out well, 2: not usable."""
    unsure = False
    for req in ch.requires:
        if req is Requirement.IN_COUNTRY:
            ok = None if s.location is None else s.location is Location.IN_COUNTRY
        elif req is Requirement.ID_DOCUMENT:
            ok = s.has_id_document
        elif req is Requirement.REGISTERED_OWNER:
            ok = s.registered_owner
        else:
            ok = None if s.device is None else s.device is Device.IN_HAND
        if ok is None:
            unsure = True
        elif not ok:
            return 2
    if _needs_presence(ch) and Requirement.IN_COUNTRY not in ch.requires:
        if s.location is Location.ABROAD:
            return 2
        if s.location is None:
            unsure = True
    return 1 if unsure else 0


def _choose(
    ids: Any, op: Any, s: Situation, today: dt.date
) -> tuple[list[Channel], bool]:
    """The usable channels *ids* of *op* (sure first), and whether one failed."""
    sure, maybe, failed = [], [], False
    for cid in ids:
        ch = op.channels[cid]
        if not _valid(ch, today):
            continue
        usable = _usable(ch, s)
        if usable == 0:
            sure.append(ch)
        elif usable == 1:
            maybe.append(ch)
        else:
            failed = True
    return sure + maybe, failed


def _fact_confidence(fact: Fact) -> Confidence:
    """A placeholder fact is unverified whatever it cites."""
    return Confidence.UNVERIFIED if fact.gap else fact.confidence


def _valid(fact: Any, today: dt.date) -> bool:
    return (fact.valid_from is None or fact.valid_from <= today) and (
        fact.valid_until is None or today < fact.valid_until
    )


def plan(k: Constants, s: Situation, locale: str, today: dt.date) -> Plan:
    """The plan for *s*, decided by hand-written code."""
    # -- validation, as plan_for does it
    if s.country != k.code:
        raise simexit.UnknownCountryError(s.country, (k.code,))
    op = k.operators.get(s.operator) if s.operator is not None else None
    if s.operator is not None and op is None:
        raise simexit.UnknownOperatorError(k.code, s.operator, tuple(k.operators))
    if s.card not in k.cards or (op is not None and s.card not in op.cards):
        raise simexit.InvalidSituationError("card", s.card, "a card of this country")

    defunct = (
        op is not None and op.id in k.defunct_since and today >= k.defunct_since[op.id]
    )
    card = s.card

    # -- the rules, one if per step
    steps: list[str] = []
    if s.device in GONE and card is not Card.TOURIST_CARD:
        steps.append("block-number")
    if s.operator is None and card is not Card.TOURIST_CARD:
        steps.append("identify-operator")
    if defunct or (s.operator is None and card in PHONE):
        steps.append("find-current-operator")
    if card in PHONE and not defunct:
        if s.arrears is None:
            steps.append("check-arrears")
        elif _positive(s.arrears):
            steps.append("pay-arrears")
        if s.balance is None:
            steps.append("check-balance")
        elif _positive(s.balance):
            steps.append("use-or-refund-balance")
    if card in WITH_DEVICE:
        steps.append("backup-data")
    named = s.accounts or frozenset()
    if not s.keep_number and card in WITH_DEVICE:
        for service in ("whatsapp", "telegram", "wechat", "bank"):
            if service in named:
                steps.append(f"move-{service}")
    if (
        not s.keep_number
        and (s.accounts is None or "other" in named)
        and (
            (card in PHONE and s.linked_accounts is not False)
            or (card is Card.TRAVEL_ESIM and s.linked_accounts is True)
        )
    ):
        steps.append("migrate-linked-accounts")
    if card is Card.TRAVEL_ESIM:
        steps.append("request-refund")
    if card in PHONE and not defunct:
        steps.append("port-number" if s.keep_number else "terminate-subscription")
    if s.autopay is not False and card in WITH_DEVICE:
        steps.append("stop-autopay")
    if card in PHONE and not defunct:
        steps.append("confirm-termination")
    if card in EUICC and s.other_esim_profiles is not False and s.device not in GONE:
        steps.append("check-esim-label")
    if card in EUICC and s.device not in GONE:
        steps.append("delete-esim-profile")
    if card is Card.PHYSICAL_SIM and s.device not in GONE:
        steps.append("destroy-sim")
    if card in WITH_DEVICE:
        steps.append("watch-statements")
    if card is Card.TOURIST_CARD:
        steps.append("no-action-needed")
    if k.code != "AZ" and defunct and "find-current-operator" in steps:
        steps.remove("find-current-operator")  # only AZ has the defunct rule

    # -- the order: the step graph's order, sorted once per country
    present = set(steps)
    ordered = sorted(present, key=k.position.__getitem__)

    # -- the steps, with channels chosen by hand
    texts = k.step_text[locale]
    built: list[Step] = []
    blockers: list[Notice] = []
    for sid in ordered:
        kind, urgent, needs_operator = k.step_kind[sid]
        title, detail = texts[sid]
        details = [detail]
        channel = None
        alternatives: tuple[Channel, ...] = ()
        source_ids = list(k.step_sources[sid])
        floor = [k.step_floor[sid]] if k.step_sources[sid] else []
        preconditions: tuple[str, ...] = ()
        show_staff = None
        chosen: list[Channel] = []
        if needs_operator and op is None:
            details.append(k.operator_unknown[locale])
            floor.append(Confidence.UNVERIFIED)  # depends on a company not known
            # one notice for every action while the operator is unknown
            if kind is StepKind.ACTION and not any(
                b.id == "blocked-operator-unknown" for b in blockers
            ):
                blockers.append(Notice(id="blocked-operator-unknown", text=title))
        elif needs_operator and op is not None:
            proc = None
            for p, test in k.procedures.get((op.id, sid), ()):
                if _valid(p, today) and _holds(test, s):
                    proc = p
                    break
            if proc is None:
                # no procedure: ask through the operator's contacts
                details.append(k.no_procedure[locale].format(operator=op.name))
                floor.append(Confidence.UNVERIFIED)
                chosen, failed = _choose(op.contacts, op, s, today)
                if not chosen and (failed or kind is StepKind.ACTION):
                    blockers.append(Notice(id=f"blocked-{sid}", text=title))
            else:
                if proc.detail is not None:
                    details.append(proc.detail.get(locale))
                show_staff = proc.show_staff
                source_ids.extend(proc.sources)
                floor.append(proc.confidence)
                pres = [op.preconditions[i] for i in proc.preconditions]
                pres = [x for x in pres if _valid(x, today)]
                for x in pres:
                    source_ids.extend(x.sources)
                    floor.append(x.confidence)
                preconditions = tuple(x.text.get(locale) for x in pres)
                chosen, failed = _choose(proc.channels, op, s, today)
                # a procedure with no channels at all is never blocked
                if proc.channels and not chosen and (failed or kind is StepKind.ACTION):
                    blockers.append(Notice(id=f"blocked-{sid}", text=title))
            if chosen:
                channel, alternatives = chosen[0], tuple(chosen[1:])
                for ch in chosen:
                    source_ids.extend(ch.sources)
                    assert ch.confidence is not None  # the loader sets it
                    floor.append(ch.confidence)
        if op is not None:
            for fact, test in k.facts.get((op.id, sid), ()):
                if _valid(fact, today) and _holds(test, s):
                    details.append(fact.text.get(locale))
                    source_ids.extend(fact.sources)
                    floor.append(_fact_confidence(fact))
        for fact, test in k.country_facts.get(sid, ()):
            if _valid(fact, today) and _holds(test, s):
                details.append(fact.text.get(locale))
                source_ids.extend(fact.sources)
                floor.append(_fact_confidence(fact))
        # stating and citing nothing is general advice, not verified
        confidence = floor[0] if floor else Confidence.GENERAL
        for c in floor:
            if c.rank < confidence.rank:
                confidence = c
        built.append(
            Step(
                id=sid,
                kind=kind,
                urgent=urgent,
                title=title,
                detail="\n".join(details),
                channel=channel,
                alternatives=alternatives,
                preconditions=preconditions,
                show_staff=show_staff,
                after=tuple(a for a in k.after[sid] if a in present),
                because=(k.because[sid],),
                rules=(k.because[sid],),
                sources=tuple(k.sources[i] for i in dict.fromkeys(source_ids)),
                confidence=confidence,
            )
        )

    # -- warnings
    warnings: list[Notice] = []
    if k.no_package is not None:
        warnings.append(Notice(id="no-country-package", text=k.no_package[locale]))
    if defunct:
        assert op is not None  # defunct is only true for a named operator
        warnings.append(Notice(id="operator-defunct", text=op.name))
    for notice, test in k.notices:
        if _holds(test, s):
            warnings.append(Notice(id=notice.id, text=notice.text.get(locale)))
    for claim in k.claims:
        a = claim.about
        if not (a.operators or a.cards or a.everyone):
            continue
        if a.operators and s.operator is not None and s.operator not in a.operators:
            continue
        if a.cards and card not in a.cards:
            continue
        if a.steps and not present.intersection(a.steps):
            continue
        warnings.append(Notice(id=claim.id, text=claim.correction.get(locale)))
    unverified = [st.title for st in built if st.confidence is Confidence.UNVERIFIED]
    if unverified:
        warnings.append(Notice(id="unverified-data", text=", ".join(unverified)))
    stale = [
        st.title
        for st in built
        if any(
            src.kind is not SourceKind.CLAIM and today > k.stale_after[src.id]
            for src in st.sources
        )
    ]
    if stale:
        warnings.append(Notice(id="stale-data", text=", ".join(stale)))
    excluded = tuple(
        Excluded(id=sid, reason=k.because[sid]) for sid in k.ruled if sid not in present
    )
    return Plan(
        situation=s,
        locale=locale,
        today=today,
        steps=tuple(built),
        warnings=tuple(warnings),
        blockers=tuple(blockers),
        excluded=excluded,
        data_as_of=k.data_as_of,
        data_version=k.data_version,
    )


def decisions(p: Plan) -> tuple[Any, ...]:
    """What must agree between the baseline and plan_for."""
    return (
        tuple(
            (
                st.id,
                st.channel.id if st.channel else None,
                tuple(c.id for c in st.alternatives),
                st.after,
            )
            for st in p.steps
        ),
        tuple(b.id for b in p.blockers),
        tuple(w.id for w in p.warnings),
        tuple(st.confidence for st in p.steps),
        tuple(sorted(e.id for e in p.excluded)),
    )
