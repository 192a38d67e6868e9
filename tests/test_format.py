"""Money, dates and names come from CLDR (Babel), in every locale."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from simexit import Money
from simexit._format import (
    babel_locale,
    country_name,
    currency_name,
    format_date,
    format_list,
    format_money,
    format_percent,
    is_territory,
    language_name,
    territory_currency,
    territory_languages,
)


class TestLocales:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [("en", "en"), ("zh-Hans", "zh_Hans"), ("zh-Hant", "zh_Hant"), ("fr", "en")],
    )
    def test_babel_locale(self, locale: str, expected: str) -> None:
        """Our locale names map to Babel's; anything else is English."""
        assert babel_locale(locale) == expected


class TestMoney:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("en", "4.50 Azerbaijani manats"),
            ("zh-Hans", "4.50 阿塞拜疆马纳特"),
            ("zh-Hant", "4.50 亞塞拜然馬納特"),
        ],
    )
    def test_amount_with_currency_name(self, locale: str, expected: str) -> None:
        """Money reads as CLDR's amount and currency name in each locale."""
        assert format_money(Money("4.50", "AZN"), locale) == expected

    def test_grouping_follows_cldr(self) -> None:
        """Thousands are grouped as CLDR says, not as written in the input."""
        assert format_money(Money("12345.5", "KZT"), "en") == (
            "12,345.50 Kazakhstani tenges"
        )

    def test_currency_name(self) -> None:
        """A currency's display name is CLDR's."""
        assert currency_name("KZT", "zh-Hant") == "哈薩克堅戈"


class TestDates:
    @pytest.mark.parametrize(
        ("locale", "expected"),
        [
            ("en", "November 23, 2026"),
            ("zh-Hans", "2026年11月23日"),
            ("zh-Hant", "2026年11月23日"),
        ],
    )
    def test_long_date(self, locale: str, expected: str) -> None:
        """Dates use CLDR's long pattern of the locale."""
        assert format_date(dt.date(2026, 11, 23), locale) == expected


class TestNames:
    @pytest.mark.parametrize(
        ("code", "locale", "expected"),
        [
            ("AZ", "en", "Azerbaijan"),
            ("AZ", "zh-Hans", "阿塞拜疆"),
            ("AZ", "zh-Hant", "亞塞拜然"),
            ("kz", "zh-Hans", "哈萨克斯坦"),
            ("KZ", "zh-Hant", "哈薩克"),
        ],
    )
    def test_country_name(self, code: str, locale: str, expected: str) -> None:
        """Country names are CLDR's territory names, for a code in any case."""
        assert country_name(code, locale) == expected

    def test_unknown_country_is_its_code(self) -> None:
        """A code CLDR does not name is shown as the code itself."""
        assert country_name("XQ", "en") == "XQ"

    def test_language_name(self) -> None:
        """Language names (of staff sentences) come from CLDR too."""
        assert language_name("az", "zh-Hans") == "阿塞拜疆语"

    def test_list(self) -> None:
        """Lists are joined the CLDR way of each locale."""
        assert format_list(["a", "b", "c"], "en") == "a, b, and c"
        assert format_list(["甲", "乙"], "zh-Hans") == "甲和乙"

    def test_percent(self) -> None:
        """A share is a whole percentage."""
        assert format_percent(0.5632, "en") == "56%"


class TestTerritories:
    @pytest.mark.parametrize(
        ("code", "expected"),
        [("GE", True), ("uz", True), ("EU", False), ("ZZ", False), ("A1", False)],
    )
    def test_is_territory(self, code: str, expected: bool) -> None:
        """Only real country codes count; CLDR's groupings do not."""
        assert is_territory(code) is expected

    def test_currency_of_a_territory(self) -> None:
        """CLDR knows the currency a country uses."""
        assert territory_currency("GE") == "GEL"

    def test_languages_of_a_territory(self) -> None:
        """CLDR knows a country's official languages."""
        assert set(territory_languages("KZ")) == {"kk", "ru"}


class TestImportCost:
    def test_babel_is_not_imported_by_the_cli_or_renderers(self) -> None:
        """Importing the CLI and renderers leaves Babel unloaded until used."""
        code = (
            "import sys, simexit, simexit.cli, simexit._render, simexit._format;"
            "print('babel' in sys.modules)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )

        assert out.stdout.strip() == "False"
