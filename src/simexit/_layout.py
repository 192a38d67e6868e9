"""What the renderers share: labels from the locale's catalogue, the
plan's numbered sources, and the pieces of a step, a channel and a source
that the text and Markdown formats lay out alike.

Nothing here decides what a plan holds: it comes from the
:class:`~simexit.Plan` as the engine built it, in the engine's order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from ._format import (
    country_name,
    format_date,
    format_list,
    format_money,
    language_name,
)
from ._locales import lookup, word
from ._model import (
    Channel,
    ChannelKind,
    Confidence,
    Country,
    OperatorKind,
    Requirement,
    Source,
    SourceKind,
    StepKind,
)
from ._plan import Notice, Plan, Step
from ._readable import source_address
from ._situation import Card, Device, Location, _Named
from .exceptions import InvalidSituationError

_DOT = " · "


def label(key: str, locale: str) -> str:
    """The label *key* in *locale*, from its catalogue (see :mod:`._locales`)."""
    return word(locale, "labels", key)


def done_line(plan: Plan) -> str | None:
    """The steps already done (``Plan.done``) on one line, by id: a plan
    keeps only their ids; None when nothing is done."""
    if not plan.done:
        return None
    loc = plan.locale
    return (
        label("done", loc) + _colon(loc) + _fmt("list-separator", loc).join(plan.done)
    )


def no_steps(plan: Plan) -> str:
    """What a plan without steps says: every step done, or nothing to do."""
    return label("all-done" if plan.done else "no-steps", plan.locale)


def _enum_word(value: _Named, locale: str) -> str:
    """The catalogue's word for an enum value: ``[card] esim`` …"""
    return word(locale, _SECTIONS[type(value)], value.value)


#: The catalogue section of each enum's words.
_SECTIONS: dict[type, str] = {
    Confidence: "confidence",
    StepKind: "step-kind",
    SourceKind: "source-kind",
    Requirement: "requirement",
    Card: "card",
    Location: "location",
    Device: "device",
    ChannelKind: "channel-kind",
    OperatorKind: "operator-kind",
}


def _fmt(key: str, locale: str) -> str:
    return word(locale, "format", key)


def _upper(text: str, locale: str) -> str:
    """*text* in capitals where the locale writes headings so."""
    return text.upper() if lookup(locale, "format", "upper-headings") else text


def _colon(locale: str) -> str:
    return _fmt("colon", locale)


def _yes_no(value: bool, locale: str) -> str:
    return label("yes" if value else "no", locale)


def confidence_label(confidence: Confidence, locale: str) -> str:
    """``✓ verified`` and its kin, in *locale*."""
    return _enum_word(confidence, locale)


def _refs(numbers: Iterable[int]) -> str:
    return " ".join(f"[{n}]" for n in numbers)


def _step_numbers(numbers: list[int], locale: str) -> str:
    joiner = _fmt("step-joiner", locale)
    shown = (str(n) for n in numbers)
    listed = joiner.join(shown) if joiner else format_list(shown, locale)
    key = "step-one" if len(numbers) == 1 else "step-many"
    return _fmt(key, locale).format(numbers=listed)


def _source_numbers(plan: Plan) -> dict[str, tuple[int, Source]]:
    """Every source the plan cites, numbered in order of first citation."""
    numbers: dict[str, tuple[int, Source]] = {}
    items: list[Step | Notice] = [*plan.steps, *plan.blockers, *plan.warnings]
    for item in items:
        for source in item.sources:
            if source.id not in numbers:
                numbers[source.id] = (len(numbers) + 1, source)
    return numbers


def _cited(
    sources: Iterable[Source], numbers: dict[str, tuple[int, Source]]
) -> list[int]:
    return sorted({numbers[s.id][0] for s in sources})


def _situation_lines(plan: Plan) -> list[str]:
    loc = plan.locale
    s = plan.situation
    facts = [_enum_word(s.card, loc), s.operator or label("operator-unknown", loc)]
    if s.location is not None:
        facts.append(_enum_word(s.location, loc))
    if s.device is not None and s.device is not Device.IN_HAND:
        facts.append(_enum_word(s.device, loc))
    lines = [_DOT.join(facts)]
    if s.arrears is not None:
        lines.append(label("owed", loc) + _colon(loc) + format_money(s.arrears, loc))
    if s.balance is not None:
        lines.append(label("credit", loc) + _colon(loc) + format_money(s.balance, loc))
    lines.append(label("date", loc) + _colon(loc) + format_date(plan.today, loc))
    version = f"{label('version', loc)} {plan.data_version}"
    lines.append(
        label("data", loc)
        + _colon(loc)
        + format_date(plan.data_as_of, loc)
        + _paren(version, loc)
    )
    return lines


def _title(plan: Plan) -> str:
    loc = plan.locale
    return label("plan", loc) + _colon(loc) + country_name(plan.situation.country, loc)


def _marks(step: Step, locale: str) -> str:
    marks = []
    if step.urgent:
        marks.append(label("urgent", locale))
    if step.kind is not StepKind.ACTION:
        marks.append(_enum_word(step.kind, locale))
    marks.append(confidence_label(step.confidence, locale))
    return _DOT.join(marks)


def _channel_facts(channel: Channel, locale: str) -> list[str]:
    """Lines saying what a channel needs, costs and gives."""
    c = _colon(locale)
    out = []
    if channel.requires:
        needs = [_enum_word(r, locale) for r in channel.requires]
        out.append(label("needs", locale) + c + format_list(needs, locale))
    if channel.reachable_from_abroad is not None:
        out.append(
            label("from-abroad", locale)
            + c
            + _yes_no(channel.reachable_from_abroad, locale)
        )
    if channel.cost is not None:
        out.append(label("cost", locale) + c + channel.cost.get(locale))
    if channel.duration is not None:
        out.append(label("takes", locale) + c + channel.duration.get(locale))
    if channel.written_proof is not None:
        out.append(
            label("written-proof", locale) + c + _yes_no(channel.written_proof, locale)
        )
    return out


def _channel_name(channel: Channel, locale: str) -> str:
    name = channel.name.get(locale)
    if channel.confidence is not None and channel.confidence is not Confidence.VERIFIED:
        name += _paren(confidence_label(channel.confidence, locale), locale)
    return name


def _paren(text: str, locale: str) -> str:
    """*text* in brackets, full-width in Chinese."""
    return _fmt("paren", locale).format(text=text)


def concerned(notice: Notice, plan: Plan, locale: str) -> str:
    """The steps *notice* concerns, by number in brackets (`` (step 3)``);
    empty when it names none of the plan's steps."""
    position = {s.id: i for i, s in enumerate(plan.steps, 1)}
    found = sorted(position[s] for s in notice.steps if s in position)
    return _paren(_step_numbers(found, locale), locale) if found else ""


def _staff_heading(lang: str, locale: str) -> str:
    return label("show-staff", locale) + _paren(language_name(lang, locale), locale)


def _legend(locale: str) -> str:
    """Each confidence label, strongest first, with what it means."""
    parts = [
        confidence_label(c, locale) + _paren(label("legend-" + c.value, locale), locale)
        for c in reversed(Confidence)
    ]
    return label("confidence", locale) + _colon(locale) + _DOT.join(parts)


def _source_line(n: int, source: Source, locale: str) -> tuple[str, str, str]:
    """``(head, url, dates)`` of source number *n*; a claim seen in the wild
    (seed article, reseller, lookalike site) is named without its address."""
    head = f"{source.publisher_in(locale)}{_DOT}{_enum_word(source.kind, locale)}"
    dates = []
    if source.published is not None:
        dates.append(
            f"{label('published', locale)} {format_date(source.published, locale)}"
        )
    dates.append(
        f"{label('retrieved', locale)} {format_date(source.retrieved, locale)}"
    )
    sep = _fmt("list-separator", locale)
    return head, _reference_url(source, locale), sep.join(dates)


def _reference_url(source: Source, locale: str) -> str:
    """The address a reader may follow; for a claim seen in the wild (never
    a reference) or a source without a link, a note that it is not linked."""
    if source.kind is SourceKind.CLAIM:
        return word(locale, "labels", "not-linked")
    return source_address(source, locale)


_ARGUMENTS: dict[str, tuple[type, str]] = {
    "plan": (Plan, "a simexit.Plan"),
    "country": (Country, "a simexit.Country"),
    "locale": (str, "a locale tag such as 'en'"),
    "today": (dt.date, "a datetime.date"),
    "width": (int, "a number of columns (int)"),
}


def _require(**arguments: object) -> None:
    """Each argument is of its exact type (a renderer gets engine-made values)."""
    for name, value in arguments.items():
        cls, allowed = _ARGUMENTS[name]
        if type(value) is not cls:
            raise InvalidSituationError(name, value, allowed)
