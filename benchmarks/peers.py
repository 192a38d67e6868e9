"""The peers: the same step rules in rule-engine and in JsonLogic.

A reference row for ``benchmarks/run.py``: what deciding which of a
country's steps apply costs in two general rule engines from PyPI
(`rule-engine <https://pypi.org/project/rule-engine/>`_ and the JsonLogic
implementation `panzi-json-logic <https://pypi.org/project/panzi-json-logic/>`_,
both in simexit's ``bench`` extra), against simexit's own decision over the
same rules.  Every rule is translated mechanically from the validated
condition tree (``simexit._conditions``), through its table form
(``simexit._convert.unparse``, the same form the TOML holds), and all three
evaluate the same context: the situation as conditions see it
(``simexit._planner.context``).  A step applies when any of its rules holds.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import simexit
from simexit._conditions import compile_condition, parse
from simexit._convert import unparse
from simexit._planner import context

Context = dict[str, Any]


def step_rules(code: str) -> dict[str, list[dict[str, Any]]]:
    """Step id -> the table form of each rule that can put it in a plan."""
    country = simexit.load_country(code)
    out: dict[str, list[dict[str, Any]]] = {}
    for _, rule in sorted(country.rules.items()):
        out.setdefault(rule.step, []).append(unparse(rule.when))
    return out


def contexts(code: str, sits: list[simexit.Situation], today: dt.date) -> list[Context]:
    country = simexit.load_country(code)
    return [
        context(s, country.operators.get(s.operator or ""), today)
        for s in sits
        if s.country == code
    ]


# -- rule-engine ---------------------------------------------------------------


def _re_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_re_value(x) for x in v) + "]"
    return json.dumps(v)  # a string


def to_rule_engine(table: dict[str, Any]) -> str:
    """The rule-engine expression of one condition table."""
    if "field" in table:
        field = table["field"]
        ((op, value),) = ((k, v) for k, v in table.items() if k != "field")
        if op == "unknown":
            return f"{field} {'==' if value else '!='} null"
        if op == "equals":
            return f"{field} == {_re_value(value)}"
        if op == "one_of":
            return f"{field} in {_re_value(value)}"
        if op == "contains":
            return f"({field} != null and {_re_value(value)} in {field})"
        sign = {"greater_than": ">", "less_than": "<"}[op]
        return f"({field} != null and {field} {sign} {Decimal(value)})"
    ((key, inner),) = table.items()
    if key == "not":
        return f"not ({to_rule_engine(inner)})"
    joiner = " and " if key == "all" else " or "
    return "(" + joiner.join(to_rule_engine(c) for c in inner) + ")"


# -- JsonLogic -----------------------------------------------------------------


def to_json_logic(table: dict[str, Any]) -> dict[str, Any]:
    """The JsonLogic rule of one condition table."""
    if "field" in table:
        field = table["field"]
        ((op, value),) = ((k, v) for k, v in table.items() if k != "field")
        var = {"var": field}
        if op == "unknown":
            return {"===" if value else "!==": [var, None]}
        if op == "equals":
            return {"===": [var, value]}
        if op == "one_of":
            return {"in": [var, value]}
        known = {"!==": [var, None]}
        if op == "contains":
            return {"and": [known, {"in": [value, var]}]}
        sign = {"greater_than": ">", "less_than": "<"}[op]
        return {"and": [known, {sign: [var, float(Decimal(value))]}]}
    ((key, inner),) = table.items()
    if key == "not":
        return {"!": to_json_logic(inner)}
    return {"and" if key == "all" else "or": [to_json_logic(c) for c in inner]}


def json_logic_context(ctx: Context) -> Context:
    """JsonLogic's data: JSON values (numbers as floats, sets as lists)."""
    return {
        k: float(v)
        if isinstance(v, Decimal)
        else sorted(v)
        if isinstance(v, frozenset)
        else v
        for k, v in ctx.items()
    }


# -- the three deciders --------------------------------------------------------


class Deciders:
    """One country's step rules, ready in each engine."""

    def __init__(self, code: str) -> None:
        import json_logic
        import rule_engine

        rules = step_rules(code)
        self.steps = tuple(rules)
        self.simexit = [
            (sid, tuple(compile_condition(parse(t)) for t in tables))
            for sid, tables in rules.items()
        ]
        self.rule_engine = [
            (sid, rule_engine.Rule(" or ".join(to_rule_engine(t) for t in tables)))
            for sid, tables in rules.items()
        ]
        self.json_logic = [
            (sid, {"or": [to_json_logic(t) for t in tables]})
            for sid, tables in rules.items()
        ]
        self._apply = json_logic.jsonLogic

    def decide_simexit(self, ctx: Context) -> list[str]:
        return [sid for sid, tests in self.simexit if any(t(ctx) for t in tests)]

    def decide_rule_engine(self, ctx: Context) -> list[str]:
        return [sid for sid, rule in self.rule_engine if rule.matches(ctx)]

    def decide_json_logic(self, data: Context) -> list[str]:
        apply = self._apply
        return [sid for sid, rule in self.json_logic if apply(rule, data)]
