"""A Plan as plain text for a phone screen, and a Country for
``simexit show``."""

from __future__ import annotations

import datetime as dt

from ._format import (
    country_name,
    currency_name,
    format_date,
    format_list,
    format_percent,
    language_name,
)
from ._layout import (
    _DOT,
    _channel_facts,
    _channel_name,
    _cited,
    _colon,
    _enum_word,
    _legend,
    _marks,
    _paren,
    _refs,
    _require,
    _situation_lines,
    _source_line,
    _source_numbers,
    _staff_heading,
    _step_numbers,
    _title,
    _upper,
    concerned,
    done_line,
    label,
    no_steps,
)
from ._model import Country, OperatorStatus
from ._plan import Plan, Step
from ._summary import summary_text
from ._wrap import WIDTH, clean, display_width, wrap


def render_text(plan: Plan, *, width: int = WIDTH) -> str:
    """*plan* as plain text for a phone screen, *width* columns wide.

    Raises:
        InvalidSituationError: *plan* is not a :class:`~simexit.Plan` or
            *width* not an int.

    >>> import simexit
    >>> simexit.render_text(simexit.plan_for(simexit.Situation(country="AZ")), width="60")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid width: got '60', expected a number of columns (int)
    """
    _require(plan=plan, width=width)
    page = _Page(plan, width)
    para, heading, loc = page.para, page.heading, plan.locale
    para(_title(plan))
    for line in _situation_lines(plan):
        para(line)
    summary_text(plan, heading, para)
    done = done_line(plan)
    if done is not None:
        page.out.append("")
        para(done)

    heading(label("steps", loc))
    if not plan.steps:
        para(no_steps(plan))
    for i, step in enumerate(plan.steps, 1):
        _text_step(page, i, step)
    _text_notices(page, plan)
    _text_sources(page)
    return "\n".join(page.out) + "\n"


class _Page:
    """The lines of a plan as text, *width* columns wide, and what every part
    of it needs: the locale, its colon, the sources' numbers and each step's."""

    def __init__(self, plan: Plan, width: int) -> None:
        self.loc = plan.locale
        self.c = _colon(self.loc)
        self.width = width
        self.numbers = _source_numbers(plan)
        self.position = {s.id: i for i, s in enumerate(plan.steps, 1)}
        self.out: list[str] = []

    def para(self, text: str, indent: str = "", hang: str | None = None) -> None:
        """*text* wrapped, each of its lines a paragraph."""
        for piece in clean(text).splitlines() or [""]:
            self.out.extend(
                wrap(piece, self.width, indent, indent if hang is None else hang)
            )

    def heading(self, text: str) -> None:
        """A blank line, then *text* underlined."""
        self.out.append("")
        self.out.append(_upper(text, self.loc))
        self.out.append("=" * min(self.width, max(display_width(text), 3)))


def _text_step(page: _Page, i: int, step: Step) -> None:
    """Step number *i*: what to do, how, what to bring, why and its sources."""
    para, out, loc, c = page.para, page.out, page.loc, page.c
    numbers, position = page.numbers, page.position
    pad = " " * (len(str(i)) + 2)
    out.append("")
    para(f"{i}. {step.title}", "", pad)
    para(_marks(step, loc), pad)
    para(step.detail, pad)
    if step.channel is not None:
        para(
            label("how", loc) + c + _channel_name(step.channel, loc),
            pad,
            pad + "  ",
        )
        para(step.channel.contact_in(loc), pad + "  ")
        for fact in _channel_facts(step.channel, loc):
            para(fact, pad + "  ", pad + "    ")
    elif step.alternatives or step.preconditions:
        para(label("no-channel", loc), pad)
    if step.preconditions:
        para(label("bring", loc) + c.rstrip(), pad)
        for pre in step.preconditions:
            para("• " + pre, pad, pad + "  ")
    if step.alternatives:
        para(label("other-ways", loc) + c.rstrip(), pad)
        for alt in step.alternatives:
            para("• " + _channel_name(alt, loc), pad, pad + "  ")
            para(alt.contact_in(loc), pad + "  ")
            for fact in _channel_facts(alt, loc):
                para(fact, pad + "  ", pad + "    ")
    if step.show_staff is not None:
        for lang, sentence in step.show_staff.languages():
            para(_staff_heading(lang, loc) + c.rstrip(), pad)
            para(sentence, pad + "  ")
        if not step.show_staff.reviewed and step.show_staff.languages():
            para(label("not-reviewed", loc), pad + "  ")
    for reason in step.because:
        para(label("why", loc) + c + reason, pad, pad + "  ")
    earlier = sorted(position[a] for a in step.after if a in position)
    if earlier:
        para(label("after", loc) + c + _step_numbers(earlier, loc), pad)
    cited = _cited(step.sources, numbers)
    if cited:
        para(label("sources", loc) + c + _refs(cited), pad)


def _text_notices(page: _Page, plan: Plan) -> None:
    """The blockers, then the warnings, each with its sources."""
    para, heading, loc, numbers = page.para, page.heading, page.loc, page.numbers
    for key, notices in (("blockers", plan.blockers), ("warnings", plan.warnings)):
        if not notices:
            continue
        heading(label(key, loc))
        for notice in notices:
            cited = _cited(notice.sources, numbers)
            text = notice.text + concerned(notice, plan, loc)
            text += " " + _refs(cited) if cited else ""
            for j, piece in enumerate(text.splitlines() or [""]):
                para(("• " if j == 0 else "") + piece, "" if j == 0 else "  ", "  ")


def _text_sources(page: _Page) -> None:
    """The legend and every source the plan cites, numbered."""
    para, heading, out, loc = page.para, page.heading, page.out, page.loc
    numbers = page.numbers
    if numbers:
        heading(label("sources", loc))
        para(_legend(loc))
        for n, source in numbers.values():
            head, url, dates = _source_line(n, source, loc)
            pad = " " * (len(str(n)) + 3)
            out.append("")
            para(f"[{n}] {head}", "", pad)
            if url:
                out.append(pad + clean(url))
            para(dates, pad)


def render_country(
    country: Country, locale: str, today: dt.date, *, width: int = WIDTH
) -> str:
    """What a country's data package holds, as text *width* columns wide."""
    _require(country=country, locale=locale, today=today, width=width)
    loc = locale
    c = _colon(loc)
    out: list[str] = []

    def para(text: str, indent: str = "", hang: str | None = None) -> None:
        out.extend(wrap(clean(text), width, indent, indent if hang is None else hang))

    para(country_name(country.code, loc) + _paren(country.code, loc).rstrip())
    para(
        label("currency", loc)
        + c
        + currency_name(country.currency, loc)
        + _paren(country.currency, loc)
    )
    if country.languages:
        langs = [language_name(lang, loc) for lang in country.languages]
        para(label("staff-languages", loc) + c + format_list(langs, loc))
    para(
        label("data", loc)
        + c
        + format_date(country.data_as_of, loc)
        + _paren(f"{label('version', loc)} {country.data_version}", loc)
    )
    para(
        label("official-share", loc) + c + format_percent(country.official_share(), loc)
    )
    out.append("")
    out.append(_upper(label("operators", loc), loc))
    out.append("=" * display_width(label("operators", loc)))
    for op in country.operators.values():
        out.append("")
        name = op.name + (f" ({op.legal_name})" if op.legal_name else "")
        para(f"{op.id} — {name}", "", "  ")
        status = op.status_on(today)
        if status is OperatorStatus.DEFUNCT and op.defunct_since is not None:
            state = label("defunct-since", loc).format(
                date=format_date(op.defunct_since, loc)
            )
        else:
            state = label("active", loc)
        para(_DOT.join([_enum_word(op.kind, loc), state]), "  ")
        if op.successors:
            para(label("successors", loc) + c + ", ".join(op.successors), "  ")
        if op.cards:
            cards = [_enum_word(card, loc) for card in op.cards]
            para(label("cards", loc) + c + format_list(cards, loc), "  ", "    ")
        if op.website:
            para(label("website", loc) + c + op.website, "  ")
        if not op.channels:
            para(label("no-channels", loc), "  ")
            continue
        para(label("channels", loc) + c.rstrip(), "  ")
        for channel in op.channels.values():
            kind = _enum_word(channel.kind, loc)
            para(f"• {kind}{c}{_channel_name(channel, loc)}", "  ", "    ")
            para(channel.contact_in(loc), "    ")
            for fact in _channel_facts(channel, loc):
                para(fact, "    ", "      ")
    return "\n".join(out) + "\n"
