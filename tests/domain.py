"""The domain order every plan must respect, as one reusable check."""

from __future__ import annotations

import functools

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
            "pay-arrears",
            "use-or-refund-balance",
            "backup-data",
        ):
            before(first, end)
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
        for banned in ("terminate-subscription", "migrate-linked-accounts"):
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
