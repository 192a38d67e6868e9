"""Dates and deadlines: the Situation's days, the data's windows, Step.due."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simexit
from simexit import InvalidSituationError, Situation
from simexit._dates import LAST_DAY

from .test_loader import OPERATOR, problems, write

TODAY = dt.date(2026, 12, 2)

HOLAFLY = Situation(
    country="AZ", operator="holafly", card="travel_esim", bought_on="2026-12-01"
)
AZERCELL = Situation(
    country="AZ",
    operator="azercell",
    card="physical_sim",
    billing="postpaid",
    leaving_on=dt.date(2027, 1, 31),
)


def _urls(step: simexit.Step) -> set[str]:
    return {s.url for s in step.sources}


class TestSituationDays:
    def test_a_date_or_iso_text_is_a_day(self):
        """Both spellings give the same date; None stays unknown."""
        a = Situation(country="AZ", leaving_on=dt.date(2027, 1, 31))
        b = Situation(country="AZ", leaving_on="2027-01-31")

        assert a == b
        assert a.leaving_on == dt.date(2027, 1, 31)
        assert Situation(country="AZ").bought_on is None

    @pytest.mark.parametrize(
        "value",
        [
            dt.datetime(2027, 1, 31, 12, 0),
            "2027-02-30",
            "31.01.2027",
            "2027-1-31",
            " 2027-01-31",
            20270131,
            dt.date(1899, 12, 31),
            dt.date(3000, 1, 1),
        ],
    )
    def test_anything_else_is_refused_naming_the_field(self, value):
        """A datetime (its time would be dropped), other spellings, and days
        outside 1900-2999 are refused with the field's name."""
        with pytest.raises(InvalidSituationError) as e:
            Situation(country="AZ", bought_on=value)

        assert e.value.field == "bought_on"
        assert "YYYY-MM-DD" in str(e.value)

    def test_the_days_round_trip_through_json_as_iso_text(self):
        """The plan's JSON writes the days as YYYY-MM-DD and reads them back."""
        plan = simexit.plan_for(HOLAFLY, today=TODAY)
        text = simexit.to_json(plan)

        assert '"bought_on":"2026-12-01"' in text
        assert '"due":"2027-06-01"' in text
        assert simexit.from_json(text, simexit.Plan) == plan


class TestDue:
    def test_a_holafly_refund_is_due_within_six_months_of_purchase(self):
        """Holafly takes refund requests up to 6 months after buying: the
        step is due then, says why, and cites Holafly's own page."""
        step = simexit.plan_for(HOLAFLY, today=TODAY).step("request-refund")

        assert step is not None
        assert step.due == dt.date(2027, 6, 1)
        assert "June 1, 2027" in step.because[-1]
        assert "6 months" in step.because[-1]
        assert (
            "https://esim.holafly.com/faq/about-esims/request-holafly-refund"
            in _urls(step)
        )

    def test_an_azercell_postpaid_closure_gets_the_number_hold_date(self):
        """Azercell deletes a closed postpaid number after 6 months: counted
        from leaving, the linked accounts must move by then."""
        step = simexit.plan_for(AZERCELL, today=TODAY).step("migrate-linked-accounts")

        assert step is not None
        assert step.due == dt.date(2027, 7, 31)
        assert "6 months" in step.because[-1]
        assert (
            "https://www.azercell.com/az/personal/support/number-purchase-and-"
            "operations/in-which-casesis-phone-number-deactivated.html" in _urls(step)
        )

    def test_the_number_hold_is_for_postpaid_lines_only(self):
        """The window's condition: a prepaid line gets no number-hold date."""
        prepaid = attrs.evolve(AZERCELL, billing="prepaid")
        step = simexit.plan_for(prepaid, today=TODAY).step("migrate-linked-accounts")

        assert step is not None
        assert step.due is None

    def test_an_unknown_day_leaves_due_unknown(self):
        """No purchase day: no due day, and no window sentence."""
        plain = Situation(country="AZ", operator="holafly", card="travel_esim")
        dated = simexit.plan_for(HOLAFLY, today=TODAY).step("request-refund")
        step = simexit.plan_for(plain, today=TODAY).step("request-refund")

        assert step is not None and dated is not None
        assert step.due is None
        assert step.because == dated.because[:-1]

    def test_airalo_counts_days_from_purchase(self):
        """Airalo's 14-day right to withdraw, from Airalo's refund policy."""
        s = Situation(
            country="KZ", operator="airalo", card="travel_esim", bought_on="2026-12-25"
        )
        step = simexit.plan_for(s, today=TODAY).step("request-refund")

        assert step is not None
        assert step.due == dt.date(2027, 1, 8)

    def test_months_end_on_the_last_day_a_month_has(self):
        """31 August plus 6 months is the last day of February."""
        s = attrs.evolve(HOLAFLY, bought_on="2026-08-31")
        step = simexit.plan_for(s, today=TODAY).step("request-refund")

        assert step is not None
        assert step.due == dt.date(2027, 2, 28)

    def test_the_last_day_of_the_calendar_still_plans(self):
        """The latest day a Situation may hold, plus a window, is a date."""
        s = attrs.evolve(HOLAFLY, bought_on=LAST_DAY)
        step = simexit.plan_for(s, today=TODAY).step("request-refund")

        assert step is not None
        assert step.due == dt.date(3000, 6, 30)

    @pytest.mark.parametrize("tag", ["en", "ru", "zh-Hans", "zh-Hant"])
    def test_the_rule_is_a_sentence_in_every_locale(self, tag):
        """The window's sentence is in the plan's language, with its day."""
        from simexit._format import format_date

        plan = simexit.plan_for(HOLAFLY, locale=tag, today=TODAY)
        step = plan.step("request-refund")

        assert step is not None
        assert format_date(dt.date(2027, 6, 1), tag) in step.because[-1]
        assert "{" not in step.because[-1]

    def test_text_and_markdown_show_the_due_day(self):
        """Both renderers put the due day in the step's marks."""
        plan = simexit.plan_for(HOLAFLY, locale="ru", today=TODAY)

        assert "Срок: до 1 июня 2027" in simexit.render_text(plan)
        assert "Срок: до 1 июня 2027" in simexit.render_markdown(plan)

    def test_the_situation_lines_show_its_days(self):
        """The head of a rendered plan says the days it was planned with."""
        s = attrs.evolve(HOLAFLY, leaving_on="2027-01-10")
        head = simexit.render_text(simexit.plan_for(s, today=TODAY)).splitlines()[:6]

        assert "Leaving on: January 10, 2027" in head
        assert "Bought on: December 1, 2026" in head


class TestMemo:
    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        situation=st.sampled_from([HOLAFLY, AZERCELL]),
        bought=st.none() | st.dates(dt.date(1900, 1, 1), LAST_DAY),
        leaving=st.none() | st.dates(dt.date(1900, 1, 1), LAST_DAY),
        tag=st.sampled_from(["en", "ru", "zh-TW"]),
    )
    def test_dated_plans_equal_the_planners(self, situation, bought, leaving, tag):
        """Plans that share a memo key but not their days get their own due
        days: the memo layer gives the planner's plan."""
        from simexit import _planner
        from simexit._locales import negotiate

        s = attrs.evolve(situation, bought_on=bought, leaving_on=leaving)
        registry = simexit.Registry.default()
        locale, fallback = negotiate(tag)
        slow = _planner.plan(
            _planner.prepare(registry.load("AZ")), s, locale, fallback, TODAY
        )
        fast = simexit.plan_for(s, locale=tag, today=TODAY, registry=registry)

        assert simexit.to_json(fast) == simexit.to_json(slow)


WINDOW = """
[windows.w]
step = "terminate-subscription"
anchor = "leaving_on"
days = 30
name = { en = "a", zh-Hans = "b", zh-Hant = "c" }
sources = ["terms"]
"""


class TestWindowData:
    def test_a_window_in_a_package_dates_its_step(self, tmp_path):
        """A package's window is read, checked and applied."""
        folder = write(tmp_path / "xa", {"operators/demo.toml": OPERATOR + WINDOW})
        registry = simexit.Registry.from_paths(folder)
        s = Situation(country="XA", operator="demo", leaving_on="2027-01-01")
        step = simexit.plan_for(s, registry=registry, today=TODAY).step(
            "terminate-subscription"
        )

        assert step is not None
        assert step.due == dt.date(2027, 1, 31)

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (("days = 30", "days = 30\nmonths = 1"), "give exactly one of"),
            (("days = 30", ""), "give exactly one of"),
            (("days = 30", "days = 0"), "windows.w.days: got 0, expected"),
            (("days = 30", "months = 121"), "windows.w.months: got 121, expected"),
            (('anchor = "leaving_on"', 'anchor = "arrived_on"'), "windows.w.anchor"),
            (('sources = ["terms"]', "sources = []"), "windows.w.sources"),
            (('"terminate-subscription"', '"no-such-step"'), "windows.w.step"),
        ],
    )
    def test_a_bad_window_is_a_data_error_with_its_path(
        self, tmp_path, change, expected
    ):
        """Each problem names the file and the window's key path."""
        old, new = change
        bad = OPERATOR + WINDOW.replace(old, new)
        found = problems(write(tmp_path / "xa", {"operators/demo.toml": bad}))

        assert any("xa/operators/demo.toml" in p and expected in p for p in found), (
            found
        )

    def test_the_data_schema_describes_windows(self):
        """``simexit schema data`` lists the windows table of an operator file."""
        from simexit._schema import data_schema

        schema = data_schema()
        files = schema["$defs"]["files"]
        window = schema["$defs"]["Window"]

        assert "windows" in files["operator"]["properties"]
        assert {"step", "anchor", "days", "months", "name", "sources"} <= set(
            window["properties"]
        )


class TestQuestions:
    def test_the_days_are_asked_last_and_again_until_they_are_days(self, run):
        """``--interactive`` asks when you leave and when you bought it; an
        answer not written YYYY-MM-DD is asked again."""
        import json

        code, out, err = run(
            "plan", "--interactive", "--country", "AZ", "--card", "travel-esim",
            "--operator", "holafly", "--abroad", "--device", "in-hand",
            "--no-accounts", "--autopay", "no", "--other-esim-profiles", "no",
            "--today", "2026-12-02", "--format", "json",
            stdin="31.01.2027\n2027-01-31\n2026-12-01\n",
        )  # fmt: skip
        plan = json.loads(out)

        assert code == 0
        assert "Please type a day as YYYY-MM-DD" in err
        assert plan["situation"]["leaving_on"] == "2027-01-31"
        assert plan["situation"]["bought_on"] == "2026-12-01"

    def test_dont_know_leaves_a_day_unknown(self, run):
        """``?`` is an answer: the day stays None and nothing is due."""
        import json

        code, out, _ = run(
            "plan", "--interactive", "--country", "AZ", "--card", "travel-esim",
            "--operator", "holafly", "--abroad", "--device", "in-hand",
            "--no-accounts", "--autopay", "no", "--other-esim-profiles", "no",
            "--format", "json", stdin="?\n?\n",
        )  # fmt: skip
        plan = json.loads(out)

        assert code == 0
        assert plan["situation"]["leaving_on"] is None
        assert all(step["due"] is None for step in plan["steps"])
