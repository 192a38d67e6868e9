"""simexit.testing: scenario tests written as data, for any package."""

from __future__ import annotations

import shutil

import pytest

import simexit
from simexit import Registry
from simexit.testing import Scenario, check_scenario, check_scenarios, load_scenarios

from .conftest import EXAMPLE, TODAY

DATA = EXAMPLE / "src" / "simexit_example" / "data"


@pytest.fixture
def package(tmp_path):
    dest = tmp_path / "xa"
    shutil.copytree(DATA, dest)
    return dest


class TestScenarios:
    def test_passing_package(self, package):
        """A package whose scenarios hold reports nothing."""
        assert check_scenarios("XA", registry=Registry.from_paths(package)) == []

    def test_a_wrong_expectation_is_reported(self, package):
        """A scenario expecting other steps, warnings or blockers fails, saying how."""
        text = (package / "scenarios.toml").read_text()
        text = text.replace(
            'steps = ["backup-data"',
            'warnings = ["claim-x"]\nblockers = ["blocked-x"]\nsteps = ["backup-data"',
        )
        text = text.replace('"destroy-sim", ', "")
        (package / "scenarios.toml").write_text(text)
        errors = check_scenarios("XA", registry=Registry.from_paths(package))
        assert len(errors) == 3
        assert "steps" in errors[0]
        assert "warnings ['claim-x'] missing" in errors[1]
        assert "blockers [] != expected ['blocked-x']" in errors[2]

    @pytest.mark.parametrize(
        ("text", "needle"),
        [
            ("[[scenarios]\n", "Expected"),
            ("x = 1\n", "expected only [[scenarios]] tables"),
            (
                '[[scenarios]]\nname = "a"\ntoday = 2026-11-23\nsteps = []\nsituation = {}\ncolour = "red"\n',
                "unknown keys ['colour']",
            ),
            (
                '[[scenarios]]\nname = "a"\ntoday = 2026-11-23\nsteps = []\nsituation = { card = "sim" }\n',
                "invalid card",
            ),
            (
                '[[scenarios]]\nname = "a"\ntoday = "2026-11-23"\nsteps = []\nsituation = {}\n',
                "today must be a date",
            ),
            (
                '[[scenarios]]\nname = "a"\ntoday = 2026-11-23\nsituation = {}\n',
                "malformed",
            ),
            ("scenarios = [1]\n", "expected a table"),
        ],
    )
    def test_malformed_scenarios_are_data_errors(self, package, text, needle):
        """A broken scenarios.toml is a DataPackageError naming the problem."""
        (package / "scenarios.toml").write_text(text)
        with pytest.raises(simexit.DataPackageError, match=needle.replace("[", r"\[")):
            load_scenarios("XA", registry=Registry.from_paths(package))

    def test_no_scenario_file_means_no_scenarios(self, package):
        """A package without scenarios.toml has none, and that is not an error."""
        (package / "scenarios.toml").unlink()
        assert load_scenarios("XA", registry=Registry.from_paths(package)) == []

    def test_money_is_in_the_country_currency(self, package):
        """Amounts in scenarios are strings in the package's currency."""
        text = (package / "scenarios.toml").read_text()
        (package / "scenarios.toml").write_text(
            text.replace('arrears = "0"', 'arrears = "2.5"')
        )
        [scenario] = load_scenarios("XA", registry=Registry.from_paths(package))
        assert scenario.situation.arrears == simexit.Money("2.5", "EUR")

    def test_scenario_objects_can_be_built_by_hand(self):
        """check_scenario accepts a Scenario built in code."""
        scenario = Scenario(
            name="tourist card",
            today=TODAY,
            situation=simexit.Situation(country="AZ", card="tourist_card"),
            steps=("no-action-needed",),
        )
        assert check_scenario(scenario) == []


class TestContentChecks:
    """present / absent / not_referenced: what the rendered plan shows and cites."""

    @staticmethod
    def scenario(**kw):
        return Scenario(
            name="e-visa",
            today=TODAY,
            situation=simexit.Situation(country="AZ", card="tourist_card"),
            steps=("no-action-needed",),
            **kw,
        )

    def test_text_that_must_be_shown(self):
        """A missing `present` text is reported; a shown one is not."""
        assert check_scenario(self.scenario(present=("evisa.gov.az",))) == []
        [error] = check_scenario(self.scenario(present=("tourism.az cancels it",)))
        assert "'tourism.az cancels it' is not in the plan" in error

    def test_text_that_must_never_be_shown(self):
        """An `absent` text the plan shows is reported, whatever its case."""
        assert check_scenario(self.scenario(absent=("power of attorney",))) == []
        [error] = check_scenario(self.scenario(absent=("APPLY ONLY AT EVISA.GOV.AZ",)))
        assert "is in the plan" in error

    def test_a_site_may_be_a_claim_but_never_a_reference(self):
        """A reseller cited as a claim passes; an official page named in
        `not_referenced` is reported, since the plan cites it as evidence."""
        reseller = self.scenario(not_referenced=("evisaazerbaijan.it.com",))
        assert check_scenario(reseller) == []
        plan = simexit.plan_for(reseller.situation, today=TODAY)
        assert any(
            "evisaazerbaijan.it.com" in s.url for w in plan.warnings for s in w.sources
        )
        errors = check_scenario(self.scenario(not_referenced=("mfa.gov.az",)))
        assert errors and all("is cited as a reference" in e for e in errors)

    def test_content_keys_must_be_lists_of_strings(self, package):
        """`present = "x"` (not a list) is a data error naming the key."""
        (package / "scenarios.toml").write_text(
            '[[scenarios]]\nname = "a"\ntoday = 2026-11-23\nsteps = []\n'
            'situation = {}\npresent = "x"\n'
        )
        with pytest.raises(simexit.DataPackageError, match="present must be a list"):
            load_scenarios("XA", registry=Registry.from_paths(package))
