"""JSON in: a Situation from its JSON form, field by field.

The form is what :func:`simexit.to_json` writes for a Situation (and what
``simexit schema situation`` describes): enums as their lower-case names,
amounts as ``{"amount": "12.50", "currency": "AZN"}`` with the amount a
string, ``accounts`` as a list of service ids, dates as ``YYYY-MM-DD``.
``schema_version`` may be left out here (a hand-written situation rarely
has one); if given it must be the current one.

``simexit plan --situation`` and ``POST /v1/plan`` read through
:func:`situation_from_data`: every field is structured by the same strict
converter as :func:`simexit.from_json`, one at a time, so a problem is an
:class:`~simexit.InvalidSituationError` naming the field (``card``,
``arrears.amount``, ``accounts[1]``).  The fields come from the class
itself, never from a list written here.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from typing import Any

import attrs

from ._convert import make_converter, problems_of
from ._json import SCHEMA_VERSION
from ._situation import Situation, plain_str
from .exceptions import InvalidJSONError, InvalidSituationError

#: The largest situation document read (a situation is a few hundred bytes).
MAX_SITUATION_BYTES = 64 * 1024


@functools.cache
def _converter() -> Any:
    return make_converter(json=True)


@functools.cache
def _hints() -> dict[str, Any]:
    """Each Situation field's type, in the class's order."""
    hints = typing.get_type_hints(Situation)
    return {a.name: hints[a.name] for a in attrs.fields(Situation)}


def json_type(value: object) -> str:
    """The JSON name of *value*'s type, for an error message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # pragma: no cover - not from json.loads


def parse_json(text: str | bytes, what: str) -> Any:
    """*text* parsed as JSON; anything that is not JSON is an InvalidJSONError."""
    try:
        return json.loads(text)
    except RecursionError:
        raise InvalidJSONError(f"{what}: nested too deeply") from None
    except (ValueError, TypeError) as e:
        raise InvalidJSONError(f"{what}: not JSON: {e}") from None


def read_situation(text: str | bytes) -> Situation:
    """A Situation from a JSON document (``simexit plan --situation``).

    Raises:
        InvalidJSONError: *text* is not JSON or not a JSON object.
        InvalidSituationError: a field is unknown, missing or not valid;
            the error names it.

    >>> read_situation('{"country": "AZ", "card": "sim"}')
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid card: got 'sim', expected one of: physical_sim, esim, travel_esim, tourist_card
    """
    if isinstance(text, str | bytes) and len(text) > MAX_SITUATION_BYTES:
        raise InvalidJSONError(
            f"situation: {len(text)} characters, expected at most "
            f"{MAX_SITUATION_BYTES} (a situation is a few hundred)"
        )
    return situation_from_data(parse_json(text, "situation"))


def situation_from_data(data: object) -> Situation:
    """A Situation from its JSON form already parsed (a dict of JSON values).

    Raises:
        InvalidJSONError: *data* is not an object.
        InvalidSituationError: a field is unknown, missing or not valid
            (``field`` names it), or ``schema_version`` is not the current one.
    """
    if not isinstance(data, dict):
        raise InvalidJSONError(f"situation: expected an object, got {json_type(data)}")
    hints = _hints()
    values: dict[str, Any] = {}
    for key, value in data.items():
        name = plain_str(key)
        if name == "schema_version":
            _check_version(value)
        elif name is None or name not in hints:
            raise InvalidSituationError(
                str(key),
                value,
                "only the fields of a situation: " + ", ".join(hints),
            )
        else:
            values[name] = _field(name, hints[name], value)
    for a in attrs.fields(Situation):
        if a.default is attrs.NOTHING and a.name not in values:
            raise InvalidSituationError(a.name, None, "a value: the field is required")
    return Situation(**values)


def _check_version(value: object) -> None:
    if type(value) is not int or value != SCHEMA_VERSION:
        raise InvalidSituationError(
            "schema_version", value, f"{SCHEMA_VERSION} or left out"
        )


def _field(name: str, tp: Any, value: object) -> Any:
    """*value* structured as the field *name* of type *tp*."""
    try:
        return _converter().structure(value, tp)
    except InvalidSituationError as e:  # Money's own checks: amount, currency
        if e.field in ("amount", "currency"):
            raise InvalidSituationError(
                f"{name}.{e.field}", e.value, e.allowed
            ) from None
        raise
    except Exception as e:
        path, message = next(iter(problems_of(e)), ("", str(e)))
        _, said, allowed = message.partition("expected ")
        raise InvalidSituationError(
            name + path, _at(value, path), allowed if said else message
        ) from None


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _at(value: Any, path: str) -> Any:
    """The part of *value* at *path* (``.amount``, ``[1]``), else *value*."""
    here = value
    for m in _STEP.finditer(path):
        key, index = m.group(1), m.group(2)
        if key is not None and isinstance(here, dict) and key in here:
            here = here[key]
        elif index is not None and isinstance(here, list) and int(index) < len(here):
            here = here[int(index)]
        else:
            return value
    return here
