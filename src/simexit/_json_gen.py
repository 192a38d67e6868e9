"""Generated writers of attrs classes for the fast JSON writer.

As cattrs does for its converters, the writer of each class is the source
of one straight-line Python function made from the class definition alone
(its fields' names, in sorted order, and how each field's declared type is
written), compiled once.  Nothing from data ever reaches the source: every
key and every value it needs (the encoders of each field, the fragments of
an enum's members) is a name bound in the function's own namespace, and
field names are Python identifiers (attrs makes them attributes).

A field is written inline when its declared type is one of the common ones
(``str``, ``bool``, ``int``, a date, an enum, or one of them or ``None``)
and its value is of exactly that type; anything else calls the field's
encoder, which knows every other case (see :mod:`simexit._json_write`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any, NamedTuple


class Field(NamedTuple):
    """One field of a class, as the generated writer writes it."""

    name: str
    #: ``str``, ``bool``, ``int``, ``date``, ``enum``, ``items``, ``object``
    #: or ``call``.
    kind: str
    optional: bool
    #: What writes any value of the field's declared type.
    encode: Callable[[Any], str]
    #: For an enum, ``id(member) -> fragment`` (and ``id(None)`` if optional).
    table: dict[int, str] | None = None
    #: For ``items`` (a tuple of frozen objects), the memo of their fragments
    #: and that of whole tuples' fragments (by the tuple's id).
    memo: Any = None
    whole: Any = None
    #: For ``object`` (an attrs object written afresh), its class and writer.
    cls: type | None = None
    write: Callable[[Any], str] | None = None


_INLINE = {
    "str": "_string(v) if type(v) is str else {call}",
    "bool": '"true" if v is True else "false" if v is False else {call}',
    "int": "_int(v) if type(v) is int else {call}",
    "date": "'\"' + v.isoformat() + '\"' if type(v) is _date else {call}",
    "enum": "{table}.get(id(v)) or {call}",
    "object": "w{i}(v) if type(v) is C{i} else {call}",
    "call": "{call}",
}


def _expression(i: int, field: Field) -> str:
    call = f"e{i}(v)"
    expr = _INLINE[field.kind].format(call=call, table=f"t{i}", i=i)
    if field.optional and field.kind != "enum":  # the enum's table has None
        expr = f'"null" if v is None else {expr}'
    return expr


#: A tuple of remembered fragments: its whole fragment, found by its id,
#: else its encoder (which makes it, and remembers it if it can).
_ITEMS = """\
    w = W{i}.new.get(id(v))
    a{i} = w[0] if w is not None else e{i}(v)"""


def object_writer(
    qualname: str, fields: Sequence[Field], extra: tuple[int, str] | None = None
) -> Callable[[Any], str]:
    """A function writing an object with *fields* (sorted by name) as JSON;
    *extra* is a constant member (its position, its text) written among
    them, such as ``schema_version``.

    A tuple of remembered fragments (kind ``items``) is written as the
    remembered fragment of the whole tuple (by its identity, see
    :func:`simexit._json_write._remembered_items`), made and remembered
    the first time every item's fragment is remembered.
    """
    namespace: dict[str, Any] = {
        "_string": encode_basestring,
        "_int": int.__repr__,
        "_date": dt.date,
    }
    members: list[tuple[str, int | None]] = [
        (encode_basestring(f.name) + ":", i) for i, f in enumerate(fields)
    ]
    if extra is not None:
        members.insert(extra[0], (extra[1], None))
    lines = ["def write(o):"]
    pieces: list[str] = []
    for n, (text, i) in enumerate(members):
        prefix = ("{" if n == 0 else ",") + text
        if i is None:
            namespace["x"] = prefix
            pieces.append("{x}")
            continue
        field = fields[i]
        namespace.update({f"e{i}": field.encode, f"t{i}": field.table})
        namespace.update({f"C{i}": field.cls, f"w{i}": field.write})
        namespace.update({f"c{i}": prefix, f"W{i}": field.whole})
        lines.append(f"    v = o.{field.name}")
        if field.kind == "items":
            lines.append(_ITEMS.format(i=i))
        else:
            lines.append(f"    a{i} = {_expression(i, field)}")
        pieces.append(f"{{c{i}}}{{a{i}}}")
    # One f-string: the result is built in one go, whatever its length.
    end = "}}" if members else "{{}}"
    lines.append(f"    return f'{''.join(pieces)}{end}'")
    source = "\n".join(lines) + "\n"
    code = compile(source, f"<simexit JSON writer {qualname}>", "exec")
    exec(code, namespace)  # source made from the class definition only
    write: Callable[[Any], str] = namespace["write"]
    return write


class ReadField(NamedTuple):
    """One field of a class, as the generated reader reads it."""

    name: str
    alias: str
    #: ``str``, ``bool``, ``int``, ``date``, ``enum`` or ``call``.
    kind: str
    optional: bool
    #: What reads any value of the field's declared type (or raises).
    decode: Callable[[Any], Any]
    #: For an enum, ``value -> member``.
    table: dict[str, Any] | None = None


_READ_INLINE = {
    "str": "v if type(v) is str else _miss()",
    "bool": "v if type(v) is bool else _miss()",
    "int": "v if type(v) is int else _miss()",
    "date": "_date(v) if type(v) is str else _miss()",
    "enum": "{table}.get(v) or _miss()",
    "call": "{call}",
}


def _miss() -> Any:
    from ._json_read import Miss

    raise Miss


def object_reader(
    cls: type, fields: Sequence[ReadField], slow: Callable[[Any], Any]
) -> Callable[[Any], Any]:
    """A function reading a *cls* from a dict holding every one of its
    *fields* and nothing else (what ``to_json`` writes) in straight-line
    code; any other dict goes to *slow*.  Raises on any value the converter
    would not accept as it is."""
    namespace: dict[str, Any] = {
        "_cls": cls,
        "_slow": slow,
        "_miss": _miss,
        "_date": dt.date.fromisoformat,
    }
    lines = [
        "def read(d):",
        f"    if type(d) is not dict or len(d) != {len(fields)}:",
        "        return _slow(d)",
    ]
    arguments = []
    for i, field in enumerate(fields):
        namespace[f"k{i}"] = field.name
        namespace[f"r{i}"] = field.decode
        namespace[f"t{i}"] = field.table
        expr = _READ_INLINE[field.kind].format(call=f"r{i}(v)", table=f"t{i}")
        if field.optional:
            expr = f"None if v is None else {expr}"
        lines.append(f"    v = d[k{i}]")  # KeyError: not every field is there
        lines.append(f"    a{i} = {expr}")
        arguments.append(f"{field.alias}=a{i}")
    lines.append(f"    return _cls({', '.join(arguments)})")
    source = "\n".join(lines) + "\n"
    code = compile(source, f"<simexit JSON reader {cls.__qualname__}>", "exec")
    exec(code, namespace)  # source made from the class definition only
    read: Callable[[Any], Any] = namespace["read"]
    return read
