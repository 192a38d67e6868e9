"""JSON Schemas, generated from the attrs classes themselves.

``plan_schema()`` describes what :func:`simexit.to_json` writes for a Plan;
``data_schema()`` describes each kind of data-package file (TOML read as
JSON: dates are ``YYYY-MM-DD`` strings).  Both are generated, never written
by hand, so they cannot drift from the model.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal
from typing import Any, Union, get_args, get_origin

import attrs

from ._conditions import FIELDS, OPERATORS
from ._files import SLUG_PATTERN
from ._json import SCHEMA_VERSION
from ._model import (
    Channel,
    Claim,
    Fact,
    NoticeDefinition,
    Operator,
    PackageInfo,
    Precondition,
    Procedure,
    Rule,
    Source,
    StaffNote,
    StepDefinition,
    Text,
    Vocabulary,
    Window,
)
from ._plan import Plan
from ._situation import SERVICES, Situation, _Named

_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _text_schema() -> dict[str, Any]:
    from . import _locales

    return {
        "description": "A text by locale: English required, the others optional.",
        "type": "object",
        "properties": {tag: {"type": "string"} for tag in _locales.tags()},
        "required": [_locales.ENGLISH],
        "additionalProperties": False,
    }


class _Builder:
    def __init__(self, *, omit_ids: bool) -> None:
        self.defs: dict[str, Any] = {}
        self.omit_ids = omit_ids  # data files give ids as table names

    def ref(self, tp: Any) -> dict[str, Any]:
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is Decimal:
            return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
        if tp is dt.date:
            return {"type": "string", "format": "date"}
        if tp is Any or tp is object:
            return {}
        origin = get_origin(tp)
        if origin in (Union, types.UnionType):
            args = get_args(tp)
            if _is_condition(args):
                return self._condition(nullable=type(None) in args)
            return {"anyOf": [self.ref(a) for a in args]}
        if tp is type(None):
            return {"type": "null"}
        if origin is frozenset:  # Situation.accounts: a sorted list of SERVICES
            return {
                "type": "array",
                "items": {"enum": list(SERVICES)},
                "uniqueItems": True,
            }
        if origin is tuple:
            return {"type": "array", "items": self.ref(get_args(tp)[0])}
        if origin is dict:
            return {"type": "object", "additionalProperties": self.ref(get_args(tp)[1])}
        if isinstance(tp, type) and issubclass(tp, _Named):
            return {"enum": [m.value for m in tp]}
        if tp is Text:
            self.defs["Text"] = _text_schema()
            return {"$ref": "#/$defs/Text"}
        if tp is StaffNote:
            self.defs["StaffNote"] = {
                "description": "Sentences to show staff, by local language.",
                "type": "object",
                "properties": {"reviewed": {"type": "boolean"}},
                "patternProperties": {
                    "^[a-z]{2,3}$": {"type": "string", "minLength": 1}
                },
                "additionalProperties": False,
            }
            return {"$ref": "#/$defs/StaffNote"}
        if attrs.has(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {}  # guard recursion
                self.defs[name] = self._record(tp)
            return {"$ref": f"#/$defs/{name}"}
        raise TypeError(f"no schema for {tp!r}")  # pragma: no cover

    def _record(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        props: dict[str, Any] = {}
        required: list[str] = []
        for a in attrs.fields(cls):
            if self.omit_ids and a.name == "id":
                continue
            key = a.name
            props[key] = self.ref(hints[a.name])
            if a.default is attrs.NOTHING:
                required.append(key)
        out: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "additionalProperties": False,
        }
        if required:
            out["required"] = required
        if cls.__doc__:
            out["description"] = cls.__doc__.strip().splitlines()[0]
        return out

    def _condition(self, *, nullable: bool) -> dict[str, Any]:
        if "Condition" not in self.defs:
            cond = {"$ref": "#/$defs/Condition"}
            compare = {
                "type": "object",
                "properties": {"field": {"enum": sorted(FIELDS)}},
                "required": ["field"],
                "minProperties": 2,
                "maxProperties": 2,
                "patternProperties": {f"^({'|'.join(OPERATORS)})$": {}},
                "additionalProperties": False,
            }
            self.defs["Condition"] = {
                "description": "A condition: data, never code (see docs/data-format.md).",
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {
                            "all": {"type": "array", "items": cond, "minItems": 1}
                        },
                        "required": ["all"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {
                            "any": {"type": "array", "items": cond, "minItems": 1}
                        },
                        "required": ["any"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {"not": cond},
                        "required": ["not"],
                        "additionalProperties": False,
                    },
                    compare,
                ],
            }
        ref: dict[str, Any] = {"$ref": "#/$defs/Condition"}
        return {"anyOf": [ref, {"type": "null"}]} if nullable else ref


def _is_condition(args: tuple[Any, ...]) -> bool:
    from ._conditions import All, AnyOf, Compare, Not

    return {Compare, All, AnyOf, Not} <= set(args)


def _table_of(b: _Builder, cls: type) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": {"pattern": SLUG_PATTERN},
        "additionalProperties": b.ref(cls),
    }


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`simexit.to_json` applied to a Plan."""
    b = _Builder(omit_ids=False)
    root = b.ref(Plan)
    plan = b.defs.pop("Plan")
    assert root == {"$ref": "#/$defs/Plan"}
    plan["properties"] = {
        "schema_version": {"const": SCHEMA_VERSION},
        **plan["properties"],
    }
    plan["required"] = ["schema_version", *plan["required"]]
    return {
        "$schema": _DRAFT,
        "$id": "https://simexit.readthedocs.io/schema/plan.json",
        "title": "simexit Plan",
        **plan,
        "$defs": dict(sorted(b.defs.items())),
    }


def situation_schema() -> dict[str, Any]:
    """The JSON Schema of a Situation's JSON form.

    What :func:`simexit.to_json` writes for a Situation and what
    ``simexit plan --situation`` and ``POST /v1/plan`` read: enums by their
    lower-case names, amounts as ``{"amount": "12.50", "currency": "AZN"}``.
    ``schema_version`` may be left out there; :func:`simexit.from_json`
    requires it, as for a Plan.
    """
    b = _Builder(omit_ids=False)
    root = b.ref(Situation)
    situation = b.defs.pop("Situation")
    assert root == {"$ref": "#/$defs/Situation"}
    situation["properties"] = {
        "schema_version": {"const": SCHEMA_VERSION},
        **situation["properties"],
    }
    return {
        "$schema": _DRAFT,
        "$id": "https://simexit.readthedocs.io/schema/situation.json",
        "title": "simexit Situation",
        **situation,
        "$defs": dict(sorted(b.defs.items())),
    }


#: What ``gap`` means, in the data schema.
GAP_DESCRIPTION = (
    "A placeholder, not a fact: the text says what was looked for and not "
    "found, its sources are where it was looked for. Always unverified; never "
    "counts toward the official share and never raises a step's label."
)


def _data_confidence(defs: dict[str, Any]) -> None:
    """Data confidences: the four a fact can have (``general`` labels steps
    only), and the ``gap`` flag of a fact described."""
    for record in defs.values():
        conf = record.get("properties", {}).get("confidence")
        for option in () if conf is None else conf["anyOf"]:
            if "enum" in option:
                option["enum"] = [v for v in option["enum"] if v != "general"]
    defs["Fact"]["properties"]["gap"]["description"] = GAP_DESCRIPTION


def data_schema() -> dict[str, Any]:
    """JSON Schemas of every kind of data-package file, under ``$defs``.

    ``#/$defs/files/<name>`` is the schema of one file: ``package.toml``,
    ``sources.toml``, ``operator`` (``operators/<id>.toml``), ``steps.toml``,
    ``rules.toml``, ``notices.toml``, ``claims.toml``, ``facts.toml`` and
    ``vocabulary.toml``.
    """
    b = _Builder(omit_ids=True)

    def file(**tables: dict[str, Any]) -> dict[str, Any]:
        return {"type": "object", "properties": tables, "additionalProperties": False}

    head = b._record(Operator)
    for key in ("channels", "preconditions", "procedures", "facts", "windows"):
        head["properties"].pop(key)
    b.defs["OperatorHead"] = head
    files = {
        "package.toml": {**file(package=b.ref(PackageInfo)), "required": ["package"]},
        "sources.toml": file(sources=_table_of(b, Source)),
        "operator": {
            **file(
                operator={"$ref": "#/$defs/OperatorHead"},
                channels=_table_of(b, Channel),
                preconditions=_table_of(b, Precondition),
                procedures=_table_of(b, Procedure),
                facts=_table_of(b, Fact),
                windows=_table_of(b, Window),
            ),
            "required": ["operator"],
        },
        "steps.toml": file(steps=_table_of(b, StepDefinition)),
        "rules.toml": file(rules=_table_of(b, Rule)),
        "notices.toml": file(notices=_table_of(b, NoticeDefinition)),
        "claims.toml": file(claims=_table_of(b, Claim)),
        "facts.toml": file(facts=_table_of(b, Fact)),
        "vocabulary.toml": b._record(Vocabulary),
    }
    b.ref(Text)
    _data_confidence(b.defs)
    # A step may carry its own rule's condition inline (the loader makes it
    # the rule of the same id): a key of the file, not of StepDefinition.
    b.defs["StepDefinition"]["properties"]["when"] = b._condition(nullable=False)
    return {
        "$schema": _DRAFT,
        "$id": "https://simexit.readthedocs.io/schema/data.json",
        "title": "simexit data-package files",
        "$defs": {**dict(sorted(b.defs.items())), "files": files},
    }
