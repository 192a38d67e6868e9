"""plan_many: streaming batches that agree with plan_for, at scale."""

from __future__ import annotations

import itertools
import pickle
import random
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit._situation import currency_decimals

from . import strategies as S
from .conftest import TODAY
from .domain import order_problems


def generated(n: int, seed: int = 6) -> Iterator[simexit.Situation]:
    """*n* valid situations, every field drawn independently, streamed."""
    rng = random.Random(seed)
    countries = list(S.COUNTRIES.values())
    for _ in range(n):
        country = rng.choice(countries)
        card = rng.choice(country.cards)
        ops = [o.id for o in country.operators.values() if card in o.cards]

        def money(cur: str = country.currency) -> simexit.Money | None:
            roll = rng.random()
            if roll < 0.3:
                return None
            if roll < 0.6:
                return simexit.Money(0, cur)
            scale = 10 ** currency_decimals(cur)  # 1 for the yen
            return simexit.Money(Decimal(rng.randint(1, 10**9 * scale)) / scale, cur)

        def tri() -> bool | None:
            return rng.choice([None, True, False])

        yield simexit.Situation(
            country=country.code,
            operator=rng.choice([None, *ops]),
            card=card,
            billing=rng.choice([None, *simexit.Billing]),
            arrears=money(),
            balance=money(),
            location=rng.choice([None, *simexit.Location]),
            device=rng.choice([None, *simexit.Device]),
            registered_owner=tri(),
            has_id_document=tri(),
            keep_number=rng.random() < 0.5,
            linked_accounts=tri(),
            autopay=tri(),
            other_esim_profiles=tri(),
        )


class TestStreaming:
    def test_plans_come_out_as_situations_go_in(self):
        """plan_many consumes its input lazily: it works on an endless stream."""
        endless = itertools.cycle(list(generated(5)))

        plans = list(itertools.islice(simexit.plan_many(endless, today=TODAY), 12))

        assert len(plans) == 12

    def test_nothing_is_consumed_before_the_first_plan_is_asked_for(self):
        """Creating the iterator reads nothing from the input."""
        taken: list[simexit.Situation] = []

        def source() -> Iterator[simexit.Situation]:
            for s in generated(3):
                taken.append(s)
                yield s

        stream = simexit.plan_many(source(), today=TODAY)
        assert taken == []
        next(stream)
        assert len(taken) == 1

    def test_arguments_are_checked_when_streaming_starts(self):
        """A bad locale or date is an InvalidSituationError at the first plan."""
        stream = simexit.plan_many(generated(1), today="2026-11-23")  # type: ignore[arg-type]

        with pytest.raises(simexit.InvalidSituationError) as caught:
            next(stream)

        assert caught.value.field == "today"

    def test_an_empty_batch_gives_no_plans(self):
        """No situations, no plans, no error."""
        assert list(simexit.plan_many([], today=TODAY)) == []


class TestAgreement:
    @settings(
        max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        situations=st.lists(S.situations(), min_size=1, max_size=30),
        locale=S.locales(),
    )
    def test_plan_many_equals_plan_for_on_each(self, situations, locale):
        """Same plans, same order, byte for byte, as plan_for one by one."""
        one_by_one = [
            simexit.to_json(simexit.plan_for(s, locale=locale, today=TODAY))
            for s in situations
        ]
        batch = [
            simexit.to_json(p)
            for p in simexit.plan_many(
                situations,
                locale=locale,
                today=TODAY,
                registry=simexit.Registry.default(),
            )
        ]

        assert batch == one_by_one

    def test_a_batch_mixing_countries_uses_each_countrys_data(self):
        """AZ and KZ interleaved: each plan is about its own country."""
        situations = list(generated(200, seed=11))

        for s, plan in zip(
            situations, simexit.plan_many(situations, today=TODAY), strict=True
        ):
            assert plan.situation is s
            assert plan.data_version == simexit.load_country(s.country).data_version

    def test_plans_of_a_batch_pickle(self):
        """Plans from a batch survive pickling unchanged (for other processes)."""
        plans = list(simexit.plan_many(generated(50), today=TODAY))

        again = pickle.loads(pickle.dumps(plans))

        assert again == plans


class TestScale:
    @pytest.mark.slow
    def test_a_hundred_thousand_situations(self):
        """100 000 generated situations: no unexpected exception, order holds.

        Every field is drawn independently and uniformly, so nearly every
        situation is new to the engine.  The only errors allowed are the ones
        a situation earns: none here, since every situation is valid.
        """
        count = 0
        problems: list[str] = []
        for plan in simexit.plan_many(
            generated(100_000), today=TODAY, registry=simexit.Registry.default()
        ):
            count += 1
            if count % 97 == 0:  # the full order check on a sample
                problems.extend(order_problems(plan))

        assert count == 100_000
        assert problems == []
