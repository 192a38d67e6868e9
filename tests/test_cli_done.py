"""Steps done on the command line: ``simexit plan --done`` and ticking
steps off in the interactive mode."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import simexit
from simexit import _locales
from simexit.cli import build_parser, situation_from_args

from .conftest import Run

DAY = dt.date(2026, 11, 23)
AZERCELL = [
    "plan", "--country", "AZ", "--operator", "azercell", "--card", "esim",
    "--today", DAY.isoformat(),
]  # fmt: skip
#: Every flag the interactive mode would ask about, so only keep_number
#: (a flag only for yes) and ticking are asked; KEEP answers keep_number.
ANSWERED = [
    *AZERCELL, "--abroad", "--device", "in-hand", "--billing", "prepaid",
    "--arrears", "0", "--balance", "0", "--owner", "--has-id",
    "--no-accounts", "--autopay", "no",
    "--other-esim-profiles", "no",
]  # fmt: skip


KEEP = "2\n?\n?\n"  # keep the number: no; leaving and buying days: unknown


def plan_of(*done: str) -> simexit.Plan:
    situation = simexit.Situation(
        country="AZ", operator="azercell", card=simexit.Card.ESIM
    )
    return simexit.plan_for(situation, today=DAY, done=frozenset(done))


def answered(*done: str) -> simexit.Plan:
    """The plan of ANSWERED (keep_number answered no) with *done* done."""
    situation = situation_from_args(build_parser().parse_args(ANSWERED))
    assert situation.keep_number is False
    return simexit.plan_for(situation, today=DAY, done=frozenset(done))


def plans(out: str) -> list[dict[str, object]]:
    """The JSON plans printed, one a line."""
    return [json.loads(line) for line in out.splitlines()]


class TestDoneFlag:
    def test_repeated_and_comma_separated_ids_are_all_done(self, run: Run) -> None:
        """--done takes a comma list and may be repeated."""
        code, out, _ = run(
            *AZERCELL, "--format", "json",
            "--done", "check-arrears, backup-data", "--done", "TERMINATE-SUBSCRIPTION",
        )  # fmt: skip
        (plan,) = plans(out)

        assert code == 0
        assert plan["done"] == [
            "check-arrears",
            "backup-data",
            "terminate-subscription",
        ]
        assert (
            out
            == simexit.to_json(
                plan_of("check-arrears", "backup-data", "terminate-subscription")
            )
            + "\n"
        )

    def test_an_id_the_plan_lacks_is_ignored(self, run: Run) -> None:
        """As in plan_for, an id the plan does not have changes nothing."""
        _, with_unknown, _ = run(*AZERCELL, "--format", "json", "--done", "no-such")
        _, without, _ = run(*AZERCELL, "--format", "json")

        assert with_unknown == without

    @pytest.mark.parametrize("value", ["", ",", " , ;"])
    def test_an_empty_list_is_a_usage_error(self, run: Run, value: str) -> None:
        """--done without an id is one line of error, exit 2."""
        code, out, err = run(*AZERCELL, "--done", value)

        assert code == 2
        assert out == ""
        assert len(err.splitlines()) == 1
        assert "--done" in err

    def test_text_lists_the_done_steps(self, run: Run) -> None:
        """The text format says which steps are done, on one line."""
        _, out, _ = run(*AZERCELL, "--done", "backup-data,check-arrears")

        assert "Done: check-arrears, backup-data" in out.splitlines()

    def test_markdown_lists_the_done_steps(self, run: Run) -> None:
        """The Markdown format too."""
        _, out, _ = run(*AZERCELL, "--format", "markdown", "--done", "check-arrears")

        assert "Done: check-arrears" in out.splitlines()

    def test_all_done_says_so(self, run: Run) -> None:
        """With every step done the plan says so, not 'nothing to do'."""
        every = ",".join(plan_of().step_ids)
        _, out, _ = run(*AZERCELL, "--done", every)

        assert "Every step of this plan is done." in out
        assert "nothing has to be done" not in out

    def test_nothing_done_shows_no_done_line(self, run: Run) -> None:
        """Without --done, no Done line."""
        _, out, _ = run(*AZERCELL)

        assert not [line for line in out.splitlines() if line.startswith("Done:")]


class TestTickingOff:
    def test_a_number_then_an_id_tick_steps_off(self, run: Run) -> None:
        """After the plan, each answer re-plans with that step done and shows
        the plan again; an empty answer ends."""
        full = answered()
        first, second = full.step_ids[0], full.step_ids[3]
        code, out, err = run(
            *ANSWERED, "--interactive", "--format", "json",
            stdin=f"{KEEP}1\n{second}\n\n",
        )  # fmt: skip
        shown = plans(out)

        assert code == 0
        assert [p["done"] for p in shown] == [[], [first], [first, second]]
        assert out.splitlines()[-1] == simexit.to_json(answered(first, second))
        assert "Have you done one of these steps?" in err

    def test_an_unclear_answer_is_asked_again(self, run: Run) -> None:
        """A number out of range or an unknown id repeats the request."""
        code, out, err = run(
            *ANSWERED, "--interactive", "--format", "json",
            stdin=KEEP + "99\nno-such-step\n0\n" + "9" * 5000 + "\n2\n",
        )  # fmt: skip
        shown = plans(out)

        assert code == 0
        assert err.count("Please type one of the numbers shown or a step id") == 4
        assert [p["done"] for p in shown] == [[], [answered().step_ids[1]]]

    def test_the_end_of_input_ends_it(self, run: Run) -> None:
        """No more input: the plan shown is the last one."""
        code, out, _ = run(*ANSWERED, "--interactive", "--format", "json", stdin=KEEP)

        assert code == 0
        assert len(plans(out)) == 1

    def test_ticking_everything_off_stops(self, run: Run) -> None:
        """Once no step is left, nothing more is asked."""
        n = len(answered().steps)
        _, out, err = run(
            *ANSWERED, "--interactive", stdin=KEEP + "1\n" * n + "1\n"
        )  # fmt: skip

        assert err.count("Have you done one of these steps?") == n
        assert out.count("Every step of this plan is done.") == 1

    def test_done_flags_start_the_list(self, run: Run) -> None:
        """Steps given with --done stay done while more are ticked off."""
        first, second, *_ = answered().step_ids
        _, out, err = run(
            *ANSWERED, "--interactive", "--format", "json",
            "--done", first, stdin=KEEP + "1\n",
        )  # fmt: skip
        shown = plans(out)

        assert [p["done"] for p in shown] == [[first], [first, second]]
        assert f"({first})" not in err

    @pytest.mark.parametrize("tag", _locales.tags())
    def test_the_question_is_in_the_chosen_language(self, run: Run, tag: str) -> None:
        """The question and the Done line come from the locale's catalogue."""
        question = _locales.word(tag, "ask", "done-step")
        done = _locales.word(tag, "labels", "done")
        _, out, err = run(*ANSWERED, "--interactive", "--lang", tag, stdin=KEEP + "1\n")

        assert question.split()[0] in err
        assert done in out
