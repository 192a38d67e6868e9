"""Chinese (and Russian) plans read as written for their readers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import attrs
import pytest

import simexit
from simexit._render import render_markdown, render_text

from .conftest import TODAY

#: A word in Latin letters (with accents: Azerbaijani, Turkish, …).
_W = "[A-Za-z\u00c0-\u024f\u0259]"
#: Four or more Latin words in a row: an English sentence left in the text.
ENGLISH_RUN = re.compile(
    rf"{_W}(?:{_W}|[0-9'’-])*(?:[ ,]+(?:{_W}|[0-9])(?:{_W}|[0-9'’.-])*){{3,}}"
)
#: What is not prose: links, e-mail addresses, ids.
NOT_PROSE = re.compile(r"\S*://\S*|\S+@\S+|urn:\S+")


def situations(code: str) -> Iterator[simexit.Situation]:
    """Every bundled operator (and none) × card × billing × location ×
    device of *code* that the country accepts."""
    country = simexit.load_country(code)
    for op in (None, *country.operators):
        for card in simexit.Card:
            if op is not None and card not in country.operators[op].cards:
                continue
            for billing in (None, *simexit.Billing):
                for where in (None, *simexit.Location):
                    for device in (None, *simexit.Device):
                        yield simexit.Situation(
                            country=code,
                            operator=op,
                            card=card,
                            billing=billing,
                            location=where,
                            device=device,
                        )


def english_runs(p: simexit.Plan) -> list[str]:
    """The English runs of *p*'s text, one line per field (no wrapping).

    The sentences to show staff are in the country's language on purpose,
    so they are left out.
    """
    p = attrs.evolve(p, steps=tuple(attrs.evolve(s, show_staff=None) for s in p.steps))
    out = []
    for line in render_text(p, width=10_000).splitlines():
        out += ENGLISH_RUN.findall(NOT_PROSE.sub(" ", line))
    return out


def _plans(locales: tuple[str, ...]) -> Iterator[simexit.Plan]:
    for code in ("AZ", "KZ"):
        for s in situations(code):
            for loc in locales:
                try:
                    yield simexit.plan_for(s, locale=loc, today=TODAY)
                except simexit.SimexitError:
                    continue


class TestNoEnglishInChinese:
    @pytest.mark.slow
    def test_no_chinese_or_russian_plan_has_an_english_run(self):
        bad = {
            (p.locale, run)
            for p in _plans(("zh-Hans", "zh-Hant", "ru"))
            for run in english_runs(p)
        }
        assert not bad, sorted(bad)[:20]

    @pytest.mark.parametrize("loc", ["zh-Hans", "zh-Hant", "ru"])
    @pytest.mark.parametrize(
        "fields",
        [
            {"country": "AZ", "operator": "azercell", "card": "esim"},
            {"country": "AZ", "operator": "unknown-seller", "card": "travel_esim"},
            {"country": "AZ", "operator": "airalo", "card": "travel_esim"},
            {"country": "AZ", "operator": "asan-visa", "card": "tourist_card"},
            {"country": "KZ", "operator": "beeline", "card": "physical_sim"},
            {"country": "KZ", "operator": "kcell", "card": "esim"},
            {"country": "KZ", "operator": "qazaq-esim", "card": "travel_esim"},
        ],
        ids=lambda f: f"{f['country']}-{f['operator']}",
    )
    def test_contacts_publishers_and_sellers_are_localised(self, fields, loc):
        p = simexit.plan_for(simexit.Situation(**fields), locale=loc, today=TODAY)
        assert english_runs(p) == []


class TestReadable:
    @pytest.mark.parametrize("loc", ["en", "ru", "zh-Hans", "zh-Hant"])
    def test_no_raw_seed_ids_are_shown(self, loc):
        p = simexit.plan_for(
            simexit.Situation(country="AZ", operator="azercell", card="esim"),
            locale=loc,
            today=TODAY,
        )
        assert any(s.url.startswith("urn:") for w in p.warnings for s in w.sources)
        assert "urn:" not in render_text(p)
        assert "urn:" not in render_markdown(p)
        assert "urn:simexit:seed:" in simexit.to_json(p)

    @pytest.mark.parametrize(
        ("loc", "said"),
        [
            ("en", "no way to reach your seller"),
            ("zh-Hans", "您的卖家"),
            ("zh-Hant", "您的賣家"),
            ("ru", "ваш продавец eSIM"),
        ],
    )
    def test_an_unknown_seller_is_named_in_a_sentence(self, loc, said):
        p = simexit.plan_for(
            simexit.Situation(
                country="AZ", operator="unknown-seller", card="travel_esim"
            ),
            locale=loc,
            today=TODAY,
        )
        text = render_text(p, width=10_000)
        assert said in text
        assert "The seller I bought it from" not in text


class TestAmountsAndVisas:
    @pytest.mark.parametrize("loc", ["zh-Hans", "zh-Hant"])
    def test_an_amount_is_spaced_from_its_currency(self, loc):
        from simexit._format import format_money

        text = format_money(simexit.Money("4.50", "AZN"), loc)
        assert re.fullmatch(r"4\.50 \S+", text), text

    @pytest.mark.parametrize("loc", ["zh-Hans", "zh-Hant"])
    def test_the_header_spaces_amounts_like_the_data(self, loc):
        p = simexit.plan_for(
            simexit.Situation(
                country="AZ", operator="azercell", arrears=simexit.Money("4.5", "AZN")
            ),
            locale=loc,
            today=TODAY,
        )
        text = render_text(p)
        assert "4.50 " in text
        assert not re.search(
            r"\d[\u4e00-\u9fff]{2,}马纳特|\d[\u4e00-\u9fff]{2,}馬納特", text
        )

    @pytest.mark.parametrize(
        ("loc", "card", "visa"),
        [("zh-Hans", "旅游卡", "签证"), ("zh-Hant", "旅遊卡", "簽證")],
    )
    def test_the_e_visa_is_never_only_a_tourist_card(self, loc, card, visa):
        """Wherever a plan calls it a "tourist card", the same line says it
        is a visa."""
        for op in (None, "asan-visa"):
            p = simexit.plan_for(
                simexit.Situation(country="AZ", operator=op, card="tourist_card"),
                locale=loc,
                today=TODAY,
            )
            for text in (render_text(p, width=10_000), render_markdown(p)):
                lines = [line for line in text.splitlines() if card in line]
                assert lines
                assert all(visa in line for line in lines), lines
