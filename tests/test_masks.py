"""The guard mask: many conditions compiled into one generated function.

Every bit of a mask is the outcome ``compile_condition`` gives for the same
situation, for every condition of every bundled country; and what a data
file says is compared as data, never spelled into the generated source.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings

import simexit
from simexit._conditions import (
    All,
    AnyOf,
    Compare,
    Condition,
    Not,
    compile_condition,
    parse,
)
from simexit._masks import Mask, compile_mask
from simexit._planner import context, prepare

from . import strategies

REGISTRY = simexit.Registry.default()


def every_condition(code: str) -> list[Condition]:
    """The rules' conditions and every guard of one bundled country."""
    p = prepare(REGISTRY.load(code))
    found = [g.condition for step in p.steps for g in step.rules]
    for by_step in p.procedures.values():
        found += [g.guard.condition for gs in by_step.values() for g in gs if g.guard]
    for facts in p.operator_facts.values():
        found += [g.guard.condition for gs in facts.values() for g in gs if g.guard]
    found += [
        g.guard.condition for gs in p.country_facts.values() for g in gs if g.guard
    ]
    found += [g.guard.condition for g in p.notices if g.guard]
    return list(dict.fromkeys(found))


CONDITIONS = {code: every_condition(code) for code in strategies.COUNTRIES}
MASKS = {code: compile_mask(conds) for code, conds in CONDITIONS.items()}


def run(mask: Mask, situation: simexit.Situation, day: dt.date) -> int:
    op = REGISTRY.load(situation.country).operators.get(situation.operator or "")
    if op is None:
        return mask(situation, None, None)
    return mask(situation, op.kind.value, op.status_on(day).value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(situation=strategies.situations(), day=strategies.days())
def test_every_bit_is_the_conditions_outcome(situation, day):
    """Bit i of the mask is what compile_condition says of condition i."""
    country = REGISTRY.load(situation.country)
    op = country.operators.get(situation.operator or "")
    ctx = context(situation, op, day)
    mask = run(MASKS[situation.country], situation, day)

    for i, cond in enumerate(CONDITIONS[situation.country]):
        assert bool(mask >> i & 1) == compile_condition(cond)(ctx), cond


AZ = simexit.Situation(country="AZ", operator="azercell", card="esim")


@pytest.mark.parametrize(
    "hostile",
    [
        "x'); __import__('os').system('echo pwned') #",
        'x"\n    import os\n    m = -1\n#',
        "__builtins__",
        "s.card",
        "1 or True",
    ],
)
class TestHostileValues:
    """An id from a data file is compared as the text it is."""

    def test_an_operator_id_is_only_compared(self, hostile):
        cond = Compare("operator", "equals", hostile)
        mask = compile_mask([cond, Not(cond)])

        assert mask(AZ, None, None) == 0b10  # azercell is not the hostile id
        # (Situation spells ids in lower case; the mask reads attributes)
        hit = SimpleNamespace(operator=hostile, card=simexit.Card.ESIM)
        assert mask(hit, None, None) == 0b01  # type: ignore[arg-type]
        # the value is a constant of the namespace, not of the source
        assert hostile not in mask.__code__.co_consts
        assert "__import__" not in mask.__code__.co_names
        assert "os" not in mask.__code__.co_names

    def test_one_of_and_nested_conditions_too(self, hostile):
        cond = AnyOf((Compare("operator", "one_of", (hostile, "nar")),))
        mask = compile_mask([All((cond, Compare("card", "equals", "esim")))])

        assert mask(AZ, None, None) == 0
        nar = simexit.Situation(country="AZ", operator="nar", card="esim")
        assert mask(nar, None, None) == 1
        assert not {hostile} & set(mask.__code__.co_consts)


@pytest.mark.parametrize("field", ["__class__", "s.card or 1", "import os", ""])
def test_a_field_outside_the_table_is_refused(field):
    """A field name is never spelled into the source: one the compiler does
    not know (parse refuses it first) makes it raise."""
    with pytest.raises(ValueError, match="cannot compile"):
        compile_mask([Compare(field, "equals", "x")])


def test_the_mask_has_no_builtins():
    """The generated function runs with an empty __builtins__."""
    mask = compile_mask([parse({"field": "card", "equals": "esim"})])

    assert mask.__globals__["__builtins__"] == {}
    assert mask(AZ, None, None) == 1
