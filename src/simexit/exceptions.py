"""The errors simexit raises.

Every error derives from :class:`SimexitError`, and each also subclasses the
nearest built-in (``ValueError`` or ``LookupError``), so callers may catch
either.  All errors are picklable.
"""

from __future__ import annotations

import attrs


class SimexitError(Exception):
    """Base class of every error simexit raises on purpose."""


@attrs.define(str=False, eq=False)
class InvalidSituationError(SimexitError, ValueError):
    """A :class:`~simexit.Situation` field got a value it does not allow."""

    field: str
    value: object
    allowed: str

    def __str__(self) -> str:
        return f"invalid {self.field}: got {self.value!r}, expected {self.allowed}"


@attrs.define(str=False, eq=False)
class UnknownCountryError(SimexitError, LookupError):
    """No installed data package provides *code*."""

    code: str
    available: tuple[str, ...]

    def __str__(self) -> str:
        have = ", ".join(self.available) or "none"
        return f"no data package for {self.code!r} (available: {have})"


@attrs.define(str=False, eq=False)
class UnknownOperatorError(SimexitError, LookupError):
    """The country's data package has no operator called *operator*."""

    country: str
    operator: str
    available: tuple[str, ...]

    def __str__(self) -> str:
        have = ", ".join(self.available) or "none"
        return f"no operator {self.operator!r} in {self.country} (available: {have})"


@attrs.frozen
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


@attrs.define(str=False, eq=False)
class DataPackageError(SimexitError, ValueError):
    """A data package is broken; *problems* lists every problem found."""

    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in data package"
        return "\n".join([head + ":", *(f"  {p}" for p in self.problems)])


@attrs.define(str=False, eq=False)
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
