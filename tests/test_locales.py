"""The localisation layer: catalogues, negotiation, mirror files, fallbacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import simexit
from simexit import DataPackageError, Registry, Situation
from simexit._locales import catalogue, negotiate, tags
from simexit._model import Text

from .test_loader import PACKAGE, write

LOCALES = Path(simexit.__file__).parent / "locales"
TODAY = simexit.load_country("AZ").data_as_of

#: An operator written in English only.
ENGLISH_OPERATOR = """\
[operator]
name = "Demo"
kind = "mobile_operator"
cards = ["physical_sim"]
domains = ["example.org"]
sources = ["terms"]

[channels.shop]
kind = "store"
contact = "Demo shops"
name = { en = "Shop" }
requires = ["in_country"]
sources = ["terms"]

[procedures.terminate]
step = "terminate-subscription"
channels = ["shop"]
sources = ["terms"]
"""

NOTICES = """\
[notices.demo-warning]
text = { en = "Keep your receipt." }
"""


def english_only(folder: Path, **extra: str) -> Path:
    files = {"operators/demo.toml": ENGLISH_OPERATOR, "notices.toml": NOTICES}
    files.update({k.replace("__", "/"): v for k, v in extra.items()})
    return write(folder, files)


def load_problems(folder: Path) -> list[str]:
    with pytest.raises(DataPackageError) as e:
        Registry.from_paths(folder).load("XA")
    return [str(p) for p in e.value.problems]


def _keys(table: dict[str, object], prefix: str = "") -> set[str]:
    out = set()
    for key, value in table.items():
        if isinstance(value, dict):
            out |= _keys(value, f"{prefix}{key}.")
        else:
            out.add(prefix + key)
    return out


class TestCatalogues:
    @pytest.mark.parametrize("tag", tags())
    def test_every_catalogue_has_exactly_the_english_keys(self, tag: str) -> None:
        """A catalogue is complete: the keys of en.toml, no more, no less."""
        assert _keys(catalogue(tag)) == _keys(catalogue("en"))

    @pytest.mark.parametrize("tag", tags())
    def test_the_file_name_is_the_tag(self, tag: str) -> None:
        """[locale] tag matches the file name, and Babel knows the locale."""
        from babel import Locale

        meta = catalogue(tag)["locale"]
        assert meta["tag"] == tag
        assert Locale.parse(meta["babel"]) is not None

    def test_the_bundled_locales(self) -> None:
        """en first, then the others; ru is one of them."""
        assert tags() == ("en", "ru", "zh-Hans", "zh-Hant")

    def test_placeholders_are_the_english_ones(self) -> None:
        """A translated word keeps the {placeholders} of the English one
        (punctuation in [format] may leave one out: zh writes no currency code)."""
        import string

        def fields(text: object) -> set[str]:
            if not isinstance(text, str):
                return set()
            return {f for _, f, _, _ in string.Formatter().parse(text) if f}

        en = catalogue("en")
        for tag in tags():
            for section, entries in en.items():
                if section == "format":
                    continue
                for key, word in entries.items():
                    mine = catalogue(tag)[section][key]
                    assert fields(mine) == fields(word), (tag, section, key)


class TestNegotiation:
    @pytest.mark.parametrize(
        ("tag", "expected"),
        [
            ("en", ("en", False)),
            ("en-US", ("en", False)),
            ("EN", ("en", False)),
            ("zh", ("zh-Hans", False)),
            ("zh-CN", ("zh-Hans", False)),
            ("zh-SG", ("zh-Hans", False)),
            ("zh_CN.UTF-8", ("zh-Hans", False)),
            ("zh-Hans-TW", ("zh-Hans", False)),
            ("cmn", ("zh-Hans", False)),
            ("zh-TW", ("zh-Hant", False)),
            ("zh-HK", ("zh-Hant", False)),
            ("zh-MO", ("zh-Hant", False)),
            ("zh-Hant-CN", ("zh-Hant", False)),
            ("yue", ("zh-Hant", False)),
            ("yue-CN", ("zh-Hant", False)),
            ("yue-Hans", ("zh-Hans", False)),
            ("zh-hant", ("zh-Hant", False)),
            ("ru", ("ru", False)),
            ("ru-RU", ("ru", False)),
            ("ru-KZ", ("ru", False)),
            ("ru-AZ", ("ru", False)),
            ("ru_KZ.UTF-8", ("ru", False)),
            ("fr-FR", ("en", True)),
            ("kk", ("en", True)),
            ("", ("en", True)),
            ("C", ("en", True)),
        ],
    )
    def test_table(self, tag: str, expected: tuple[str, bool]) -> None:
        """Real-world tags map to the locales simexit speaks."""
        assert negotiate(tag) == expected


class TestText:
    def test_has_and_fallback(self) -> None:
        """A missing locale falls back to English; has() tells which is which."""
        text = Text(texts={"en": "Hello", "ru": "Привет"})
        assert text.get("ru") == "Привет"
        assert text.get("zh-Hans") == "Hello"
        assert text.has("ru") and not text.has("zh-Hans")
        assert text.locales() == ("en", "ru")

    def test_the_converter_refuses_a_text_without_english(self, tmp_path) -> None:
        """en is required; other locales are optional."""
        folder = english_only(tmp_path, **{"notices.toml": NOTICES.replace("en", "ru")})
        assert load_problems(folder) == [
            "xa/notices.toml:2: notices.demo-warning.text.en: required key missing"
        ]


class TestEnglishOnlyPackage:
    @pytest.mark.parametrize("locale", tags())
    def test_plans_in_every_locale(self, tmp_path, locale: str) -> None:
        """English texts only: a plan in every locale, fallback-language once."""
        reg = Registry.from_paths(english_only(tmp_path))
        plan = simexit.plan_for(
            Situation(country="XA", operator="demo"),
            locale=locale,
            today=TODAY,
            registry=reg,
        )
        ids = [w.id for w in plan.warnings]
        assert plan.locale == locale
        assert ids.count("fallback-language") == (locale != "en")
        assert "Keep your receipt." in [w.text for w in plan.warnings]
        step = plan.step("terminate-subscription")
        assert step is not None and step.channel is not None
        assert step.channel.name.get(locale) == "Shop"

    def test_bundled_data_needs_no_fallback(self) -> None:
        """The bundled packages are complete in zh-Hans: no notice."""
        plan = simexit.plan_for(Situation(country="AZ"), locale="zh-Hans", today=TODAY)
        assert "fallback-language" not in [w.id for w in plan.warnings]

    def test_an_unsupported_tag_gives_locale_fallback_only(self) -> None:
        """An unknown language: English, locale-fallback listing the locales."""
        plan = simexit.plan_for(Situation(country="AZ"), locale="fr", today=TODAY)
        texts = {w.id: w.text for w in plan.warnings}
        assert "fallback-language" not in texts
        assert texts["locale-fallback"].endswith("Available: en, ru, zh-Hans, zh-Hant.")


MIRROR = """\
[notices.demo-warning]
text = "Сохраните чек."
"""


class TestMirrorFiles:
    def test_a_mirror_adds_the_locale(self, tmp_path) -> None:
        """locales/ru/notices.toml gives the notice its Russian text."""
        folder = english_only(tmp_path, **{"locales/ru/notices.toml": MIRROR})
        country = Registry.from_paths(folder).load("XA")
        text = country.notices["demo-warning"].text
        assert text.has("ru") and text.get("ru") == "Сохраните чек."

    def test_a_mirror_of_an_operator(self, tmp_path) -> None:
        """Operator files mirror too, under locales/<tag>/operators/."""
        folder = english_only(tmp_path)
        mirror = folder / "locales" / "ru" / "operators" / "demo.toml"
        mirror.parent.mkdir(parents=True)
        mirror.write_text('[channels.shop]\nname = "Офис"\n', "utf-8")
        op = Registry.from_paths(folder).load("XA").operators["demo"]
        assert op.channels["shop"].name.get("ru") == "Офис"

    def test_the_declared_locale_is_then_complete(self, tmp_path) -> None:
        """Declaring ru with every text mirrored loads; a text missing is named."""
        package = PACKAGE.replace("data_as_of", 'locales = ["en", "ru"]\ndata_as_of')
        folder = english_only(tmp_path, **{"package.toml": package})
        mirrors = folder / "locales" / "ru"
        (mirrors / "operators").mkdir(parents=True)
        (mirrors / "notices.toml").write_text(MIRROR, "utf-8")
        assert load_problems(folder) == [
            "xa/operators/demo.toml:11: channels.shop.name: no ru text, but "
            "package.toml declares locales = ['en', 'ru'] (add it inline or in "
            "locales/ru/operators/demo.toml)"
        ]
        (mirrors / "operators" / "demo.toml").write_text(
            '[channels.shop]\nname = "Офис"\n', "utf-8"
        )
        assert Registry.from_paths(folder).load("XA").code == "XA"

    def test_every_problem_is_reported_with_file_and_key(self, tmp_path) -> None:
        """Each mistake of L10N.md, all at once, with the mirror's file and key."""
        folder = english_only(
            tmp_path, **{"notices.toml": NOTICES.replace(" }", ', ru = "Чек." }')}
        )
        ru = folder / "locales" / "ru"
        ru.mkdir(parents=True)
        (ru / "notices.toml").write_text(
            "[notices.demo-warning]\n"
            'text = "Сохраните чек."\n'  # given inline too
            'when = "в стране"\n'  # not a text in the original
            'colour = "красный"\n'  # not in the original
            "[notices.other]\n"  # no such notice
            'text = "Нет"\n',
            "utf-8",
        )
        (ru / "steps.toml").write_text("[steps.a]\ntitle = 'a'\n", "utf-8")
        ops = ru / "operators"
        ops.mkdir()
        (ops / "demo.toml").write_text(
            "[channels.shop]\nname = 3\nkind = 'магазин'\n", "utf-8"
        )
        (folder / "locales" / "xx").mkdir()
        assert load_problems(folder) == [
            "xa/locales/ru/notices.toml:2: notices.demo-warning.text: ru is given "
            "twice: inline in notices.toml too",
            "xa/locales/ru/notices.toml:3: notices.demo-warning.when: not in "
            "notices.toml",
            "xa/locales/ru/notices.toml:4: notices.demo-warning.colour: not in "
            "notices.toml",
            "xa/locales/ru/notices.toml:5: notices.other: not in notices.toml",
            "xa/locales/ru/operators/demo.toml:2: channels.shop.name: got int 3, "
            "expected the ru text",
            "xa/locales/ru/operators/demo.toml:3: channels.shop.kind: is a str in "
            'operators/demo.toml, not a text ({ en = "…" }): only texts are '
            "translated",
            "xa/locales/ru/steps.toml: mirrors steps.toml, which does not exist",
            "xa/locales/xx: unknown locale 'xx'; simexit speaks: en, ru, zh-Hans, "
            "zh-Hant",
        ]

    def test_a_mirror_must_be_a_regular_file(self, tmp_path) -> None:
        """Mirrors go through the data-file checks: a FIFO is refused."""
        folder = english_only(tmp_path)
        ru = folder / "locales" / "ru"
        ru.mkdir(parents=True)
        os.mkfifo(ru / "notices.toml")
        problems = load_problems(folder)
        assert problems == [
            "xa/locales/ru/notices.toml: is not a regular file (a FIFO, socket "
            "or device), expected a TOML file"
        ]


class TestAddingALocaleIsData:
    def test_a_new_catalogue_file_is_a_new_locale(self, tmp_path) -> None:
        """de.toml in SIMEXIT_LOCALE_PATH: plans in German, no Python edited."""
        en = (LOCALES / "en.toml").read_text("utf-8")
        de = en.replace('tag = "en"', 'tag = "de"').replace(
            'babel = "en"', 'babel = "de"'
        )
        de = de.replace('languages = ["en"]', 'languages = ["de"]')
        de = de.replace('default-for = ["en"]', 'default-for = ["de"]')
        de = de.replace('steps = "Steps"', 'steps = "Schritte"')
        (tmp_path / "de.toml").write_text(de, "utf-8")
        assert tomllib.loads(de)["locale"]["tag"] == "de"
        env = {**os.environ, "SIMEXIT_LOCALE_PATH": str(tmp_path)}
        args = [sys.executable, "-m", "simexit", "plan", "--country", "AZ"]
        args += ["--today", TODAY.isoformat(), "--lang", "de-AT"]
        done = subprocess.run(
            [*args, "--format", "json"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        plan = json.loads(done.stdout)
        assert plan["locale"] == "de"
        assert [w["id"] for w in plan["warnings"]].count("fallback-language") == 1
        text = subprocess.run(args, env=env, capture_output=True, text=True)
        assert "SCHRITTE" in text.stdout


def test_only_one_module_names_locales() -> None:
    """Locale tags appear in _locales.py only: the rest asks it."""
    import re

    named = re.compile(r"zh[-_]han[st]|[\"']ru[\"']", re.I)
    source = Path(simexit.__file__).parent
    found = [
        f"{path.name}:{n}"
        for path in sorted(source.glob("*.py"))
        if path.name != "_locales.py"
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if named.search(line)
    ]
    assert found == []


class TestMirroredCore:
    def test_templates_are_checked_in_every_locale_present(self, tmp_path) -> None:
        """A ru template from a mirror file gets the placeholder check too."""
        from .test_hostile_data import Copy
        from .test_mutations import dump_toml

        copy = Copy(tmp_path / "data")
        mirror = copy.root / "core" / "locales" / "ru" / "vocabulary.toml"
        data = tomllib.loads(mirror.read_text("utf-8"))
        data["templates"]["equals"] = "{field}: {value.__class__}"
        mirror.write_text(dump_toml(data), "utf-8")
        with pytest.raises(DataPackageError) as caught:
            copy.registry("AZ").load("AZ")
        found = [(p.file, p.path) for p in caught.value.problems]
        assert found == [("vocabulary.toml", "templates.equals.ru")]

    def test_a_core_mirror_translates_the_plan(self, tmp_path) -> None:
        """The mirrored ru text is what a ru plan shows."""
        from .test_hostile_data import Copy
        from .test_mutations import dump_toml

        copy = Copy(tmp_path / "data")
        mirror = copy.root / "core" / "locales" / "ru" / "notices.toml"
        data = tomllib.loads(mirror.read_text("utf-8"))
        data["notices"]["scam-third-party-agents"]["text"] = "Не платите посредникам."
        mirror.write_text(dump_toml(data), "utf-8")
        plan = simexit.plan_for(
            Situation(country="AZ"),
            locale="ru",
            today=TODAY,
            registry=copy.registry("AZ"),
        )
        texts = {w.id: w.text for w in plan.warnings}
        assert texts["scam-third-party-agents"] == "Не платите посредникам."
        assert "fallback-language" not in texts  # core and AZ are complete in ru
