"""The steps already done, on the command line: ``simexit plan --done ID``
and, in the interactive mode, ticking steps off one at a time.

Ticking a step off re-plans with every step ticked so far as ``done``
(:func:`simexit.plan_for`) and shows the plan again: the command keeps no
state of its own but those ids, as a program embedding simexit would.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from ._cli_ask import _Asker
    from ._plan import Plan

#: What separates the ids of one ``--done``: commas (also Chinese ones),
#: the enumeration comma, semicolons and spaces.
_SEPARATORS = re.compile(r"[\s,，、;；]+")


def done_list(text: str) -> tuple[str, ...]:
    """``--done``: step ids separated by commas, such as
    ``check-arrears,backup-data`` (case and spaces do not matter)."""
    ids = tuple(i for i in _SEPARATORS.split(text.strip().lower()) if i)
    if not ids:
        raise argparse.ArgumentTypeError(
            f"got {text!r}, expected step ids separated by commas, "
            "such as check-arrears,backup-data"
        )
    return ids


def add_flag(parser: argparse.ArgumentParser) -> None:
    """``--done ID[,ID…]`` on the ``plan`` parser, repeatable."""
    parser.add_argument(
        "--done",
        type=done_list,
        action="append",
        metavar="ID[,ID...]",
        help="steps already done, by id (repeat it or separate ids by commas): "
        "they are left out of the plan and listed as done; an id the plan "
        "does not have is ignored",
    )


def done_of(args: argparse.Namespace) -> frozenset[str]:
    """Every id given with ``--done``."""
    return frozenset(i for ids in args.done or () for i in ids)


def tick_off(
    plan: Plan,
    replan: Callable[[frozenset[str]], Plan],
    show: Callable[[Plan], None],
    inp: IO[str],
    err: IO[str],
) -> None:
    """Ask on *err* which step of *plan* is done, by number or id; re-plan
    with it done (*replan*) and *show* the plan again, until the answer is
    empty, input ends or no step is left."""
    from ._cli_ask import _Asker  # it imports the flags, which import this

    asker = _Asker(plan.locale, inp, err)
    done = set(plan.done)
    while plan.steps:
        step_id = _which_step(asker, plan)
        if step_id is None:
            return
        done.add(step_id)
        plan = replan(frozenset(done))
        show(plan)


def _which_step(asker: _Asker, plan: Plan) -> str | None:
    """The id of the step the answer names, or None to stop."""
    from ._locales import word

    paren = word(plan.locale, "format", "paren")
    asker.err.write("\n")
    asker.say(asker.t("done-step"))
    for n, step in enumerate(plan.steps, 1):
        asker.say(step.title + paren.format(text=step.id), f"  {n}  ")
    while True:
        answer = asker.read()
        if not answer:  # the end of input, or just Enter
            return None
        if (
            answer.isdecimal()
            and len(answer) < 6
            and 0 < int(answer) <= len(plan.steps)
        ):
            return plan.steps[int(answer) - 1].id
        if answer in plan.step_ids:
            return answer
        asker.say(asker.t("again-done"))


__all__ = ["add_flag", "done_list", "done_of", "tick_off"]
