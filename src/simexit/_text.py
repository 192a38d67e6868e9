"""Texts written by hand in data: :class:`Text` (one per locale) and
:class:`StaffNote` (sentences to show staff), re-exported by ``_model``."""

from __future__ import annotations

import attrs

from ._methods import methods
from ._situation import plain_str
from .exceptions import InvalidSituationError


def _locale_arg(locale: object) -> str:
    text = plain_str(locale)
    if text is None:
        raise InvalidSituationError("locale", locale, "a locale tag such as 'en'")
    return text


@methods(eq=False)
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Text:
    """A text written by hand: English, and any other locales given.

    ``texts`` maps a locale tag (see :mod:`simexit._locales`) to the text;
    ``en`` is always there.  A locale it lacks gets the English text.
    """

    texts: dict[str, str]

    def get(self, locale: str) -> str:
        """The text in *locale*, or the English text if it has none."""
        if type(locale) is not str:
            locale = _locale_arg(locale)
        found = self.texts.get(locale)
        return self.texts.get("en", "") if found is None else found

    def has(self, locale: str) -> bool:
        """True if the text is written in *locale* (no fallback needed)."""
        return _locale_arg(locale) in self.texts

    def locales(self) -> tuple[str, ...]:
        """The locales the text is written in, ``en`` first."""
        return ("en", *sorted(k for k in self.texts if k != "en"))

    def __eq__(self, other: object) -> bool:
        if type(other) is not Text:
            return NotImplemented
        return self.texts == other.texts

    def __hash__(self) -> int:
        return hash(frozenset(self.texts.items()))


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StaffNote:
    """Sentences to show staff, keyed by local language (ISO 639 code).

    In data files: ``show_staff = { az = "…", reviewed = false }``.
    """

    sentences: dict[str, str]
    reviewed: bool = False

    def languages(self) -> tuple[tuple[str, str], ...]:
        """``(language, sentence)`` pairs, sorted by language."""
        return tuple(sorted(self.sentences.items()))
