"""The cattrs converters: strict scalars, no unknown keys, readable errors.

cattrs is lenient by default: it turns ``"false"`` into ``True``, ``5.9``
into ``5`` and a string into a tuple of characters.  The hooks here refuse
all of that, and :func:`problems_of` turns cattrs' nested exceptions into
``(key path, message)`` pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from ._conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    ConditionError,
    Not,
    _did_you_mean,
    parse,
)
from ._model import StaffNote, Text
from ._situation import Money, _Named, parse_plain_decimal


class PathError(Exception):
    """A structuring error that already knows its (relative path, message)s."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems


_TYPE_WORDS = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    dt.date: "a date (YYYY-MM-DD)",
}


def _got(value: Any) -> str:
    return f"got {type(value).__name__} {value!r}"


def _fail(value: Any, expected: str) -> PathError:
    return PathError([("", f"{_got(value)}, expected {expected}")])


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def hook(value: Any, _: Any) -> Any:
        if type(value) is kind:  # bool is not int, datetime is not date
            return value
        raise _fail(value, _TYPE_WORDS[kind])

    return hook


def _date_from_json(value: Any, _: Any) -> dt.date:
    if type(value) is dt.date:
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(value, "a date (YYYY-MM-DD)")


def _decimal(value: Any, _: Any) -> Decimal:
    number = parse_plain_decimal(value) if type(value) is str else None
    if number is not None:
        return number
    raise _fail(value, 'a plain decimal number as a string, such as "4.50"')


def _enum_hook(value: Any, cls: type[_Named]) -> _Named:
    if isinstance(value, str):
        for member in cls:
            if member.value == value:
                return member
    raise _fail(value, cls.allowed())


def _tuple_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(type_: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        args = get_args(type_)
        item = args[0] if args else Any

        def hook(value: Any, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise _fail(value, "a list")
            out: list[Any] = []
            problems: list[tuple[str, str]] = []
            for i, v in enumerate(value):
                try:
                    out.append(conv.structure(v, item))
                except Exception as e:
                    problems.extend((f"[{i}]{p}", m) for p, m in problems_of(e))
            if problems:
                raise PathError(problems)
            return tuple(out)

        return hook

    return factory


def _dict_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def factory(type_: Any) -> Callable[[Any, Any], dict[str, Any]]:
        args = get_args(type_)
        item = args[1] if len(args) == 2 else Any

        def hook(value: Any, _: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _fail(value, "a table")
            out: dict[str, Any] = {}
            problems: list[tuple[str, str]] = []
            for k, v in value.items():
                if not isinstance(k, str):
                    problems.append(("", f"{_got(k)}, expected string keys"))
                    continue
                try:
                    out[k] = conv.structure(v, item)
                except Exception as e:
                    problems.extend((f".{k}{p}", m) for p, m in problems_of(e))
            if problems:
                raise PathError(problems)
            return out

        return hook

    return factory


_CONDITION_TYPES = frozenset({Compare, All, AnyOf, Not})


def _is_condition(type_: Any) -> bool:
    args = set(get_args(type_))
    return bool(args) and args >= _CONDITION_TYPES


def _condition_hook(value: Any, type_: Any) -> Condition | None:
    if value is None and type(None) in get_args(type_):
        return None
    try:
        return parse(value)
    except ConditionError as e:
        raise PathError([(f".{p}" if p else "", m) for p, m in e.problems]) from None


def unparse(cond: Condition) -> dict[str, Any]:
    """The table form of *cond*: ``parse(unparse(c)) == c``."""
    if isinstance(cond, Compare):
        value = cond.value
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        return {"field": cond.field, cond.op: value}
    if isinstance(cond, Not):
        return {"not": unparse(cond.item)}
    key = "all" if isinstance(cond, All) else "any"
    return {key: [unparse(c) for c in cond.items]}


def _frozenset_factory(conv: cattrs.Converter) -> Callable[[Any], Any]:
    """A set read from a list, each item as its type says (for the sorted
    lists that :func:`make_converter` writes sets as)."""
    tuples = _tuple_factory(conv)

    def factory(type_: Any) -> Callable[[Any, Any], frozenset[Any]]:
        item: Any = get_args(type_)[0] if get_args(type_) else Any
        items = tuples(tuple[item, ...])

        def hook(value: Any, _: Any) -> frozenset[Any]:
            return frozenset(items(value, None))

        return hook

    return factory


def _origin(type_: Any) -> Any:
    return get_origin(type_)


def make_converter(*, json: bool) -> cattrs.Converter:
    """A strict converter: for data files (``json=False``) or for JSON."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(str, _strict(str))
    conv.register_structure_hook(bool, _strict(bool))
    conv.register_structure_hook(int, _strict(int))
    conv.register_structure_hook(dt.date, _date_from_json if json else _strict(dt.date))
    conv.register_unstructure_hook(dt.date, lambda d: d.isoformat())
    conv.register_structure_hook(Decimal, _decimal)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, _Named), _enum_hook
    )
    conv.register_unstructure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, _Named), lambda e: e.value
    )
    conv.register_structure_hook_factory(
        lambda t: _origin(t) is tuple, _tuple_factory(conv)
    )
    conv.register_structure_hook_factory(
        lambda t: _origin(t) is dict, _dict_factory(conv)
    )
    # A set (Situation.accounts) is a JSON list, written sorted.
    conv.register_structure_hook_factory(
        lambda t: _origin(t) is frozenset, _frozenset_factory(conv)
    )
    conv.register_unstructure_hook_func(
        lambda t: t is frozenset or _origin(t) is frozenset, lambda v: sorted(v)
    )
    conv.register_structure_hook_func(_is_condition, _condition_hook)
    for type_, unstructure in UNSTRUCTURE_HOOKS.items():
        conv.register_unstructure_hook(type_, unstructure)
    conv.register_structure_hook(Text, _text)
    conv.register_structure_hook(Money, _money_hook(conv))
    conv.register_structure_hook(StaffNote, _staff_note)
    return conv


def _text_table(text: Text) -> dict[str, str]:
    return dict(text.texts)


def _staff_note_table(note: StaffNote) -> dict[str, Any]:
    return {**note.sentences, "reviewed": note.reviewed}


#: The attrs classes (and the union of conditions) that are unstructured by
#: a hook of ours rather than by cattrs' generated code; the fast JSON
#: writer (:mod:`simexit._json_write`) calls the same hooks.
UNSTRUCTURE_HOOKS: dict[Any, Callable[[Any], Any]] = {
    Condition: unparse,
    Compare: unparse,
    All: unparse,
    AnyOf: unparse,
    Not: unparse,
    Text: _text_table,
    StaffNote: _staff_note_table,
}

#: The attrs classes structured by a hook of ours (registered by class, so
#: cattrs prefers it to its generated code); the fast JSON reader
#: (:mod:`simexit._json_read`) leaves them to the converter.
STRUCTURE_HOOKED: frozenset[type] = frozenset({Text, Money, StaffNote})


_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _text(value: Any, _: Any) -> Text:
    """``{ en = "…", <tag> = "…", … }``: English required, locales known."""
    from . import _locales

    if not isinstance(value, dict):
        raise _fail(value, "a table of locale = text, with en")
    problems: list[tuple[str, str]] = []
    for key, text in value.items():
        if not _locales.is_supported(key):
            problems.append(
                (
                    f".{key}",
                    f"unknown key{_locales.did_you_mean(key)}, "
                    f"expected one of: {', '.join(_locales.tags())}",
                )
            )
        elif type(text) is not str:
            problems.append((f".{key}", f"{_got(text)}, expected a string"))
    if _locales.ENGLISH not in value:
        problems.append((f".{_locales.ENGLISH}", "required key missing"))
    if problems:
        raise PathError(problems)
    return Text(texts=dict(value))


def _staff_note(value: Any, _: Any) -> StaffNote:
    """``{ <language> = "sentence", …, reviewed = false }``."""
    if not isinstance(value, dict):
        raise _fail(value, "a table of language = sentence, and reviewed")
    problems: list[tuple[str, str]] = []
    sentences: dict[str, str] = {}
    reviewed = value.get("reviewed", False)
    if type(reviewed) is not bool:
        problems.append((".reviewed", f"{_got(reviewed)}, expected true or false"))
    for key, text in value.items():
        if key == "reviewed":
            continue
        if not (isinstance(key, str) and _LANGUAGE.match(key)):
            problems.append(
                (
                    f".{key}",
                    "expected an ISO 639 language code such as az, ru or kk, or reviewed",
                )
            )
        elif not isinstance(text, str) or not text.strip():
            problems.append((f".{key}", f"{_got(text)}, expected a non-empty sentence"))
        else:
            sentences[key] = text
    if not sentences and not problems:
        problems.append(("", "expected at least one language = sentence"))
    if problems:
        raise PathError(problems)
    return StaffNote(sentences=dict(sorted(sentences.items())), reviewed=reviewed)


def _money_hook(conv: cattrs.Converter) -> Callable[[Any, Any], Money]:
    def hook(value: Any, _: Any) -> Money:
        if not isinstance(value, dict) or set(value) != {"amount", "currency"}:
            raise _fail(value, "a table with amount and currency")
        if not isinstance(value["amount"], str):
            raise PathError(
                [(".amount", f"{_got(value['amount'])}, expected a decimal string")]
            )
        return Money(value["amount"], value["currency"])

    return hook


def problems_of(exc: BaseException) -> Iterator[tuple[str, str]]:
    """Flatten a cattrs exception into ``(relative key path, message)`` pairs."""
    if isinstance(exc, PathError):
        yield from exc.problems
    elif isinstance(exc, ClassValidationError):
        with_notes, without = exc.group_exceptions()
        for e, note in with_notes:
            name = getattr(note, "name", "?")
            for p, m in problems_of(e):
                yield f".{name}{p}", m
        for e in without:
            yield from problems_of(e)
    elif isinstance(exc, IterableValidationError):
        indexed, rest = exc.group_exceptions()
        for err, inote in indexed:
            for p, m in problems_of(err):
                yield f"[{inote.index!r}]{p}", m
        for e in rest:
            yield from problems_of(e)
    elif isinstance(exc, ForbiddenExtraKeysError):
        allowed = sorted(a.name for a in attrs.fields(exc.cl))
        if "id" in allowed:
            allowed.remove("id")  # given by the table's name
        for key in sorted(exc.extra_fields):
            yield (
                f".{key}",
                (
                    f"unknown key{_did_you_mean(key, allowed)}, "
                    f"expected one of: {', '.join(allowed)}"
                ),
            )
    elif isinstance(exc, KeyError):
        yield "", "required key missing"
    else:
        yield "", str(exc) or type(exc).__name__
