"""The loader: strict structuring, cross-file checks, every problem at once."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

import simexit
from simexit import DataPackageError, Registry

from .conftest import TODAY

DAY = dt.date(2026, 11, 23)

PACKAGE = """\
[package]
code = "XA"
currency = "EUR"
cards = ["physical_sim", "esim"]
data_version = "1.0.0"
data_as_of = 2026-11-23
"""
SOURCES = """\
[sources.terms]
url = "https://example.org/terms"
publisher = "Example"
kind = "official"
language = "en"
retrieved = 2026-11-23
"""
OPERATOR = """\
[operator]
name = "Demo"
kind = "mobile_operator"
cards = ["physical_sim"]
domains = ["example.org"]
sources = ["terms"]

[channels.shop]
kind = "store"
contact = "Demo shops"
name = { en = "Shop", zh-Hans = "门店", zh-Hant = "門市" }
requires = ["in_country"]
sources = ["terms"]

[procedures.terminate]
step = "terminate-subscription"
channels = ["shop"]
sources = ["terms"]
"""


#: A country step that carries its own rule's condition inline, and the same
#: condition written as a rule of rules.toml.
INLINE_STEP = """\
[steps.a]
kind = "advice"
rank = 1
when = { field = "arrears", greater_than = "0" }
title = { en = "a", zh-Hans = "b", zh-Hant = "c" }
detail = { en = "a", zh-Hans = "b", zh-Hant = "c" }
"""
INLINE_AS_RULE = """\
[rules.a]
step = "a"
when = { field = "arrears", greater_than = "0" }
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    base = {
        "package.toml": PACKAGE,
        "sources.toml": SOURCES,
        "operators/demo.toml": OPERATOR,
    }
    base.update(files)
    for rel, text in base.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def problems(folder: Path) -> list[str]:
    reg = Registry.from_paths(folder)
    with pytest.raises(DataPackageError) as e:
        reg.load("XA")
    return [str(p) for p in e.value.problems]


BROKEN = [
    pytest.param(
        {"sources.toml": SOURCES + "[sources.bad\n"},
        [
            "xa/sources.toml:7: invalid TOML: Expected ']' at the end of a table declaration (at line 7, column 13)"
        ],
        id="bad-toml",
    ),
    pytest.param(
        {
            "operators/demo.toml": OPERATOR.replace(
                'kind = "store"', 'kind = "store"\ncolour = "red"'
            )
        },
        [
            "xa/operators/demo.toml:10: channels.shop.colour: unknown key, expected one of: confidence, contact, contact_text, cost, duration, kind, name, reachable_from_abroad, requires, sources, uri, valid_from, valid_until, verified_on, written_proof"
        ],
        id="unknown-key",
    ),
    pytest.param(
        {"operators/demo.toml": OPERATOR.replace('name = "Demo"', "name = 5")},
        ["xa/operators/demo.toml:2: operator.name: got int 5, expected a string"],
        id="wrong-type",
    ),
    pytest.param(
        {
            "operators/demo.toml": OPERATOR.replace(
                "[channels.shop]", '[channels.shop]\nwritten_proof = "false"'
            )
        },
        [
            "xa/operators/demo.toml:9: channels.shop.written_proof: got str 'false', expected true or false"
        ],
        id="string-for-bool",
    ),
    pytest.param(
        {"operators/demo.toml": OPERATOR.replace('kind = "store"', 'kind = "shop"')},
        [
            "xa/operators/demo.toml:9: channels.shop.kind: got str 'shop', expected one of: store, hotline, ussd, sms, website, app, email, chat, post, power_of_attorney, embassy, device_settings"
        ],
        id="bad-enum",
    ),
    pytest.param(
        {
            "operators/demo.toml": OPERATOR.replace(
                'channels = ["shop"]', 'channels = ["shpo"]'
            )
        },
        [
            "xa/operators/demo.toml:17: procedures.terminate.channels[0]: unknown channel 'shpo' (did you mean 'shop'?), expected one of: shop"
        ],
        id="dangling-channel",
    ),
    pytest.param(
        {
            "operators/demo.toml": OPERATOR.replace(
                'sources = ["terms"]\n\n[procedures',
                'sources = ["term"]\n\n[procedures',
            )
        },
        [
            "xa/operators/demo.toml:13: channels.shop.sources[0]: unknown source 'term' (did you mean 'terms'?)"
        ],
        id="dangling-source",
    ),
    pytest.param(
        {
            "steps.toml": '[steps.backup-data]\nkind = "advice"\nrank = 1\ntitle = { en = "a", zh-Hans = "b", zh-Hant = "c" }\ndetail = { en = "a", zh-Hans = "b", zh-Hant = "c" }\n'
        },
        [
            "xa/steps.toml:1: steps.backup-data: duplicate id 'backup-data': already defined in core/steps.toml"
        ],
        id="duplicate-id",
    ),
    pytest.param(
        {
            "rules.toml": '[rules.pay-arrears]\nstep = "pay-arrears"\nwhen = { field = "arrears", greater_than = "0" }\n'
        },
        [
            "xa/rules.toml:1: rules.pay-arrears: duplicate id 'pay-arrears': a core rule has it; add replaces = 'pay-arrears' to replace it"
        ],
        id="rule-clash",
    ),
    pytest.param(
        {
            "rules.toml": '[rules.x]\nstep = "pay-arrears"\nwhen = { field = "arrers", greater_than = "0" }\n'
        },
        [
            "xa/rules.toml:3: rules.x.when.field: unknown field 'arrers' (did you mean 'arrears'?), expected one of: accounts, arrears, autopay, balance, billing, card, device, has_id_document, keep_number, linked_accounts, location, operator, operator_kind, operator_status, other_esim_profiles, registered_owner"
        ],
        id="condition-unknown-field",
    ),
    pytest.param(
        {
            "rules.toml": '[rules.x]\nstep = "pay-arrears"\nwhen = { field = "card", equal = "esim" }\n'
        },
        [
            "xa/rules.toml:3: rules.x.when.equal: unknown comparison 'equal' (did you mean 'equals'?), expected one of: equals, one_of, greater_than, less_than, unknown, contains"
        ],
        id="condition-unknown-operator",
    ),
    pytest.param(
        {
            "rules.toml": '[rules.x]\nstep = "pay-arrears"\nwhen = { field = "operator", equals = "dmeo" }\n'
        },
        [
            "xa/rules.toml:3: rules.x.when: unknown operator 'dmeo' (did you mean 'demo'?), expected one of: airalo, demo, holafly, klook, nomad, saily, ubigi, unknown-seller"
        ],
        id="condition-unknown-operator-id",
    ),
    pytest.param(
        {"steps.toml": INLINE_STEP.replace('"arrears"', '"arrers"')},
        [
            "xa/steps.toml:4: steps.a.when.field: unknown field 'arrers' (did you mean 'arrears'?), expected one of: accounts, arrears, autopay, balance, billing, card, device, has_id_document, keep_number, linked_accounts, location, operator, operator_kind, operator_status, other_esim_profiles, registered_owner"
        ],
        id="inline-when-unknown-field",
    ),
    pytest.param(
        {
            "steps.toml": INLINE_STEP.replace(
                'when = { field = "arrears", greater_than = "0" }',
                'when = { field = "operator", equals = "dmeo" }',
            )
        },
        [
            "xa/steps.toml:4: steps.a.when: unknown operator 'dmeo' (did you mean 'demo'?), expected one of: airalo, demo, holafly, klook, nomad, saily, ubigi, unknown-seller"
        ],
        id="inline-when-unknown-operator-id",
    ),
    pytest.param(
        {"steps.toml": INLINE_STEP, "rules.toml": INLINE_AS_RULE},
        [
            "xa/rules.toml:1: rules.a: duplicate rule 'a': step 'a' carries its own when (steps.toml:4); give its condition once, inline or here"
        ],
        id="inline-when-and-a-rule",
    ),
    pytest.param(
        {"steps.toml": INLINE_STEP.replace("[steps.a]", "[steps.A]")},
        [
            "xa/steps.toml:1: steps.A: id 'A' is not a lower-case slug like 'pay-arrears'"
        ],
        id="inline-when-on-a-bad-id",
    ),
    pytest.param(
        {
            "steps.toml": '[steps.a]\nkind = "advice"\nrank = 1\nafter = ["b"]\ntitle = { en = "a", zh-Hans = "b", zh-Hant = "c" }\ndetail = { en = "a", zh-Hans = "b", zh-Hant = "c" }\n[steps.b]\nkind = "advice"\nrank = 2\nafter = ["a"]\ntitle = { en = "a", zh-Hans = "b", zh-Hant = "c" }\ndetail = { en = "a", zh-Hans = "b", zh-Hant = "c" }\n'
        },
        ["xa/steps.toml:10: steps.b.after: cycle in 'after': a -> b -> a"],
        id="cycle",
    ),
    pytest.param(
        {
            "steps.toml": '[steps.a]\nkind = "advice"\nrank = 1\ntitle = { en = "a", zh-Hans = "b" }\ndetail = { en = "a", zh-Hans = "b", zh-Hant = "c", zh-CN = "d" }\n'
        },
        [
            "xa/steps.toml:5: steps.a.detail.zh-CN: unknown key, expected one of: en, ru, zh-Hans, zh-Hant",
        ],
        id="unknown-locale",
    ),
    pytest.param(
        {
            "package.toml": PACKAGE.replace(
                'code = "XA"', 'code = "XA"\nlocales = ["en", "zh-Hans", "zh-Hant"]'
            ),
            "steps.toml": '[steps.a]\nkind = "advice"\nrank = 1\ntitle = { en = "a", zh-Hans = "b" }\ndetail = { zh-Hans = "b", zh-Hant = "c", zh-hans = "d" }\n',
        },
        [
            "xa/steps.toml:4: steps.a.title: no zh-Hant text, but package.toml declares locales = ['en', 'zh-Hans', 'zh-Hant'] (add it inline or in locales/zh-Hant/steps.toml)",
            "xa/steps.toml:5: steps.a.detail.zh-hans: unknown key (did you mean 'zh-Hans'?), expected one of: en, ru, zh-Hans, zh-Hant",
            "xa/steps.toml:5: steps.a.detail.en: required key missing",
        ],
        id="missing-declared-locale",
    ),
    pytest.param(
        {
            "package.toml": PACKAGE.replace(
                'code = "XA"', 'code = "XA"\nlocales = ["en", "zh-hans"]'
            ),
        },
        [
            "xa/package.toml:3: package.locales[1]: unknown locale 'zh-hans' (did you mean 'zh-Hans'?), expected one of: en, ru, zh-Hans, zh-Hant",
        ],
        id="unknown-declared-locale",
    ),
]


class TestBrokenPackages:
    @pytest.mark.parametrize(("files", "expected"), BROKEN)
    def test_each_problem_is_reported_exactly(self, tmp_path, files, expected):
        """Every kind of broken file gives the exact problem lines expected."""
        assert problems(write(tmp_path, files)) == expected

    def test_every_problem_is_reported_at_once(self, tmp_path):
        """Problems in several files are all reported in one error."""
        folder = write(
            tmp_path,
            {
                "operators/demo.toml": OPERATOR.replace(
                    'kind = "store"', 'kind = "shop"'
                ),
                "sources.toml": SOURCES.replace('kind = "official"', 'kind = "blog"'),
            },
        )
        found = problems(folder)
        assert len(found) == 2
        assert any(p.startswith("xa/operators/demo.toml") for p in found)
        assert any(p.startswith("xa/sources.toml") for p in found)

    def test_claim_sources_cannot_support_facts(self, tmp_path):
        """A claim seen in the wild is never evidence for a fact."""
        folder = write(
            tmp_path,
            {"sources.toml": SOURCES.replace('kind = "official"', 'kind = "claim"')},
        )
        assert any("is a claim seen in the wild" in p for p in problems(folder))

    def test_confidence_cannot_exceed_the_sources(self, tmp_path):
        """A fact backed by news only cannot claim to be verified."""
        folder = write(
            tmp_path,
            {
                "sources.toml": SOURCES.replace('kind = "official"', 'kind = "news"'),
                "operators/demo.toml": OPERATOR.replace(
                    'requires = ["in_country"]',
                    'requires = ["in_country"]\nconfidence = "verified"',
                ),
            },
        )
        assert (
            "xa/operators/demo.toml:13: channels.shop.confidence: got 'verified', but its sources support at most 'reported'"
            in problems(folder)
        )

    def test_error_message_lists_problems(self, tmp_path):
        """str(DataPackageError) is a readable list, one problem a line."""
        folder = write(
            tmp_path,
            {"operators/demo.toml": OPERATOR.replace('name = "Demo"', "name = 5")},
        )
        with pytest.raises(DataPackageError) as e:
            Registry.from_paths(folder).load("XA")
        assert str(e.value).splitlines() == [
            "1 problem in data package:",
            "  xa/operators/demo.toml:2: operator.name: got int 5, expected a string",
        ]

    def test_no_traceback_from_inside_the_loader(self, tmp_path):
        """The error carries no chained exception from the loader's internals."""
        folder = write(tmp_path, {"sources.toml": "[sources.x\n"})
        with pytest.raises(DataPackageError) as e:
            Registry.from_paths(folder).load("XA")
        assert e.value.__cause__ is None
        assert e.value.__context__ is None


class TestInlineWhen:
    """``[steps.<id>] when = …`` is the rule ``[rules.<id>] step = "<id>"``."""

    def test_an_inline_when_is_the_rule_rules_toml_would_give(self, tmp_path):
        """The same Rule, the same Country, the same plans."""
        inline = Registry.from_paths(
            write(tmp_path / "a" / "xa", {"steps.toml": INLINE_STEP})
        )
        split = Registry.from_paths(
            write(
                tmp_path / "b" / "xa",
                {
                    "steps.toml": INLINE_STEP.replace(
                        'when = { field = "arrears", greater_than = "0" }\n', ""
                    ),
                    "rules.toml": INLINE_AS_RULE,
                },
            )
        )
        one, two = inline.load("XA"), split.load("XA")

        assert one.rules["a"] == two.rules["a"]
        assert one.rules["a"].step == "a"
        assert one == two
        for arrears in ("0", "3"):
            situation = simexit.Situation(
                country="XA", arrears=simexit.Money(arrears, "EUR")
            )
            plans = [
                simexit.plan_for(situation, today=TODAY, registry=r)
                for r in (inline, split)
            ]
            assert simexit.to_json(plans[0]) == simexit.to_json(plans[1])
            assert (plans[0].step("a") is not None) is (arrears == "3")

    def test_a_translation_mirror_translates_the_texts_never_the_when(self, tmp_path):
        """locales/ru/steps.toml beside an inline when: its title is merged,
        a when in it is refused (a condition is not a text)."""
        ru = '[steps.a]\ntitle = "а"\n'
        good = write(
            tmp_path / "a" / "xa",
            {"steps.toml": INLINE_STEP, "locales/ru/steps.toml": ru},
        )
        country = Registry.from_paths(good).load("XA")
        assert country.steps["a"].title.get("ru") == "а"
        assert (
            country.rules["a"]
            == Registry.from_paths(
                write(tmp_path / "c" / "xa", {"steps.toml": INLINE_STEP})
            )
            .load("XA")
            .rules["a"]
        )

        bad = write(
            tmp_path / "b" / "xa",
            {
                "steps.toml": INLINE_STEP,
                "locales/ru/steps.toml": ru
                + 'when = { field = "card", equals = "esim" }\n',
            },
        )
        found = problems(bad)
        assert found[0] == (
            "xa/locales/ru/steps.toml:3: steps.a.when.field: is a str in steps.toml, "
            'not a text ({ en = "…" }): only texts are translated'
        )

    def test_every_core_step_carries_its_rule_inline(self):
        """A core step is declared once: its rule is in steps.toml, and no
        core rules.toml repeats it."""
        core = Path(simexit.__file__).parent / "data" / "core"
        country = simexit.load_country("AZ")
        steps = tomllib.loads((core / "steps.toml").read_text("utf-8"))["steps"]

        assert not (core / "rules.toml").exists()
        assert {k for k, v in steps.items() if "when" in v} == set(steps)
        for sid in steps:
            assert country.rules[sid].step == sid


class TestDiscovery:
    def test_bundled_countries(self):
        """AZ, GE, JP, KZ and UZ ship with simexit."""
        assert {"AE", "AZ", "GE", "JP", "KZ", "UZ"} <= set(simexit.countries())

    def test_from_paths_uses_core_and_the_folder(self, tmp_path):
        """A folder that is not installed can be planned against."""
        reg = Registry.from_paths(write(tmp_path, {}))
        assert reg.countries() == ("XA",)
        plan = simexit.plan_for(
            simexit.Situation(country="xa", operator="demo"), registry=reg
        )
        assert plan.step("terminate-subscription") is not None

    def test_unknown_country_lists_what_is_available(self):
        """UnknownCountryError names the code and the available ones."""
        with pytest.raises(
            simexit.UnknownCountryError, match=r"'ZZ' \(available: .*AZ.*GE.*JP.*KZ.*UZ"
        ):
            simexit.load_country("ZZ")

    def test_entry_point_package_is_found(self, installed_example):
        """An installed package is discovered through its entry point."""
        reg = Registry.default()
        assert "XA" in reg.countries()
        country = reg.load("xa")
        assert "example-mobile" in country.operators

    def test_entry_point_package_passes_its_scenarios(self, installed_example):
        """The installed example's own scenario tests pass."""
        from simexit.testing import check_scenarios

        assert check_scenarios("XA", registry=Registry.default()) == []

    def test_two_packages_for_one_country_is_an_error(self, tmp_path):
        """Two sources for one country are reported, never silently picked."""
        a = write(tmp_path / "a", {})
        b = write(tmp_path / "b", {})
        reg = Registry.from_paths(a, b)

        assert reg.countries() == ("XA",)
        with pytest.raises(DataPackageError) as caught:
            reg.load("XA")
        assert str(caught.value).endswith(
            f"XA: provided by more than one package: {a}; {b}"
        )
        assert list(reg.broken()) == ["XA"]

    def test_import_loads_no_data(self):
        """import simexit reads no data file and imports no TOML parser."""
        code = (
            "import sys, simexit\n"
            "assert 'tomllib' not in sys.modules, 'tomllib'\n"
            "assert simexit._loader._default is None\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_concurrent_first_loads_give_one_country(self):
        """Many threads loading at once all get the same validated object."""
        reg = Registry.default()
        results: list[object] = []
        barrier = threading.Barrier(8)

        def load() -> None:
            barrier.wait()
            results.append(reg.load("AZ"))

        threads = [threading.Thread(target=load) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 8
        assert all(r is results[0] for r in results)


class TestRegistryShape:
    """The Registry is an attrs class with private fields, like svcs'."""

    def test_a_slotted_attrs_class_with_private_fields(self, tmp_path):
        import attrs

        reg = Registry.from_paths(write(tmp_path, {}))
        names = [f.name for f in attrs.fields(Registry)]

        assert "_providers" in names
        assert all(name.startswith("_") for name in names)
        assert not hasattr(reg, "__dict__")
        assert repr(reg) == "<simexit.Registry(countries=('XA',))>"

    def test_the_constructor_takes_core_providers_and_compiled(self, tmp_path):
        from simexit._loader import CORE, _bundled

        folder = write(tmp_path, {})
        core = _bundled().joinpath(CORE)
        reg = Registry(core, {"XA": [("xa", folder)]}, compiled=False)

        assert reg.countries() == ("XA",)
        assert reg.load("xa").code == "XA"

    def test_equal_only_to_itself_and_hashable(self, tmp_path):
        folder = write(tmp_path, {})
        a, b = Registry.from_paths(folder), Registry.from_paths(folder)

        assert a != b
        assert a == a
        assert len({a, b, a}) == 2

    def test_to_json_refuses_a_registry(self, tmp_path):
        reg = Registry.from_paths(write(tmp_path, {}))
        with pytest.raises(simexit.InvalidSituationError, match="simexit value"):
            simexit.to_json(reg)


class TestLoaderModules:
    """The loader's stages are modules of their own, read only for TOML."""

    def test_import_does_not_import_the_toml_stages(self):
        code = (
            "import sys, simexit\n"
            "stages = ['simexit._files', 'simexit._merge', 'simexit._checks']\n"
            "assert not [m for m in stages if m in sys.modules], sys.modules\n"
            "simexit.Registry.from_paths  # the registry is there\n"
            "from simexit._loader import PROTECTED_STEPS\n"
            "assert 'block-number' in PROTECTED_STEPS\n"
            "assert 'simexit._checks' in sys.modules\n"
        )
        subprocess.run([sys.executable, "-c", code], check=True)

    def test_an_unknown_name_is_an_attribute_error(self):
        from simexit import _loader

        with pytest.raises(AttributeError, match="no attribute 'nothing'"):
            assert _loader.nothing is None

    def test_the_schema_and_the_loader_use_one_slug(self):
        from simexit import _files, _schema

        assert _files._SLUG.pattern == _files.SLUG_PATTERN
        assert vars(_schema)["SLUG_PATTERN"] is _files.SLUG_PATTERN


class TestDerivedConfidence:
    """One derivation of a fact's confidence, for the loader and the engine."""

    def test_official_sources_verify_others_report(self):
        import datetime as dt

        from simexit._model import Source, SourceKind, derived_confidence

        def source(kind: SourceKind) -> Source:
            return Source(
                id=kind.value,
                kind=kind,
                publisher="p",
                url="https://example.org/",
                language="en",
                retrieved=dt.date(2026, 1, 1),
            )

        sources = {k.value: source(k) for k in (SourceKind.OFFICIAL, SourceKind.NEWS)}

        assert derived_confidence(["news", "official"], sources) is (
            simexit.Confidence.VERIFIED
        )
        assert derived_confidence(["news"], sources) is simexit.Confidence.REPORTED
        assert derived_confidence(["gone"], sources) is simexit.Confidence.REPORTED

    def test_the_engine_uses_the_model_s_derivation(self):
        from simexit import _engine, _model, _steps

        assert vars(_steps)["derived_confidence"] is _model.derived_confidence
        assert not hasattr(_engine, "_derived")
        assert not hasattr(_steps, "supported")
        assert vars(_steps)["FactLike"] is _model.FactLike


GAP_FACT = """
[facts.no-page]
step = "destroy-sim"
text = { en = "We found no page of Demo on this.", zh-Hans = "没有找到。", zh-Hant = "沒有找到。" }
sources = ["terms"]
"""


class TestPlaceholders:
    """A fact marked ``gap = true`` says what was not found: it is not a fact."""

    def plan(self, folder: Path) -> simexit.Plan:
        reg = Registry.from_paths(folder)
        situation = simexit.Situation(
            country="XA", operator="demo", card=simexit.Card.PHYSICAL_SIM
        )
        return simexit.plan_for(situation, registry=reg, today=DAY)

    def step(self, folder: Path, step_id: str) -> simexit.Step:
        return next(s for s in self.plan(folder).steps if s.id == step_id)

    def test_a_placeholder_is_unverified_whatever_it_cites(self, tmp_path):
        """Its official source is where it was looked for, not support."""
        folder = write(tmp_path, {"facts.toml": GAP_FACT + "gap = true\n"})
        fact = Registry.from_paths(folder).load("XA").facts["no-page"]

        assert fact.gap is True
        assert fact.confidence is simexit.Confidence.UNVERIFIED

    def test_a_placeholder_never_raises_a_step(self, tmp_path):
        """A step whose only support is a placeholder is unverified; the same
        text as a fact with an official source verifies it."""
        gap = write(tmp_path / "gap", {"facts.toml": GAP_FACT + "gap = true\n"})
        fact = write(tmp_path / "fact", {"facts.toml": GAP_FACT})

        assert self.step(gap, "destroy-sim").confidence is (
            simexit.Confidence.UNVERIFIED
        )
        assert self.step(fact, "destroy-sim").confidence is (
            simexit.Confidence.VERIFIED
        )

    def test_a_step_that_states_nothing_is_general(self, tmp_path):
        """No facts, no sources: general advice, not verified."""
        step = self.step(write(tmp_path, {}), "destroy-sim")

        assert step.confidence is simexit.Confidence.GENERAL
        assert step.sources == ()

    def test_a_placeholder_cannot_be_stated_verified(self, tmp_path):
        folder = write(
            tmp_path,
            {"facts.toml": GAP_FACT + 'gap = true\nconfidence = "verified"\n'},
        )
        assert (
            "xa/facts.toml:7: facts.no-page.confidence: got 'verified', but a "
            "placeholder (gap = true) is at most 'unverified'" in problems(folder)
        )

    def test_general_is_no_confidence_of_a_fact(self, tmp_path):
        folder = write(tmp_path, {"facts.toml": GAP_FACT + 'confidence = "general"\n'})
        assert any(
            "facts.no-page.confidence: 'general' labels steps" in p
            for p in problems(folder)
        )

    def test_the_data_schema_describes_gap_and_refuses_general(self):
        from simexit._schema import GAP_DESCRIPTION, data_schema

        defs = data_schema()["$defs"]
        assert defs["Fact"]["properties"]["gap"] == {
            "type": "boolean",
            "description": GAP_DESCRIPTION,
        }
        for name in ("Fact", "Channel", "Procedure", "Precondition"):
            options = defs[name]["properties"]["confidence"]["anyOf"]
            enum = next(o["enum"] for o in options if "enum" in o)
            assert "general" not in enum and "unverified" in enum
