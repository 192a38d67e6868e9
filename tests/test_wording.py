"""Plans read as written by a person: reasons in sentences, every locale."""

from __future__ import annotations

import itertools

import pytest

import simexit
from simexit._conditions import FIELDS

from .conftest import plan

LOCALES = ("en", "ru", "zh-Hans", "zh-Hant")

#: The situations whose reasons are checked: every card, known and unknown
#: answers, each country.
SITUATIONS = [
    {"country": "AZ", "operator": "azercell", "card": "esim"},
    {"country": "AZ", "card": "physical_sim", "device": "stolen", "location": "abroad"},
    {
        "country": "AZ",
        "operator": "nar",
        "card": "physical_sim",
        "keep_number": True,
        "linked_accounts": False,
        "autopay": True,
    },
    {"country": "AZ", "card": "tourist_card"},
    {"country": "AZ", "operator": "naxtel", "card": "physical_sim"},
    {"country": "KZ", "operator": "airalo", "card": "travel_esim"},
    {"country": "KZ", "operator": "kcell", "card": "esim", "registered_owner": False},
]


def _reasons(p: simexit.Plan) -> list[str]:
    return [b for s in p.steps for b in s.because] + [e.reason for e in p.excluded]


class TestBecause:
    def test_the_azercell_esim_reasons_read_as_a_sentence(self):
        first = plan(operator="azercell", card="esim").steps[0]
        assert first.because == (
            "You hold an operator eSIM; we don't know whether you owe money;"
            " the operator is in service.",
        )

    def test_the_chinese_reasons_are_sentences_too(self):
        first = plan(operator="azercell", card="esim", locale="zh-Hans").steps[0]
        assert first.because == (
            "您持有的是运营商 eSIM；还不清楚您是否欠费；运营商正常运营。",
        )

    @pytest.mark.parametrize(
        ("fields", "loc"),
        list(itertools.product(SITUATIONS, LOCALES)),
        ids=lambda x: x if isinstance(x, str) else "-".join(map(str, x.values())),
    )
    def test_no_reason_reads_like_a_form(self, fields, loc):
        """No "field: value" pairs: each reason is a sentence, capitalised
        and closed, in the locale's own punctuation."""
        for text in _reasons(plan(locale=loc, **fields)):
            assert ":" not in text and "：" not in text, text
            assert text[-1] in ".。", text
            assert not text[0].islower(), text

    def test_every_condition_field_has_its_phrases(self):
        """Every field a rule may test is told as a person would say it,
        whether it is known or not."""
        says = simexit.load_country("AZ").vocabulary.says
        for field, kind in FIELDS.items():
            keys = set(says.get(field, {}))
            if kind == "bool":
                expected = {"true", "false", "unknown"}
            elif kind == "money":
                expected = {"unknown", "positive", "not_positive", "greater_than"}
            elif kind == "services":  # a set, tested by member: ``contains``
                expected = {"contains", "not_contains", "unknown"}
            else:
                expected = {"equals", "unknown"}
            assert expected <= keys, field
