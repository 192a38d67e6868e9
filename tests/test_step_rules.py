"""Step.rules: the ids of the rules that put each step in the plan, so that
programs never parse the sentences of ``because``."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings

import simexit

from . import strategies

DAY = dt.date(2026, 11, 23)


def rule_problems(plan: simexit.Plan, country: simexit.Country) -> list[str]:
    """How *plan*'s steps break the contract of ``Step.rules``."""
    out: list[str] = []
    for step in plan.steps:
        if not step.rules:
            out.append(f"{step.id}: no rules")
        if list(step.rules) != sorted(set(step.rules)):
            out.append(f"{step.id}: rules not unique in id order: {step.rules}")
        if len(step.rules) != len(step.because):
            out.append(f"{step.id}: {step.rules} beside {len(step.because)} sentences")
        for rid in step.rules:
            rule = country.rules.get(rid)
            if rule is None:
                out.append(f"{step.id}: no rule {rid!r} in {country.code}")
            elif rule.step != step.id:
                out.append(f"{step.id}: rule {rid!r} is for {rule.step!r}")
    return out


def sweep(country: simexit.Country) -> list[simexit.Situation]:
    """Situations across what the rules read: every operator (and
    unknown), card, billing, device, location, money and yes/no answer."""
    money = (
        None,
        simexit.Money("0", country.currency),
        simexit.Money("900", country.currency),
    )
    out = []
    for op in (None, *sorted(country.operators)):
        cards = country.cards if op is None else country.operators[op].cards
        for card, billing, device, amount, answer in itertools.product(
            cards,
            (None, *simexit.Billing),
            (None, *simexit.Device),
            money,
            (None, True, False),
        ):
            out.append(
                simexit.Situation(
                    country=country.code,
                    operator=op,
                    card=card,
                    billing=billing,
                    device=device,
                    arrears=amount,
                    balance=amount,
                    location=None if answer is None else simexit.Location.ABROAD,
                    keep_number=answer is None,
                    accounts=None
                    if answer is None
                    else frozenset(simexit.SERVICES if answer else ()),
                    autopay=answer,
                    other_esim_profiles=answer,
                    registered_owner=answer,
                    has_id_document=answer,
                )
            )
    return out


class TestEveryStepNamesItsRules:
    @pytest.mark.parametrize("code", sorted(strategies.COUNTRIES))
    def test_every_step_of_a_country_sweep(self, code):
        """Every step of every plan of the sweep has rules, each a rule of
        the country (core or its own) for that step; together the plans
        use every rule the country has but those it cannot reach here."""
        country = strategies.COUNTRIES[code]
        used: set[str] = set()
        for situation in sweep(country):
            plan = simexit.plan_for(situation, today=DAY)
            assert rule_problems(plan, country) == [], situation
            used.update(r for s in plan.steps for r in s.rules)

        unused = {"az-find-current-operator-defunct"}  # needs a defunct operator
        if simexit.Card.TOURIST_CARD not in country.cards:
            unused.add("no-action-needed")  # the e-visa's only step
        assert set(country.rules) - used <= unused

    @settings(
        max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(
        situation=strategies.situations(),
        tag=strategies.locales(),
        day=strategies.days(),
    )
    def test_every_step_of_a_generated_plan(self, situation, tag, day):
        """Any situation, locale and day: the same contract."""
        plan = simexit.plan_for(situation, locale=tag, today=day)

        assert rule_problems(plan, strategies.COUNTRIES[plan.situation.country]) == []

    def test_a_travel_esim_without_a_package_names_core_rules(self):
        """A country planned from the core data alone names core rules."""
        situation = simexit.Situation(country="FR", card=simexit.Card.TRAVEL_ESIM)
        plan = simexit.plan_for(situation, today=DAY)

        assert plan.steps
        assert rule_problems(plan, simexit.Registry.default().bare("FR")) == []


class TestRuleIds:
    def test_an_inline_rule_is_named_for_its_step(self):
        """A core step's own when is the rule with the step's id."""
        plan = simexit.plan_for(simexit.Situation(country="AZ"), today=DAY)
        step = plan.step("check-arrears")

        assert step is not None
        assert step.rules == ("check-arrears",)

    def test_a_country_rule_is_named_by_its_id_in_rules_toml(self):
        """AZ puts find-current-operator in with its own rule."""
        plan = simexit.plan_for(simexit.Situation(country="AZ"), today=DAY)
        step = plan.step("find-current-operator")

        assert step is not None
        assert step.rules == ("az-find-current-operator-unknown",)

    def test_rules_are_in_the_json_and_its_schema(self):
        """to_json writes each step's rules; the plan schema has them."""
        from simexit._schema import plan_schema

        plan = simexit.plan_for(simexit.Situation(country="AZ"), today=DAY)
        step_schema = plan_schema()["$defs"]["Step"]

        assert '"rules":["check-arrears"]' in simexit.to_json(plan)
        assert simexit.from_json(simexit.to_json(plan), simexit.Plan) == plan
        assert step_schema["properties"]["rules"] == {
            "type": "array",
            "items": {"type": "string"},
        }
