"""The bundled Uzbekistan package: operators, languages, evidence and plans."""

from __future__ import annotations

import datetime as dt

import pytest

import simexit
from simexit import Confidence, SourceKind
from simexit.testing import check_scenarios

from .domain import official_share_by_hand, plan_every_point

DAY = dt.date(2026, 12, 2)
OPERATORS = ("ucell", "beeline", "mobiuz", "uzmobile")


@pytest.fixture(scope="module")
def uzbekistan() -> simexit.Country:
    return simexit.load_country("UZ")


def test_uzbekistan_is_bundled_with_its_four_operators(uzbekistan):
    """Ucell, Beeline, Mobiuz and Uzmobile, each with its own domain."""
    assert "UZ" in simexit.countries()
    assert set(OPERATORS) <= set(uzbekistan.package_operators)
    domains = {op: uzbekistan.operators[op].domains for op in OPERATORS}
    assert domains == {
        "ucell": ("ucell.uz",),
        "beeline": ("beeline.uz",),
        "mobiuz": ("mobi.uz", "ums.uz"),
        "uzmobile": ("uztelecom.uz",),
    }


def test_staff_sentences_are_in_uzbek_and_russian(uzbekistan):
    """Staff sentences come in Uzbek (Latin script) and Russian, unreviewed."""
    assert uzbekistan.languages == ("uz", "ru")
    notes = [
        proc.show_staff
        for op_id in uzbekistan.package_operators
        for proc in uzbekistan.operators[op_id].procedures.values()
        if proc.show_staff is not None
    ]
    assert notes
    for note in notes:
        sentences = dict(note.languages())
        assert set(sentences) == {"ru", "uz"}
        assert "‘" in sentences["uz"] or "o'" in sentences["uz"].lower()
        assert any("\u0400" <= ch <= "\u04ff" for ch in sentences["ru"])
        assert note.reviewed is False


def test_most_facts_rest_on_an_official_page_that_states_them(uzbekistan):
    """At least 60 % official, not counting placeholders (gap = true)."""
    assert official_share_by_hand(uzbekistan) >= 0.6
    assert uzbekistan.official_share() >= 0.6


def test_news_alone_never_makes_a_fact_verified(uzbekistan):
    """Porting rests on news reports only, so it is labelled reported."""
    for op_id in OPERATORS:
        port = uzbekistan.operators[op_id].procedures["port"]
        kinds = {uzbekistan.sources[s].kind for s in port.sources}
        if SourceKind.OFFICIAL not in kinds:
            assert port.confidence is Confidence.REPORTED, op_id


def test_no_number_is_invented_for_calling_from_abroad(uzbekistan):
    """No operator page gave a number for calls from abroad: none is claimed."""
    for op_id in OPERATORS:
        for channel in uzbekistan.operators[op_id].channels.values():
            assert channel.reachable_from_abroad is not True, (op_id, channel.id)
            assert "+998" not in channel.contact, (op_id, channel.id)


def test_a_lost_ucell_phone_abroad_is_blocked_not_sent_to_a_short_code(
    uzbekistan,
):
    """Ucell's call centre (8123 / 8111) is a short code: abroad it is not
    offered; blocking stays unverified and a blocker names the step."""
    plan = simexit.plan_for(
        simexit.Situation(
            country="UZ",
            operator="ucell",
            card=simexit.Card.PHYSICAL_SIM,
            device=simexit.Device.LOST,
            location=simexit.Location.ABROAD,
        ),
        today=DAY,
    )
    block = next(s for s in plan.steps if s.id == "block-number")
    assert block.confidence is Confidence.UNVERIFIED
    channels = [c for c in (block.channel, *block.alternatives) if c is not None]
    assert not any("8123" in c.contact for c in channels)
    assert any(b.steps == ("block-number",) for b in plan.blockers)


def test_every_operator_card_and_location_plans(uzbekistan):
    """Every operator (and unknown) × card × location × device plans, in every locale."""
    assert plan_every_point(uzbekistan, DAY) > 100


def test_scenarios_pass():
    """The package's scenarios (data) all hold."""
    assert check_scenarios("UZ") == []
