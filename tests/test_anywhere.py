"""Travel eSIMs in any country: a plan from the core data where no package is.

A travel-eSIM seller's plan works in every ISO 3166-1 country; where no
package provides the country it carries the ``no-country-package`` notice.
Any other card there stays UnknownCountryError, and so does a code that is
not a country.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tomllib
from pathlib import Path

import pytest

import simexit
from simexit import Card, Situation
from simexit._anywhere import NO_PACKAGE_NOTICE, currency_of, iso_countries
from simexit.cli import main

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "src" / "simexit" / "data" / "core"
DAY = dt.date(2026, 12, 2)
LOCALES = ("en", "zh-Hans", "zh-Hant", "ru")
SELLERS = (
    "airalo",
    "holafly",
    "klook",
    "nomad",
    "saily",
    "ubigi",
    "unknown-seller",
    None,
)
REGISTRY = simexit.Registry.default()


def _notice_texts() -> dict[str, str]:
    """The notice's texts as the core data files write them."""
    raw = tomllib.loads((CORE / "notices.toml").read_text("utf-8"))
    texts = dict(raw["notices"][NO_PACKAGE_NOTICE]["text"])
    ru = tomllib.loads((CORE / "locales" / "ru" / "notices.toml").read_text("utf-8"))
    texts["ru"] = ru["notices"][NO_PACKAGE_NOTICE]["text"]
    return texts


def _plan(code: str, operator: str | None = "airalo", locale: str = "en"):
    situation = Situation(country=code, card=Card.TRAVEL_ESIM, operator=operator)
    return simexit.plan_for(situation, locale=locale, today=DAY, registry=REGISTRY)


@pytest.mark.parametrize("code", ["FR", "US", "BR"])
@pytest.mark.parametrize("locale", LOCALES)
def test_a_travel_esim_plans_where_no_package_is_with_the_notice(code, locale):
    texts = _notice_texts()
    plan = _plan(code, locale=locale)

    notices = [w for w in plan.warnings if w.id == NO_PACKAGE_NOTICE]
    assert [n.text for n in notices] == [texts[locale]]
    assert plan.warnings[0].id == NO_PACKAGE_NOTICE  # no locale fallback here
    assert plan.situation.country == code
    refund = next(s for s in plan.steps if s.id == "request-refund")
    assert refund.channel is not None
    assert refund.channel.name.get("en").startswith("Airalo")


def test_the_notice_is_written_in_each_locale_apart():
    texts = _notice_texts()

    assert set(texts) == set(LOCALES)
    assert len(set(texts.values())) == len(LOCALES)


@pytest.mark.parametrize("operator", SELLERS)
def test_every_seller_and_an_unknown_one_plan_in_france(operator):
    plan = _plan("FR", operator)

    assert NO_PACKAGE_NOTICE in [w.id for w in plan.warnings]
    assert plan.steps


def test_the_plan_is_the_sellers_plan_with_the_notice_and_nothing_local():
    """Against the same seller in a packaged country: the same steps; the
    notices differ by the no-package notice and whatever the package adds."""
    fr = _plan("FR")
    az = _plan("AZ")
    fr_steps = [(s.id, s.channel) for s in fr.steps]
    az_only_core = [
        (s.id, s.channel) for s in az.steps if s.id in {i for i, _ in fr_steps}
    ]

    assert fr_steps == az_only_core
    assert NO_PACKAGE_NOTICE not in [w.id for w in az.warnings]
    assert not {f.id for f in REGISTRY.bare("FR").facts.values()} - {
        f.id for f in REGISTRY.load("AZ").facts.values()
    }


def test_the_json_is_deterministic_across_registries():
    other = simexit.Registry.default()
    situation = Situation(country="BR", card=Card.TRAVEL_ESIM, operator="holafly")

    first = simexit.to_json(_plan("BR", "holafly", "zh-Hant"))
    again = simexit.plan_for(situation, locale="zh-Hant", today=DAY, registry=other)

    assert simexit.to_json(again) == first
    assert simexit.to_json(_plan("BR", "holafly", "zh-Hant")) == first


def test_plan_many_mixes_packaged_and_bare_countries():
    situations = [
        Situation(country=c, card=Card.TRAVEL_ESIM) for c in ("FR", "AZ", "FR", "US")
    ]
    plans = list(simexit.plan_many(situations, today=DAY, registry=REGISTRY))

    bare = [NO_PACKAGE_NOTICE in [w.id for w in p.warnings] for p in plans]
    assert bare == [True, False, True, True]


@pytest.mark.parametrize("card", [Card.PHYSICAL_SIM, Card.ESIM, Card.TOURIST_CARD])
def test_an_operator_card_without_a_package_is_an_unknown_country(card):
    with pytest.raises(simexit.UnknownCountryError) as e:
        simexit.plan_for(Situation(country="FR", card=card), registry=REGISTRY)

    assert e.value.code == "FR"
    assert {"AZ", "GE", "KZ"} <= set(e.value.available)
    assert e.value.available == simexit.countries(registry=REGISTRY)
    assert f"(available: {', '.join(e.value.available)})" in str(e.value)


@pytest.mark.parametrize("code", ["ZZ", "EU", "UN", "XK", "AA", "QZ", "UK", "SU"])
def test_a_code_that_is_not_a_country_is_refused(code):
    situation = Situation(country=code, card=Card.TRAVEL_ESIM, operator="airalo")
    with pytest.raises(simexit.UnknownCountryError) as e:
        simexit.plan_for(situation, registry=REGISTRY)

    assert e.value.code == code
    with pytest.raises(simexit.UnknownCountryError):
        REGISTRY.bare(code)


def test_an_operator_that_is_no_seller_is_an_unknown_operator():
    situation = Situation(country="FR", card=Card.TRAVEL_ESIM, operator="azercell")
    with pytest.raises(simexit.UnknownOperatorError) as e:
        simexit.plan_for(situation, registry=REGISTRY)

    assert e.value.available == (
        "airalo",
        "holafly",
        "klook",
        "nomad",
        "saily",
        "ubigi",
        "unknown-seller",
    )


def test_countries_and_load_country_list_only_real_packages():
    _plan("FR")  # a bare country planned does not become a package

    assert "FR" not in simexit.countries(registry=REGISTRY)
    with pytest.raises(simexit.UnknownCountryError):
        simexit.load_country("FR", registry=REGISTRY)


def test_the_bare_country_is_one_immutable_value_with_its_code():
    fr = REGISTRY.bare("FR")

    assert fr == REGISTRY.bare("FR")
    assert (fr.code, fr.currency, fr.packaged) == ("FR", "EUR", False)
    assert fr.cards == (Card.TRAVEL_ESIM,)
    assert fr.package_operators == ()
    assert set(fr.operators) == {
        "airalo",
        "holafly",
        "klook",
        "nomad",
        "saily",
        "ubigi",
        "unknown-seller",
    }
    assert REGISTRY.bare("BR").currency == "BRL"
    assert REGISTRY.load("AZ").packaged
    with pytest.raises(AttributeError):
        fr.code = "US"  # type: ignore[misc]
    with pytest.raises(simexit.UnknownCountryError):
        REGISTRY.bare("AZ")  # a package provides it


def test_the_iso_list_is_iso_3166_1():
    codes = iso_countries()

    assert len(codes) == 249
    assert {"FR", "US", "BR", "AQ", "TW", "HK", "PS", "AX"} <= codes
    assert not {"EU", "EZ", "UN", "ZZ", "XK", "QO", "AC", "IC", "DG"} & codes
    assert currency_of("AQ", DAY) == "XXX"


def test_the_cli_plans_a_travel_esim_in_france(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    args = ["plan", "--country", "FR", "--card", "travel-esim", "--operator", "airalo"]
    code = main([*args, "--lang", "ru", "--today", DAY.isoformat()])
    out, err = capsys.readouterr()

    assert (code, err) == (0, "")
    assert _notice_texts()["ru"][:40] in " ".join(out.split())
    assert main(["plan", "--country", "FR", "--card", "physical-sim"]) == 2
    assert "no data package for 'FR'" in capsys.readouterr().err


def test_the_cli_flags_and_questions_know_the_bare_country(capsys, monkeypatch):
    """--balance takes the country's currency; the questions offer only the
    travel eSIM and the sellers."""
    args = ["plan", "--country", "FR", "--card", "travel-esim", "--balance", "3"]
    assert main([*args, "--format", "json", "--today", DAY.isoformat()]) == 0
    plan = simexit.from_json(capsys.readouterr().out, simexit.Plan)
    assert plan.situation.balance == simexit.Money("3", "EUR")

    monkeypatch.setattr(sys, "stdin", io.StringIO("1\n1\n"))
    code = main(["plan", "--interactive", "--country", "FR", "--today", "2026-12-02"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "1  a travel eSIM" in err
    assert "2  " not in err.split("What do you want to end?")[1].split(">")[0]
    assert NO_PACKAGE_NOTICE not in out  # the text shows the words, not the id
    assert "simexit has no data package for this country." in " ".join(out.split())


def test_a_registry_of_folders_plans_a_travel_esim_anywhere_too(tmp_path):
    from .test_loader import write

    registry = simexit.Registry.from_paths(write(tmp_path, {}))
    situation = Situation(country="JP", card=Card.TRAVEL_ESIM, operator="holafly")
    plan = simexit.plan_for(situation, today=DAY, registry=registry)

    assert plan.warnings[0].id == NO_PACKAGE_NOTICE
    with pytest.raises(simexit.UnknownCountryError) as e:
        simexit.plan_for(Situation(country="JP"), registry=registry)
    assert e.value.available == ("XA",)
