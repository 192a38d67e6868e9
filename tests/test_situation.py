"""Situation and Money: typed values with errors that name the field."""

from __future__ import annotations

from decimal import Decimal

import pytest

import simexit
from simexit import Card, InvalidSituationError, Money, Situation


class TestMoney:
    @pytest.mark.parametrize(
        ("amount", "expected"),
        [("4.50", Decimal("4.50")), (3, Decimal(3)), (Decimal("0"), Decimal(0))],
    )
    def test_accepts_str_int_and_decimal(self, amount, expected):
        """Amounts may be given as str, int or Decimal."""
        assert Money(amount, "AZN").amount == expected

    def test_currency_is_upper_cased(self):
        """Currency codes are accepted in any case."""
        assert Money("1", "azn").currency == "AZN"

    @pytest.mark.parametrize(
        ("amount", "needle"),
        [
            ("-1", "0 or more"),
            ("NaN", "plain decimal"),
            ("Infinity", "plain decimal"),
            (Decimal("NaN"), "finite"),
            (Decimal("-Infinity"), "finite"),
            ("1000000001", r"at most 10\^9"),
            (1.5, "str, int or Decimal"),
            (True, "str, int or Decimal"),
            ("four", "decimal number"),
        ],
    )
    def test_rejects_bad_amounts(self, amount, needle):
        """Bad amounts raise InvalidSituationError naming the field and the rule."""
        with pytest.raises(InvalidSituationError, match=needle) as e:
            Money(amount, "AZN")
        assert e.value.field == "amount"

    @pytest.mark.parametrize("currency", ["XYZ", "AZ", "", 5, "manat"])
    def test_rejects_bad_currencies(self, currency):
        """Only ISO 4217 codes are currencies."""
        with pytest.raises(InvalidSituationError, match="ISO 4217") as e:
            Money("1", currency)
        assert e.value.field == "currency"


class TestSituation:
    def test_defaults_are_unknown(self):
        """Every field but country defaults to unknown (None) or a safe default."""
        s = Situation(country="az")
        assert s.country == "AZ"
        assert s.operator is None
        assert s.billing is None
        assert s.arrears is None
        assert s.keep_number is False

    def test_enum_names_are_accepted(self):
        """Enum fields accept their lower-case names."""
        s = Situation(country="AZ", card="travel-esim", billing="PREPAID")
        assert s.card is Card.TRAVEL_ESIM
        assert s.billing is simexit.Billing.PREPAID

    @pytest.mark.parametrize(
        ("field", "value", "allowed"),
        [
            ("country", "AZE", "ISO 3166-1 alpha-2"),
            ("country", 12, "ISO 3166-1 alpha-2"),
            ("card", "sim", "physical_sim, esim, travel_esim, tourist_card"),
            ("billing", "monthly", "prepaid, postpaid"),
            ("location", True, "in_country, abroad"),
            ("device", "broken", "in_hand, lost, stolen"),
            ("registered_owner", "false", "True, False or None"),
            ("linked_accounts", 1, "True, False or None"),
            ("keep_number", None, "True or False"),
            ("arrears", "4.50", "simexit.Money"),
            ("operator", "", "operator id"),
        ],
    )
    def test_bad_values_name_field_value_and_allowed(self, field, value, allowed):
        """An invalid field raises InvalidSituationError saying what is allowed."""
        kwargs = {"country": "AZ", field: value}
        with pytest.raises(InvalidSituationError) as e:
            Situation(**kwargs)
        assert e.value.field == field
        assert allowed in str(e.value)
        assert repr(value) in str(e.value)

    def test_error_is_a_value_error(self):
        """InvalidSituationError is both a SimexitError and a ValueError."""
        with pytest.raises(ValueError, match="invalid card"):
            Situation(country="AZ", card="nope")

    def test_is_frozen(self):
        """Situations are immutable values."""
        s = Situation(country="AZ")
        with pytest.raises(AttributeError):
            s.country = "KZ"  # type: ignore[misc]

    def test_holds_no_personal_data_fields(self):
        """A Situation has no field for names, numbers or documents."""
        import attrs

        names = {a.name for a in attrs.fields(Situation)}
        for banned in ("name", "phone", "number", "msisdn", "passport", "iccid"):
            assert not any(banned == n or n.startswith(banned + "_") for n in names)
