"""Plans carry only the claim corrections that touch their operator and card."""

from __future__ import annotations

import attrs
import pytest

import simexit
from simexit._model import ClaimAbout
from simexit._planner import Case, context, prepare
from simexit._warnings import touches

from .conftest import plan

#: Claims about cancelling in general, which an Azercell eSIM holder who
#: owes nothing known and moves no number has no reason to have met.
GENERIC = {
    "claim-online-cancel-menu",
    "claim-pay-arrears-first",
    "claim-spend-balance",
    "claim-cancellation-certificate",
}


def _claims(p: simexit.Plan) -> set[str]:
    return {w.id for w in p.warnings if w.id.startswith("claim-")}


class TestClaimsTouch:
    def test_an_azercell_esim_plan_shows_only_its_operator_and_card(self):
        shown = _claims(plan(operator="azercell", card="esim"))
        assert shown == {
            "claim-azercell-111",
            "claim-azercell-900",
            "claim-hotlines-free",
            "claim-esim-sms-cancel",
        }
        assert not shown & GENERIC

    def test_a_claim_for_everyone_waits_for_its_step(self):
        """Owing money brings in the correction about paying debts first."""
        owes = _claims(
            plan(operator="azercell", card="esim", arrears=simexit.Money("4.50", "AZN"))
        )
        assert "claim-pay-arrears-first" in owes
        assert "claim-pay-arrears-first" not in _claims(
            plan(operator="azercell", card="esim", arrears=simexit.Money("0", "AZN"))
        )

    def test_another_operators_claims_stay_out(self):
        shown = _claims(plan(operator="bakcell", card="esim"))
        assert "claim-azercell-111" not in shown
        assert "claim-bakcell-102" in shown

    def test_an_unknown_operator_may_be_any_named_one(self):
        shown = _claims(plan(card="physical_sim"))
        assert {"claim-azercell-111", "claim-bakcell-102"} <= shown

    def test_a_card_the_claim_is_not_about_stays_out(self):
        assert _claims(plan(operator="airalo", card="travel_esim")) == set()

    def test_scam_warnings_stay_for_everyone(self):
        for card in ("physical_sim", "esim", "travel_esim"):
            ids = {w.id for w in plan(card=card).warnings}
            assert "scam-third-party-agents" in ids

    @pytest.mark.parametrize("everyone", [False, True])
    def test_a_claim_about_nobody_touches_no_plan(self, everyone, today):
        country = simexit.load_country("AZ")
        claim = next(c for c in prepare(country).claims if c.id == "claim-azercell-111")
        bare = attrs.evolve(claim, about=ClaimAbout(everyone=everyone))
        s = simexit.Situation(country="AZ", operator="azercell", card="esim")
        op = country.operators["azercell"]
        case = Case(
            situation=s,
            operator=op,
            context=context(s, op, today),
            locale="en",
            fallback=False,
            today=today,
        )
        assert touches(bare, case, set()) is everyone
