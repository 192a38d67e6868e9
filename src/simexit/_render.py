"""Render a Plan (or a Country) as text for a phone screen, as Markdown or
as an HTML page.

Renderers decide nothing: every step, channel, notice and source comes from
the :class:`~simexit.Plan` as the engine built it, in the engine's order.
They only lay it out, label it in the plan's locale (labels written by hand
in every locale) and format money and dates with CLDR (:mod:`._format`).
JSON is not rendered here: it is :func:`simexit.to_json`.

This module is the renderers' front: the text format lives in
:mod:`._render_text`, Markdown in :mod:`._render_markdown`, the HTML page in
:mod:`._render_html`, what they lay
out alike in :mod:`._layout` and wrapping by display width in :mod:`._wrap`.
"""

from __future__ import annotations

from ._layout import _SECTIONS as _SECTIONS  # every enum's catalogue section
from ._layout import confidence_label, label
from ._render_html import render_html
from ._render_markdown import md_escape, render_markdown
from ._render_text import render_country, render_text
from ._wrap import WIDTH, clean, display_width, wrap

__all__ = [
    "WIDTH",
    "clean",
    "confidence_label",
    "display_width",
    "label",
    "md_escape",
    "render_country",
    "render_html",
    "render_markdown",
    "render_text",
    "wrap",
]
