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
