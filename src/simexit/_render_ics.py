"""A Plan's deadlines as an iCalendar file (RFC 5545), through ``icalendar``.

One ``VTODO`` per step that has a due day (``Step.due``); steps without one
are left out, so the calendar holds only what has a date.  Everything in it
is derived from the plan, so the same plan gives the same bytes:

* ``UID`` is the step id and a digest of the situation's canonical JSON
  (``<step>-<16 hex digits>@simexit``): stable across runs and locales of
  one situation, different between situations, and no personal data (a
  Situation holds none, and the digest cannot be read back);
* ``DTSTAMP`` is the plan's day at midnight UTC, not the clock;
* ``DUE`` is a date (``VALUE=DATE``), ``SUMMARY`` the step's title,
  ``DESCRIPTION`` its detail, why it is due and the links of its sources,
  ``URL`` its first linked source (never a claim seen in the wild).

``icalendar`` is an optional dependency (``pip install 'simexit[calendar]'``);
:func:`render_ics` raises :class:`ModuleNotFoundError` without it.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ._model import Source, SourceKind
from ._plan import Plan, Step

#: PRODID of every calendar simexit writes (RFC 5545 3.7.3).
PRODID = "-//simexit//simexit plan//EN"


def uid(plan: Plan, step: Step) -> str:
    """The stable UID of *step*'s to-do in *plan*'s calendar."""
    from ._json import to_json

    digest = hashlib.sha256(to_json(plan.situation).encode("utf-8")).hexdigest()
    return f"{step.id}-{digest[:16]}@simexit"


def _linked(sources: tuple[Source, ...]) -> list[Source]:
    """The sources with a web address a reader may open (not claims)."""
    return [
        s
        for s in sources
        if s.kind is not SourceKind.CLAIM and s.url.startswith("https://")
    ]


def _description(step: Step, locale: str) -> str:
    parts = [step.detail, *step.because]
    links = [f"{s.publisher_in(locale)}: {s.url}" for s in _linked(step.sources)]
    return "\n\n".join(p for p in ("\n".join(parts), "\n".join(links)) if p)


def render_ics(plan: Plan) -> str:
    """*plan*'s steps that have a due day, as one iCalendar text (CRLF lines)."""
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    stamp = dt.datetime.combine(plan.today, dt.time(), tzinfo=dt.UTC)
    for step in plan.steps:
        if step.due is None:
            continue
        todo = Todo()
        todo.add("uid", uid(plan, step))
        todo.add("dtstamp", stamp)
        todo.add("due", step.due)
        todo.add("summary", step.title)
        todo.add("description", _description(step, plan.locale))
        linked = _linked(step.sources)
        if linked:
            todo.add("url", linked[0].url)
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    return bytes(cal.to_ical()).decode("utf-8")


__all__ = ["PRODID", "render_ics", "uid"]
