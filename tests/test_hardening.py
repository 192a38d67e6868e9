"""Hostile and broken input: only simexit's own errors ever escape.

Hypothesis walks the whole Situation space, invalid values included (wrong
types, negative, NaN, infinite and huge amounts, bad currencies, unknown
operators and countries, odd locales, bad dates); ``from_json`` gets
malformed and hostile JSON; many threads make the first call at once.
"""

from __future__ import annotations

import decimal
import json
import random
import sys
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit.exceptions import shown

from . import strategies as S
from .conftest import TODAY
from .domain import order_problems

#: Generous deadlines: the first example of a run loads and compiles data.
HYP = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def names_its_field(error: simexit.SimexitError) -> bool:
    """Whether *error*'s message says which input it is about."""
    text = str(error)
    if isinstance(error, simexit.InvalidSituationError):
        return f"invalid {error.field}:" in text
    # values are quoted as shown(): their repr, cut short when it is long
    if isinstance(error, simexit.UnknownOperatorError):
        return "operator" in text and shown(error.operator) in text
    if isinstance(error, simexit.UnknownCountryError):
        # "no data package for 'XX' (available: AZ, KZ)": packages are countries
        return shown(error.code) in text and "available" in text
    return False


class TestValidSituations:
    @HYP
    @given(situation=S.situations(), locale=S.locales(), today=S.days())
    def test_every_valid_situation_gets_an_ordered_plan(self, situation, locale, today):
        """Any valid situation, locale and date: a plan whose order holds."""
        plan = simexit.plan_for(situation, locale=locale, today=today)

        assert plan.situation is situation
        assert plan.steps
        assert order_problems(plan) == []

    @settings(HYP, max_examples=40)
    @given(situation=S.situations(), locale=S.locales())
    def test_a_fresh_registry_gives_the_same_bytes(self, situation, locale):
        """Memoised or not, the same input gives byte-identical JSON."""
        warm = simexit.plan_for(situation, locale=locale, today=TODAY)
        fresh = simexit.plan_for(
            situation, locale=locale, today=TODAY, registry=simexit.Registry.default()
        )

        assert simexit.to_json(fresh) == simexit.to_json(warm)


class TestInvalidSituations:
    @HYP
    @given(fields=S.situation_fields(), bad=S.invalid_fields())
    def test_a_refused_value_names_its_field(self, fields, bad):
        """One bad field among good ones: InvalidSituationError naming it."""
        field, value = bad
        fields[field] = value

        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.Situation(**fields)

        assert caught.value.field == field
        assert names_its_field(caught.value)

    @HYP
    @given(amount=S.bad_amounts())
    def test_bad_amounts_are_refused(self, amount):
        """Negative, NaN, infinite, over 10^9 or not a number: refused."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.Money(amount, "AZN")

        assert caught.value.field == "amount"
        assert names_its_field(caught.value)

    @HYP
    @given(currency=S.bad_currencies())
    def test_bad_currencies_are_refused(self, currency):
        """Not a three-letter ISO 4217 code: refused, naming the currency."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.Money("1", currency)

        assert caught.value.field == "currency"
        assert names_its_field(caught.value)

    @HYP
    @given(code=S.unknown_countries())
    def test_unknown_country_lists_the_available_ones(self, code):
        """A well-formed code no package provides: UnknownCountryError."""
        with pytest.raises(simexit.UnknownCountryError) as caught:
            simexit.plan_for(simexit.Situation(country=code))

        assert caught.value.available == simexit.countries()
        assert names_its_field(caught.value)

    @HYP
    @given(code=st.sampled_from(["AZ", "KZ"]), operator=S.unknown_operators())
    def test_unknown_operator_lists_the_available_ones(self, code, operator):
        """An operator id the country lacks: UnknownOperatorError."""
        situation = simexit.Situation(country=code, operator=operator)

        with pytest.raises(simexit.UnknownOperatorError) as caught:
            simexit.plan_for(situation)

        assert set(caught.value.available) == set(S.COUNTRIES[code].operators)
        assert names_its_field(caught.value)

    @HYP
    @given(fields=S.situation_fields(), locale=S.bad_locales())
    def test_a_locale_that_is_not_text_is_refused(self, fields, locale):
        """locale must be a string: anything else names the locale."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.plan_for(simexit.Situation(**fields), locale=locale)

        assert caught.value.field == "locale"

    @HYP
    @given(fields=S.situation_fields(), locale=S.odd_locales())
    def test_odd_locales_fall_back_to_a_supported_one(self, fields, locale):
        """Any string is a locale request: unsupported ones fall back, noted."""
        plan = simexit.plan_for(simexit.Situation(**fields), locale=locale, today=TODAY)

        assert plan.locale in ("en", "zh-Hans", "zh-Hant")
        if plan.locale == "en" and not locale.lower().startswith("en"):
            assert "locale-fallback" in [w.id for w in plan.warnings]

    @HYP
    @given(fields=S.situation_fields(), today=S.bad_days())
    def test_a_bad_today_is_refused(self, fields, today):
        """today must be a datetime.date (a datetime is refused too)."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.plan_for(simexit.Situation(**fields), today=today)

        assert caught.value.field == "today"

    @HYP
    @given(
        thing=st.one_of(
            st.none(), st.text(), st.integers(), st.dictionaries(st.text(), st.text())
        )
    )
    def test_plan_for_refuses_what_is_not_a_situation(self, thing):
        """A dict or a string is not a Situation, even if it looks like one."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.plan_for(thing)

        assert caught.value.field == "situation"

    def test_a_registry_must_be_a_registry(self):
        """registry= takes a simexit.Registry or None."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.plan_for(simexit.Situation(country="AZ"), registry="AZ")  # type: ignore[arg-type]

        assert caught.value.field == "registry"


def anything(valid: st.SearchStrategy[Any], invalid: st.SearchStrategy[Any]):
    return st.one_of(valid, valid, invalid)


@st.composite
def any_input(draw: st.DrawFn) -> tuple[dict[str, Any], Any, Any]:
    """Situation fields, locale and date, each valid or not, independently."""
    fields = draw(S.situation_fields())
    for field in S.FIELDS:
        if draw(st.integers(0, 15)) == 0:
            fields[field] = draw(S.invalid_value(field))
    roll = draw(st.integers(0, 9))
    if roll == 0:
        fields["country"] = draw(S.unknown_countries())
    elif roll == 1:
        fields["operator"] = draw(S.unknown_operators())
    elif roll == 2:
        fields["arrears"] = simexit.Money("1", draw(st.sampled_from(["USD", "EUR"])))
    locale = draw(anything(S.locales() | S.odd_locales(), S.bad_locales()))
    today = draw(anything(S.days(), S.bad_days()))
    return fields, locale, today


class TestWholeSpace:
    @settings(HYP, max_examples=300)
    @given(case=any_input())
    def test_only_simexit_errors_escape_and_each_names_its_field(self, case):
        """Valid or not, in any mix: a plan, or a SimexitError naming the input."""
        fields, locale, today = case
        error: simexit.SimexitError | None = None
        try:
            plan = simexit.plan_for(
                simexit.Situation(**fields), locale=locale, today=today
            )
        except simexit.SimexitError as e:
            error = e

        if error is not None:
            assert names_its_field(error), str(error)
        else:
            assert order_problems(plan) == []

    @settings(HYP, max_examples=60)
    @given(
        good=st.lists(S.situations(), min_size=1, max_size=5),
        bad=st.one_of(st.none(), st.text(), st.integers()),
    )
    def test_plan_many_stops_at_the_first_bad_item(self, good, bad):
        """Plans stream up to a bad item, which raises InvalidSituationError."""
        stream = simexit.plan_many([*good, bad, *good], today=TODAY)
        got = [next(stream) for _ in good]

        with pytest.raises(simexit.InvalidSituationError) as caught:
            next(stream)

        assert [p.situation for p in got] == good
        assert caught.value.field == "situation"


# -- from_json -----------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


def _reference_plan() -> simexit.Plan:
    return simexit.plan_for(
        simexit.Situation(
            country="AZ",
            operator="azercell",
            card=simexit.Card.ESIM,
            arrears=simexit.Money("4.50", "AZN"),
            balance=simexit.Money("3.20", "AZN"),
            location=simexit.Location.ABROAD,
        ),
        today=TODAY,
    )


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _replace(node: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, dict):
        return {**node, head: _replace(node[head], rest, value)}
    return [_replace(v, rest, value) if i == head else v for i, v in enumerate(node)]


def parse(text: Any, cls: type = simexit.Plan) -> Any:
    """from_json, letting only a SimexitError through."""
    try:
        return simexit.from_json(text, cls)
    except simexit.SimexitError as e:
        return e


class TestFromJson:
    @pytest.mark.parametrize(
        "text",
        [
            "[" * 100_000,
            "[" * 100_000 + "]" * 100_000,
            '{"a":' * 100_000 + "1" + "}" * 100_000,
            '{"steps":' + "[" * 50_000 + "]" * 50_000 + "}",
            "1e999999",
            '{"schema_version":1e999999}',
            "9" * 10_000,
            '{"schema_version":' + "9" * 10_000 + "}",
            "-" * 10,
            "",
            "\x00",
            "NaN",
            '{"schema_version":NaN}',
            "{" * 3,
            '"\\ud800"',
            "\ufeff{}",
        ],
        ids=lambda t: repr(t[:24]),
    )
    def test_malformed_and_hostile_text_is_invalid_json(self, text):
        """Deep nesting, huge numbers, garbage: InvalidJSONError, no crash."""
        assert isinstance(parse(text), simexit.InvalidJSONError)

    @pytest.mark.parametrize(
        "value", [None, 1, 1.5, [], {}, b"\xff\xfe\x00", bytearray(b"{"), object()]
    )
    def test_what_is_not_text_is_invalid_json(self, value):
        """None, numbers, containers and undecodable bytes: InvalidJSONError."""
        assert isinstance(parse(value), simexit.InvalidJSONError)

    @HYP
    @given(value=json_values)
    def test_any_json_document_is_a_plan_or_invalid(self, value):
        """Arbitrary JSON values: never anything but a SimexitError."""
        result = parse(json.dumps(value))

        assert isinstance(result, simexit.SimexitError | simexit.Plan)

    @settings(HYP, max_examples=300)
    @given(data=st.data(), value=json_values | st.sampled_from([1e308, -(10**400)]))
    def test_a_wrong_value_anywhere_in_a_plan_is_invalid(self, data, value):
        """Any leaf of a real plan's JSON replaced by any value: no crash."""
        doc = json.loads(simexit.to_json(_reference_plan()))
        path = data.draw(st.sampled_from(_leaves(doc)))
        text = json.dumps(_replace(doc, path, value))

        result = parse(text)

        assert isinstance(result, simexit.SimexitError | simexit.Plan)
        if isinstance(result, simexit.Plan):
            assert simexit.to_json(result) == simexit.to_json(
                simexit.from_json(simexit.to_json(result), simexit.Plan)
            )

    @pytest.mark.parametrize(
        "amount", ["NaN", "-1", "1e999999", "Infinity", "9" * 5000, 4.5, None]
    )
    def test_money_in_json_is_validated_like_money(self, amount):
        """A situation's money is checked as Money is: a SimexitError."""
        doc = json.loads(simexit.to_json(simexit.Situation(country="AZ")))
        doc["arrears"] = {"amount": amount, "currency": "AZN"}

        assert isinstance(
            parse(json.dumps(doc), simexit.Situation), simexit.SimexitError
        )

    @pytest.mark.parametrize(
        ("path", "value", "words"),
        [
            (("today",), "2026-13-45", "a date"),
            (("today",), 20261123, "a date"),
            (("situation", "arrears"), {"amount": "1"}, "amount and currency"),
            (("situation", "arrears"), {"amount": 1, "currency": "AZN"}, "decimal"),
            (("steps", 0, "kind"), "todo", "one of"),
            (("steps", 0, "urgent"), "false", "true or false"),
            (("steps", 0, "after"), "block-number", "a list"),
            (("steps",), {"0": {}}, "a list"),
            (("warnings", 0), [], "warnings"),
        ],
    )
    def test_wrong_types_are_reported_with_their_place(self, path, value, words):
        """A wrong value in a real plan's JSON: InvalidJSONError saying where."""
        doc = json.loads(simexit.to_json(_reference_plan()))

        result = parse(json.dumps(_replace(doc, path, value)))

        assert isinstance(result, simexit.InvalidJSONError)
        assert words in str(result)

    def test_a_real_plan_still_round_trips(self):
        """The hardening does not refuse what to_json writes."""
        plan = _reference_plan()

        assert simexit.from_json(simexit.to_json(plan), simexit.Plan) == plan


# -- concurrency ---------------------------------------------------------------


class TestConcurrentFirstUse:
    THREADS = 16

    def _situations(self) -> list[simexit.Situation]:
        rng = random.Random(6)
        out = []
        for code, country in S.COUNTRIES.items():
            for card in country.cards:
                ops = [o for o in country.operators.values() if card in o.cards]
                for op in [None, *ops]:
                    out.append(
                        simexit.Situation(
                            country=code,
                            operator=op.id if op else None,
                            card=card,
                            arrears=rng.choice(
                                [None, simexit.Money("2", country.currency)]
                            ),
                            device=rng.choice([None, *simexit.Device]),
                            location=rng.choice([None, *simexit.Location]),
                        )
                    )
        return out

    def _race(self, work) -> list[Any]:
        barrier = threading.Barrier(self.THREADS)
        results: list[Any] = [None] * self.THREADS
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                barrier.wait()
                results[i] = work(i)
            except BaseException as e:  # reported by the test, not lost
                errors.append(e)

        switch = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # interleave as much as possible
        try:
            threads = [
                threading.Thread(target=run, args=(i,)) for i in range(self.THREADS)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.setswitchinterval(switch)
        assert errors == []
        return results

    def test_many_threads_get_identical_plans(self):
        """16 threads make their first calls at once on a fresh registry."""
        situations = self._situations()
        registry = simexit.Registry.default()
        reference = [
            simexit.to_json(
                simexit.plan_for(s, today=TODAY, registry=simexit.Registry.default())
            )
            for s in situations
        ]

        def work(i: int) -> list[str]:
            order = list(range(len(situations)))
            random.Random(i).shuffle(order)
            out = [""] * len(situations)
            for j in order:
                plan = simexit.plan_for(situations[j], today=TODAY, registry=registry)
                out[j] = simexit.to_json(plan)
            return out

        for result in self._race(work):
            assert result == reference

    def test_many_threads_share_one_loaded_country(self):
        """Loading is done once: every thread gets the very same Country."""
        registry = simexit.Registry.default()

        countries = self._race(
            lambda i: simexit.load_country("KZ" if i % 2 else "AZ", registry=registry)
        )

        assert len({id(c) for c in countries[0::2]}) == 1
        assert len({id(c) for c in countries[1::2]}) == 1

    def test_many_threads_streaming_plan_many(self):
        """plan_many from many threads on one fresh registry: same plans."""
        situations = self._situations()
        registry = simexit.Registry.default()
        expected = [
            simexit.to_json(p) for p in simexit.plan_many(situations, today=TODAY)
        ]

        results = self._race(
            lambda i: [
                simexit.to_json(p)
                for p in simexit.plan_many(situations, today=TODAY, registry=registry)
            ]
        )

        assert all(r == expected for r in results)


class TestOddInput:
    def test_hostile_text_in_a_situation_stays_text(self):
        """An operator id that looks like code is only ever compared, and refused."""
        for text in ("__import__('os').system('touch /tmp/pwned')", "{0.__class__}"):
            with pytest.raises(simexit.UnknownOperatorError) as caught:
                simexit.plan_for(simexit.Situation(country="AZ", operator=text))
            assert repr(text.lower()) in str(caught.value)

    def test_the_callers_decimal_context_changes_nothing(self):
        """A low-precision, trapping decimal context gives the same plan."""
        s = simexit.Situation(
            country="AZ", operator="azercell", arrears=simexit.Money("4.50", "AZN")
        )
        expected = simexit.to_json(simexit.plan_for(s, today=TODAY))
        with decimal.localcontext() as ctx:
            ctx.prec = 1
            ctx.traps[decimal.Inexact] = True
            ctx.traps[decimal.Rounded] = True
            got = simexit.to_json(
                simexit.plan_for(s, today=TODAY, registry=simexit.Registry.default())
            )

        assert got == expected
