"""What ``import simexit`` offers: a narrow top level, the data model in
``simexit.model``, and a warning for the names that moved there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import simexit
import simexit.model

DOCS = Path(__file__).parent.parent / "docs"

#: Every name CONTRACT.md uses as ``simexit.<name>`` (and the ones it lists
#: by field: enums, errors); each must stay importable from ``simexit``.
CONTRACT = [
    "Billing",
    "Card",
    "Channel",
    "ChannelKind",
    "Confidence",
    "Country",
    "DataPackageError",
    "Device",
    "InvalidSituationError",
    "Location",
    "Money",
    "Notice",
    "Plan",
    "Registry",
    "SERVICES",
    "SimexitError",
    "Situation",
    "Source",
    "SourceKind",
    "Step",
    "StepKind",
    "UnknownCountryError",
    "UnknownOperatorError",
    "countries",
    "from_json",
    "load_country",
    "plan_for",
    "render_html",
    "to_json",
]

#: Data-definition classes a plan never carries: only in ``simexit.model``.
MODEL_ONLY = [
    "Claim",
    "ClaimAbout",
    "Fact",
    "NoticeDefinition",
    "Operator",
    "OperatorKind",
    "OperatorStatus",
    "Precondition",
    "Procedure",
    "Rule",
    "StaffNote",
    "StepDefinition",
    "Text",
    "Verdict",
    "Vocabulary",
]


class TestTopLevel:
    def test_all_is_sorted(self):
        """Sorted as ruff's RUF022 sorts: constants, classes, functions."""

        def key(name: str) -> tuple[bool, bool, str]:
            return (not name.isupper(), not name[0].isupper(), name)

        assert simexit.__all__ == sorted(simexit.__all__, key=key)

    @pytest.mark.parametrize("name", CONTRACT)
    def test_every_contract_name_is_exported(self, name):
        assert name in simexit.__all__
        assert getattr(simexit, name) is not None

    def test_every_exported_name_is_there(self):
        """Lazy names included: ``from simexit import *`` works."""
        namespace: dict[str, object] = {}
        exec("from simexit import *", namespace)

        assert set(simexit.__all__) <= set(namespace)

    @pytest.mark.parametrize("name", MODEL_ONLY)
    def test_data_definition_classes_are_not_exported(self, name):
        assert name not in simexit.__all__
        assert name not in dir(simexit)

    def test_the_renderers_are_exported(self):
        plan = simexit.plan_for(simexit.Situation(country="AZ"))

        assert simexit.render_text(plan).strip()
        assert simexit.render_markdown(plan).startswith("#")
        assert simexit.render_html(plan).startswith("<!DOCTYPE html>")


class TestModel:
    @pytest.mark.parametrize("name", ["Channel", "Precondition", "Procedure", "Fact"])
    def test_sourced_records_share_one_evidence_base(self, name):
        """Sources, confidence and validity are declared once, in Evidence."""
        import inspect

        import attrs

        cls = getattr(simexit.model, name)
        shared = {a.name for a in attrs.fields(simexit.model.Evidence)}
        assert issubclass(cls, simexit.model.Evidence)
        assert shared == {
            "sources",
            "confidence",
            "valid_from",
            "valid_until",
            "verified_on",
        }
        assert not shared & set(inspect.get_annotations(cls))
        assert shared <= {a.name for a in attrs.fields(cls)}

    @pytest.mark.parametrize("name", MODEL_ONLY)
    def test_each_moved_class_lives_in_simexit_model(self, name):
        from simexit import _model

        assert getattr(simexit.model, name) is getattr(_model, name)
        assert name in simexit.model.__all__

    def test_top_level_model_names_are_the_same_objects(self):
        for name in set(simexit.__all__) & set(simexit.model.__all__):
            assert getattr(simexit, name) is getattr(simexit.model, name)

    def test_every_model_name_is_documented(self):
        text = (DOCS / "api.md").read_text("utf-8")
        documented = set(re.findall(r"::\s+simexit\.(?:model\.)?(\w+)", text))

        assert set(simexit.model.__all__) - documented == set()


class TestDeprecatedNames:
    @pytest.mark.parametrize("name", MODEL_ONLY)
    def test_a_moved_name_still_works_with_a_warning(self, name):
        with pytest.warns(DeprecationWarning, match="simexit.model") as caught:
            value = getattr(simexit, name)

        assert value is getattr(simexit.model, name)
        assert caught[0].filename == __file__

    def test_an_unknown_name_is_still_an_attribute_error(self):
        with pytest.raises(AttributeError, match="no attribute 'Nope'"):
            simexit.Nope


#: The public calls whose docstrings list what they raise and show one
#: error message as a doctest (run by pytest: ``--doctest-modules``).
RAISING = (
    simexit.plan_for,
    simexit.plan_many,
    simexit.countries,
    simexit.load_country,
    simexit.to_json,
    simexit.from_json,
    simexit.Money,
    simexit.Situation,
    simexit.render_text,
    simexit.render_markdown,
    simexit.render_html,
    simexit.Registry.from_paths,
)


class TestDocumentedErrors:
    @pytest.mark.parametrize("call", RAISING, ids=lambda c: c.__qualname__)
    def test_docstring_lists_and_shows_what_it_raises(self, call):
        doc = call.__doc__ or ""

        assert "\n    Raises:\n" in doc or "\n        Raises:\n" in doc
        assert "Traceback (most recent call last):" in doc
        assert "simexit.exceptions." in doc.split("Traceback")[1]

    def test_the_doctests_of_the_package_are_collected(self):
        """The default test run includes the docstrings of src/simexit."""
        import tomllib

        root = Path(__file__).parent.parent
        config = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))
        pytest_config = config["tool"]["pytest"]["ini_options"]

        assert "src/simexit" in pytest_config["testpaths"]
        assert "--doctest-modules" in pytest_config["addopts"].split()
