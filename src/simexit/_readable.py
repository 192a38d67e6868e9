"""What a reader is shown in place of what only a machine can use.

A claim source has no link, only an id (``urn:simexit:seed:…``, see
:func:`simexit._links.source_url_problem`): readers are told it is not
linked, in their language; the id stays in the plan and its JSON.
"""

from __future__ import annotations

from ._locales import word
from ._model import Source


def source_address(source: Source, locale: str) -> str:
    """The source's address as shown to readers of *locale*: its URL, or a
    note that a source without one is not linked."""
    if source.url.startswith(("https://", "http://", "mailto:")):
        return source.url
    return word(locale, "labels", "not-linked")
