"""The condition language: data in, validated tree out, never code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from simexit._conditions import (
    All,
    AnyOf,
    Compare,
    ConditionError,
    Not,
    compile_condition,
    explain,
    money_thresholds,
    parse,
)
from simexit._convert import unparse


def errors(raw: object) -> list[tuple[str, str]]:
    with pytest.raises(ConditionError) as e:
        parse(raw)
    return e.value.problems


class TestParse:
    def test_nested_tree(self):
        """all / any / not and comparisons build a tree of frozen nodes."""
        cond = parse(
            {
                "all": [
                    {"field": "card", "one_of": ["esim", "physical_sim"]},
                    {"not": {"field": "keep_number", "equals": True}},
                    {
                        "any": [
                            {"field": "arrears", "greater_than": "0"},
                            {"field": "arrears", "unknown": True},
                        ]
                    },
                ]
            }
        )
        assert cond == All(
            (
                Compare("card", "one_of", ("esim", "physical_sim")),
                Not(Compare("keep_number", "equals", True)),
                AnyOf(
                    (
                        Compare("arrears", "greater_than", Decimal(0)),
                        Compare("arrears", "unknown", True),
                    )
                ),
            )
        )

    def test_unparse_round_trips(self):
        """unparse gives back the table that parses to the same tree."""
        raw = {
            "any": [
                {"field": "balance", "less_than": "5"},
                {"not": {"field": "device", "equals": "lost"}},
            ]
        }
        assert unparse(parse(raw)) == raw
        assert parse(unparse(parse(raw))) == parse(raw)

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("card", [("", "got str 'card', expected a condition table")]),
            ({}, [("", "empty condition")]),
            (
                {"al": []},
                [
                    (
                        "al",
                        "unknown condition key 'al' (did you mean 'all'?), expected 'field' with one comparison, or exactly one of: all, any, not",
                    )
                ],
            ),
            ({"all": []}, [("all", "got list [], expected a non-empty list")]),
            (
                {"all": [{"field": "card", "equals": "esim"}, 5]},
                [("all[1]", "got int 5, expected a condition table")],
            ),
            (
                {"field": "card"},
                [
                    (
                        "",
                        "expected exactly one of: equals, one_of, greater_than, less_than, unknown, contains",
                    )
                ],
            ),
            (
                {"field": "card", "equals": "esim", "one_of": ["esim"]},
                [
                    (
                        "",
                        "expected exactly one of: equals, one_of, greater_than, less_than, unknown, contains",
                    )
                ],
            ),
            (
                {"field": 5, "equals": 1},
                [
                    (
                        "field",
                        "unknown field 5, expected one of: accounts, arrears, autopay, balance, billing, card, device, has_id_document, keep_number, linked_accounts, location, operator, operator_kind, operator_status, other_esim_profiles, registered_owner",
                    )
                ],
            ),
            (
                {"field": "card", "equals": "sim"},
                [
                    (
                        "equals",
                        "got 'sim' (did you mean 'esim'?), expected one of: physical_sim, esim, travel_esim, tourist_card",
                    )
                ],
            ),
            (
                {"field": "card", "one_of": []},
                [("one_of", "got list [], expected a non-empty list")],
            ),
            (
                {"field": "card", "one_of": ["esim", "esm"]},
                [
                    (
                        "one_of[1]",
                        "got 'esm' (did you mean 'esim'?), expected one of: physical_sim, esim, travel_esim, tourist_card",
                    )
                ],
            ),
            (
                {"field": "card", "greater_than": "0"},
                [
                    (
                        "greater_than",
                        "greater_than works on money fields only (arrears, balance), not on 'card'",
                    )
                ],
            ),
            (
                {"field": "arrears", "equals": "0"},
                [
                    (
                        "equals",
                        "equals does not work on money field 'arrears'; use greater_than, less_than or unknown",
                    )
                ],
            ),
            (
                {"field": "arrears", "greater_than": 0.5},
                [
                    (
                        "greater_than",
                        'got float 0.5, expected a number as a string, e.g. "0"',
                    )
                ],
            ),
            (
                {"field": "arrears", "greater_than": "NaN"},
                [
                    (
                        "greater_than",
                        "got str 'NaN', expected a number as a string, e.g. \"0\"",
                    )
                ],
            ),
            *(
                (
                    {"field": "arrears", "greater_than": text},
                    [
                        (
                            "greater_than",
                            f'got str {text!r}, expected a number as a string, e.g. "0"',
                        )
                    ],
                )
                for text in ("1e2", "4_50", " 1", "1.", "٤")
            ),
            (
                {"field": "arrears", "less_than": "abc"},
                [
                    (
                        "less_than",
                        "got str 'abc', expected a number as a string, e.g. \"0\"",
                    )
                ],
            ),
            (
                {"field": "arrears", "unknown": "yes"},
                [("unknown", "got str 'yes', expected true or false")],
            ),
            (
                {"field": "autopay", "equals": "true"},
                [("equals", "got str 'true', expected true or false")],
            ),
            (
                {"field": "operator", "equals": 7},
                [("equals", "got int 7, expected an operator id")],
            ),
            (
                {"not": {"field": "card", "equals": 1}},
                [
                    (
                        "not.equals",
                        "got 1, expected one of: physical_sim, esim, travel_esim, tourist_card",
                    )
                ],
            ),
        ],
    )
    def test_errors_name_path_and_expectation(self, raw, expected):
        """Every malformed condition is reported with its path and the fix."""
        assert errors(raw) == expected

    def test_all_problems_at_once(self):
        """Problems in several branches are all reported."""
        found = errors(
            {
                "any": [
                    {"field": "crd", "equals": "esim"},
                    {"field": "card", "equals": "x"},
                ]
            }
        )
        assert [p for p, _ in found] == ["any[0].field", "any[1].equals"]


CTX = CTX = {
    "card": "esim",
    "arrears": Decimal("4.5"),
    "balance": None,
    "keep_number": False,
    "device": None,
}


class TestEvaluate:
    @pytest.mark.parametrize(
        ("raw", "result"),
        [
            ({"field": "card", "equals": "esim"}, True),
            ({"field": "card", "one_of": ["physical_sim"]}, False),
            ({"field": "arrears", "greater_than": "4"}, True),
            ({"field": "arrears", "less_than": "4"}, False),
            ({"field": "balance", "greater_than": "0"}, False),
            ({"field": "balance", "less_than": "1"}, False),
            ({"field": "balance", "unknown": True}, True),
            ({"field": "balance", "unknown": False}, False),
            ({"not": {"field": "device", "equals": "lost"}}, True),
            (
                {
                    "any": [
                        {"field": "card", "equals": "esim"},
                        {"field": "keep_number", "equals": True},
                    ]
                },
                True,
            ),
        ],
    )
    def test_compiled_conditions(self, raw, result):
        """Compiled closures give the documented results; unknown compares false."""
        assert compile_condition(parse(raw))(CTX) is result

    def test_explain_names_the_deciding_atoms(self):
        """explain returns the atoms that decided the outcome."""
        cond = parse(
            {
                "all": [
                    {"field": "card", "equals": "esim"},
                    {"field": "keep_number", "equals": True},
                ]
            }
        )
        assert explain(cond, CTX, False) == [
            (Compare("keep_number", "equals", True), False)
        ]

    def test_money_thresholds_are_collected(self):
        """Every threshold per money field is gathered, sorted."""
        conds = [
            parse({"field": "arrears", "greater_than": "5"}),
            parse({"field": "arrears", "less_than": "1"}),
        ]
        assert money_thresholds(conds) == {"arrears": (Decimal(1), Decimal(5))}
