"""The bundled Japan package: operators, languages, evidence and plans."""

from __future__ import annotations

import datetime as dt

import pytest

import simexit
from simexit import Confidence, SourceKind
from simexit.testing import check_scenarios

from .domain import official_share_by_hand, plan_every_point

DAY = dt.date(2026, 12, 2)
SELLERS = ("b-mobile", "ntt-com", "sakura-mobile", "mobal")


@pytest.fixture(scope="module")
def japan() -> simexit.Country:
    return simexit.load_country("JP")


def test_japan_is_bundled_with_docomo_and_the_visitor_sim_sellers(japan):
    """docomo and four sellers of SIMs for visitors, each with its own domain."""
    assert "JP" in simexit.countries()
    assert {"docomo", *SELLERS} <= set(japan.package_operators)
    domains = {op: japan.operators[op].domains for op in ("docomo", *SELLERS)}
    assert domains == {
        "docomo": ("nttdocomo.co.jp", "docomo.ne.jp"),
        "b-mobile": ("bmobile.ne.jp",),
        "ntt-com": ("ntt.com",),
        "sakura-mobile": ("sakuramobile.jp",),
        "mobal": ("mobal.com",),
    }


def test_the_currency_is_the_yen_without_minor_units(japan):
    """Money in yen has no decimals (CLDR: 0 digits)."""
    assert japan.currency == "JPY"
    assert simexit.Money("1500", "JPY").amount == 1500
    with pytest.raises(simexit.InvalidSituationError):
        simexit.Money("1.50", "JPY")


def test_staff_sentences_are_in_japanese(japan):
    """Staff sentences are written in Japanese (ja) and marked unreviewed."""
    assert japan.languages == ("ja",)
    notes = [
        proc.show_staff
        for op_id in japan.package_operators
        for proc in japan.operators[op_id].procedures.values()
        if proc.show_staff is not None
    ]
    assert len(notes) >= 3
    for note in notes:
        ((lang, sentence),) = note.languages()
        assert lang == "ja"
        assert any("\u3040" <= ch <= "\u30ff" for ch in sentence)  # kana
        assert note.reviewed is False


def test_most_facts_rest_on_an_official_page_that_states_them(japan):
    """At least 60 % official, placeholders (gap = true) not counted."""
    assert official_share_by_hand(japan) >= 0.6
    assert japan.official_share() >= 0.6


def test_the_docomo_number_for_calls_from_abroad_is_only_reported(japan):
    """Only third parties give it: reachable from abroad, never verified."""
    channel = japan.operators["docomo"].channels["overseas-line"]
    assert channel.reachable_from_abroad is True
    assert channel.confidence is Confidence.REPORTED
    assert {japan.sources[s].kind for s in channel.sources} == {SourceKind.THIRD_PARTY}


def test_mobal_can_be_reached_from_abroad(japan):
    """Mobal publishes international support numbers."""
    channel = japan.operators["mobal"].channels["support-line"]
    assert channel.reachable_from_abroad is True
    assert "+1 212-785-5800" in channel.contact


def test_sakura_mobile_refunds_travel_esims_only_by_e_mail(japan):
    """Sakura Mobile also sells travel eSIMs: the refund step has its channel."""
    plan = simexit.plan_for(
        simexit.Situation(country="JP", operator="sakura-mobile", card="travel_esim"),
        today=DAY,
    )
    step = plan.step("request-refund")
    assert step is not None
    assert step.channel is not None
    assert step.channel.contact == "mailto:contact@sakuramobile.jp"
    assert step.confidence is Confidence.VERIFIED


def test_the_scenarios_hold():
    assert check_scenarios("JP") == []


def test_every_operator_card_and_location_plans(japan):
    """Every operator (and unknown) × card × location × device plans, in every locale."""
    assert plan_every_point(japan, DAY) > 100
