"""One memory budget for every memo of the process (issue 9, item 9).

The engine memoises the immutable parts of plans; every memo of every
country and registry draws on one budget of entries, is never cleared all at
once when it is reached, and never changes a plan.
"""

from __future__ import annotations

import gc
import json
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import _memo
from simexit._memo import BUDGET, DEFAULT_BUDGET, PATIENCE, Budget

from . import strategies as S
from .conftest import TODAY
from .workload import workload

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def budget() -> Iterator[None]:
    """Restore the process's budget (and leave its memos within it)."""
    was = simexit.get_memo_budget()
    yield
    simexit.set_memo_budget(was)


def plans_json(items, registry: simexit.Registry) -> list[str]:
    return [
        simexit.to_json(simexit.plan_for(s, locale=loc, today=day, registry=registry))
        for s, loc, day in items
    ]


# -- the public setting --------------------------------------------------------


class TestSetting:
    def test_the_default_budget(self, budget):
        """Unless changed, every memo of the process shares DEFAULT_BUDGET."""
        assert simexit.get_memo_budget() == DEFAULT_BUDGET

    def test_set_then_get(self, budget):
        """set_memo_budget changes what get_memo_budget reports."""
        simexit.set_memo_budget(1234)

        assert simexit.get_memo_budget() == 1234

    @pytest.mark.parametrize("bad", [-1, 1.5, True, "10", None, Decimal(3)])
    def test_anything_but_a_count_is_refused(self, budget, bad):
        """Only an int of 0 or more is a budget; the error is a SimexitError."""
        with pytest.raises(simexit.InvalidSituationError) as caught:
            simexit.set_memo_budget(bad)

        assert "entries" in str(caught.value)
        assert simexit.get_memo_budget() == DEFAULT_BUDGET

    def test_a_smaller_budget_drops_what_does_not_fit(self, budget):
        """Shrinking below what is held empties the memos at once."""
        registry = simexit.Registry.default()
        plans_json(workload(200), registry)
        assert BUDGET.held() > 10

        simexit.set_memo_budget(10)

        assert BUDGET.held() <= 10

    def test_a_larger_budget_keeps_what_is_held(self, budget):
        """Growing the budget drops nothing."""
        simexit.set_memo_budget(100_000)
        registry = simexit.Registry.default()
        plans_json(workload(50), registry)
        held = BUDGET.held()

        simexit.set_memo_budget(200_000)

        assert BUDGET.held() == held > 0


# -- the generational memo -----------------------------------------------------


class TestGenerations:
    def test_entries_never_exceed_the_budget(self):
        """Across several memos, what is held stays within the budget."""
        for entries in (0, 1, 2, 3, 10, 101):
            budget = Budget(entries)
            memos = [budget.memo() for _ in range(4)]
            rng = random.Random(entries)
            for i in range(2_000):
                memo = rng.choice(memos)
                key = rng.randrange(300)
                if memo.new.get(key) is None and memo.recall(key) is None:
                    memo.put(key, i)
                assert budget.held() <= entries

    def test_a_budget_of_zero_stores_nothing(self):
        """0 turns the memo off."""
        budget = Budget(0)
        memo = budget.memo()
        memo.put("k", 1)

        assert memo.new.get("k") is None and memo.recall("k") is None

    def test_what_is_held_stays_once_the_budget_is_full(self):
        """No clear-all and no churn: a full budget keeps what it holds and
        refuses new entries until a rotation frees unused ones."""
        budget = Budget(100)
        memo = budget.memo()
        for i in range(100 + PATIENCE * 100):
            memo.put(i, i)

        assert sorted(memo.new) == list(range(100))
        assert memo.old == {}

    def test_a_cyclic_scan_larger_than_the_budget_hits_again(self):
        """Keys 0-199 read round and round through a budget of 100 (the
        worst case of an LRU order, which would hit nothing): from the
        second pass on, half the reads hit, and the budget is kept."""
        budget = Budget(100)
        memos = [budget.memo() for _ in range(3)]
        hits = []
        for _ in range(6):
            hit = 0
            for key in range(200):
                memo = memos[key % 3]
                if memo.new.get(key) is not None or memo.recall(key) is not None:
                    hit += 1
                else:
                    memo.put(key, str(key))
                assert budget.held() <= 100
            hits.append(hit)

        assert hits == [0, 100, 100, 100, 100, 100]

    def test_a_load_that_moved_on_takes_the_memo_over(self):
        """Entries no longer read are dropped within two rotations; the new
        load's entries are then stored."""
        budget = Budget(50)
        memo = budget.memo()
        for i in range(50):
            memo.put(("before", i), i)
        for i in range(50 + 2 * PATIENCE * 50):
            memo.put(("after", i), i)

        assert len(memo) == 50
        assert all(key[0] == "after" for key in (*memo.new, *memo.old))

    def test_an_entry_in_use_is_never_dropped(self):
        """A key read between rotations is carried into each new generation."""
        budget = Budget(10)
        memo, other = budget.memo(), budget.memo()
        memo.put("hot", 1)
        for i in range(1_000):
            other.put(i, i)
            if i % 4 == 0:
                assert (memo.new.get("hot") or memo.recall("hot")) == 1

    def test_the_budget_is_shared_by_every_memo(self):
        """Filling one memo rotates the others: one budget, not one each."""
        budget = Budget(10)
        quiet, busy = budget.memo(), budget.memo()
        quiet.put("q", 1)
        for i in range(10 + 2 * PATIENCE * 10):
            busy.put(i, i)
            assert budget.held() <= 10

        assert quiet.new.get("q") is None and quiet.recall("q") is None
        assert budget.held() <= 10

    def test_a_rotation_already_made_is_not_made_again(self):
        """Two threads drawing tickets past the limit rotate only once."""
        budget = Budget(4)
        memo = budget.memo()
        last = 4 + PATIENCE * 4  # tickets 0-3 stored, the next 8 refused
        for i in range(last + 1):
            memo.put(i, i)  # ticket *last* rotated: 0-3 are old, none stored
        assert memo.new == {} and memo.old == {0: 0, 1: 1, 2: 2, 3: 3}

        late = last  # a thread that drew that ticket and reaches rotate() second
        assert budget.rotate(late) is False
        assert memo.new == {} and memo.old == {0: 0, 1: 1, 2: 2, 3: 3}

    def test_a_rotation_that_frees_room_stores_the_entry_that_made_it(self):
        """The second rotation drops the old entries nobody read since the
        first, keeps the one in use, and stores the put that drew its
        ticket in the room it freed."""
        budget = Budget(4)
        memo = budget.memo()
        memo.put("kept", 0)
        for i in range(3 + 2 * PATIENCE * 4):
            memo.put(i, i)
            memo.recall("kept")  # in use: survives every rotation
        memo.put("new", 1)

        assert memo.new == {"new": 1} and memo.old == {"kept": 0}

    def test_a_discarded_memo_no_longer_counts(self):
        """Memos of engines that are gone are not kept alive by the budget."""
        budget = Budget(100)
        memo = budget.memo()
        memo.put("k", 1)
        del memo
        gc.collect()

        assert budget.held() == 0


# -- the engine within the budget ----------------------------------------------


class TestEngineWithinBudget:
    def test_mixed_load_never_exceeds_a_small_budget(self, budget):
        """Locales, dates, countries and registries all count against it."""
        simexit.set_memo_budget(500)
        registries = [simexit.Registry.default() for _ in range(3)]
        for i, (s, loc, day) in enumerate(workload(1_500)):
            simexit.plan_for(s, locale=loc, today=day, registry=registries[i % 3])
            assert BUDGET.held() <= 500

    def test_plans_are_the_same_with_a_tiny_budget(self, budget):
        """Budgets of 0, 1 and 10 entries give byte-identical plans."""
        items = list(workload(400, seed=3))
        items += items[::7]  # some repeated
        simexit.set_memo_budget(DEFAULT_BUDGET)
        reference = plans_json(items, simexit.Registry.default())
        assert plans_json(items, simexit.Registry.default()) == reference

        for entries in (0, 1, 10):
            simexit.set_memo_budget(entries)
            assert plans_json(items, simexit.Registry.default()) == reference

    def test_a_batch_twice_the_budget_misses_less_the_second_time(self, budget):
        """Planned twice through a budget of half what it memoises, a batch
        builds fewer parts on its second pass (each miss draws a ticket),
        never holds more than the budget, and gets the same JSON as with the
        default budget and with none."""
        items = list(workload(300, seed=11))
        simexit.set_memo_budget(0)  # empties every memo of the process
        unmemoised = plans_json(items, simexit.Registry.default())
        simexit.set_memo_budget(DEFAULT_BUDGET)
        reference = plans_json(items, simexit.Registry.default())
        working = BUDGET.held()
        simexit.set_memo_budget(working // 2)
        registry = simexit.Registry.default()
        misses = []
        for _ in range(3):
            before = next(BUDGET.tickets)
            assert plans_json(items, registry) == reference == unmemoised
            misses.append(next(BUDGET.tickets) - before - 1)
            assert BUDGET.held() <= working // 2

        assert misses[2] <= misses[1] < 0.85 * misses[0]

    def test_threads_racing_through_rotations_get_the_same_plans(self, budget):
        """8 threads on one registry with a budget of 50: identical plans."""
        items = list(workload(150, seed=5))
        reference = plans_json(items, simexit.Registry.default())
        simexit.set_memo_budget(50)
        registry = simexit.Registry.default()
        barrier = threading.Barrier(8)
        results: list[list[str] | None] = [None] * 8
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                order = list(range(len(items)))
                random.Random(i).shuffle(order)
                barrier.wait()
                out = [""] * len(items)
                for j in order:
                    out[j] = plans_json([items[j]], registry)[0]
                results[i] = out
            except BaseException as e:  # reported below, not lost
                errors.append(e)

        switch = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # interleave as much as possible
        try:
            threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.setswitchinterval(switch)

        assert errors == []
        assert all(r == reference for r in results)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        batch=st.lists(
            st.tuples(S.situations(), S.locales(), S.days()), min_size=1, max_size=30
        ),
        entries=st.sampled_from([0, 1, 2, 10]),
    )
    def test_any_situations_give_the_same_plans_with_a_tiny_budget(
        self, batch, entries
    ):
        """Generated situations, locales and days: same JSON at any budget."""
        was = simexit.get_memo_budget()
        try:
            simexit.set_memo_budget(DEFAULT_BUDGET)
            reference = plans_json(batch, simexit.Registry.default())
            simexit.set_memo_budget(entries)
            tiny = plans_json(batch * 2, simexit.Registry.default())
        finally:
            simexit.set_memo_budget(was)

        assert tiny == reference * 2

    def test_a_plan_in_use_is_still_served_once_the_budget_is_reached(self, budget):
        """No cliff: a situation planned again and again is never rebuilt,
        while many others go through a budget far smaller than them."""
        simexit.set_memo_budget(1_000)
        registry = simexit.Registry.default()
        hot = simexit.Situation(country="AZ", operator="azercell", card="esim")
        engine = registry.engine("AZ")
        built: list[object] = []
        build = engine._build

        def counting(s, *args):
            built.append(s)
            return build(s, *args)

        engine._build = counting  # type: ignore[method-assign]
        first = simexit.plan_for(hot, today=TODAY, registry=registry)
        others = list(workload(1_000))
        for i, (s, loc, day) in enumerate(others):
            simexit.plan_for(s, locale=loc, today=day, registry=registry)
            if i % 10 == 0:
                again = simexit.plan_for(hot, today=TODAY, registry=registry)
                assert all(
                    a is b for a, b in zip(again.steps, first.steps, strict=True)
                )

        assert built.count(hot) == 1
        # while the others went through the memo: the first is long gone
        s, loc, day = next(o for o in others if o[0].country == "AZ")
        simexit.plan_for(s, locale=loc, today=day, registry=registry)
        assert built.count(s) == 2


@pytest.mark.slow
class TestMemory:
    CHILD = f"""
import gc, json, resource, sys
sys.path.insert(0, {str(ROOT)!r})
import simexit
from simexit import _memo
from tests.workload import workload

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize()

registry = simexit.Registry.default()
stream = workload(int(sys.argv[1]))
for s, loc, day in [next(stream) for _ in range(10)]:
    simexit.plan_for(s, locale=loc, today=day, registry=registry)
gc.collect()
before = rss()
for s, loc, day in stream:
    simexit.plan_for(s, locale=loc, today=day, registry=registry)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"grown": max(peak, rss()) - before, "held": _memo.BUDGET.held()}}))
"""

    @pytest.mark.skipif(
        not Path("/proc/self/statm").exists(), reason="needs Linux's /proc"
    )
    def test_300_000_situations_over_5_locales_and_60_days(self):
        """The issue's load grows a fresh process by at most 250 MB."""
        done = subprocess.run(
            [sys.executable, "-c", self.CHILD, "300000"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        out = json.loads(done.stdout)

        assert out["held"] <= DEFAULT_BUDGET
        assert out["grown"] <= 250 * 2**20, f"grew {out['grown'] / 2**20:.0f} MiB"


def test_the_default_budget_is_the_documented_one():
    """docs/scale.md states the default budget the code uses."""
    text = (ROOT / "docs" / "scale.md").read_text("utf-8")

    assert f"{DEFAULT_BUDGET:_}" in text or f"{DEFAULT_BUDGET:,}" in text
    assert _memo.set_memo_budget is simexit.set_memo_budget


# -- warm plans share their tuples (issue 14) ----------------------------------


def _tuples(plan: simexit.Plan) -> tuple[object, ...]:
    return (plan.steps, plan.warnings, plan.blockers, plan.excluded)


class TestSharedTuples:
    """Plans of one key share their steps, warnings, blockers and excluded
    (the very same tuples), so the JSON writer can remember each whole."""

    SITUATIONS = (
        {"country": "AZ", "operator": "azercell", "card": "physical_sim"},
        {"country": "AZ", "operator": "holafly", "card": "travel_esim"},
        {"country": "AZ", "card": "esim", "billing": "postpaid"},
    )

    @pytest.mark.parametrize("fields", SITUATIONS)
    def test_equal_situations_get_the_same_tuples(self, fields):
        a = simexit.plan_for(simexit.Situation(**fields), today=TODAY)
        b = simexit.plan_for(simexit.Situation(**fields), today=TODAY)
        assert a.situation is not b.situation
        assert all(x is y for x, y in zip(_tuples(a), _tuples(b), strict=True))
        assert simexit.to_json(b) == simexit.to_json(a)

    def test_a_day_no_window_uses_keeps_the_steps_shared(self):
        """Holafly's window counts from bought_on: leaving_on alone dates
        nothing, so the steps are the undated plan's own tuple."""
        fields = {"country": "AZ", "operator": "holafly", "card": "travel_esim"}
        plain = simexit.plan_for(simexit.Situation(**fields), today=TODAY)
        leaving = simexit.Situation(**fields, leaving_on="2027-01-31")
        dated = simexit.plan_for(leaving, today=TODAY)
        assert dated.steps is plain.steps
        bought = simexit.Situation(**fields, bought_on="2026-12-01")
        due = simexit.plan_for(bought, today=TODAY)
        assert due.steps is not plain.steps  # a window applies: new steps
        assert any(s.due is not None for s in due.steps)

    @pytest.mark.parametrize("fields", SITUATIONS)
    def test_done_keeps_the_notices_it_does_not_narrow(self, fields):
        s = simexit.Situation(**fields)
        full = simexit.plan_for(s, today=TODAY)
        first = full.steps[0].id
        left = simexit.plan_for(s, today=TODAY, done={first})
        assert left.excluded is full.excluded
        for before, after in (
            (full.warnings, left.warnings),
            (full.blockers, left.blockers),
        ):
            untouched = not any(first in n.steps for n in before)
            assert (after is before) == untouched
        assert simexit.to_json(left) == _json_reference(left)


def _json_reference(plan: simexit.Plan) -> str:
    from simexit import _json

    return _json.reference_json(plan)
