"""The domain order every plan must respect, as one reusable check."""

from __future__ import annotations

import datetime as dt
import functools
import itertools

import simexit
import simexit.model

OPERATOR_STEPS = {
    "check-arrears",
    "pay-arrears",
    "check-balance",
    "use-or-refund-balance",
    "request-refund",
    "port-number",
    "terminate-subscription",
    "confirm-termination",
}
LOSES_NUMBER = ("terminate-subscription", "port-number")
#: The step of each named service (Situation.accounts).
MOVES = {
    "whatsapp": "move-whatsapp",
    "telegram": "move-telegram",
    "wechat": "move-wechat",
    "bank": "move-bank",
}


def order_problems(plan: simexit.Plan) -> list[str]:
    """Every way *plan* breaks the domain order (empty when it respects it)."""
    ids = [s.id for s in plan.steps]
    pos = {sid: i for i, sid in enumerate(ids)}
    s = plan.situation
    out: list[str] = []

    def before(a: str, b: str) -> None:
        if a in pos and b in pos and pos[a] >= pos[b]:
            out.append(f"{a} must come before {b}: {ids}")

    if len(set(ids)) != len(ids):
        out.append(f"duplicate steps: {ids}")
    for step in plan.steps:
        for dep in step.after:
            if dep not in pos or pos[dep] >= pos[step.id]:
                out.append(f"{step.id}.after names {dep}, which is not earlier: {ids}")
    # a lost or stolen device: block first, urgently
    if (
        s.device in (simexit.Device.LOST, simexit.Device.STOLEN)
        and s.card is not simexit.Card.TOURIST_CARD
    ):
        if not ids or ids[0] != "block-number":
            out.append(f"block-number must be first: {ids}")
        elif not plan.steps[0].urgent:
            out.append("block-number must be urgent")
    elif "block-number" in pos:
        out.append(f"block-number without a lost or stolen device: {ids}")
    # an unknown operator is identified before anything operator-specific
    if s.operator is None and s.card is not simexit.Card.TOURIST_CARD:
        if "identify-operator" not in pos:
            out.append(f"identify-operator missing: {ids}")
        for sid in OPERATOR_STEPS:
            before("identify-operator", sid)
    # money and accounts are settled before the number goes
    for end in LOSES_NUMBER:
        for first in (
            "migrate-linked-accounts",
            *MOVES.values(),
            "pay-arrears",
            "use-or-refund-balance",
            "backup-data",
        ):
            before(first, end)
    # every named service is moved, unless the number is kept; before the
    # eSIM is deleted too
    line = s.card is not simexit.Card.TOURIST_CARD
    for service, move in MOVES.items():
        named = s.accounts is not None and service in s.accounts
        if named and line and not s.keep_number and move not in pos:
            out.append(f"{service} is named but {move} is not planned: {ids}")
        if move in pos and not named:
            out.append(f"{move} is planned but {service} is not named: {ids}")
        before(move, "delete-esim-profile")
    # the contract ends before the profile is deleted; refunds before deletion
    for first in (
        "terminate-subscription",
        "request-refund",
        "port-number",
        "confirm-termination",
    ):
        before(first, "delete-esim-profile")
    before("confirm-termination", "destroy-sim")
    before("terminate-subscription", "confirm-termination")
    # a kept number is ported, not terminated, and needs no migration
    if s.keep_number:
        for banned in (
            "terminate-subscription",
            "migrate-linked-accounts",
            *MOVES.values(),
        ):
            if banned in pos:
                out.append(f"keep_number but {banned} is planned: {ids}")
    # unknowns become checks, never assumptions
    sim_cards = (simexit.Card.PHYSICAL_SIM, simexit.Card.ESIM)
    live = plan.warnings and not any(w.id == "operator-defunct" for w in plan.warnings)
    if s.card in sim_cards and live:
        if s.arrears is None and "check-arrears" not in pos:
            out.append(f"unknown arrears but no check-arrears: {ids}")
        if s.balance is None and "check-balance" not in pos:
            out.append(f"unknown balance but no check-balance: {ids}")
        if s.arrears is not None and s.arrears.amount > 0 and "pay-arrears" not in pos:
            out.append(f"arrears but no pay-arrears: {ids}")
    if s.card not in sim_cards:
        for banned in (
            "check-arrears",
            "pay-arrears",
            "check-balance",
            "use-or-refund-balance",
            "terminate-subscription",
        ):
            if banned in pos:
                out.append(f"{banned} planned for {s.card.value}: {ids}")
    if s.card is simexit.Card.TOURIST_CARD and ids != ["no-action-needed"]:
        out.append(f"an e-visa needs no action: {ids}")
    if s.card is simexit.Card.TRAVEL_ESIM and "request-refund" not in pos:
        out.append(f"travel eSIM without request-refund: {ids}")
    for step in plan.steps:
        if not step.because or not all(step.because):
            out.append(f"{step.id} does not explain itself")
    return out


def _support(
    country: simexit.Country, operator: str | None, step_id: str
) -> tuple[set[str], tuple[simexit.model.Fact, ...]]:
    """For *step_id*: the ids of the sources cited by what the step may
    state but placeholders (its definition, the operator's procedures with
    their channels and preconditions, the facts that are not placeholders),
    and the placeholders that may be shown on it."""
    real: set[str] = set(country.steps[step_id].sources)
    found = [f for f in country.facts.values() if f.step == step_id]
    op = country.operators.get(operator) if operator else None
    if op is not None:
        found.extend(f for f in op.facts.values() if f.step == step_id)
        for p in op.procedures.values():
            if p.step == step_id:
                real.update(p.sources)
                for c in p.channels:
                    real.update(op.channels[c].sources)
                for pre in p.preconditions:
                    real.update(op.preconditions[pre].sources)
    real.update(s for f in found if not f.gap for s in f.sources)
    return real, tuple(f for f in found if f.gap)


def confidence_problems(plan: simexit.Plan, country: simexit.Country) -> list[str]:
    """Every label of *plan* that claims more than its sources: a verified
    step needs an official source cited by something that is not a
    placeholder; a step showing a placeholder is at most unverified; general
    advice cites nothing."""
    out: list[str] = []
    loc = plan.locale
    for step in plan.steps:
        real, gaps = _support(country, plan.situation.operator, step.id)
        if step.confidence is simexit.Confidence.VERIFIED and not any(
            src.kind is simexit.SourceKind.OFFICIAL and src.id in real
            for src in step.sources
        ):
            out.append(f"{step.id}: verified without an official source ({loc})")
        shown = [g.id for g in gaps if g.text.get(loc) in step.detail]
        if shown and step.confidence.rank > simexit.Confidence.UNVERIFIED.rank:
            out.append(f"{step.id}: {step.confidence.value} with placeholders {shown}")
        if step.confidence is simexit.Confidence.GENERAL and step.sources:
            out.append(f"{step.id}: general advice that cites sources ({loc})")
    return out


#: "Ask the operator through its official channels" without naming them,
#: in each locale: a plan names the channels or blocks the step instead.
GENERIC_ASK = (
    "official channels",
    "官方渠道询问",
    "官方管道詢問",
    "официальные каналы",
)


@functools.cache
def _step_definitions(code: str) -> dict[str, simexit.model.StepDefinition]:
    return simexit.load_country(code).steps


def _needs_no_channel(situation: simexit.Situation, step_id: str) -> bool:
    """The operator publishes a procedure for *step_id* that uses no channel
    (nothing to cancel: the SIM ends by itself)."""
    if situation.operator is None:
        return False
    op = simexit.load_country(situation.country).operators.get(situation.operator)
    return op is not None and any(
        p.step == step_id and not p.channels for p in op.procedures.values()
    )


def channel_problems(plan: simexit.Plan) -> list[str]:
    """Every way *plan* leaves a person without a way to act (empty if none).

    Every action the operator carries out (a step whose definition
    ``needs_operator``) has a channel, or a blocker whose ``steps`` names
    it; every blocker names steps of the plan; abroad, no channel shown
    (chosen or alternative) needs presence in the country, and every
    hotline or SMS number shown is international (``tel:+``).
    """
    steps = _step_definitions(plan.situation.country)
    blocked = {sid for b in plan.blockers for sid in b.steps}
    ids = set(plan.step_ids)
    out: list[str] = []
    for b in plan.blockers:
        if not b.steps or not set(b.steps) <= ids:
            out.append(f"blocker {b.id} names {b.steps}, not steps of {sorted(ids)}")
    abroad = plan.situation.location is simexit.Location.ABROAD
    for step in plan.steps:
        sd = steps[step.id]
        if any(phrase in step.detail for phrase in GENERIC_ASK):
            out.append(f"{step.id}: asks through unnamed official channels")
        if (
            sd.kind is simexit.StepKind.ACTION
            and sd.needs_operator
            and step.channel is None
            and step.id not in blocked
            and not _needs_no_channel(plan.situation, step.id)
        ):
            out.append(f"{step.id}: an action with no channel and no blocker")
        if not abroad:
            continue
        for ch in (*((step.channel,) if step.channel else ()), *step.alternatives):
            if simexit.Requirement.IN_COUNTRY in ch.requires:
                out.append(f"{step.id}: abroad, {ch.id} needs presence")
            if ch.reachable_from_abroad is False:
                out.append(f"{step.id}: abroad, {ch.id} is not reachable from abroad")
            if ch.kind in (
                simexit.ChannelKind.HOTLINE,
                simexit.ChannelKind.SMS,
            ) and not (ch.uri or "").startswith("tel:+"):
                out.append(f"{step.id}: abroad, {ch.id} ({ch.contact}) is a short code")
    return out


def own_items(country: simexit.Country) -> list[simexit.model.Evidence]:
    """The sourced records the country package itself defines (its
    operators' channels, preconditions, procedures and facts, and its own
    country facts), placeholders left out."""
    out: list[simexit.model.Evidence] = []
    for op_id in country.package_operators:
        op = country.operators[op_id]
        for table in ("channels", "preconditions", "procedures", "facts"):
            out.extend(getattr(op, table).values())
    out.extend(country.facts[f] for f in country.package_facts)
    return [x for x in out if not getattr(x, "gap", False)]


def official_share_by_hand(country: simexit.Country) -> float:
    """The share of :func:`own_items` verified on an official source,
    counted again here as a check of ``simexit._coverage``."""
    items = own_items(country)
    stated = [
        x
        for x in items
        if x.confidence is simexit.Confidence.VERIFIED
        and any(
            country.sources[s].kind is simexit.SourceKind.OFFICIAL for s in x.sources
        )
    ]
    return len(stated) / len(items)


def plan_every_point(country: simexit.Country, today: dt.date) -> int:
    """Plan every operator (and unknown) × card × location × device of
    *country* in every locale, checking each plan has steps and needs no
    English fallback; how many were planned."""
    count = 0
    for op in (None, *sorted(country.operators)):
        cards = country.cards if op is None else country.operators[op].cards
        for card, location, device, locale in itertools.product(
            cards,
            (None, *simexit.Location),
            (None, *simexit.Device),
            ("en", "ru", "zh-Hans", "zh-Hant"),
        ):
            situation = simexit.Situation(
                country=country.code,
                operator=op,
                card=card,
                location=location,
                device=device,
            )
            plan = simexit.plan_for(situation, locale=locale, today=today)
            assert plan.steps, situation
            assert "fallback-language" not in {w.id for w in plan.warnings}
            count += 1
    return count
