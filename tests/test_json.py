"""JSON: exact round trips, canonical bytes, generated schemas."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import tomllib

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simexit
import simexit.model
from simexit import _schema

from .conftest import DATA, TODAY, plan

money = st.builds(
    simexit.Money,
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    st.sampled_from(["AZN", "KZT", "USD"]),
)
situations = st.builds(
    simexit.Situation,
    country=st.sampled_from(["AZ", "KZ"]),
    operator=st.none() | st.sampled_from(["azercell", "kcell", "airalo"]),
    card=st.sampled_from(list(simexit.Card)),
    billing=st.none() | st.sampled_from(list(simexit.Billing)),
    arrears=st.none() | money,
    balance=st.none() | money,
    location=st.none() | st.sampled_from(list(simexit.Location)),
    device=st.none() | st.sampled_from(list(simexit.Device)),
    registered_owner=st.none() | st.booleans(),
    has_id_document=st.none() | st.booleans(),
    keep_number=st.booleans(),
    linked_accounts=st.none() | st.booleans(),
    autopay=st.none() | st.booleans(),
    other_esim_profiles=st.none() | st.booleans(),
)


class TestRoundTrip:
    @given(situations)
    def test_situation_round_trips(self, situation):
        """Any Situation survives to_json/from_json unchanged."""
        again = simexit.from_json(simexit.to_json(situation), simexit.Situation)
        assert again == situation
        assert simexit.to_json(again) == simexit.to_json(situation)

    @settings(max_examples=60)
    @given(
        operator=st.sampled_from(["azercell", "bakcell", "nar", None]),
        card=st.sampled_from(["physical_sim", "esim"]),
        arrears=st.none() | money,
        location=st.none() | st.sampled_from(list(simexit.Location)),
        locale=st.sampled_from(["en", "zh-Hans", "zh-Hant"]),
    )
    def test_plan_round_trips(self, operator, card, arrears, location, locale):
        """A Plan survives to_json/from_json exactly, byte for byte."""
        p = plan(
            operator=operator,
            card=card,
            arrears=arrears,
            location=location,
            locale=locale,
        )
        text = simexit.to_json(p)
        again = simexit.from_json(text, simexit.Plan)
        assert again == p
        assert simexit.to_json(again) == text

    def test_country_model_round_trips(self):
        """The loaded data model (operators, channels, facts) round-trips too."""
        country = simexit.load_country("AZ")
        for op in country.operators.values():
            assert simexit.from_json(simexit.to_json(op), simexit.model.Operator) == op


class TestCanonicalForm:
    def test_schema_version_and_plan_fields_at_top_level(self):
        """The JSON object has the Plan's fields plus schema_version."""
        data = json.loads(simexit.to_json(plan(operator="azercell")))
        assert data["schema_version"] == simexit.SCHEMA_VERSION
        for key in (
            "steps",
            "warnings",
            "blockers",
            "excluded",
            "data_as_of",
            "situation",
        ):
            assert key in data

    def test_keys_sorted_and_utf8_unescaped(self):
        """Keys are sorted and Chinese text is written as UTF-8, not escaped."""
        text = simexit.to_json(plan(operator="azercell", locale="zh-Hans"))
        assert "\\u" not in text
        assert "注销" in text
        data = json.loads(text)
        assert list(data) == sorted(data)

    def test_enums_are_lower_case_names(self):
        """Enums appear as their lower-case names."""
        data = json.loads(simexit.to_json(plan(operator="azercell", card="esim")))
        assert data["situation"]["card"] == "esim"
        assert data["steps"][0]["kind"] in {"action", "check", "advice"}

    def test_same_input_same_bytes(self):
        """Two plans for the same input give byte-identical JSON."""
        a = simexit.to_json(plan(operator="nar", balance=simexit.Money("1", "AZN")))
        b = simexit.to_json(plan(operator="nar", balance=simexit.Money("1", "AZN")))
        assert a == b


class TestFromJsonErrors:
    @pytest.mark.parametrize(
        "text",
        [
            "not json",
            "[1, 2]",
            '{"schema_version": 99}',
            '{"schema_version": 1, "country": 5}',
            '{"schema_version": 1, "country": "AZ", "card": "phone"}',
            '{"schema_version": 1, "country": "AZ", "arrears": {"amount": 1, "currency": "AZN"}}',
            "[" * 100_000,
        ],
    )
    def test_malformed_json_is_a_simexit_error(self, text):
        """Malformed or wrong JSON raises a SimexitError, nothing else."""
        with pytest.raises(simexit.SimexitError):
            simexit.from_json(text, simexit.Situation)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# Translation mirrors (<pkg>/locales/<tag>/...) hold only strings: not data files.
DATA_FILES = sorted(
    p
    for p in DATA.rglob("*.toml")
    if p.name != "scenarios.toml" and "locales" not in p.relative_to(DATA).parts
)


class TestSchemas:
    def test_plan_json_validates_against_the_plan_schema(self):
        """Plans as JSON satisfy the generated plan schema."""
        schema = _schema.plan_schema()
        jsonschema.Draft202012Validator.check_schema(schema)
        for kwargs in (
            {"operator": "azercell", "card": "esim"},
            {"card": "tourist_card"},
        ):
            jsonschema.validate(json.loads(simexit.to_json(plan(**kwargs))), schema)

    @pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
    def test_every_bundled_file_validates_against_the_data_schema(self, path):
        """Each bundled data file satisfies its generated schema."""
        schema = _schema.data_schema()
        kind = "operator" if path.parent.name == "operators" else path.name
        doc = _jsonable(tomllib.loads(path.read_text("utf-8")))
        jsonschema.validate(doc, {**schema, "$ref": f"#/$defs/files/{kind}"})

    def test_schema_rejects_unknown_keys(self):
        """The data schema, like the loader, forbids unknown keys."""
        schema = {**_schema.data_schema(), "$ref": "#/$defs/files/sources.toml"}
        bad = {
            "sources": {
                "x": {
                    "url": "u",
                    "publisher": "p",
                    "kind": "news",
                    "language": "en",
                    "retrieved": "2026-01-01",
                    "colour": "red",
                }
            }
        }
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def _values() -> list[object]:
    p = plan(
        operator="azercell",
        card="esim",
        arrears=simexit.Money("1", "AZN"),
        location="abroad",
        registered_owner=False,
    )
    country = simexit.load_country("AZ")
    op = country.operators["azercell"]
    return [
        p,
        p.situation,
        p.situation.arrears,
        p.steps[0],
        p.warnings[0],
        p.excluded[0],
        next(iter(op.channels.values())),
        next(iter(country.sources.values())),
        op,
        country,
        simexit.InvalidSituationError("card", "x", "one of: esim"),
        simexit.UnknownCountryError("ZZ", ("AZ",)),
        simexit.UnknownOperatorError("AZ", "x", ("azercell",)),
        simexit.DataPackageError((simexit.Problem("az", "f.toml", "a.b", "bad", 3),)),
        simexit.InvalidJSONError("bad"),
    ]


class TestPickle:
    @pytest.mark.parametrize("value", _values(), ids=lambda v: type(v).__name__)
    def test_public_objects_pickle(self, value):
        """Every public value object and error survives pickling."""
        again = pickle.loads(pickle.dumps(value))
        if isinstance(value, Exception):
            assert type(again) is type(value)
            assert str(again) == str(value)
        else:
            assert again == value

    def test_plans_are_frozen(self):
        """Plans and steps are immutable."""
        p = plan(operator="azercell")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            p.steps[0].title = "x"  # type: ignore[misc]


def test_today_is_recorded():
    """The plan records the day it was made for."""
    assert plan(operator="azercell").today == TODAY
