"""The checks of a time window (``[windows.<id>]`` in an operator file):
its length is one positive count of days or of months, short enough that
no Situation's day plus the window leaves the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._files import Collector
    from ._model import Window

#: The longest window, in each unit: ten years.
MAX_DAYS = 3660
MAX_MONTHS = 120


def check_window(c: Collector, rel: str, path: str, window: Window) -> None:
    """Exactly one of ``days`` and ``months``, each within its bounds."""
    given = [
        (key, value)
        for key, value in (("days", window.days), ("months", window.months))
        if value is not None
    ]
    if len(given) != 1:
        c.add(rel, path, "give exactly one of 'days' and 'months'")
        return
    for key, value in given:
        check_length(
            c, rel, f"{path}.{key}", value, MAX_DAYS if key == "days" else MAX_MONTHS
        )


def check_length(c: Collector, rel: str, path: str, value: int, most: int) -> None:
    """A window's length: from 1 to *most*."""
    if not 1 <= value <= most:
        c.add(rel, path, f"got {value}, expected a whole number from 1 to {most}")
