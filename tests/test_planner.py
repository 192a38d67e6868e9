"""The memo layer is the planner made fast: both give the same plans.

``simexit._planner`` decides a plan from scratch, with no memo; the engine
(``simexit._engine``) memoises the parts of plans.  For every generated
situation, locale and day, the JSON of the memoised plan equals the JSON of
the plain planner's.  The engine's memos are shared by every example (one
registry for the module), so the parts it reuses were made for other
situations, locales and days: what a memo key leaves out shows here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import _planner
from simexit._locales import negotiate

from . import strategies

#: One registry for the whole module: its memos fill up across examples.
REGISTRY = simexit.Registry.default()
PREPARED = {
    code: _planner.prepare(REGISTRY.load(code)) for code in strategies.COUNTRIES
}


def plain(situation: simexit.Situation, tag: str, day: dt.date) -> simexit.Plan:
    """The planner's plan, with the locale negotiated as plan_for does."""
    locale, fallback = negotiate(tag)
    prepared = PREPARED[situation.country]
    return _planner.plan(prepared, situation, locale, fallback, day)


def memoised(situation: simexit.Situation, tag: str, day: dt.date) -> simexit.Plan:
    return simexit.plan_for(situation, locale=tag, today=day, registry=REGISTRY)


class TestMemoisedEqualsPlain:
    @settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
    @given(
        situation=strategies.situations(),
        tag=strategies.locales(),
        day=strategies.days(),
    )
    def test_one_situation(self, situation, tag, day):
        """Any situation, locale and day: the same JSON, the same plan."""
        fast = memoised(situation, tag, day)
        slow = plain(situation, tag, day)

        assert simexit.to_json(fast) == simexit.to_json(slow)
        assert fast == slow

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(
        batch=st.lists(
            st.tuples(strategies.situations(), strategies.locales(), strategies.days()),
            min_size=2,
            max_size=12,
        )
    )
    def test_a_batch_sharing_its_parts(self, batch):
        """Planned in turn through one engine, every plan of a batch equals
        the planner's, and planning it again gives the same JSON."""
        for situation, tag, day in [*batch, *batch]:
            fast = memoised(situation, tag, day)

            assert simexit.to_json(fast) == simexit.to_json(plain(situation, tag, day))

    @settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
    @given(
        situation=strategies.situations(),
        tags=st.lists(strategies.locales(), min_size=2, max_size=4),
        days=st.lists(strategies.days(), min_size=2, max_size=4),
    )
    def test_one_situation_across_locales_and_days(self, situation, tags, days):
        """The parts made for one locale or day never leak into another."""
        for tag in tags:
            for day in days:
                fast = memoised(situation, tag, day)

                assert simexit.to_json(fast) == simexit.to_json(
                    plain(situation, tag, day)
                )

    @given(
        fields=strategies.situation_fields(),
        operator=strategies.unknown_operators(),
    )
    def test_an_unknown_operator_is_refused_alike(self, fields, operator):
        """Both refuse an operator the country does not have, with one error."""
        situation = simexit.Situation(**{**fields, "operator": operator})
        with pytest.raises(simexit.UnknownOperatorError) as fast:
            memoised(situation, "en", dt.date(2026, 11, 23))
        with pytest.raises(simexit.UnknownOperatorError) as slow:
            plain(situation, "en", dt.date(2026, 11, 23))

        assert str(fast.value) == str(slow.value)

    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"country": "KZ", "card": "tourist_card"}, "card"),
            ({"country": "AZ", "operator": "asan-visa", "card": "esim"}, "operator"),
        ],
    )
    def test_a_situation_the_data_does_not_cover_is_refused_alike(self, fields, field):
        """Both refuse a card the data does not cover or the operator lacks."""
        situation = simexit.Situation(**fields)
        day = dt.date(2026, 11, 23)
        with pytest.raises(simexit.InvalidSituationError) as fast:
            memoised(situation, "en", day)
        with pytest.raises(simexit.InvalidSituationError) as slow:
            plain(situation, "en", day)

        assert fast.value.field == slow.value.field == field
        assert str(fast.value) == str(slow.value)


#: Countries no package provides: a travel eSIM plans from the core alone.
BARE = {code: _planner.prepare(REGISTRY.bare(code)) for code in ("FR", "US", "BR")}


@st.composite
def bare_situations(draw: st.DrawFn) -> simexit.Situation:
    """A travel eSIM (any seller or none) in a country without a package."""
    fields = draw(strategies.situation_fields("AZ"))
    prepared = BARE[draw(st.sampled_from(sorted(BARE)))]
    sellers = sorted(prepared.country.operators)
    return simexit.Situation(
        **{
            **fields,
            "country": prepared.country.code,
            "card": simexit.Card.TRAVEL_ESIM,
            "operator": draw(st.none() | st.sampled_from(sellers)),
        }
    )


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(
        st.tuples(bare_situations(), strategies.locales(), strategies.days()),
        min_size=1,
        max_size=6,
    )
)
def test_a_travel_esim_without_a_package_is_memoised_alike(batch):
    """The memo layer equals the planner for the countries built from core."""
    for situation, tag, day in batch:
        locale, fallback = negotiate(tag)
        slow = _planner.plan(BARE[situation.country], situation, locale, fallback, day)
        fast = memoised(situation, tag, day)

        assert simexit.to_json(fast) == simexit.to_json(slow)


def test_the_planner_page_names_functions_that_exist():
    """docs/planner.md points at planner functions; each one exists."""
    import importlib
    import re
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "docs" / "planner.md"
    names = set(re.findall(r"`(_[a-z]+)\.([a-z_]+)`", page.read_text("utf-8")))
    names |= {
        ("_planner", n)
        for n in re.findall(r"`planner\.([a-z_]+)`", page.read_text("utf-8"))
    }

    assert len(names) >= 15
    for module, name in sorted(names):
        assert hasattr(importlib.import_module(f"simexit.{module}"), name), name
