"""The fast JSON writer and reader give exactly the reference's bytes,
values and errors (issue 14).

The reference is the cattrs converter of ``simexit._convert`` with
``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
(``simexit._json.reference_json``) and, for reading, the converter alone
(``read_json(..., fast=False)``).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import _json, _memo
from simexit._json_read import Reader
from simexit._json_write import Writer
from simexit._situation import Card, Location

from . import strategies as S
from .conftest import TODAY

HYP = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(fn: Any, *args: Any) -> Any:
    """What *fn* gives: its value, or its exception's type and message."""
    try:
        return fn(*args)
    except Exception as e:
        return (type(e), str(e))


def same_bytes(obj: Any) -> None:
    assert outcome(simexit.to_json, obj) == outcome(_json.reference_json, obj)


def same_reading(text: str, cls: type) -> None:
    fast = outcome(simexit.from_json, text, cls)
    ref = outcome(lambda: _json.read_json(text, cls, fast=False))
    assert fast == ref
    if not isinstance(fast, tuple):
        assert simexit.to_json(fast) == simexit.to_json(ref)


#: Strings JSON escapes, or that only ensure_ascii=False keeps as they are.
hostile_text = st.one_of(
    st.text(),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x3F)),
    st.lists(st.integers(0xD800, 0xDFFF), max_size=3).map(
        lambda cs: "".join(map(chr, cs)) + "x"
    ),
    st.sampled_from(
        ['"\\/', "\u2028\u2029", "\x00\x1f\x7f\x80", "\ufeff", "😀𝄞", "a" * 100_000]
    ),
)


class TestPlans:
    @HYP
    @given(situation=S.situations(), locale=S.locales(), day=S.days())
    def test_plans_are_the_reference_bytes(self, situation, locale, day):
        """Generated situations x locales x days: to_json is the reference."""
        try:
            plan = simexit.plan_for(situation, locale=locale, today=day)
        except simexit.SimexitError:
            return
        text = simexit.to_json(plan)

        assert text == _json.reference_json(plan)
        assert simexit.to_json(plan) == text  # remembered fragments: the same
        same_reading(text, simexit.Plan)

    @HYP
    @given(situation=S.situations())
    def test_situations_are_the_reference_bytes(self, situation):
        """A Situation alone, with its amounts, enums, unknowns and accounts."""
        same_bytes(situation)
        same_reading(simexit.to_json(situation), simexit.Situation)

    @pytest.mark.parametrize("code", sorted(S.COUNTRIES))
    def test_model_objects_are_the_reference_bytes(self, code):
        """Countries, operators, sources and the vocabulary to_json accepts."""
        country = S.COUNTRIES[code]
        for obj in (country, *country.operators.values(), country.vocabulary):
            same_bytes(obj)
            same_reading(simexit.to_json(obj), type(obj))
        for source in country.sources.values():
            same_bytes(source)

    def test_a_budget_of_zero_gives_the_same_bytes(self):
        """Nothing remembered, nothing changed."""
        plan = simexit.plan_for(simexit.Situation(country="AZ"), today=TODAY)
        was = simexit.get_memo_budget()
        try:
            simexit.set_memo_budget(0)
            assert simexit.to_json(plan) == _json.reference_json(plan)
        finally:
            simexit.set_memo_budget(was)

    def test_fragments_stay_within_the_budget(self):
        """The writer's memos draw on the process's one budget."""
        budget = _memo.Budget(20)
        writer = Writer(_json._converter(), simexit.SCHEMA_VERSION, budget)
        for situation in [
            simexit.Situation(country="AZ", card=card, location=where)
            for card in (Card.PHYSICAL_SIM, Card.ESIM)
            for where in (None, *Location)
        ]:
            plan = simexit.plan_for(situation, today=TODAY)
            assert writer.dumps(plan) == _json.reference_json(plan)
            assert budget.held() <= 20


def _plan() -> simexit.Plan:
    return simexit.plan_for(
        simexit.Situation(
            country="AZ",
            operator="azercell",
            arrears=simexit.Money("4.50", "AZN"),
            accounts=["bank", "whatsapp"],
        ),
        locale="ru",
        today=TODAY,
    )


#: Values of any type, for fields that hold what they were given.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    hostile_text,
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.sampled_from([*Card, Location.ABROAD, dt.datetime(2026, 1, 2, 3, 4)]),
    st.lists(st.text(max_size=3), max_size=3),
    st.tuples(st.text(max_size=3)),
    st.frozensets(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


class TestHostileValues:
    @HYP
    @given(title=hostile_text, detail=hostile_text, reason=hostile_text)
    def test_hostile_strings(self, title, detail, reason):
        """Control characters, lone surrogates, U+2028, very long texts."""
        plan = _plan()
        step = attrs.evolve(
            plan.steps[0], title=title, detail=detail, because=(reason,)
        )
        notice = attrs.evolve(plan.warnings[0], text=title, steps=(detail,))
        odd = attrs.evolve(plan, steps=(step, *plan.steps[1:]), warnings=(notice,))

        same_bytes(odd)
        same_bytes(step)

    @HYP
    @given(data=st.data(), value=anything)
    def test_any_value_in_any_field(self, data, value):
        """A record holds what it is given: whatever the reference writes or
        raises for it, the fast writer writes or raises too."""
        plan = _plan()
        target = data.draw(
            st.sampled_from(
                [
                    plan,
                    plan.situation,
                    plan.steps[0],
                    plan.warnings[0],
                    plan.excluded[0],
                ]
            )
        )
        name = data.draw(st.sampled_from([a.name for a in attrs.fields(type(target))]))
        try:
            odd = attrs.evolve(target, **{name: value})
        except simexit.SimexitError:  # a Situation's converters refuse it
            return

        same_bytes(odd)
        if target is plan.steps[0]:
            same_bytes(attrs.evolve(plan, steps=(odd, *plan.steps)))

    @HYP
    @given(
        amount=S.amounts(places=2)
        | st.sampled_from(["0", "-0", "10.00", Decimal("1E+2"), Decimal("-0.00")])
    )
    def test_decimal_amounts(self, amount):
        """Amounts as the Situation keeps them: written as str(Decimal)."""
        money = simexit.Money(amount, "AZN")
        same_bytes(money)
        same_bytes(simexit.Situation(country="AZ", balance=money))


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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=2)
        | st.dictionaries(st.text(max_size=6), inner, max_size=2)
    ),
    max_leaves=6,
)


class TestReading:
    @settings(HYP, max_examples=300)
    @given(data=st.data(), value=json_values | st.sampled_from(["2026-W47-1", "4.5"]))
    def test_a_changed_leaf_reads_as_the_reference_reads_it(self, data, value):
        """Same value or same error type and message, leaf by leaf."""
        doc = json.loads(simexit.to_json(_plan()))
        path = data.draw(st.sampled_from(_leaves(doc)))

        same_reading(json.dumps(_replace(doc, path, value)), simexit.Plan)

    @HYP
    @given(data=st.data())
    def test_a_key_removed_or_added(self, data):
        """Missing and unknown keys: the reference's error, word for word."""
        doc = json.loads(simexit.to_json(_plan()))
        path = data.draw(st.sampled_from(_leaves(doc)))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict):
            if data.draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent["colour"] = "red"

        same_reading(json.dumps(doc), simexit.Plan)

    @pytest.mark.parametrize(
        "text",
        [
            '{"schema_version": 1, "country": 5}',
            '{"schema_version": 1, "country": "AZ", "card": "phone"}',
            '{"schema_version": 1, "country": "AZ", "accounts": ["bank"], '
            '"linked_accounts": false}',
            '{"schema_version": 1, "amount": "4.505", "currency": "AZN"}',
        ],
    )
    def test_errors_are_the_reference_errors(self, text):
        """Situations and money the reference refuses, refused alike."""
        for cls in (simexit.Situation, simexit.Money):
            same_reading(text, cls)


# -- classes with the fields other engineers are adding -----------------------


@attrs.frozen(kw_only=True)
class FutureSituation:
    country: str
    leaving_on: dt.date | None = None
    bought_on: dt.date | None = None
    card: Card = Card.ESIM
    balance: simexit.Money | None = None


@attrs.frozen(kw_only=True)
class FutureStep:
    id: str
    rules: tuple[str, ...]
    due: dt.date | None
    sources: tuple[simexit.Source, ...] = ()
    urgent: bool = False


@attrs.frozen(kw_only=True)
class FuturePlan:
    situation: FutureSituation
    steps: tuple[FutureStep, ...]
    done: tuple[str, ...]
    amount: Decimal
    counts: dict[str, int] = attrs.Factory(dict)


class TestNewFields:
    @HYP
    @given(
        leaving=st.none() | st.dates(),
        rules=st.lists(hostile_text, max_size=3),
        due=st.none() | st.dates(),
        done=st.lists(st.text(), max_size=3),
        amount=st.decimals(allow_nan=False, allow_infinity=False),
        counts=st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
    )
    def test_classes_with_new_fields(self, leaving, rules, due, done, amount, counts):
        """Derived from the class: new fields need no code, bytes and values
        are the reference's both ways."""
        conv = _json._converter()
        source = next(iter(S.COUNTRIES["AZ"].sources.values()))
        step = FutureStep(id="x", rules=tuple(rules), due=due, sources=(source,))
        plan = FuturePlan(
            situation=FutureSituation(country="AZ", leaving_on=leaving, bought_on=due),
            steps=(step, step),
            done=tuple(done),
            amount=amount,
            counts=counts,
        )
        writer = Writer(conv, simexit.SCHEMA_VERSION)
        reference = {"schema_version": simexit.SCHEMA_VERSION, **conv.unstructure(plan)}

        text = writer.dumps(plan)

        assert text == json.dumps(
            reference, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        data = json.loads(text)
        del data["schema_version"]
        ref = outcome(conv.structure, data, FuturePlan)
        try:
            fast = Reader(conv).decoder(FuturePlan)(data)
        except Exception:  # not on the happy path: from_json asks the reference
            assert isinstance(ref, tuple)  # and what it accepts, so does the fast one
        else:
            assert fast == ref
