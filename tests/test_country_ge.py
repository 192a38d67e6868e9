"""The bundled Georgia package: operators, languages, evidence and plans."""

from __future__ import annotations

import datetime as dt

import pytest

import simexit

from .domain import official_share_by_hand, plan_every_point

DAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def georgia() -> simexit.Country:
    return simexit.load_country("GE")


def test_georgia_is_bundled_with_its_three_operators(georgia):
    """Magti, Cellfie and Silknet, each with its own domain."""
    assert "GE" in simexit.countries()
    assert {"magti", "cellfie", "silknet"} <= set(georgia.package_operators)
    domains = {
        op: georgia.operators[op].domains for op in ("magti", "cellfie", "silknet")
    }
    assert domains == {
        "magti": ("magticom.ge",),
        "cellfie": ("cellfie.ge",),
        "silknet": ("silknet.com",),
    }


def test_staff_sentences_are_in_georgian(georgia):
    """Staff sentences are written in Georgian (ka) and marked unreviewed."""
    assert georgia.languages == ("ka",)
    notes = [
        proc.show_staff
        for op_id in georgia.package_operators
        for proc in georgia.operators[op_id].procedures.values()
        if proc.show_staff is not None
    ]
    assert notes
    for note in notes:
        ((lang, sentence),) = note.languages()
        assert lang == "ka"
        assert any("\u10d0" <= ch <= "\u10ff" for ch in sentence)  # Georgian script
        assert note.reviewed is False


def test_most_facts_rest_on_an_official_page_that_states_them(georgia):
    """At least 60 % official, not counting placeholders (unverified, disputed)."""
    assert official_share_by_hand(georgia) >= 0.6
    assert georgia.official_share() >= 0.6


def test_cellfie_can_be_reached_from_abroad(georgia):
    """The call centre's number for other networks is published, so it counts abroad."""
    channel = georgia.operators["cellfie"].channels["call-centre"]
    assert channel.reachable_from_abroad is True
    assert "+995 32 2200611" in channel.contact


def test_every_operator_card_and_location_plans(georgia):
    """Every operator (and unknown) × card × location × device plans, in every locale."""
    assert plan_every_point(georgia, DAY) > 100
