"""The locales simexit speaks: the one module that knows their names.

A locale is a catalogue file ``<tag>.toml`` in ``simexit/locales`` (or in
a folder named by the ``SIMEXIT_LOCALE_PATH`` environment variable, a list
of folders separated by :data:`os.pathsep`).  Each catalogue holds:

- ``[locale]``: its ``tag``, English and native names, the ``babel`` locale
  id, and negotiation hints: the BCP 47 ``languages``, ``scripts`` and
  ``regions`` it serves, and the languages it is the ``default-for`` when
  only the language is given;
- the UI words: ``[labels]``, ``[ask]``, ``[answers]``, ``[format]`` and
  the words for each enum value (``[card]``, ``[channel-kind]`` …).

Nothing is read until it is needed: listing the supported tags is one
directory listing, and a catalogue file is parsed the first time one of its
words (or, for negotiation of a tag that is not a file name, its
``[locale]`` table) is asked for.  Adding a language is adding a file:
see ``docs/localisation.md``.
"""

from __future__ import annotations

import functools
import os
from typing import Any

#: The locale every text and every catalogue has, and the fallback.
ENGLISH = "en"
_HERE = os.path.join(os.path.dirname(__file__), "locales")
_PATH_VARIABLE = "SIMEXIT_LOCALE_PATH"
#: The notice a plan carries when some of its texts are shown in English.
FALLBACK_NOTICE = "fallback-language"


@functools.cache
def _files() -> dict[str, str]:
    """``{tag: catalogue path}``; the bundled catalogues win over extra ones."""
    found: dict[str, str] = {}
    extra = os.environ.get(_PATH_VARIABLE, "")
    folders = [_HERE] + [f for f in extra.split(os.pathsep) if f]
    for folder in folders:
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith(".toml") and os.path.isfile(path):
                found.setdefault(name[: -len(".toml")], path)
    return found


def tags() -> tuple[str, ...]:
    """Every supported locale tag, English first, then in sorted order."""
    rest = sorted(t for t in _files() if t != ENGLISH)
    return (ENGLISH, *rest)


def is_supported(tag: str) -> bool:
    """True if *tag* is exactly one of :func:`tags`."""
    return tag in _files()


def did_you_mean(tag: str) -> str:
    """`` (did you mean 'zh-Hans'?)`` for a near miss of a supported tag."""
    from ._conditions import _did_you_mean

    return _did_you_mean(tag, tags())


@functools.cache
def catalogue(tag: str) -> dict[str, Any]:
    """The parsed catalogue of *tag* (``{}`` for an unsupported tag)."""
    path = _files().get(tag)
    if path is None:
        return {}
    from ._compiled import load_catalogue  # simexit's own, compiled at build

    compiled = load_catalogue(path)
    if compiled is not None:
        return compiled
    import tomllib

    with open(path, "rb") as f:
        return tomllib.load(f)


def lookup(tag: str, section: str, key: str) -> Any:
    """The catalogue entry ``[section] key`` of *tag*, else the English one.

    Raises :class:`KeyError` if English lacks it too (a programming error:
    every key simexit asks for is in ``en.toml``).
    """
    found = catalogue(tag).get(section, {}).get(key)
    if found is None:
        found = catalogue(ENGLISH)[section][key]
    return found


def word(tag: str, section: str, key: str) -> str:
    """The UI word ``[section] key`` in *tag* (English if it has none)."""
    return str(lookup(tag, section, key))


def everywhere(section: str, key: str) -> frozenset[str]:
    """The union of the list ``[section] key`` over every catalogue."""
    out: set[str] = set()
    for tag in tags():
        out.update(catalogue(tag).get(section, {}).get(key, ()))
    return frozenset(out)


def babel_id(tag: str) -> str:
    """The Babel locale id of *tag* (``en`` for an unsupported tag)."""
    meta = catalogue(tag).get("locale", {})
    return str(meta.get("babel", ENGLISH))


def english_name(tag: str) -> str:
    """The English name of *tag*, e.g. ``Russian``."""
    return str(catalogue(tag).get("locale", {}).get("english-name", tag))


def _split(tag: str) -> tuple[str, set[str], set[str]]:
    parts = [p for p in tag.replace("_", "-").split(".")[0].split("-") if p]
    if not parts:
        return "", set(), set()
    rest = parts[1:]
    return (
        parts[0].lower(),
        {p.title() for p in rest if len(p) == 4},
        {p.upper() for p in rest if len(p) == 2},
    )


def _hints(tag: str) -> dict[str, list[str]]:
    meta = catalogue(tag).get("locale", {})
    return {k: list(meta.get(k, ())) for k in ("languages", "scripts", "regions")} | {
        "default-for": list(meta.get("default-for", ()))
    }


@functools.lru_cache(maxsize=512)
def negotiate(tag: str) -> tuple[str, bool]:
    """Map a BCP 47 / POSIX tag to a supported locale.

    Returns ``(locale, fell_back)``.  A supported tag gives itself.  Else the
    catalogues whose ``languages`` hold the tag's language compete: a script
    they serve wins, then a region, then the one that is the language's
    ``default-for``.  So ``zh-CN``, ``zh-SG`` and ``zh`` give ``zh-Hans``;
    ``zh-TW``, ``zh-HK``, ``zh-MO`` and ``yue`` give ``zh-Hant``;
    ``ru-KZ`` gives ``ru``; anything else gives ``en`` with ``fell_back``.
    """
    if is_supported(tag):
        return tag, False
    lang, scripts, regions = _split(tag)
    candidates = [(t, _hints(t)) for t in tags()]
    candidates = [(t, h) for t, h in candidates if lang in h["languages"]]
    for kind, wanted in (("scripts", scripts), ("regions", regions)):
        for t, h in candidates:
            if wanted & set(h[kind]):
                return t, False
    for t, h in candidates:
        if lang in h["default-for"]:
            return t, False
    if candidates:
        return candidates[0][0], False
    return ENGLISH, True


def locale_fallback_text() -> str:
    """The ``locale-fallback`` notice: the language asked for is not spoken."""
    text = word(ENGLISH, "engine", "locale-fallback")
    return text.format(available=", ".join(tags()))


def fallback_language_text() -> str:
    """The ``fallback-language`` notice when a core package does not define it."""
    return word(ENGLISH, "engine", "fallback-language")


__all__ = [
    "ENGLISH",
    "FALLBACK_NOTICE",
    "babel_id",
    "catalogue",
    "did_you_mean",
    "english_name",
    "everywhere",
    "fallback_language_text",
    "is_supported",
    "locale_fallback_text",
    "lookup",
    "negotiate",
    "tags",
    "word",
]
