"""When steps are due: the data's time windows applied to a plan's steps.

A :class:`~simexit._model.Window` of the situation's operator dates one
step: its length (days or months) counted from one of the situation's days
(``bought_on``, ``leaving_on``).  The rule, stated once here and used by
both the planner and the memo layer, after everything else is decided:

* a window applies when its step is in the plan, it is in force on the
  plan's day, its condition (if any) holds, and its anchor day is known;
* ``Step.due`` is the earliest day of the windows that apply (months are
  calendar months; a day the month lacks becomes its last day);
* each window that applies adds one sentence to ``because`` (its name, its
  length, its anchor, its source and the day) and its sources to the
  step's; the step's confidence is the weakest of its own and theirs;
* nothing else changes: an unknown anchor day leaves ``due`` None, and the
  warnings are those of the undated plan.

It runs after the memo lookup (``_engine``), so memoised plans stay free of
dates: a situation without dates costs one test per plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from ._conditions import Context, Predicate, compile_condition
from ._dates import add_months, in_force
from ._model import Confidence, Country, Window
from ._plan import Step
from ._situation import Situation


class DueWindow:
    """A window and its compiled condition (None: always); a plain slotted
    class, as the planner's records are."""

    __slots__ = ("test", "window")

    def __init__(self, window: Window, test: Predicate | None) -> None:
        self.window = window
        self.test = test

    def applies(self, ctx: Context, today: dt.date) -> bool:
        return in_force(self.window, today) and (self.test is None or self.test(ctx))


#: operator id -> step id -> the operator's windows for the step, in data order.
DueWindows = dict[str, dict[str, tuple[DueWindow, ...]]]


def prepare_windows(country: Country) -> DueWindows:
    """*country*'s windows, grouped by operator and step (once per country)."""
    out: DueWindows = {}
    for op in country.operators.values():
        by_step: dict[str, list[DueWindow]] = {}
        for w in op.windows.values():
            test = None if w.when is None else compile_condition(w.when)
            by_step.setdefault(w.step, []).append(DueWindow(w, test))
        if by_step:
            out[op.id] = {k: tuple(v) for k, v in by_step.items()}
    return out


def dated(windows: DueWindows, situation: Situation) -> bool:
    """Whether any window can date a step of *situation*'s plan: it has a
    day and its operator has windows.  Cheap: the memo layer asks per plan."""
    s = situation
    return (s.bought_on is not None or s.leaving_on is not None) and (
        s.operator in windows
    )


def due_on(window: Window, situation: Situation) -> dt.date | None:
    """The day *window* ends for *situation*, or None if its anchor is unknown."""
    start: dt.date | None = getattr(situation, window.anchor.value)
    if start is None:
        return None
    if window.months is not None:
        return add_months(start, window.months)
    return start + dt.timedelta(days=window.days or 0)


def with_due(
    windows: DueWindows,
    country: Country,
    situation: Situation,
    ctx: Context,
    locale: str,
    today: dt.date,
    steps: tuple[Step, ...],
) -> tuple[Step, ...]:
    """*steps* with their due days (see the module's rule); *steps* itself
    when no window applies, so plans of one memoised key keep sharing it."""
    by_step = windows.get(situation.operator or "", {})
    out: list[Step] = []
    changed = False
    for step in steps:
        applied = [
            (dw.window, day)
            for dw in by_step.get(step.id, ())
            if dw.applies(ctx, today)
            and (day := due_on(dw.window, situation)) is not None
        ]
        if applied:
            changed = True
            out.append(_dated(step, applied, country, locale))
        else:
            out.append(step)
    return tuple(out) if changed else steps


def _dated(
    step: Step,
    applied: list[tuple[Window, dt.date]],
    country: Country,
    locale: str,
) -> Step:
    because = tuple(sentence(country, w, day, locale) for w, day in applied)
    have = {s.id for s in step.sources}
    sources = list(step.sources)
    for w, _ in applied:
        for sid in w.sources:
            if sid not in have:
                have.add(sid)
                sources.append(country.sources[sid])
    return attrs.evolve(
        step,
        due=min(day for _, day in applied),
        because=step.because + because,
        sources=tuple(sources),
        confidence=_weakest(step.confidence, (w for w, _ in applied)),
    )


def _weakest(own: Confidence, windows: Iterable[Window]) -> Confidence:
    """The weakest of *own* and the windows' confidences; a step that
    stated nothing (``GENERAL``) now states the windows."""
    found = [w.confidence or Confidence.UNVERIFIED for w in windows]
    if own is not Confidence.GENERAL:
        found.append(own)
    return min(found, key=lambda c: c.rank)


def sentence(country: Country, window: Window, day: dt.date, locale: str) -> str:
    """The rule of *window* in words: what it is, how long, from when,
    who says so and the day it gives."""
    from ._format import format_date, format_length

    t = country.vocabulary.templates
    names = [country.sources[s].publisher_in(locale) for s in window.sources]
    source = t["list"].get(locale).join(dict.fromkeys(names))
    months = window.months is not None
    count = (window.months if months else window.days) or 0
    text = (
        t["due"]
        .get(locale)
        .format(
            name=window.name.get(locale),
            length=format_length(count, months, locale),
            anchor=t[f"anchor_{window.anchor.value}"].get(locale),
            source=source,
            date=format_date(day, locale),
        )
    )
    return t["sentence"].get(locale).format(text=text)


__all__ = ["DueWindows", "dated", "due_on", "prepare_windows", "with_due"]
