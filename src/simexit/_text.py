"""Locale negotiation: real-world language tags to the locales we write."""

from __future__ import annotations

import functools

from ._model import LOCALES

_HANT_REGIONS = frozenset({"TW", "HK", "MO"})


@functools.lru_cache(maxsize=512)
def negotiate(tag: str) -> tuple[str, bool]:
    """Map a BCP 47 / POSIX tag to a supported locale.

    Returns ``(locale, fell_back)``: ``zh-CN``, ``zh-SG`` and ``zh`` give
    ``zh-Hans``; ``zh-TW``, ``zh-HK`` and ``zh-MO`` give ``zh-Hant``; any
    ``en`` gives ``en``; anything else gives ``en`` with ``fell_back`` true.
    """
    parts = [p for p in tag.replace("_", "-").split(".")[0].split("-") if p]
    if not parts:
        return "en", True
    lang = parts[0].lower()
    rest = parts[1:]
    if lang == "en":
        return "en", False
    if lang in ("zh", "cmn", "yue"):
        scripts = {p.title() for p in rest if len(p) == 4}
        regions = {p.upper() for p in rest if len(p) == 2}
        if "Hant" in scripts:
            return "zh-Hant", False
        if "Hans" in scripts:
            return "zh-Hans", False
        if regions & _HANT_REGIONS or lang == "yue":
            return "zh-Hant", False
        return "zh-Hans", False
    return "en", True


__all__ = ["LOCALES", "negotiate"]
