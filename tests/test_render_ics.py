"""``--format ics``: the steps that have a due day, as iCalendar to-dos."""

from __future__ import annotations

import datetime as dt

import attrs
import icalendar
import pytest

import simexit
from simexit._render_ics import PRODID, render_ics

TODAY = dt.date(2026, 12, 2)
HOLAFLY = simexit.Situation(
    country="AZ", operator="holafly", card="travel_esim", bought_on="2026-12-01"
)


def todos(text: str) -> list[icalendar.Component]:
    cal = icalendar.Calendar.from_ical(text)
    return [c for c in cal.walk() if c.name == "VTODO"]


class TestCalendar:
    def test_one_todo_per_step_with_a_due_day(self):
        """Only steps with a due day become to-dos, with DUE as a date."""
        plan = simexit.plan_for(HOLAFLY, today=TODAY)
        dated = [s for s in plan.steps if s.due is not None]
        found = todos(render_ics(plan))

        assert [t["summary"] for t in found] == [s.title for s in dated]
        assert [t.decoded("due") for t in found] == [s.due for s in dated]
        assert found[0].decoded("due") == dt.date(2027, 6, 1)
        assert type(found[0].decoded("due")) is dt.date

    def test_the_calendar_says_what_made_it(self):
        """PRODID and VERSION, as RFC 5545 requires."""
        cal = icalendar.Calendar.from_ical(render_ics(simexit.plan_for(HOLAFLY)))

        assert cal["prodid"] == PRODID
        assert cal["version"] == "2.0"

    def test_a_todo_carries_the_detail_the_rule_and_the_sources(self):
        """DESCRIPTION holds the detail, the window's sentence and the links;
        URL is the first linked source."""
        plan = simexit.plan_for(HOLAFLY, today=TODAY)
        step = plan.step("request-refund")
        (todo,) = todos(render_ics(plan))
        text = str(todo["description"])

        assert step is not None
        assert step.detail in text
        assert step.because[-1] in text
        for source in step.sources:
            assert source.url in text
        assert str(todo["url"]) == step.sources[0].url

    def test_uids_are_stable_and_tell_situations_apart(self):
        """Same plan, same UIDs (in any locale); another situation, others."""
        a = todos(render_ics(simexit.plan_for(HOLAFLY, today=TODAY)))
        b = todos(render_ics(simexit.plan_for(HOLAFLY, locale="ru", today=TODAY)))
        other = attrs.evolve(HOLAFLY, bought_on="2026-12-02")
        c = todos(render_ics(simexit.plan_for(other, today=TODAY)))

        assert [t["uid"] for t in a] == [t["uid"] for t in b]
        assert a[0]["uid"] != c[0]["uid"]
        assert str(a[0]["uid"]).startswith("request-refund-")

    def test_the_same_plan_gives_the_same_bytes(self):
        """DTSTAMP is the plan's day, not the clock: output is deterministic."""
        plan = simexit.plan_for(HOLAFLY, today=TODAY)

        assert render_ics(plan) == render_ics(plan)
        assert "DTSTAMP:20261202T000000Z" in render_ics(plan)

    def test_a_plan_without_due_days_is_an_empty_calendar(self):
        """No day known: a valid calendar with no to-dos."""
        plan = simexit.plan_for(attrs.evolve(HOLAFLY, bought_on=None))

        assert todos(render_ics(plan)) == []


class TestCommandLine:
    def test_format_ics(self, run):
        """``simexit plan --format ics`` prints the calendar."""
        code, out, _ = run(
            "plan", "--country", "AZ", "--operator", "holafly", "--card",
            "travel-esim", "--bought-on", "2026-12-01", "--today", "2026-12-02",
            "--format", "ics",
        )  # fmt: skip

        assert code == 0
        assert todos(out)[0].decoded("due") == dt.date(2027, 6, 1)

    def test_a_missing_icalendar_is_one_line(self, run, monkeypatch):
        """Without the extra, one line says what to install."""
        import sys

        monkeypatch.setitem(sys.modules, "icalendar", None)
        code, out, err = run("plan", "--country", "AZ", "--format", "ics")

        assert code == 1
        assert out == ""
        assert err.strip().count("\n") == 0
        assert "simexit[calendar]" in err

    @pytest.mark.parametrize("flag", ["--leaving-on", "--bought-on"])
    def test_a_bad_day_is_a_usage_error(self, run, flag):
        """A day not written YYYY-MM-DD: exit 2, one line naming the flag."""
        code, _, err = run("plan", "--country", "AZ", flag, "31.01.2027")

        assert code == 2
        assert flag in err
        assert err.strip().count("\n") == 0
