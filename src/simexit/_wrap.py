"""Text by display width, for a terminal: wrapping that knows CJK, and
the control characters no data string may bring into the output."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

#: Column width of the text format: a phone held upright.
WIDTH = 60

# No line may start with these (CJK closing punctuation and Latin commas).
_NO_START = set("。，、；：！？）」』】》〉”’.,;:!?)]}%")
# No line may end with these (opening brackets and quotes).
_NO_END = set("（「『【《〈“‘([{")


def display_width(text: str) -> int:
    """Columns *text* takes in a terminal: East Asian wide characters take two."""
    if text.isascii():  # no ASCII character is wide or combining
        return len(text)
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
        if ch in _NO_START and not prefix and (word or (out and not space)):
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
