"""The compiled form of a model value: plain JSON values and back.

:func:`encode` turns a :class:`~simexit.model.Country` (or any part of it)
into JSON values at build time; :func:`decode` turns them back into model
objects at run time, through decoders derived from the model's own field
annotations.  Nothing here reads or writes a file or checks where the JSON
came from: that is :mod:`._compiled`, which uses this module only for a file
whose digests it has checked.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import attrs

from . import _model
from ._conditions import All, AnyOf, Compare, Not, parse
from ._model import Country
from ._situation import _Named

_CONDITIONS = (Compare, All, AnyOf, Not)

Decoder = Callable[[Any], Any]


class Refused(Exception):
    """The compiled file cannot be vouched for: read the TOML files instead."""


# -- encoding (build time) -----------------------------------------------------


def encode(value: Any) -> Any:
    """*value* (a Country or any part of it) as plain JSON values.

    Attributes equal to their default are left out; conditions are written
    in their table form, as in the data files.
    """
    if isinstance(value, _CONDITIONS):
        from ._convert import unparse

        return unparse(value)
    if attrs.has(type(value)):
        out: dict[str, Any] = {}
        for a in attrs.fields(type(value)):
            item = getattr(value, a.name)
            default = a.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default = default.factory()
            if default is not attrs.NOTHING and item == default:
                continue
            out[a.name] = encode(item)
        return out
    if isinstance(value, _Named):  # every _Named enum
        return value.value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(type(k) is str for k in value):
            raise TypeError(f"cannot compile a dict with non-string keys: {value!r}")
        return {k: encode(v) for k, v in value.items()}
    if value is None or type(value) in (str, bool, int):
        return value
    raise TypeError(f"cannot compile {type(value).__name__} {value!r}")


# -- decoding (run time) ---------------------------------------------------------


def _scalar(kind: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not kind:
            raise Refused(f"expected {kind.__name__}, got {value!r}")
        return value

    return decode


def _date(value: Any) -> dt.date:
    if type(value) is not str:
        raise Refused(f"expected a date, got {value!r}")
    return dt.date.fromisoformat(value)


def _condition(value: Any) -> Any:
    return parse(value)


def _enum(cls: type[Any]) -> Decoder:
    members = {m.value: m for m in cls}

    def decode(value: Any) -> Any:
        return members[value]

    return decode


def _optional(inner: Decoder) -> Decoder:
    def decode(value: Any) -> Any:
        return None if value is None else inner(value)

    return decode


def _tuple(inner: Decoder) -> Decoder:
    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Refused(f"expected a list, got {value!r}")
        return tuple([inner(v) for v in value])

    return decode


def _dict(inner: Decoder) -> Decoder:
    def decode(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise Refused(f"expected an object, got {value!r}")
        return {k: inner(v) for k, v in value.items()}

    return decode


class Decoders:
    """Decoders for every model class, derived from its field annotations.

    The model is written with ``from __future__ import annotations``, so
    each class keeps its annotations as the strings in the source.  The few forms
    the model uses — a name, ``X | None``, ``tuple[X, ...]`` and
    ``dict[str, X]`` — are read here directly: resolving them with
    :func:`typing.get_type_hints` would cost more than decoding a country.
    An annotation of any other form is refused, so a model change this
    module does not understand makes compiled files unusable (and the tests
    fail) rather than wrong.
    """

    def __init__(self) -> None:
        self.names: dict[str, Decoder] = {
            "str": _scalar(str),
            "bool": _scalar(bool),
            "int": _scalar(int),
            "dt.date": _date,
            "Condition": _condition,
        }
        self.classes: dict[type, Decoder] = {}
        self.shape: list[str] = []
        models = []
        for name in sorted(dir(_model)):
            obj = getattr(_model, name)
            if (
                not isinstance(obj, type)
                or name.startswith("_")
                or issubclass(obj, BaseException)  # errors it imports
            ):
                continue
            if attrs.has(obj):
                self.names[name] = self._lazy(obj)
                models.append(obj)
            elif issubclass(obj, _Named) and obj.__members__:
                self.names[name] = _enum(obj)
                self.shape.append(f"{name}=" + ",".join(m.value for m in obj))
        for cls in models:
            self.of(cls)
        self.root = self.classes[Country]

    def _lazy(self, cls: type) -> Decoder:
        def decode(value: Any) -> Any:
            return self.of(cls)(value)

        return decode

    def annotation(self, text: str) -> Decoder:
        text = text.strip()
        if text.endswith("| None"):
            return _optional(self.annotation(text[: -len("| None")]))
        if text.startswith("tuple[") and text.endswith(", ...]"):
            return _tuple(self.annotation(text[len("tuple[") : -len(", ...]")]))
        if text.startswith("dict[str, ") and text.endswith("]"):
            return _dict(self.annotation(text[len("dict[str, ") : -1]))
        try:
            return self.names[text]
        except KeyError:
            raise Refused(f"annotation {text!r} is not understood") from None

    def of(self, cls: type) -> Decoder:
        found = self.classes.get(cls)
        if found is not None:
            return found
        fields: dict[str, Decoder] = {}
        # The class's own annotations, as written (attrs' Attribute.type is
        # replaced by the resolved type once cattrs has seen the class).
        written = {  # the strings, the base classes' too; attrs imported inspect
            k: v
            for base in reversed(cls.__mro__)
            for k, v in inspect.get_annotations(base).items()
        }
        for a in attrs.fields(cls):
            text = written.get(a.name)
            if not isinstance(text, str):
                raise Refused(f"{cls.__name__}.{a.name}: annotation is not a string")
            fields[a.name] = self.annotation(text)
            self.shape.append(f"{cls.__name__}.{a.name}:{text}")

        def decode(value: Any) -> Any:
            if type(value) is not dict:
                raise Refused(f"expected an object for {cls.__name__}")
            return cls(**{k: fields[k](v) for k, v in value.items()})

        self.classes[cls] = decode
        return decode


_decoders: Decoders | None = None


def get_decoders() -> Decoders:
    global _decoders
    if _decoders is None:
        _decoders = Decoders()
    return _decoders


def decode(raw: Any) -> Country:
    """The Country that :func:`encode` turned into *raw*."""
    country = get_decoders().root(raw)
    assert isinstance(country, Country)
    return country
