"""Money is strict: plain decimals, the currency's minor unit, real currencies.

Every refused form raises InvalidSituationError (a SimexitError) whose
message can always be printed; every accepted one round-trips through JSON
in one canonical spelling.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from babel.core import get_global
from babel.numbers import get_currency_precision, list_currencies
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import InvalidSituationError, Money, SimexitError
from simexit._situation import _COMMON_CURRENCIES, NOT_CURRENCIES, _currencies
from simexit.exceptions import SHOWN_MAX

HYP = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: The canonical spelling of an amount (and the plan schema's pattern).
CANONICAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")

#: Currencies CLDR marks as legal tender somewhere, with their decimals.
TENDER = sorted(_currencies())


def _tender_in_cldr() -> set[str]:
    return {
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, _end, tender in entries
        if tender
    }


@st.composite
def valid_money(draw: st.DrawFn) -> tuple[str, int, str]:
    """(amount string, decimals used, currency) that Money must accept."""
    currency = draw(st.sampled_from(TENDER))
    places = draw(st.integers(0, get_currency_precision(currency)))
    whole = draw(st.integers(0, 10**9 - 1))
    frac = draw(st.integers(0, 10**places - 1)) if places else 0
    text = f"{whole}.{frac:0{places}d}" if places else str(whole)
    return text, places, currency


def printable(error: BaseException) -> str:
    """str(error), which must work and stay short enough to read."""
    text = str(error)
    assert isinstance(text, str)
    return text


class TestAccepted:
    @HYP
    @given(valid_money())
    def test_a_plain_decimal_round_trips_unchanged(self, case):
        """The amount is kept exactly as written, as today (golden plans)."""
        text, _, currency = case
        money = Money(text, currency)

        assert str(money.amount) == text
        assert CANONICAL.fullmatch(str(money.amount))
        assert simexit.from_json(simexit.to_json(money), Money) == money

    @HYP
    @given(valid_money(), st.sampled_from(["str", "int", "decimal"]))
    def test_str_int_and_decimal_give_one_canonical_form(self, case, kind):
        """Whatever the input type, the amount is serialised canonically."""
        text, _, currency = case
        value = {"str": text, "decimal": Decimal(text)}.get(kind)
        if kind == "int":
            value = int(Decimal(text))
        money = Money(value, currency)

        assert CANONICAL.fullmatch(str(money.amount)), money.amount
        assert money.amount == Decimal(str(value))

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [
            ("-0", "0"),
            ("-0.00", "0.00"),
            (Decimal("-0"), "0"),
            (Decimal("1E+2"), "100"),
            (Decimal("5E+8"), "500000000"),
            ("007.50", "7.50"),
            (10**9, "1000000000"),
        ],
    )
    def test_negative_zero_and_exponents_are_normalised(self, amount, expected):
        """-0 is 0 ("Owed: -0.00" never appears); no "1E+2" reaches JSON."""
        money = Money(amount, "AZN")

        assert str(money.amount) == expected
        assert f'"amount":"{expected}"' in simexit.to_json(money)

    def test_currency_case_is_folded_after_the_check(self):
        """azn, Azn and AZN are the same currency."""
        assert {Money("1", c).currency for c in ("azn", "Azn", "AZN")} == {"AZN"}

    @pytest.mark.parametrize(
        ("amount", "currency"),
        [("100", "JPY"), ("0.001", "KWD"), ("4.5", "AZN"), ("4.50", "AZN")],
    )
    def test_up_to_the_minor_unit(self, amount, currency):
        """As many decimals as the currency has, or fewer, are accepted."""
        assert str(Money(amount, currency).amount) == amount


class TestRefused:
    @pytest.mark.parametrize(
        "amount",
        [
            "4_50",
            "1e2",
            "1E+2",
            "1e-2",
            "NaN",
            "nan",
            "sNaN",
            "Infinity",
            "-Infinity",
            "inf",
            " 4.50",
            "4.50 ",
            "4.50\n",
            "+4.50",
            "4.",
            ".5",
            "4,50",
            "4.5.0",
            "\u0664.\u0665",  # Arabic-Indic digits, which Decimal() reads
            "４",  # a full-width digit
            "",
            "-",
            "0x10",
            "4.50 AZN",
            "--1",
        ],
    )
    def test_only_plain_decimal_strings(self, amount):
        """No _, exponent, NaN/Infinity, sign other than -, or junk around it."""
        with pytest.raises(InvalidSituationError) as caught:
            Money(amount, "AZN")

        assert caught.value.field == "amount"
        assert "plain decimal" in printable(caught.value)

    @pytest.mark.parametrize(
        ("amount", "currency", "decimals"),
        [
            ("0.001", "AZN", 2),
            ("4.500", "AZN", 2),
            ("1.5", "JPY", 0),
            ("100.0", "JPY", 0),
            ("0.0001", "KWD", 3),
            (Decimal("0.001"), "USD", 2),
            (Decimal("0E-3"), "AZN", 2),
        ],
    )
    def test_no_more_decimals_than_the_minor_unit(self, amount, currency, decimals):
        """0.001 AZN cannot be paid: it is refused, not shown as 0.00."""
        with pytest.raises(InvalidSituationError) as caught:
            Money(amount, currency)

        assert caught.value.field == "amount"
        assert f"at most {decimals} decimals for {currency}" in printable(caught.value)

    @pytest.mark.parametrize("amount", ["-1", "-0.01", -5, Decimal("-0.5")])
    def test_negative_amounts_are_refused(self, amount):
        """Money owed and credit left are 0 or more; -0 alone is read as 0."""
        with pytest.raises(InvalidSituationError, match="0 or more"):
            Money(amount, "AZN")

    @pytest.mark.parametrize(
        "currency",
        [
            "uß",  # upper-cases to "USS"
            "ǆa",  # upper-cases to three letters too
            " AZN",
            "AZN ",
            "AZ N",
            "AZNX",
            "A1N",
            "ÄZN",
            "ＡＺＮ",  # full-width letters
            "",
            None,
            5,
            b"AZN",
        ],
    )
    def test_currency_is_three_ascii_letters_before_case_folding(self, currency):
        """The check is on what was given, not on what upper() makes of it."""
        with pytest.raises(InvalidSituationError) as caught:
            Money("1", currency)

        assert caught.value.field == "currency"

    @pytest.mark.parametrize("code", sorted(NOT_CURRENCIES | {"USS", "USN", "CLF"}))
    def test_codes_that_are_not_money_are_refused(self, code):
        """XXX, XTS, metals, units of account and funds codes are not currencies."""
        with pytest.raises(InvalidSituationError, match="ISO 4217"):
            Money("1", code)

    @pytest.mark.parametrize("code", ["XYZ", "ABC", "QQQ"])
    def test_codes_cldr_does_not_know_are_refused(self, code):
        """A made-up code is refused."""
        with pytest.raises(InvalidSituationError, match="ISO 4217"):
            Money("1", code)

    @HYP
    @given(
        st.one_of(
            st.text(),
            st.integers(),
            st.decimals(allow_nan=True, allow_infinity=True),
            st.floats(),
            st.none(),
            st.binary(),
            st.lists(st.integers(), max_size=2),
        ),
        st.one_of(st.text(max_size=5), st.sampled_from(TENDER), st.integers()),
    )
    def test_anything_else_raises_a_printable_invalid_situation_error(
        self, amount, currency
    ):
        """Money(anything) is a Money or an InvalidSituationError, never another."""
        try:
            money = Money(amount, currency)
        except InvalidSituationError as e:
            error: SimexitError | None = e
        else:
            error = None
            assert CANONICAL.fullmatch(str(money.amount))
            assert money.currency in _currencies()
        if error is not None:
            assert len(printable(error)) < 2 * SHOWN_MAX + 200

    @pytest.mark.parametrize(
        "amount",
        [10**5000, "9" * 5000, Decimal("9" * 5000), "1" + "0" * 4999 + ".5"],
        ids=["int", "str", "decimal", "str-with-decimals"],
    )
    def test_a_5000_digit_amount_has_a_short_printable_message(self, amount):
        """Python's int-to-str digit limit never makes str(error) raise."""
        with pytest.raises(InvalidSituationError) as caught:
            Money(amount, "AZN")

        text = printable(caught.value)
        assert "at most 10^9" in text
        assert len(text) < 2 * SHOWN_MAX


class TestCurrencyTable:
    def test_not_currencies_are_not_legal_tender_in_cldr(self):
        """Our list of non-currencies agrees with CLDR's tender flags."""
        assert set(list_currencies()) >= NOT_CURRENCIES
        assert not NOT_CURRENCIES & _tender_in_cldr()

    def test_common_currencies_agree_with_cldr(self):
        """The shortcut table holds CLDR's minor unit for legal tender."""
        for code, decimals in _COMMON_CURRENCIES.items():
            assert code in _tender_in_cldr()
            assert decimals == get_currency_precision(code), code

    def test_real_currencies_are_accepted(self):
        """Every legal tender in CLDR, today's or former, is a currency."""
        for code in TENDER:
            assert Money("0", code).currency == code
