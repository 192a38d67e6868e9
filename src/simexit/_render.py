"""Render a Plan (or a Country) as text for a phone screen or as Markdown.

Renderers decide nothing: every step, channel, notice and source comes from
the :class:`~simexit.Plan` as the engine built it, in the engine's order.
They only lay it out, label it in the plan's locale (labels written by hand
in every locale) and format money and dates with CLDR (:mod:`._format`).
JSON is not rendered here: it is :func:`simexit.to_json`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator

from ._format import (
    country_name,
    currency_name,
    format_date,
    format_list,
    format_money,
    format_percent,
    language_name,
)
from ._locales import lookup, word
from ._model import (
    Channel,
    ChannelKind,
    Confidence,
    Country,
    OperatorKind,
    OperatorStatus,
    Requirement,
    Source,
    SourceKind,
    StepKind,
)
from ._plan import Notice, Plan, Step
from ._readable import source_address
from ._situation import Card, Device, Location, _Named
from ._summary import summary_markdown, summary_text
from .exceptions import InvalidSituationError

#: Column width of the text format: a phone held upright.
WIDTH = 60

_DOT = " · "


def label(key: str, locale: str) -> str:
    """The label *key* in *locale*, from its catalogue (see :mod:`._locales`)."""
    return word(locale, "labels", key)


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


# -- wrapping by display width ---------------------------------------------------

# No line may start with these (CJK closing punctuation and Latin commas).
_NO_START = set("。，、；：！？）」』】》〉”’.,;:!?)]}%")
# No line may end with these (opening brackets and quotes).
_NO_END = set("（「『【《〈“‘([{")


def display_width(text: str) -> int:
    """Columns *text* takes in a terminal: East Asian wide characters take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _tokens(text: str) -> Iterator[tuple[bool, str]]:
    """``(space_before, token)`` pairs: words, or single wide characters.

    Closing punctuation sticks to the token before it and opening
    punctuation to the token after it, so neither starts or ends a line.
    """
    out: list[tuple[bool, str]] = []
    space = False
    word = ""
    prefix = ""

    def flush() -> None:
        nonlocal word, space
        if word:
            out.append((space, word))
            space = False
            word = ""

    for ch in text:
        if ch.isspace():
            flush()
            if prefix:
                out.append((space, prefix))
                prefix = ""
            space = bool(out) or space
            continue
        wide = unicodedata.east_asian_width(ch) in "WF"
        if ch in _NO_START and (word or (out and not space)):
            if word:
                word += ch
            else:
                before, last = out[-1]
                out[-1] = (before, last + ch)
            continue
        if ch in _NO_END:
            flush()
            prefix += ch
            continue
        if wide:
            flush()
            out.append((space, prefix + ch))
            space = False
            prefix = ""
        else:
            if prefix:
                flush()
                word = prefix
                prefix = ""
            word += ch
    flush()
    if prefix:
        out.append((space, prefix))
    yield from out


def wrap(text: str, width: int = WIDTH, indent: str = "", hang: str = "") -> list[str]:
    """*text* wrapped to *width* display columns.

    The first line starts with *indent*, the others with *hang*.  CJK text
    breaks between characters, other text at spaces; a word longer than a
    line (a URL) is kept whole.
    """
    lines: list[str] = []
    line, used, empty = indent, display_width(indent), True
    for space, token in _tokens(text):
        w = display_width(token)
        gap = 1 if space and not empty else 0
        if not empty and used + gap + w > width:
            lines.append(line.rstrip())
            line, used, empty = hang, display_width(hang), True
            gap = 0
        line += " " * gap + token
        used += gap + w
        empty = False
    lines.append(line.rstrip())
    return lines


# -- what the renderers share ----------------------------------------------------

#: Characters no data string may bring into text or Markdown output: C0 and
#: C1 controls but the newline (ANSI escapes start with ESC, CR rewrites a
#: line), line and paragraph separators, and the bidi controls that reorder
#: what a reader sees.
_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def clean(text: str) -> str:
    """*text* with every control character shown as U+FFFD, tabs as spaces."""
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\t", " "))


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


def _staff_heading(lang: str, locale: str) -> str:
    return label("show-staff", locale) + _paren(language_name(lang, locale), locale)


def _legend(locale: str) -> str:
    parts = [
        f"{confidence_label(c, locale).split(' ')[0]} {label('legend-' + c.value, locale)}"
        for c in (
            Confidence.VERIFIED,
            Confidence.REPORTED,
            Confidence.UNVERIFIED,
            Confidence.DISPUTED,
        )
    ]
    return label("confidence", locale) + _colon(locale) + _DOT.join(parts)


def _source_line(n: int, source: Source, locale: str) -> tuple[str, str, str]:
    """``(head, url, dates)`` of source number *n*."""
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
    return head, source_address(source, locale), sep.join(dates)


# -- text ------------------------------------------------------------------------


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
    loc = plan.locale
    c = _colon(loc)
    numbers = _source_numbers(plan)
    position = {s.id: i for i, s in enumerate(plan.steps, 1)}
    out: list[str] = []

    def para(text: str, indent: str = "", hang: str | None = None) -> None:
        for piece in clean(text).splitlines() or [""]:
            out.extend(wrap(piece, width, indent, indent if hang is None else hang))

    def heading(text: str) -> None:
        out.append("")
        out.append(_upper(text, loc))
        out.append("=" * min(width, max(display_width(text), 3)))

    para(_title(plan))
    for line in _situation_lines(plan):
        para(line)
    summary_text(plan, heading, para)

    heading(label("steps", loc))
    if not plan.steps:
        para(label("no-steps", loc))
    for i, step in enumerate(plan.steps, 1):
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

    for key, notices in (("blockers", plan.blockers), ("warnings", plan.warnings)):
        if not notices:
            continue
        heading(label(key, loc))
        for notice in notices:
            cited = _cited(notice.sources, numbers)
            text = notice.text + (" " + _refs(cited) if cited else "")
            for j, piece in enumerate(text.splitlines() or [""]):
                para(("• " if j == 0 else "  ") + piece, "", "  ")

    if numbers:
        heading(label("sources", loc))
        para(_legend(loc))
        for n, source in numbers.values():
            head, url, dates = _source_line(n, source, loc)
            pad = " " * (len(str(n)) + 3)
            out.append("")
            para(f"[{n}] {head}", "", pad)
            out.append(pad + clean(url))
            para(dates, pad)
    return "\n".join(out) + "\n"


# -- Markdown --------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&~@])")
#: What Markdown renderers turn into links by themselves (GFM autolinks).
_MD_AUTOLINK = re.compile(r"(?i)(://|\bwww\.)")
#: What starts a block (list, quote, heading, rule) at the start of a line.
_MD_BLOCK = re.compile(r"^(\s*|\s*\d+(?=[.)]))([-+=>.)])")


def _break_autolink(m: re.Match[str]) -> str:
    """``\\://`` for ``://``, ``www\\.`` for ``www.``."""
    found = m.group(1)
    return "\\://" if found == "://" else found[:-1] + "\\."


def md_escape(text: str) -> str:
    """*text* made inert in Markdown: no link, no markup, no HTML.

    Every character that could open a link, an autolink, an image, raw HTML,
    an entity, emphasis, a code span or a table is escaped; so are the
    ``://`` and ``www.`` that GFM would link by themselves and the marks
    that would start a list or heading; control characters are replaced.
    """
    text = _MD_SPECIAL.sub(r"\\\1", clean(text))
    text = _MD_AUTOLINK.sub(_break_autolink, text)
    return "\n".join(_MD_BLOCK.sub(r"\1\\\2", line) for line in text.split("\n"))


def _md_code(text: str) -> str:
    """A contact: a code span when it is one token (``*777#YES``), else text."""
    text = clean(text)
    if "`" in text or any(ch.isspace() for ch in text):
        return md_escape(text)
    return f"`{text}`"


def _md_link(text: str, url: str) -> str:
    """``[text](url)`` if *url* is a valid https URL, else the escaped text."""
    from ._links import is_safe_link

    if not is_safe_link(url):
        return text
    return f"[{text}]({url.replace('(', '%28').replace(')', '%29')})"


def _md_refs(cited: list[int], numbers: dict[str, tuple[int, Source]]) -> str:
    urls = {n: s.url for n, s in numbers.values()}
    return " ".join(_md_link(f"\\[{n}\\]", urls[n]) for n in cited)


def _md_channel(channel: Channel, locale: str) -> str:
    parts = [
        f"{md_escape(_channel_name(channel, locale))} — {_md_code(channel.contact_in(locale))}"
    ]
    parts.extend(md_escape(f) for f in _channel_facts(channel, locale))
    return _fmt("clause-separator", locale).join(parts)


def render_markdown(plan: Plan) -> str:
    """*plan* as a Markdown document with the same content as the text format.

    Raises:
        InvalidSituationError: *plan* is not a :class:`~simexit.Plan`.

    >>> import simexit
    >>> simexit.render_markdown(simexit.Situation(country="AZ"))
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid plan: got Situation(country='AZ', ...), expected a simexit.Plan
    """
    _require(plan=plan)
    loc = plan.locale
    c = _colon(loc)
    numbers = _source_numbers(plan)
    position = {s.id: i for i, s in enumerate(plan.steps, 1)}
    out: list[str] = [f"# {md_escape(_title(plan))}", ""]
    out.extend(md_escape(line) + "  " for line in _situation_lines(plan))
    out[-1] = out[-1].rstrip()
    out += ["", *summary_markdown(plan, md_escape)]
    out += [f"## {label('steps', loc)}", ""]
    if not plan.steps:
        out += [md_escape(label("no-steps", loc)), ""]
    for i, step in enumerate(plan.steps, 1):
        out += [f"### {i}. {md_escape(step.title)}", ""]
        marks = _marks(step, loc)
        if step.urgent:
            urgent = label("urgent", loc)
            marks = f"**{urgent}**" + marks[len(urgent) :]
        out += [marks, ""]
        for piece in step.detail.splitlines():
            if piece.strip():
                out += [md_escape(piece), ""]
        items: list[str] = []
        if step.channel is not None:
            items.append(
                f"- **{label('how', loc)}**{c}{_md_channel(step.channel, loc)}"
            )
        elif step.alternatives or step.preconditions:
            items.append(f"- {md_escape(label('no-channel', loc))}")
        if step.preconditions:
            items.append(f"- **{label('bring', loc)}**{c.rstrip()}")
            items.extend(f"  - {md_escape(p)}" for p in step.preconditions)
        if step.alternatives:
            items.append(f"- **{label('other-ways', loc)}**{c.rstrip()}")
            items.extend(f"  - {_md_channel(a, loc)}" for a in step.alternatives)
        if step.show_staff is not None:
            note = step.show_staff
            for lang, sentence in note.languages():
                line = f"- **{_staff_heading(lang, loc)}**{c}«{md_escape(sentence)}»"
                if not note.reviewed:
                    line += f" *{md_escape(label('not-reviewed', loc))}*"
                items.append(line)
        items.extend(
            f"- **{label('why', loc)}**{c}{md_escape(reason)}"
            for reason in step.because
        )
        earlier = sorted(position[a] for a in step.after if a in position)
        if earlier:
            items.append(f"- **{label('after', loc)}**{c}{_step_numbers(earlier, loc)}")
        cited = _cited(step.sources, numbers)
        if cited:
            items.append(f"- **{label('sources', loc)}**{c}{_md_refs(cited, numbers)}")
        if items:
            out += [*items, ""]

    for key, notices in (("blockers", plan.blockers), ("warnings", plan.warnings)):
        if not notices:
            continue
        out += [f"## {label(key, loc)}", ""]
        for notice in notices:
            cited = _cited(notice.sources, numbers)
            text = "  \n  ".join(md_escape(p) for p in notice.text.splitlines())
            out.append(f"- {text}" + (" " + _md_refs(cited, numbers) if cited else ""))
        out.append("")

    if numbers:
        out += [f"## {label('sources', loc)}", "", md_escape(_legend(loc)), ""]
        for n, source in numbers.values():
            head, url, dates = _source_line(n, source, loc)
            shown = _md_link(md_escape(head), url)
            if shown == md_escape(head):
                shown += _DOT + md_escape(url)
            out.append(f"{n}. {shown}{_DOT}{md_escape(dates)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- a country, for `simexit show` ---------------------------------------------


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


__all__ = [
    "WIDTH",
    "clean",
    "confidence_label",
    "display_width",
    "label",
    "md_escape",
    "render_country",
    "render_markdown",
    "render_text",
    "wrap",
]
