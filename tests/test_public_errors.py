"""Every public call raises only SimexitError subclasses, for any argument.

Each name in ``simexit.__all__`` (and the helpers of ``simexit.testing``)
is called with arbitrary values: None, numbers, bytes, containers, dates,
right values in the wrong place, 10 000-character and NUL-bearing strings,
5000-digit numbers, and hostile ``str``/``int`` subclasses whose methods
raise or lie.  Whatever comes back, the only exception allowed out is a
SimexitError, and its message can always be printed.

One exception is the caller's own: an iterator given to ``plan_many`` that
raises while it is consumed passes its error through (documented there).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
import simexit.model
from simexit import Money, Registry, SimexitError, Situation, testing
from simexit._loader import validate_paths
from simexit._render import render_country, render_markdown, render_text
from simexit._situation import SITUATION_FIELDS

from . import strategies as S
from .conftest import TODAY

HYP = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _boom(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("a hostile method was called")


class RaisingStr(str):
    """A str whose every method a checker might call raises."""

    strip = lstrip = rstrip = lower = upper = casefold = title = _boom
    replace = split = partition = startswith = endswith = encode = _boom
    isascii = isalpha = isdigit = isspace = format = join = _boom
    __hash__ = __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _boom
    __len__ = __iter__ = __getitem__ = __contains__ = __add__ = __mod__ = _boom
    __str__ = __repr__ = __format__ = __fspath__ = _boom


class LyingStr(str):
    """A str whose methods return values of the wrong type."""

    def strip(self, *args: object) -> Any:
        return 5

    def upper(self) -> Any:
        return ["A", "Z"]

    def lower(self) -> Any:
        return None

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return True

    def __str__(self) -> Any:
        return 42

    def __len__(self) -> int:
        return 2


class RaisingInt(int):
    """An int whose dunder methods raise."""

    __index__ = __int__ = __hash__ = __eq__ = __lt__ = __gt__ = _boom
    __str__ = __repr__ = __format__ = __float__ = __bool__ = _boom


class Unprintable:
    """An object that cannot be compared, hashed or shown."""

    __eq__ = __hash__ = __repr__ = __str__ = __format__ = __bool__ = _boom


WORDS = st.sampled_from(
    [
        "AZ",
        "kz",
        "azercell",
        "en",
        "zh-TW",
        "esim",
        "4.50",
        "AZN",
        "",
        "x",
        "2026-11-23",
    ]
)

#: Arbitrary values of many types, including hostile ones.
ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=8),
    st.decimals(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(RaisingStr, WORDS),
    st.builds(LyingStr, WORDS),
    st.builds(RaisingInt, st.integers()),
    st.builds(Unprintable),
    st.builds(object),
    st.sampled_from(
        [
            "\x00",
            "zh\x00Hant",
            "x" * 10_000,
            "9" * 5000,
            "uß",
            "1e2",
            "4_50",
            10**5000,
            -(10**5000),
            Decimal("NaN"),
            float("inf"),
            simexit.Card.ESIM,
            TODAY,
            ...,
            int,
            simexit.Plan,
        ]
    ),
    st.builds(lambda: Situation(country="AZ")),
    st.builds(lambda: Money("1", "AZN")),
    st.builds(Registry.from_paths),
)


def only_simexit_errors(call: Callable[[], object]) -> object:
    """Run *call*; a SimexitError is fine (and must print), anything else fails."""
    try:
        return call()
    except SimexitError as e:
        error = e
    assert isinstance(str(error), str)
    return error


def _or_any(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(valid, ANY)


class TestPlanning:
    @HYP
    @given(
        situation=_or_any(S.situations()),
        locale=_or_any(S.locales()),
        today=_or_any(st.just(TODAY)),
        registry=st.one_of(st.none(), ANY),
    )
    def test_plan_for(self, situation, locale, today, registry):
        only_simexit_errors(
            lambda: simexit.plan_for(
                situation, locale=locale, today=today, registry=registry
            )
        )

    @HYP
    @given(
        situations=st.one_of(ANY, st.lists(_or_any(S.situations()), max_size=3)),
        locale=_or_any(S.locales()),
        registry=st.one_of(st.none(), ANY),
    )
    def test_plan_many(self, situations, locale, registry):
        only_simexit_errors(
            lambda: list(
                simexit.plan_many(
                    situations, locale=locale, today=TODAY, registry=registry
                )
            )
        )

    @pytest.mark.parametrize("situations", [None, 5, 1.5, object()])
    def test_plan_many_refuses_what_is_not_iterable(self, situations):
        """plan_many(None) is an InvalidSituationError naming 'situations'."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            list(simexit.plan_many(situations, today=TODAY))

        assert caught.value.field == "situations"

    def test_the_callers_own_iterator_error_passes_through(self):
        """Documented: simexit does not hide the caller's exception."""

        def situations() -> Iterator[Situation]:
            yield Situation(country="AZ")
            raise LookupError("the caller's own")

        with pytest.raises(LookupError, match="the caller's own"):
            list(simexit.plan_many(situations(), today=TODAY))

    @HYP
    @given(registry=ANY)
    def test_countries(self, registry):
        only_simexit_errors(lambda: simexit.countries(registry=registry))

    @HYP
    @given(code=_or_any(st.sampled_from(["AZ", "kz", " KZ "])), registry=ANY)
    def test_load_country(self, code, registry):
        only_simexit_errors(lambda: simexit.load_country(code, registry=registry))
        only_simexit_errors(lambda: simexit.load_country(code))

    @pytest.mark.parametrize(
        ("call", "field"),
        [
            # Wrong types on purpose: the checks a type checker cannot make.
            (lambda: simexit.countries(registry=1), "registry"),  # type: ignore[arg-type]
            (lambda: simexit.countries(registry=0), "registry"),  # type: ignore[arg-type]
            (lambda: simexit.load_country("AZ", registry="x"), "registry"),  # type: ignore[arg-type]
            (lambda: simexit.load_country(RaisingStr("AZ")), None),
            (lambda: simexit.plan_for(Situation(country="AZ"), locale=b"en"), "locale"),  # type: ignore[arg-type]
        ],
    )
    def test_the_audit_cases(self, call, field):
        """countries(registry=1) and friends: SimexitError, not AttributeError."""
        error = only_simexit_errors(call)

        if field is None:  # the hostile str is read as the plain "AZ"
            assert isinstance(error, simexit.Country)
        else:
            assert isinstance(error, simexit.InvalidSituationError)
            assert error.field == field

    @pytest.mark.parametrize(
        "locale",
        ["zh\x00", "z" * 10_000, RaisingStr("zh-TW")],
        ids=["nul", "long", "hostile"],
    )
    def test_odd_locales_still_plan(self, locale):
        """A locale with NUL, 10 000 characters or hostile methods: a plan."""
        plan = simexit.plan_for(Situation(country="AZ"), locale=locale, today=TODAY)

        assert plan.locale in simexit._locales.tags()


def _public_classes() -> list[type]:
    """The classes of ``simexit`` and of the data model, ``simexit.model``."""
    names = [(simexit, n) for n in simexit.__all__]
    names += [(simexit.model, n) for n in simexit.model.__all__]
    return [c for m, n in names if isinstance(c := getattr(m, n), type)]


class TestValues:
    @HYP
    @given(field=st.sampled_from(("country", *SITUATION_FIELDS)), value=ANY)
    def test_situation(self, field, value):
        fields = {"country": "AZ", field: value}
        only_simexit_errors(lambda: Situation(**fields))

    @pytest.mark.parametrize("cls", [RaisingStr, LyingStr])
    def test_hostile_strs_are_read_as_the_text_they_hold(self, cls):
        """No method of a str subclass is called: its text is used."""
        s = Situation(country=cls("az"), operator=cls("Azercell"), card=cls("esim"))

        assert (s.country, s.operator, s.card) == ("AZ", "azercell", simexit.Card.ESIM)
        assert type(s.country) is str
        assert Money(cls("4.50"), cls("azn")) == Money("4.50", "AZN")

    @HYP
    @given(amount=ANY, currency=_or_any(st.sampled_from(["AZN", "kzt", "JPY"])))
    def test_money(self, amount, currency):
        only_simexit_errors(lambda: Money(amount, currency))

    @HYP
    @given(value=ANY)
    def test_enums(self, value):
        """Card(x) and every other enum: a member or InvalidSituationError."""
        for cls in _public_classes():
            if isinstance(cls, type) and issubclass(cls, enum.Enum):
                only_simexit_errors(functools.partial(cls, value))

    def test_an_enum_is_found_by_its_value(self):
        assert simexit.Card("esim") is simexit.Card.ESIM
        assert simexit.Card(simexit.Card.ESIM) is simexit.Card.ESIM
        with pytest.raises(simexit.InvalidSituationError, match="one of: physical_sim"):
            simexit.Card("ESIM ")

    @HYP
    @given(data=st.data())
    def test_records(self, data):
        """The frozen records accept what they are given: no check, no crash."""
        for cls in _public_classes():
            # a Registry is an attrs class too, but not a record: its fields
            # are private (an init alias each) and its caches are not arguments
            if not attrs.has(cls) or cls in (Situation, Money, simexit.Registry):
                continue
            kwargs = {f.name: data.draw(ANY) for f in attrs.fields(cls)}
            only_simexit_errors(functools.partial(cls, **kwargs))

    @HYP
    @given(arg=ANY)
    def test_methods_of_real_objects(self, arg):
        """Text.get, Plan.step and Operator.status_on with any argument."""
        plan = simexit.plan_for(Situation(country="AZ"), today=TODAY)
        country = simexit.load_country("AZ")
        operator = next(iter(country.operators.values()))
        text = plan.steps[0]
        only_simexit_errors(lambda: plan.step(arg))
        only_simexit_errors(lambda: country.steps[text.id].title.get(arg))
        only_simexit_errors(lambda: operator.status_on(arg))
        for op in country.operators.values():
            only_simexit_errors(functools.partial(op.status_on, arg))


class TestJSON:
    @HYP
    @given(obj=ANY)
    def test_to_json(self, obj):
        only_simexit_errors(lambda: simexit.to_json(obj))

    def test_to_json_refuses_what_is_not_a_simexit_value(self):
        with pytest.raises(simexit.InvalidSituationError, match="simexit value"):
            simexit.to_json(object())

    @HYP
    @given(
        text=st.one_of(
            ANY,
            st.builds(
                lambda d: json.dumps({"schema_version": 1, **d}),
                st.dictionaries(
                    st.sampled_from(["country", "amount", "currency"]), WORDS
                ),
            ),
        ),
        cls=_or_any(st.sampled_from([Situation, Money, simexit.Plan, simexit.Country])),
    )
    def test_from_json(self, text, cls):
        only_simexit_errors(lambda: simexit.from_json(text, cls))

    @pytest.mark.parametrize("cls", [RaisingStr, LyingStr])
    def test_from_json_reads_a_hostile_str_as_its_text(self, cls):
        text = cls('{"schema_version":1,"amount":"4.50","currency":"AZN"}')

        assert simexit.from_json(text, Money) == Money("4.50", "AZN")


class TestRegistryAndTesting:
    @HYP
    @given(folders=st.lists(ANY, max_size=3))
    def test_from_paths(self, folders):
        only_simexit_errors(lambda: Registry.from_paths(*folders))

    @pytest.mark.parametrize(
        "folder",
        [None, 5, b"x", "", "a\x00b", "a" * 5000, RaisingStr("x"), object()],
        ids=["none", "int", "bytes", "empty", "nul", "long", "hostile", "object"],
    )
    def test_from_paths_refuses_with_a_data_package_error(self, folder):
        """Registry.from_paths(None): DataPackageError, not TypeError."""
        with pytest.raises(simexit.DataPackageError) as caught:
            Registry.from_paths(folder)

        assert "package" in str(caught.value)

    @HYP
    @given(code=ANY)
    def test_registry_load(self, code):
        only_simexit_errors(lambda: simexit._loader.default_registry().load(code))

    @HYP
    @given(folders=st.one_of(ANY, st.lists(ANY, max_size=2)))
    def test_validate_paths(self, folders):
        only_simexit_errors(lambda: validate_paths(folders))

    @HYP
    @given(
        code=_or_any(st.sampled_from(["AZ", "KZ"])),
        registry=st.one_of(st.none(), ANY),
        scenario=ANY,
    )
    def test_scenario_helpers(self, code, registry, scenario):
        only_simexit_errors(lambda: testing.load_scenarios(code, registry=registry))
        only_simexit_errors(lambda: testing.check_scenarios(code, registry=registry))
        only_simexit_errors(lambda: testing.check_scenario(scenario, registry=registry))

    def test_a_real_scenario_still_passes(self):
        """The checks added at the boundary keep the happy path."""
        scenarios = testing.load_scenarios("AZ")

        assert scenarios
        assert testing.check_scenario(scenarios[0]) == []

    def test_a_date_that_is_a_datetime_is_refused(self):
        """status_on(datetime) would compare a datetime to a date: TypeError."""
        op = next(iter(simexit.load_country("AZ").operators.values()))
        with pytest.raises(simexit.InvalidSituationError, match=r"datetime\.date"):
            op.status_on(dt.datetime(2026, 11, 23))


class TestRenderers:
    @HYP
    @given(plan=ANY, width=_or_any(st.integers(-5, 200)))
    def test_text_and_markdown(self, plan, width):
        """The renderers behind the CLI refuse what is not an engine-made Plan."""
        only_simexit_errors(lambda: render_text(plan, width=width))
        only_simexit_errors(lambda: render_markdown(plan))

    @HYP
    @given(
        country=_or_any(st.builds(lambda: simexit.load_country("KZ"))),
        locale=_or_any(st.sampled_from(["en", "zh-Hans"])),
        today=_or_any(st.just(TODAY)),
        width=_or_any(st.just(60)),
    )
    def test_country(self, country, locale, today, width):
        only_simexit_errors(lambda: render_country(country, locale, today, width=width))

    @HYP
    @given(width=st.integers(-5, 10_000))
    def test_any_width_renders_a_real_plan(self, width):
        """Even a width of 0 or less: one word a line, no hang, no error."""
        plan = simexit.plan_for(Situation(country="AZ"), today=TODAY)

        assert render_text(plan, width=width).split()[:2] == ["Plan:", "Azerbaijan"]
