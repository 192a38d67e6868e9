"""The errors simexit raises.

Every error derives from :class:`SimexitError`, and each also subclasses the
nearest built-in (``ValueError`` or ``LookupError``), so callers may catch
either.  All errors are picklable.
"""

from __future__ import annotations

import math

import attrs

from ._methods import methods

#: The longest a value quoted in an error message may be, in characters.
SHOWN_MAX = 200


def shown(value: object) -> str:
    """*value*'s repr for an error message: at most :data:`SHOWN_MAX` characters.

    Never raises: a ``str`` subclass is shown as the plain text it holds, an
    int too long for ``repr`` by its size, and anything whose ``repr`` fails
    by its type.

    >>> shown("9" * 5000)[:12], len(shown("9" * 5000)) <= SHOWN_MAX
    ("'99999999999", True)
    """
    try:
        text = _repr(value)
    except Exception:  # a value whose own __repr__ fails: name its type
        text = f"<{type(value).__qualname__} object>"
    if len(text) <= SHOWN_MAX:
        return text
    tail = f"… ({len(text)} characters)"
    return text[: SHOWN_MAX - len(tail)] + tail


def _repr(value: object) -> str:
    if isinstance(value, str):
        return repr(str.__str__(value))
    if isinstance(value, int) and not isinstance(value, bool):
        digits = int(abs(int.__int__(value)).bit_length() * math.log10(2)) + 1
        if digits > 1000:
            return f"<an int of about {digits} digits>"
        return repr(int.__int__(value))
    return repr(value)


class SimexitError(Exception):
    """Base class of every error simexit raises on purpose."""


@methods(eq=False)
@attrs.define(str=False, repr=False, eq=False)
class InvalidSituationError(SimexitError, ValueError):
    """A :class:`~simexit.Situation` field got a value it does not allow."""

    field: str
    value: object
    allowed: str

    def __str__(self) -> str:
        got = shown(self.value)
        return f"invalid {self.field}: got {got}, expected {self.allowed}"


@methods(eq=False)
@attrs.define(str=False, repr=False, eq=False)
class UnknownCountryError(SimexitError, LookupError):
    """No installed data package provides *code*."""

    code: str
    available: tuple[str, ...]

    def __str__(self) -> str:
        have = ", ".join(self.available) or "none"
        return f"no data package for {shown(self.code)} (available: {have})"


@methods(eq=False)
@attrs.define(str=False, repr=False, eq=False)
class UnknownOperatorError(SimexitError, LookupError):
    """The country's data package has no operator called *operator*."""

    country: str
    operator: str
    available: tuple[str, ...]

    def __str__(self) -> str:
        have = ", ".join(self.available) or "none"
        what = shown(self.operator)
        return f"no operator {what} in {self.country} (available: {have})"


@methods()
@attrs.frozen(repr=False, eq=False)
class Problem:
    """One problem found in a data package."""

    package: str
    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.package}/{self.file}" if self.file else self.package
        if self.line is not None:
            where = f"{where}:{self.line}"
        return (
            f"{where}: {self.path}: {self.message}"
            if self.path
            else (f"{where}: {self.message}")
        )


@methods(eq=False)
@attrs.define(str=False, repr=False, eq=False)
class DataPackageError(SimexitError, ValueError):
    """A data package is broken; *problems* lists every problem found."""

    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in data package"
        return "\n".join([head + ":", *(f"  {p}" for p in self.problems)])


@methods(eq=False)
@attrs.define(str=False, repr=False, eq=False)
class InvalidJSONError(SimexitError, ValueError):
    """Text given to :func:`~simexit.from_json` is not a valid document."""

    reason: str

    def __str__(self) -> str:
        return f"invalid simexit JSON: {self.reason}"


__all__ = [
    "DataPackageError",
    "InvalidJSONError",
    "InvalidSituationError",
    "Problem",
    "SimexitError",
    "UnknownCountryError",
    "UnknownOperatorError",
]
