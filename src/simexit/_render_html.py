"""A Plan as one self-contained, printable, accessible HTML page.

The page holds the same content as the text and Markdown formats (laid out
by the same pieces of :mod:`._layout` and :mod:`._summary`), plus the steps
left out and why.  The steps are a checklist: each has a real checkbox whose
label is the step's title, so screen readers read them and the page prints
with empty boxes to tick by hand.

Nothing on the page loads anything: the style is inline (the package's
``templates/plan.css``, read as text, never executed, after the font stack
of the plan's locale from its catalogue), there is no script, image, font
file or external URL, and a Content-Security-Policy forbids them anyway.
Every data string is escaped with :func:`html.escape` (quotes too) after its
control characters are cleaned out; links are made only of URIs that
:func:`._links.is_safe_uri` accepts (https, ``tel:+``, ``mailto:``), checked
again here because a plan need not come from validated data (``from_json``).

The page is a header and a sequence of parts (:data:`PARTS`), a step a
sequence of blocks and facts (:data:`STEP_BLOCKS`, :data:`STEP_FACTS`), each
one small function: showing a new field is adding one function to one of
them.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable

from ._layout import (
    _channel_facts,
    _channel_name,
    _cited,
    _fmt,
    _marks,
    _require,
    _situation_lines,
    _source_line,
    _source_numbers,
    _staff_heading,
    _step_numbers,
    _title,
    concerned,
    confidence_label,
    done_line,
    label,
    no_steps,
)
from ._links import is_safe_link, is_safe_uri
from ._locales import ENGLISH, is_supported, word
from ._model import Channel, Confidence, Source, SourceKind
from ._plan import Notice, Plan, Step
from ._summary import summary
from ._wrap import clean

#: What a font stack from a catalogue may hold: family names, quotes,
#: commas (no parentheses, semicolons, braces or angle brackets).
_FONT_LIST = re.compile(r"^[A-Za-z0-9 ,\"'-]+$")
#: Nothing but inline style: no script, image, font, frame or connection.
#: A language tag as BCP 47 shapes it (``az``, ``sr-Latn``); anything else
#: is left out of ``lang`` rather than written into it.
_LANG = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
#: An id as data packages write them; anything else is left out of ``value``.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)


def _e(text: str) -> str:
    """*text* as HTML text or attribute value: controls cleaned, escaped."""
    return html.escape(clean(text), quote=True)


def _br(text: str) -> str:
    """*text* escaped, its lines separated by ``<br>``."""
    return "<br>".join(_e(line) for line in text.splitlines())


def _paras(text: str) -> str:
    """Each non-empty line of *text* as a paragraph."""
    return "".join(f"<p>{_e(line)}</p>" for line in text.splitlines() if line.strip())


def _lang(tag: str) -> str:
    """`` lang="…"`` for a well-formed language tag, else nothing."""
    return f' lang="{_e(tag)}"' if _LANG.match(tag) else ""


def _link(shown: str, uri: str | None, cls: str = "") -> str:
    """*shown* (HTML already) as a link to *uri*, if *uri* is a safe URI."""
    attr = f' class="{cls}"' if cls else ""
    if uri is None or not is_safe_uri(uri):
        return f"<span{attr}>{shown}</span>" if cls else shown
    return f'<a{attr} href="{_e(uri)}">{shown}</a>'


class Page:
    """What every part of the page needs: the plan, its locale and the
    page's language, the sources' numbers and each step's number."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.loc = plan.locale
        #: The page's language: the words fall back to English for a locale
        #: simexit does not speak (a plan read from JSON), so does ``lang``.
        self.lang = plan.locale if is_supported(plan.locale) else ENGLISH
        self.numbers = _source_numbers(plan)
        self.position = {s.id: i for i, s in enumerate(plan.steps, 1)}

    def label(self, key: str) -> str:
        """The catalogue's label *key*, escaped."""
        return _e(label(key, self.loc))

    def refs(self, sources: Iterable[Source]) -> str:
        """Links to the footnotes of *sources*: ``[1] [3]``."""
        template = word(self.loc, "labels", "source-ref")
        return " ".join(
            f'<a class="ref" href="#source-{n}" '
            f'aria-label="{_e(template.format(number=n))}">[{n}]</a>'
            for n in _cited(sources, self.numbers)
        )


def _section(key: str, heading: str, content: str) -> str:
    """A section headed *heading* (HTML), labelled by its heading."""
    return (
        f'<section id="{key}" aria-labelledby="{key}-heading">\n'
        f'<h2 id="{key}-heading">{heading}</h2>\n{content}</section>\n'
    )


# ---------------------------------------------------------------- the parts


def _header(page: Page) -> str:
    """The title and the situation: card, operator, amounts, date, data."""
    lines = "".join(f"<li>{_e(line)}</li>" for line in _situation_lines(page.plan))
    return (
        f"<header>\n<h1>{_e(_title(page.plan))}</h1>\n"
        f'<ul class="situation">{lines}</ul>\n</header>\n'
    )


def _summary(page: Page) -> str:
    """The plan in short: each group a list of linked step titles."""
    groups = summary(page.plan)
    if not groups:
        return ""
    colon = _e(_fmt("colon", page.loc).rstrip())
    content = ""
    for group in groups:
        items = "".join(
            f'<li value="{n}"><a href="#step-{n}">{_e(title)}</a></li>'
            for n, title in group.steps
        )
        content += f"<h3>{_e(group.label)}{colon}</h3>\n<ol>{items}</ol>\n"
    return _section("summary", page.label("summary"), content)


def _steps(page: Page) -> str:
    """The checklist: one item per step, each with its checkbox."""
    done = done_line(page.plan)
    ticked = "" if done is None else f'<p class="done">{_e(done)}</p>\n'
    if not page.plan.steps:
        return _section(
            "steps", page.label("steps"), f"{ticked}<p>{_e(no_steps(page.plan))}</p>\n"
        )
    items = "".join(_step(page, i, step) for i, step in enumerate(page.plan.steps, 1))
    content = (
        f'{ticked}<p class="hint">{page.label("tick-hint")}</p>\n'
        f'<ol class="steps">\n{items}</ol>\n'
    )
    return _section("steps", page.label("steps"), content)


def _notices(key: str) -> Callable[[Page], str]:
    """The part listing the plan's blockers or its warnings (*key*)."""

    def part(page: Page) -> str:
        notices: tuple[Notice, ...] = getattr(page.plan, key)
        if not notices:
            return ""
        items = "".join(_notice(page, n) for n in notices)
        return _section(
            key, page.label(key), f'<ul class="notices {key}">{items}</ul>\n'
        )

    part.__name__ = part.__qualname__ = f"_{key}"
    return part


def _notice(page: Page, notice: Notice) -> str:
    refs = page.refs(notice.sources)
    said = _br(notice.text) + _e(concerned(notice, page.plan, page.loc))
    return f"<li>{said}{' ' + refs if refs else ''}</li>\n"


def _excluded(page: Page) -> str:
    """The steps considered and left out, each with why."""
    if not page.plan.excluded:
        return ""
    colon = _e(_fmt("colon", page.loc))
    items = "".join(
        f'<li><code class="id">{_e(x.id)}</code>{colon}{_e(x.reason)}</li>\n'
        for x in page.plan.excluded
    )
    return _section(
        "excluded", page.label("excluded"), f'<ul class="excluded">{items}</ul>\n'
    )


def _legend(page: Page) -> str:
    """Each confidence label, strongest first, with what it means."""
    rows = "".join(
        f"<dt>{_e(confidence_label(c, page.loc))}</dt>"
        f"<dd>{page.label('legend-' + c.value)}</dd>"
        for c in reversed(Confidence)
    )
    return _section(
        "confidence", page.label("confidence"), f'<dl class="legend">{rows}</dl>\n'
    )


def _sources(page: Page) -> str:
    """Every source the plan cites, as numbered footnotes."""
    if not page.numbers:
        return ""
    items = "".join(_source(page, n, s) for n, s in page.numbers.values())
    return _section(
        "sources", page.label("sources"), f'<ol class="sources">\n{items}</ol>\n'
    )


def _source(page: Page, n: int, source: Source) -> str:
    """Footnote *n*: the publisher and kind, linked (a claim seen in the wild
    never is), the address written out for paper, and the dates."""
    head, _, dates = _source_line(n, source, page.loc)
    if source.kind is not SourceKind.CLAIM and is_safe_link(source.url):
        shown = f'<a href="{_e(source.url)}">{_e(head)}</a>'
        address = f'<span class="url">{_e(source.url)}</span>'
    else:
        shown, address = (
            _e(head),
            f'<span class="note">{page.label("not-linked")}</span>',
        )
    return f'<li id="source-{n}" value="{n}">{shown}<br>{address}<br>{_e(dates)}</li>\n'


#: The page's main content, top to bottom, after its header.
PARTS: tuple[Callable[[Page], str], ...] = (
    _summary,
    _steps,
    _notices("blockers"),
    _notices("warnings"),
    _excluded,
    _legend,
    _sources,
)


# ---------------------------------------------------------------- one step


def _step(page: Page, i: int, step: Step) -> str:
    """Step number *i*: its checkbox and title, then its blocks and facts."""
    cls = "step urgent" if step.urgent else "step"
    value = f' value="{_e(step.id)}"' if _ID.match(step.id) else ""
    head = (
        f'<div class="check"><input type="checkbox" id="done-{i}" name="done"'
        f'{value}><label for="done-{i}">{i}. {_e(step.title)}</label></div>\n'
    )
    blocks = "".join(block(page, step) for block in STEP_BLOCKS)
    facts = "".join(fact(page, step) for fact in STEP_FACTS)
    if facts:
        facts = f'<dl class="facts">{facts}</dl>\n'
    return f'<li class="{cls}" id="step-{i}">\n{head}{blocks}{facts}</li>\n'


def _step_marks(page: Page, step: Step) -> str:
    """Urgent, the kind when not an action, and the confidence label."""
    marks = _marks(step, page.loc)
    if step.urgent:
        urgent = label("urgent", page.loc)
        shown = (
            f'<strong class="urgent">{_e(urgent)}</strong>{_e(marks[len(urgent) :])}'
        )
    else:
        shown = _e(marks)
    return f'<p class="marks">{shown}</p>\n'


def _step_detail(page: Page, step: Step) -> str:
    detail = _paras(step.detail)
    return f'<div class="detail">{detail}</div>\n' if detail else ""


def _fact(page: Page, key: str, content: str) -> str:
    return f"<dt>{page.label(key)}</dt><dd>{content}</dd>\n"


def _channel(page: Page, channel: Channel) -> str:
    """The channel's name, its contact (a link where it has a safe URI) and
    what it needs, costs and gives."""
    shown = channel.contact_in(page.loc)
    if channel.uri is not None and is_safe_uri(channel.uri):
        shown = shown.removeprefix("mailto:")  # the link says it is e-mail
    contact = _link(_e(shown), channel.uri, "contact")
    out = f"{_e(_channel_name(channel, page.loc))} — {contact}"
    facts = _channel_facts(channel, page.loc)
    if facts:
        joined = _fmt("clause-separator", page.loc).join(facts)
        out += f'<br><span class="channel-facts">{_e(joined)}</span>'
    return out


def _step_how(page: Page, step: Step) -> str:
    if step.channel is not None:
        return _fact(page, "how", _channel(page, step.channel))
    if step.alternatives or step.preconditions:
        return _fact(page, "how", page.label("no-channel"))
    return ""


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _step_bring(page: Page, step: Step) -> str:
    if not step.preconditions:
        return ""
    return _fact(page, "bring", _list(_e(p) for p in step.preconditions))


def _step_other_ways(page: Page, step: Step) -> str:
    if not step.alternatives:
        return ""
    return _fact(
        page, "other-ways", _list(_channel(page, a) for a in step.alternatives)
    )


def _step_staff(page: Page, step: Step) -> str:
    """Each staff sentence in its own language (``lang``), to show at a desk."""
    note = step.show_staff
    if note is None:
        return ""
    out = ""
    for lang, sentence in note.languages():
        quote = f'<blockquote class="staff"{_lang(lang)}>{_br(sentence)}</blockquote>'
        if not note.reviewed:
            quote += f'<p class="note">{page.label("not-reviewed")}</p>'
        out += f"<dt>{_e(_staff_heading(lang, page.loc))}</dt><dd>{quote}</dd>\n"
    return out


def _step_why(page: Page, step: Step) -> str:
    if not step.because:
        return ""
    return _fact(page, "why", "".join(f"<p>{_e(r)}</p>" for r in step.because))


def _step_after(page: Page, step: Step) -> str:
    earlier = sorted(page.position[a] for a in step.after if a in page.position)
    if not earlier:
        return ""
    return _fact(page, "after", _e(_step_numbers(earlier, page.loc)))


def _step_sources(page: Page, step: Step) -> str:
    refs = page.refs(step.sources)
    return _fact(page, "sources", refs) if refs else ""


#: What a step shows under its title, in order.
STEP_BLOCKS: tuple[Callable[[Page, Step], str], ...] = (_step_marks, _step_detail)
#: A step's facts, each a term and its description, in order.
STEP_FACTS: tuple[Callable[[Page, Step], str], ...] = (
    _step_how,
    _step_bring,
    _step_other_ways,
    _step_staff,
    _step_why,
    _step_after,
    _step_sources,
)


# ---------------------------------------------------------------- the page


@functools.cache
def _css() -> str:
    """The page's style, from the package (read as text)."""
    from importlib_resources import files

    return files("simexit").joinpath("templates", "plan.css").read_text("utf-8")


def _fonts(locale: str) -> str:
    """The catalogue's font stack for *locale*, if it is a plain list."""
    fonts = word(locale, "format", "page-fonts")
    return fonts if _FONT_LIST.match(fonts) else "sans-serif"


def _document(page: Page, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html{_lang(page.lang)}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(_title(page.plan))}</title>\n"
        f"<style>\n:root {{ font-family: {_fonts(page.loc)}; }}\n{_css()}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )


def render_html(plan: Plan) -> str:
    """*plan* as one self-contained, printable, accessible HTML page.

    The steps are a checklist with real checkboxes, the sources numbered
    footnotes; the page names its language, carries its style inline and
    loads nothing (no script, font, image or external URL).

    Raises:
        InvalidSituationError: *plan* is not a :class:`~simexit.Plan`.

    >>> import simexit
    >>> simexit.render_html("<p>a plan</p>")
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid plan: got '<p>a plan</p>', expected a simexit.Plan
    """
    _require(plan=plan)
    page = Page(plan)
    main = "".join(part(page) for part in PARTS)
    return _document(page, f"{_header(page)}<main>\n{main}</main>\n")
