"""JSON for plans, situations and the model: exact round trips through cattrs."""

from __future__ import annotations

import functools
import json
from typing import Any, TypeVar

import attrs

from ._convert import make_converter, problems_of
from .exceptions import InvalidJSONError, InvalidSituationError, SimexitError, shown

T = TypeVar("T")

#: Bumped when the JSON shape changes incompatibly.
SCHEMA_VERSION = 1


#: The classes to_json has accepted (simexit's own value classes).
_VALUE_CLASSES: set[type] = set()


@functools.cache
def _converter() -> Any:
    return make_converter(json=True)


@functools.cache
def _reader() -> Any:
    from ._json_read import Reader

    return Reader(_converter())


@functools.cache
def _writer() -> Any:
    from ._json_write import Writer

    return Writer(_converter(), SCHEMA_VERSION)


def to_json(obj: Any) -> str:
    """*obj* (a Plan, Situation or other value object) as canonical JSON.

    Keys are sorted, text is UTF-8 and not escaped, and ``schema_version`` is
    added at the top level, so equal objects give byte-identical output.
    Anything but a simexit value object is refused.

    Raises:
        InvalidSituationError: *obj* is not a simexit value object.

    >>> import simexit
    >>> simexit.to_json({"steps": []})
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidSituationError: invalid obj: got {'steps': []}, expected a simexit value object such as a Plan or a Situation
    """
    cls = type(obj)
    if cls not in _VALUE_CLASSES:
        from ._registry import Registry  # an attrs class, but holds caches

        ours = attrs.has(cls) and cls.__module__.partition(".")[0] == "simexit"
        if not ours or issubclass(cls, Registry):
            raise InvalidSituationError(
                "obj", obj, "a simexit value object such as a Plan or a Situation"
            )
        _VALUE_CLASSES.add(cls)
    return _writer().dumps(obj)  # type: ignore[no-any-return]


def reference_json(obj: Any) -> str:
    """:func:`to_json`'s bytes as the converter and ``json.dumps`` make them,
    the definition the fast writer (:mod:`simexit._json_write`) is tested
    against; for tests and benchmarks."""
    data = _converter().unstructure(obj)
    if isinstance(data, dict):
        data = {"schema_version": SCHEMA_VERSION, **data}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str | bytes, cls: type[T]) -> T:
    """Parse *text* made by :func:`to_json` back into a *cls*.

    Raises:
        InvalidJSONError: *text* is not JSON, has another ``schema_version``,
            or does not describe a *cls* (the message gives the JSON path of
            each problem); or *cls* is not a simexit class.
        InvalidSituationError: the JSON describes a situation or an amount
            that is not valid.

    >>> import simexit
    >>> simexit.from_json('{"schema_version": 0}', simexit.Plan)
    Traceback (most recent call last):
      ...
    simexit.exceptions.InvalidJSONError: invalid simexit JSON: schema_version: got 0, expected 1
    """
    return read_json(text, cls)


def read_json(text: str | bytes, cls: type[T], *, fast: bool = True) -> T:
    """:func:`from_json`; with *fast* false, the converter alone reads it
    (the reference the fast reader is tested against)."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidJSONError(
            f"cannot read into {shown(cls)}: expected a simexit class such as Plan"
        )
    if issubclass(type(text), str):
        text = str.__str__(text)
    elif isinstance(text, bytes | bytearray):
        text = bytes(memoryview(text))  # a subclass's own methods are not called
    else:
        raise InvalidJSONError(f"expected str or bytes, got {type(text).__name__}")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError, TypeError) as e:
        raise InvalidJSONError(f"not JSON: {e}") from None
    if not isinstance(data, dict):
        raise InvalidJSONError(f"expected an object, got {type(data).__name__}")
    version = data.pop("schema_version", None)
    if version != SCHEMA_VERSION:
        raise InvalidJSONError(
            f"schema_version: got {version!r}, expected {SCHEMA_VERSION}"
        )
    if fast:
        try:
            return _reader().decoder(cls)(data)  # type: ignore[no-any-return]
        except Exception:  # anything off the happy path: the reference decides
            pass
    try:
        return _converter().structure(data, cls)  # type: ignore[no-any-return]
    except SimexitError:
        raise
    except RecursionError:
        raise InvalidJSONError("nested too deeply") from None
    except Exception as e:
        problems = "; ".join(
            f"{('$' + p) if p else '$'}: {m}" for p, m in problems_of(e)
        )
        raise InvalidJSONError(problems or str(e)) from None
