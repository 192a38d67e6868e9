"""The fast reader of :func:`simexit.from_json`: the happy path only.

The reference reader is the JSON converter of :mod:`simexit._convert`,
with detailed validation: it checks every value, collects every problem and
says where each is.  Most JSON handed to ``from_json`` is what ``to_json``
wrote, and for it that care is wasted.  This reader is derived from the
same classes (``attrs.fields`` and the resolved field types, a decoder per
type made once) and mirrors each hook of the converter for the values it
accepts, but it only accepts: the first value that is not exactly what the
converter would accept without complaint (a key too many or missing, a
value of another type, a date that does not parse, a class whose
``__init__`` refuses its arguments) raises, and ``from_json`` then reads
the whole document again the reference way, which gives the result or the
error it always gave.  Types it does not know, and classes structured by a
hook of the converter (``Text``, ``Money``, ``StaffNote``, conditions), are
read by the converter's own hook for that type.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from ._convert import STRUCTURE_HOOKED, _decimal, _is_condition
from ._json_gen import ReadField, object_reader
from ._model import Text
from ._situation import _Named

Decode = Callable[[Any], Any]


class Miss(Exception):
    """The fast reader does not accept this document (the reference decides)."""


def _str(value: Any) -> Any:
    if type(value) is str:
        return value
    raise Miss


def _bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    raise Miss


def _int(value: Any) -> Any:
    if type(value) is int:
        return value
    raise Miss


def _date(value: Any) -> dt.date:
    if type(value) is str:
        return dt.date.fromisoformat(value)  # ValueError: the reference decides
    raise Miss


def _decimal_of(value: Any) -> Decimal:
    return _decimal(value, None)


_SCALARS: dict[Any, Decode] = {
    str: _str,
    bool: _bool,
    int: _int,
    dt.date: _date,
    Decimal: _decimal_of,
}


#: The declared types the generated readers read inline.
_KINDS: dict[type, str] = {str: "str", bool: "bool", int: "int", dt.date: "date"}


class Reader:
    """Decoders of one converter's JSON, made per type on first use."""

    def __init__(self, conv: Any) -> None:
        from . import _locales

        self.conv = conv
        self._types: dict[Any, Decode] = {}
        self._tags = frozenset(_locales.tags())

    def decoder(self, type_: Any) -> Decode:
        """What reads a value declared *type_*, or raises."""
        try:
            found = self._types.get(type_)
        except TypeError:  # an unhashable annotation
            return self._hook(type_)
        if found is None:
            try:
                found = self._make(type_)
            except Exception:  # a type this module cannot derive a decoder for
                found = self._hook(type_)
            self._types[type_] = found
        return found

    def _text(self, value: Any) -> Text:
        """The converter's ``_text``, for the texts it accepts: a table of
        supported locale tags, with en, each a str."""
        if type(value) is dict and "en" in value:
            tags = self._tags
            for key, text in value.items():
                if type(text) is not str or key not in tags:
                    raise Miss
            return Text(texts=dict(value))
        raise Miss

    def _hook(self, type_: Any) -> Decode:
        """The converter's own hook for *type_* (exactly the reference)."""
        hook = self.conv.get_structure_hook(type_)
        return lambda value: hook(value, type_)

    def _make(self, type_: Any) -> Decode:
        scalar = _SCALARS.get(type_)
        if scalar is not None:
            return scalar
        if isinstance(type_, type):
            if issubclass(type_, _Named):
                return _enum(type_)
            if type_ is Text:
                return self._text
            if any(issubclass(type_, c) for c in STRUCTURE_HOOKED):
                return self._hook(type_)
            if attrs.has(type_):
                return self._attrs(type_)
            return self._hook(type_)
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if _is_condition(type_):
            return self._hook(type_)
        if origin is tuple:
            return _tuple(self.decoder(args[0] if args else Any))
        if origin is frozenset:
            items = _tuple(self.decoder(args[0] if args else Any))
            return lambda value: frozenset(items(value))
        if origin is dict and len(args) == 2:
            return _dict(self.decoder(args[1]))
        union = origin is typing.Union or origin is types.UnionType
        if union and len(args) == 2 and type(None) in args:
            other = args[0] if args[1] is type(None) else args[1]
            return _optional(self.decoder(other))
        return self._hook(type_)

    def _attrs(self, cls: type) -> Decode:
        """A *cls* from a dict with exactly its keys (its fields' names;
        those with a default may be left out), each read as its declared
        type, then ``cls(**arguments)`` by the fields' aliases."""
        attrs.resolve_types(cls)
        fields = attrs.fields(cls)
        if not all(a.init for a in fields):
            return self._hook(cls)
        specs = tuple(
            (a.name, a.alias, self.decoder(a.type), a.default is attrs.NOTHING)
            for a in fields
        )

        def decode(value: Any) -> Any:
            if type(value) is not dict:
                raise Miss
            arguments = {}
            for name, alias, read, required in specs:
                if name in value:
                    arguments[alias] = read(value[name])
                elif required:
                    raise Miss
            if len(arguments) != len(value):  # a key that is not a field
                raise Miss
            return cls(**arguments)

        return object_reader(cls, [self._field(a) for a in fields], decode)

    def _field(self, a: Any) -> ReadField:
        """How the generated reader reads the field *a*."""
        decode = self.decoder(a.type)
        args = typing.get_args(a.type)
        optional = len(args) == 2 and type(None) in args and not _is_condition(a.type)
        base = (args[0] if args[1] is type(None) else args[1]) if optional else a.type
        if optional:  # cattrs: None, or the value read as the other type
            decode = self.decoder(base)
        if isinstance(base, type) and issubclass(base, _Named):
            table = {m.value: m for m in base}
            return ReadField(a.name, a.alias, "enum", optional, decode, table)
        kind = _KINDS.get(base, "call") if isinstance(base, type) else "call"
        return ReadField(a.name, a.alias, kind, optional, decode)


def _enum(cls: type[_Named]) -> Decode:
    members = {m.value: m for m in cls}

    def decode(value: Any) -> Any:
        if type(value) is str:
            found = members.get(value)
            if found is not None:
                return found
        raise Miss

    return decode


def _tuple(item: Decode) -> Decode:
    if item is _str:

        def strings(value: Any) -> tuple[Any, ...]:
            if type(value) is list:
                for v in value:
                    if type(v) is not str:
                        raise Miss
                return tuple(value)
            raise Miss

        return strings

    def items(value: Any) -> tuple[Any, ...]:
        if type(value) is list:
            return tuple([item(v) for v in value])
        raise Miss

    return items


def _dict(item: Decode) -> Decode:
    def decode(value: Any) -> dict[str, Any]:
        if type(value) is dict:
            out = {k: item(v) for k, v in value.items()}
            if all(type(k) is str for k in out):
                return out
        raise Miss

    return decode


def _optional(inner: Decode) -> Decode:
    return lambda value: None if value is None else inner(value)
