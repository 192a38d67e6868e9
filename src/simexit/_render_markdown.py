"""A Plan as a Markdown document with the same content as the text format,
every data string made inert (no link, markup or HTML it did not mean)."""

from __future__ import annotations

import re

from ._layout import (
    _DOT,
    _channel_facts,
    _channel_name,
    _cited,
    _colon,
    _fmt,
    _legend,
    _marks,
    _require,
    _situation_lines,
    _source_line,
    _source_numbers,
    _staff_heading,
    _step_numbers,
    _title,
    concerned,
    done_line,
    label,
    no_steps,
)
from ._model import Channel, Source, SourceKind
from ._plan import Plan, Step
from ._summary import summary_markdown
from ._wrap import clean

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


def _md_source_link(text: str, source: Source) -> str:
    """*text* linked to *source*; a claim seen in the wild (a seed article, a
    reseller or lookalike site) is never linked: it is not a reference."""
    if source.kind is SourceKind.CLAIM:
        return text
    return _md_link(text, source.url)


def _md_refs(cited: list[int], numbers: dict[str, tuple[int, Source]]) -> str:
    by_number = dict(numbers.values())
    return " ".join(_md_source_link(f"\\[{n}\\]", by_number[n]) for n in cited)


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
    numbers = _source_numbers(plan)
    position = {s.id: i for i, s in enumerate(plan.steps, 1)}
    out: list[str] = [f"# {md_escape(_title(plan))}", ""]
    out.extend(md_escape(line) + "  " for line in _situation_lines(plan))
    out[-1] = out[-1].rstrip()
    out += ["", *summary_markdown(plan, md_escape)]
    done = done_line(plan)
    if done is not None:
        out += [md_escape(done), ""]
    out += [f"## {label('steps', loc)}", ""]
    if not plan.steps:
        out += [md_escape(no_steps(plan)), ""]
    for i, step in enumerate(plan.steps, 1):
        out += _md_step(i, step, loc, numbers, position)
    out += _md_notices(plan, numbers)
    out += _md_sources(numbers, loc)
    return "\n".join(out).rstrip("\n") + "\n"


def _md_step(
    i: int,
    step: Step,
    loc: str,
    numbers: dict[str, tuple[int, Source]],
    position: dict[str, int],
) -> list[str]:
    """Step number *i*: a heading, its marks and detail, then a list of how,
    what to bring, why and its sources."""
    c = _colon(loc)
    out: list[str] = []
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
        items.append(f"- **{label('how', loc)}**{c}{_md_channel(step.channel, loc)}")
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
        f"- **{label('why', loc)}**{c}{md_escape(reason)}" for reason in step.because
    )
    earlier = sorted(position[a] for a in step.after if a in position)
    if earlier:
        items.append(f"- **{label('after', loc)}**{c}{_step_numbers(earlier, loc)}")
    cited = _cited(step.sources, numbers)
    if cited:
        items.append(f"- **{label('sources', loc)}**{c}{_md_refs(cited, numbers)}")
    if items:
        out += [*items, ""]
    return out


def _md_notices(plan: Plan, numbers: dict[str, tuple[int, Source]]) -> list[str]:
    """The blockers, then the warnings, each with its sources."""
    loc = plan.locale
    out: list[str] = []
    for key, notices in (("blockers", plan.blockers), ("warnings", plan.warnings)):
        if not notices:
            continue
        out += [f"## {label(key, loc)}", ""]
        for notice in notices:
            cited = _cited(notice.sources, numbers)
            said = notice.text + concerned(notice, plan, loc)
            text = "  \n  ".join(md_escape(p) for p in said.splitlines())
            out.append(f"- {text}" + (" " + _md_refs(cited, numbers) if cited else ""))
        out.append("")
    return out


def _md_sources(numbers: dict[str, tuple[int, Source]], loc: str) -> list[str]:
    """The legend and every source the plan cites, numbered and linked."""
    out: list[str] = []
    if numbers:
        out += [f"## {label('sources', loc)}", "", md_escape(_legend(loc)), ""]
        for n, source in numbers.values():
            head, url, dates = _source_line(n, source, loc)
            shown = _md_source_link(md_escape(head), source)
            if shown == md_escape(head) and url:
                shown += _DOT + md_escape(url)
            out.append(f"{n}. {shown}{_DOT}{md_escape(dates)}")
        out.append("")
    return out
