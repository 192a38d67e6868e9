"""The bundled UAE package: operators, languages, evidence and plans."""

from __future__ import annotations

import datetime as dt

import pytest

import simexit
from simexit import Confidence
from simexit.testing import check_scenarios

from .domain import official_share_by_hand, plan_every_point

DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def emirates() -> simexit.Country:
    return simexit.load_country("AE")


def test_the_uae_is_bundled_with_its_three_operators(emirates):
    """e&, du and Virgin Mobile UAE, each with its own domain."""
    assert "AE" in simexit.countries()
    assert {"etisalat", "du", "virgin-mobile"} <= set(emirates.package_operators)
    domains = {
        op: emirates.operators[op].domains for op in ("etisalat", "du", "virgin-mobile")
    }
    assert domains == {
        "etisalat": ("etisalat.ae",),
        "du": ("du.ae",),
        "virgin-mobile": ("virginmobile.ae",),
    }


def test_the_currency_is_the_dirham_with_fils(emirates):
    """Money in dirhams has two decimals (CLDR)."""
    assert emirates.currency == "AED"
    assert simexit.Money("1.50", "AED").amount == simexit.Money("1.5", "AED").amount


def test_staff_sentences_are_in_arabic(emirates):
    """Staff sentences are written in Arabic (ar) and marked unreviewed."""
    assert emirates.languages == ("ar",)
    notes = [
        proc.show_staff
        for op_id in emirates.package_operators
        for proc in emirates.operators[op_id].procedures.values()
        if proc.show_staff is not None
    ]
    assert len(notes) >= 3
    for note in notes:
        ((lang, sentence),) = note.languages()
        assert lang == "ar"
        assert any("\u0600" <= ch <= "\u06ff" for ch in sentence)  # Arabic script
        assert note.reviewed is False


def test_most_facts_rest_on_an_official_page_that_states_them(emirates):
    """At least 60 % official, placeholders (gap = true) not counted."""
    assert official_share_by_hand(emirates) >= 0.6
    assert emirates.official_share() >= 0.6


def test_ending_an_e_and_or_du_line_is_only_reported(emirates):
    """Only a newspaper describes it: the procedures are never verified."""
    for op_id in ("etisalat", "du"):
        proc = emirates.operators[op_id].procedures["terminate"]
        assert proc.confidence is Confidence.REPORTED, op_id


def test_the_e_and_hotline_is_never_offered_abroad():
    """101 is a short code: from abroad only the app remains, and ending the
    line (hotline or business centre) is blocked."""
    plan = simexit.plan_for(
        simexit.Situation(
            country="AE",
            operator="etisalat",
            billing="postpaid",
            location="abroad",
            registered_owner=True,
        ),
        today=DAY,
    )
    assert "blocked-terminate-subscription" in {b.id for b in plan.blockers}
    pay = simexit.plan_for(
        simexit.Situation(
            country="AE",
            operator="etisalat",
            arrears=simexit.Money("20", "AED"),
            location="abroad",
            registered_owner=True,
        ),
        today=DAY,
    ).step("pay-arrears")
    assert pay is not None and pay.channel is not None
    assert pay.channel.id == "app"


def test_virgin_mobile_is_ended_in_its_app_from_anywhere():
    plan = simexit.plan_for(
        simexit.Situation(
            country="AE",
            operator="virgin-mobile",
            location="abroad",
            registered_owner=True,
        ),
        today=DAY,
    )
    step = plan.step("terminate-subscription")
    assert step is not None and step.channel is not None
    assert step.channel.id == "app"
    assert step.confidence is Confidence.VERIFIED
    assert not plan.blockers


def test_the_scenarios_hold():
    assert check_scenarios("AE") == []


def test_every_operator_card_and_location_plans(emirates):
    """Every operator (and unknown) × card × location × device plans, in every locale."""
    assert plan_every_point(emirates, DAY) > 100
