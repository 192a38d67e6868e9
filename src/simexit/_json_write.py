"""The fast writer of :func:`simexit.to_json`: JSON assembled from fragments.

The reference form of a value is ``json.dumps(converter.unstructure(value),
sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` with the JSON
converter of :mod:`simexit._convert`.  This module writes the same bytes
without building the intermediate dicts, and without writing again what it
has written before:

1. **An encoder per type, derived from the class.**  For every attrs class
   an encoder is made once from ``attrs.fields`` and the resolved field
   types, in the order ``sort_keys`` gives (fields sorted by name), each
   field encoded by the encoder of its declared type, as cattrs dispatches
   on it.  Each encoder mirrors one hook of the converter (a ``str`` through
   the very escaping function ``json.dumps`` uses, a date as its ISO form,
   an enum as its value, a frozenset sorted, a dict's items sorted, …).  A
   field added to a class needs nothing here.
2. **The reference where unsure.**  A value of another type than the one an
   encoder expects, a type it does not know, a hook of the converter's own
   (``Text``, ``StaffNote``, conditions): that value is written the
   reference way, through the converter and ``json.dumps``.  JSON is
   written compositionally (each object's keys sorted on their own), so the
   bytes are the reference's either way; ``tests/test_json_fast.py`` proves
   it over generated plans, situations, model objects and hostile values.
3. **Fragments remembered.**  The memo layer returns the same Step, Notice,
   Excluded, Channel and Source objects for equal inputs, so the JSON of
   each frozen object met inside a value is kept, keyed by the object's
   identity, in a memo drawing on the process's one budget
   (:mod:`simexit._memo`).  The entry holds the object itself, so its id
   cannot be reused while the entry lives.  What a caller makes for each
   call (a Plan, its Situation and the Money in it) is written afresh every
   time: remembering it would keep every situation of a batch alive.
   A tuple of remembered frozen objects (a plan's steps, warnings,
   blockers, excluded) is remembered whole as well, by its own identity:
   the memo layer gives every plan of one key the very same tuples.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import operator
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from json.encoder import encode_basestring as _string
from typing import Any

import attrs

from ._convert import UNSTRUCTURE_HOOKS
from ._json_gen import Field, object_writer
from ._memo import BUDGET, Budget, Memo
from ._situation import Situation, _Named

Encode = Callable[[Any], str]

#: Written afresh on every call, with everything inside them (see above);
#: the value asked for (a Plan) is always written afresh, not what is in it.
PER_CALL: tuple[type, ...] = (Situation,)


@attrs.frozen
class _Frozen:
    """Only here for the ``__setattr__`` attrs gives every frozen class."""


_FROZEN_SETATTR: Any = _Frozen.__setattr__


def _dumps(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def reference(value: Any, conv: Any, as_: Any = None) -> str:
    """*value* as the converter and ``json.dumps`` write it."""
    return _dumps(
        conv.unstructure(value) if as_ is None else conv.unstructure(value, as_)
    )


def _optional_arg(type_: Any) -> Any:
    """X for ``X | None`` (cattrs' optional), else None."""
    args = typing.get_args(type_)
    if len(args) == 2 and type(None) in args:
        return args[0] if args[1] is type(None) else args[1]
    return None


class Writer:
    """Encoders of one converter's JSON, made per type on first use."""

    def __init__(self, conv: Any, schema_version: int, budget: Budget = BUDGET):
        self.conv = conv
        self.schema_version = schema_version
        self.budget = budget
        #: One memo per frozen class: an entry found for an id is then the
        #: fragment of that very object *as its class* (see _attrs).
        self._memos: dict[type, Memo] = {}
        self._types: dict[tuple[Any, bool], Encode] = {}
        self._bodies: dict[tuple[type, bool, bool], Encode | None] = {}
        self._tops: dict[type, Encode] = {}
        self._building: set[tuple[type, bool, bool]] = set()
        self._string = _strings(self._fallback(str))

    def dumps(self, obj: Any) -> str:
        """*obj* as JSON, ``schema_version`` at the top level if an object."""
        cls = type(obj)
        top = self._tops.get(cls)
        if top is None:
            top = self._tops[cls] = self._top(cls)
        return top(obj)

    def _top(self, cls: type) -> Encode:
        """The writer of a *cls* asked for: its members and schema_version."""
        found = self._object(cls, False, top=True) if self._plain_attrs(cls) else None
        return self._top_reference if found is None else found

    def _top_reference(self, obj: Any) -> str:
        data = self.conv.unstructure(obj)
        if isinstance(data, dict):
            data = {"schema_version": self.schema_version, **data}
        return _dumps(data)

    # -- one encoder per type --------------------------------------------

    def encoder(self, type_: Any, fresh: bool = False) -> Encode:
        """The encoder of values declared *type_* (*fresh*: never memoised)."""
        key = (type_, fresh)
        found = self._types.get(key)
        if found is None:
            try:
                found = self._make(type_, fresh)
            except Exception:  # a type this module cannot derive an encoder for
                found = self._fallback(type_)
            self._types[key] = found
        return found

    def _fallback(self, type_: Any) -> Encode:
        conv = self.conv
        as_ = None if type_ is None or type_ is Any else type_
        return lambda value: reference(value, conv, as_)

    def _make(self, type_: Any, fresh: bool) -> Encode:
        fallback = self._fallback(type_)
        try:
            hook = UNSTRUCTURE_HOOKS.get(type_)
        except TypeError:  # an unhashable annotation
            return fallback
        if hook is not None:
            return lambda value: _dumps(hook(value))
        if type_ is type(None):
            return lambda value: "null" if value is None else fallback(value)
        if type_ is str:
            return self._string
        scalar = _SCALARS.get(type_) if isinstance(type_, type) else None
        if scalar is not None:
            return scalar(fallback)
        if isinstance(type_, type) and issubclass(type_, _Named):
            return _enum(type_, fallback)
        if self._plain_attrs(type_):
            return self._attrs(type_, fresh or issubclass(type_, PER_CALL), fallback)
        origin = typing.get_origin(type_)
        args = typing.get_args(type_)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return self._tuple(self.encoder(args[0], fresh), fallback)
        if origin is frozenset or type_ is frozenset:
            return _frozenset(fallback)
        if origin is dict and len(args) == 2 and args[0] is str:
            return _dict(self.encoder(args[1], fresh), fallback)
        if origin is typing.Union or origin is types.UnionType:
            return self._union(type_, fresh, fallback)
        return fallback

    def _union(self, type_: Any, fresh: bool, fallback: Encode) -> Encode:
        other = _optional_arg(type_)
        if other is not None:  # cattrs: the hook of X, or None
            inner = self.encoder(other, fresh)
            return lambda value: "null" if value is None else inner(value)
        # cattrs: the hook of the value's own class
        by_class = {
            a: self.encoder(a, fresh)
            for a in typing.get_args(type_)
            if isinstance(a, type)
        }
        conv = self.conv

        def encode(value: Any) -> str:
            found = by_class.get(type(value))
            return reference(value, conv) if found is None else found(value)

        return encode

    def _tuple(self, item: Encode, fallback: Encode) -> Encode:
        memo: Memo | None = getattr(item, "memo", None)
        if memo is not None:
            return _remembered_items(memo, self.budget.memo(), item, fallback)
        if item is self._string:

            def strings(value: Any) -> str:
                if type(value) is tuple:
                    try:
                        return "[" + ",".join(map(_string, value)) + "]"
                    except TypeError:  # an item that is not a str
                        pass
                return fallback(value)

            return strings

        def items(value: Any) -> str:
            if type(value) is tuple:
                return "[" + ",".join([item(v) for v in value]) + "]"
            return fallback(value)

        return items

    # -- attrs classes ----------------------------------------------------

    @staticmethod
    def _plain_attrs(cls: Any) -> bool:
        """An attrs class cattrs unstructures with its generated code."""
        return (
            isinstance(cls, type)
            and attrs.has(cls)
            and cls not in UNSTRUCTURE_HOOKS
            and not typing.get_args(cls)
        )

    def _object(self, cls: type, fresh: bool, top: bool = False) -> Encode | None:
        """The generated writer of a *cls* (see :mod:`simexit._json_gen`):
        its fields' names (not their aliases, as cattrs writes them) in
        sorted order, without those ``__init__`` does not set, and with
        ``schema_version`` among them if *top*; None if its fields' types
        cannot be resolved."""
        key = (cls, fresh, top)
        if key in self._bodies:
            return self._bodies[key]
        try:
            attrs.resolve_types(cls)
        except Exception:  # an annotation naming what does not exist
            self._bodies[key] = None
            return None
        by_name = {a.name: a for a in attrs.fields(cls) if a.init}
        names = sorted(by_name)
        inner = fresh or issubclass(cls, PER_CALL)
        self._building.add(key)  # a class holding itself is not inlined
        try:
            fields = [self._field(n, by_name[n].type, inner) for n in names]
        finally:
            self._building.discard(key)
        extra = None
        if top and "schema_version" not in by_name:  # else the object's own wins
            at = bisect.bisect(names, "schema_version")
            extra = (at, f'"schema_version":{self.schema_version}')
        found = self._bodies[key] = object_writer(cls.__qualname__, fields, extra)
        return found

    def _field(self, name: str, type_: Any, fresh: bool) -> Field:
        """How the generated writer writes a field declared *type_*."""
        inner = _optional_arg(type_)
        optional = inner is not None
        base: Any = inner if optional else type_
        # cattrs: an optional is None, or written as the other type
        encode = self.encoder(base, fresh)
        kind = _KINDS.get(base, "call") if isinstance(base, type) else "call"
        memo = getattr(encode, "items_memo", None)
        if (
            memo is not None and not optional
        ):  # a tuple of frozen objects, fragments remembered
            whole = encode.whole_memo  # type: ignore[attr-defined]
            return Field(name, "items", False, encode, memo=memo, whole=whole)
        if isinstance(base, type) and issubclass(base, _Named):
            table = _enum_table(base)
            if optional:
                table[id(None)] = "null"
            return Field(name, "enum", optional, encode, table)
        written_fresh: Any = getattr(encode, "fresh_class", None)
        if self._plain_attrs(base) and written_fresh is base:
            inner_fresh = fresh or issubclass(written_fresh, PER_CALL)
            if (base, inner_fresh, False) not in self._building:
                write = self._object(written_fresh, inner_fresh)
                if write is not None:  # written inline: a Situation's Money
                    return Field(
                        name, "object", optional, encode, cls=base, write=write
                    )
        return Field(name, kind, optional, encode)

    def _attrs(self, cls: type, fresh: bool, fallback: Encode) -> Encode:
        """The encoder of a field declared *cls*: a value of exactly *cls*
        as its members, remembered by identity if *cls* is frozen."""
        writer = self

        def write(value: Any) -> str:
            found = writer._object(cls, fresh)
            return fallback(value) if found is None else found(value)

        setattr_: Any = cls.__setattr__
        if fresh or setattr_ is not _FROZEN_SETATTR:

            def fresh_value(value: Any) -> str:
                return write(value) if type(value) is cls else fallback(value)

            fresh_value.fresh_class = cls  # type: ignore[attr-defined]  # see _field
            return fresh_value
        memo = self._memos.get(cls)
        if memo is None:
            memo = self._memos[cls] = self.budget.memo()

        def remembered(value: Any) -> str:
            if type(value) is not cls:
                return fallback(value)
            key = id(value)
            entry = memo.new.get(key) or memo.recall(key)
            if entry is None:
                entry = (write(value), value)
                memo.put(key, entry)
            return entry[0]  # type: ignore[no-any-return]

        remembered.memo = memo  # type: ignore[attr-defined]  # see _tuple
        return remembered


def _remembered_items(
    memo: Memo, whole: Memo, item: Encode, fallback: Encode
) -> Encode:
    """A tuple of frozen objects: when every item's fragment is remembered,
    they are looked up and joined at C speed, without a call per item.

    The fragment of the whole tuple is then remembered too, in *whole*, by
    the tuple's identity (the entry holds the tuple): the memo layer hands
    the same tuples of steps, notices and excluded steps to every plan of
    one key, so a warm plan's lists are one lookup each.  Only a tuple whose
    every item is a remembered frozen object is: nothing in it can change.
    """

    def encode(value: Any) -> str:
        found = whole.new.get(id(value)) or whole.recall(id(value))
        if found is not None:
            return found[0]  # type: ignore[no-any-return]
        if type(value) is not tuple:
            return fallback(value)
        entries: list[Any] = list(map(memo.new.get, map(id, value)))
        if None in entries:
            return "[" + ",".join([item(v) for v in value]) + "]"
        text = "[" + ",".join(map(_FRAGMENT, entries)) + "]"
        whole.put(id(value), (text, value))
        return text

    encode.items_memo = memo  # type: ignore[attr-defined]  # see _field
    encode.whole_memo = whole  # type: ignore[attr-defined]  # see _field
    return encode


_FRAGMENT = operator.itemgetter(0)


def _dict(item: Encode, fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        if type(value) is dict:
            try:
                return (
                    "{"
                    + ",".join(
                        [_string(k) + ":" + item(v) for k, v in sorted(value.items())]
                    )
                    + "}"
                )
            except TypeError:  # a key that is not a str
                pass
        return fallback(value)

    return encode


# -- the converter's scalar hooks, mirrored ---------------------------------


def _strings(fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        """A str as ``json.dumps`` writes it, with the very same function."""
        try:
            return _string(value)
        except TypeError:  # not a str
            return fallback(value)

    return encode


def _bool(fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        if value is True:
            return "true"
        if value is False:
            return "false"
        return fallback(value)

    return encode


def _int(fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        return int.__repr__(value) if type(value) is int else fallback(value)

    return encode


def _date(fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        if type(value) is dt.date:
            return '"' + value.isoformat() + '"'
        return fallback(value)

    return encode


def _decimal(fallback: Encode) -> Encode:
    def encode(value: Any) -> str:
        if type(value) is Decimal:
            return '"' + str(value) + '"'  # digits, ".", "-", "E", "+", letters
        return fallback(value)

    return encode


#: The declared types the generated writers write inline.
_KINDS: dict[type, str] = {str: "str", bool: "bool", int: "int", dt.date: "date"}

_SCALARS: dict[type, Callable[[Encode], Encode]] = {
    bool: _bool,
    int: _int,
    dt.date: _date,
    Decimal: _decimal,
}


def _enum_table(cls: type[_Named]) -> dict[int, str]:
    """Each member's fragment by its id: members live for ever, so their ids
    are never another object's."""
    return {id(m): _string(m.value) for m in cls if type(m.value) is str}


def _enum(cls: type[_Named], fallback: Encode) -> Encode:
    written = _enum_table(cls)

    def encode(value: Any) -> str:
        found = written.get(id(value))
        return fallback(value) if found is None else found

    return encode


def _frozenset(fallback: Encode) -> Encode:
    """The converter writes a set as its sorted list."""

    def encode(value: Any) -> str:
        if type(value) is frozenset:
            try:
                return "[" + ",".join(map(_string, sorted(value))) + "]"
            except TypeError:  # items that do not sort, or are not str
                pass
        return fallback(value)

    return encode
