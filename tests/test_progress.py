"""Progress: plan_for(..., done=...) leaves the done steps out, lists them
in Plan.done, and keeps the rest of the plan as it was decided."""

from __future__ import annotations

import datetime as dt
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import _planner
from simexit._locales import negotiate
from simexit._progress import mark_done

from . import strategies

DAY = dt.date(2026, 11, 23)


def full_and_done(
    situation: simexit.Situation, done: object, **kw: object
) -> tuple[simexit.Plan, simexit.Plan]:
    full = simexit.plan_for(situation, today=DAY, **kw)  # type: ignore[arg-type]
    return full, simexit.plan_for(situation, today=DAY, done=done, **kw)  # type: ignore[arg-type]


@st.composite
def plans_with_done(draw: st.DrawFn) -> tuple[simexit.Situation, list[str]]:
    """A situation and a random subset of its plan's step ids, shuffled."""
    situation = draw(strategies.situations())
    ids = simexit.plan_for(situation, today=DAY).step_ids
    subset = draw(st.lists(st.sampled_from(ids), unique=True) if ids else st.just([]))
    return situation, draw(st.permutations(subset))


class TestDoneProperties:
    @settings(
        max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(case=plans_with_done(), kind=st.sampled_from([frozenset, set, tuple, list]))
    def test_done_steps_are_left_out_and_listed_in_plan_order(self, case, kind):
        """steps == the full plan's minus the done ones, same relative
        order; Plan.done == the subset in plan order."""
        situation, subset = case
        full, done = full_and_done(situation, kind(subset))

        assert done.step_ids == tuple(i for i in full.step_ids if i not in subset)
        assert done.done == tuple(i for i in full.step_ids if i in subset)

    @settings(
        max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(case=plans_with_done())
    def test_the_remaining_steps_keep_their_explanations(self, case):
        """Each remaining step is the full plan's, but for the done ids
        taken out of its after; no after names a step that is not present."""
        situation, subset = case
        full, done = full_and_done(situation, frozenset(subset))
        for step in done.steps:
            original = full.step(step.id)
            assert original is not None
            assert step.because == original.because
            assert step.rules == original.rules
            assert step.after == tuple(a for a in original.after if a not in subset)
            assert set(step.after) <= set(done.step_ids)

    @settings(
        max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(case=plans_with_done())
    def test_notices_about_done_steps_only_are_dropped(self, case):
        """A blocker or warning about steps keeps those left; one whose
        steps are all done is gone; one about the whole plan stays."""
        situation, subset = case
        full, done = full_and_done(situation, subset)
        for kept, before in (
            (done.blockers, full.blockers),
            (done.warnings, full.warnings),
        ):
            expected = [
                n.id for n in before if not n.steps or set(n.steps) - set(subset)
            ]
            assert [n.id for n in kept] == expected
            for n in kept:
                assert not set(n.steps) & set(subset)

    @settings(
        max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(case=plans_with_done(), tag=strategies.locales())
    def test_re_planning_with_done_is_deterministic(self, case, tag):
        """Same situation, locale, day and done: the same bytes, whatever
        the kind or the order of the collection."""
        situation, subset = case
        one = simexit.plan_for(situation, locale=tag, today=DAY, done=subset)
        two = simexit.plan_for(
            situation, locale=tag, today=DAY, done=frozenset(reversed(subset))
        )

        assert simexit.to_json(one) == simexit.to_json(two)

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(situation=strategies.situations())
    def test_all_done_leaves_no_steps(self, situation):
        """Every step done: no steps, every id in done, no step blockers."""
        full, done = full_and_done(
            situation, list(reversed(simexit.plan_for(situation, today=DAY).step_ids))
        )

        assert done.steps == ()
        assert done.done == full.step_ids
        assert all(not b.steps for b in done.blockers)

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        situation=strategies.situations(),
        unknown=st.lists(st.text(min_size=0, max_size=12), max_size=5),
    )
    def test_ids_not_in_the_plan_are_ignored(self, situation, unknown):
        """done with ids the plan does not have is the same as no done."""
        full = simexit.plan_for(situation, today=DAY)
        ignored = [i for i in unknown if i not in full.step_ids]
        ignored += [e.id for e in full.excluded]
        done = simexit.plan_for(situation, today=DAY, done=ignored)

        assert simexit.to_json(done) == simexit.to_json(full)
        assert done.done == ()

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(case=plans_with_done())
    def test_the_json_round_trips_with_done(self, case):
        """done is in to_json and comes back through from_json."""
        situation, subset = case
        _, done = full_and_done(situation, subset)
        text = simexit.to_json(done)

        assert simexit.from_json(text, simexit.Plan) == done
        assert '"done":[' in text


class TestDoneExamples:
    def test_a_blocker_about_a_done_step_no_longer_blocks(self):
        """The operator unknown blocks the actions; once they are all done,
        the blocker is gone; while one is left, it names only that one."""
        situation = simexit.Situation(country="AZ", billing=simexit.Billing.POSTPAID)
        full = simexit.plan_for(situation, today=DAY)
        (blocker,) = [b for b in full.blockers if b.id == "blocked-operator-unknown"]
        assert len(blocker.steps) >= 2
        first, *rest = blocker.steps

        narrowed = simexit.plan_for(situation, today=DAY, done={first})
        gone = simexit.plan_for(situation, today=DAY, done=set(blocker.steps))

        assert [b.steps for b in narrowed.blockers if b.id == blocker.id] == [
            tuple(rest)
        ]
        assert blocker.id not in [b.id for b in gone.blockers]

    def test_a_done_step_is_taken_out_of_after(self):
        """confirm-termination comes after terminate-subscription; once that
        is done, nothing has to come before it."""
        situation = simexit.Situation(country="AZ", operator="azercell")
        full, done = full_and_done(situation, ["terminate-subscription"])
        confirm = full.step("confirm-termination")
        assert confirm is not None and "terminate-subscription" in confirm.after
        left = done.step("confirm-termination")

        assert left is not None
        assert "terminate-subscription" not in left.after
        assert done.done == ("terminate-subscription",)

    def test_plan_many_takes_done_for_every_plan(self):
        """plan_many(..., done=) is plan_for(..., done=) for each."""
        situations = [
            simexit.Situation(country="AZ"),
            simexit.Situation(country="KZ", card=simexit.Card.ESIM),
        ]
        done = ["check-arrears", "backup-data"]
        many = list(simexit.plan_many(situations, today=DAY, done=done))

        assert many == [simexit.plan_for(s, today=DAY, done=done) for s in situations]
        assert all(p.done == ("check-arrears", "backup-data") for p in many)

    def test_nothing_done_is_the_plan_itself(self):
        """mark_done with no ids returns the plan unchanged."""
        plan = simexit.plan_for(simexit.Situation(country="AZ"), today=DAY)

        assert mark_done(plan, frozenset()) is plan
        assert plan.done == ()


class TestDoneIsChecked:
    @pytest.mark.parametrize(
        "value",
        [
            "pay-arrears",
            b"pay-arrears",
            None,
            3,
            {"pay-arrears": True},
            iter(["pay-arrears"]),
            ["pay-arrears", 3],
            (None,),
            {b"x"},
        ],
    )
    def test_anything_but_a_collection_of_ids_is_refused(self, value):
        """The error names done and says what it takes."""
        with pytest.raises(simexit.InvalidSituationError) as e:
            simexit.plan_for(simexit.Situation(country="AZ"), done=value)

        assert e.value.field == "done"
        assert "step ids" in str(e.value)

    def test_plan_many_checks_done_when_streaming_starts(self):
        """plan_many refuses a bad done before any plan is made."""
        plans = simexit.plan_many([simexit.Situation(country="AZ")], done="x")  # type: ignore[arg-type]
        with pytest.raises(simexit.InvalidSituationError) as e:
            next(plans)

        assert e.value.field == "done"

    def test_a_str_subclass_id_is_taken_as_its_text(self):
        """An id given as a str subclass counts as the plain text."""

        class Id(str):
            pass

        _, done = full_and_done(simexit.Situation(country="AZ"), [Id("check-arrears")])

        assert done.done == ("check-arrears",)
        assert type(done.done[0]) is str


def test_the_plan_schema_describes_done():
    """simexit schema plan, generated from the attrs classes, has done."""
    from simexit._schema import plan_schema

    assert plan_schema()["properties"]["done"] == {
        "type": "array",
        "items": {"type": "string"},
    }


@functools.cache
def _prepared(code: str) -> _planner.Prepared:
    return _planner.prepare(simexit.load_country(code))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=plans_with_done(), tag=strategies.locales())
def test_the_plain_planner_then_mark_done_is_plan_for_with_done(case, tag):
    """done is derived after the plan is decided: the plain planner's plan
    with the done view applied equals the memoised plan_for(..., done=)."""
    situation, subset = case
    locale, fallback = negotiate(tag)
    prepared = _prepared(situation.country)
    plain = _planner.plan(prepared, situation, locale, fallback, DAY)
    fast = simexit.plan_for(situation, locale=tag, today=DAY, done=subset)

    assert simexit.to_json(mark_done(plain, frozenset(subset))) == simexit.to_json(fast)
