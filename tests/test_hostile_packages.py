"""Hostile package folders: refused with file and key path, never a hang.

Each test copies the bundled AZ package to a temporary folder, breaks it the
way an attacker (or a careless author) would, and checks that loading it
raises one DataPackageError naming every problem with its file and key path:
files that are not regular TOML files (FIFOs, directories, links out of the
folder), nesting past MAX_DEPTH, empty files, bad URLs and contacts, facts
that claim more than their sources, and rules that remove a safety step.
The renderers are checked to keep data text inert.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import tomllib
from pathlib import Path
from typing import Any

import pytest

import simexit
from simexit import DataPackageError, Registry
from simexit._loader import MAX_DEPTH, MAX_FILE_BYTES, PROTECTED_STEPS
from simexit._render import render_country, render_markdown, render_text

from .conftest import DATA, TODAY
from .test_mutations import dump_toml

AZERCELL = "operators/azercell.toml"
#: The core rules no package may replace: they keep a person safe.
SAFETY_RULES = [
    "block-number",
    "migrate-linked-accounts",
    "move-whatsapp",
    "move-telegram",
    "move-wechat",
    "move-bank",
]


@pytest.fixture(autouse=True)
def _no_data_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read the folder only through the loader, whatever caches exist.

    The compiled-data cache (being removed) hashes every file before the
    loader looks at it; these tests are about what the loader does.
    """
    try:
        from simexit import _datacache
    except ImportError:  # pragma: no cover - gone already
        return
    monkeypatch.setattr(
        _datacache.DataCache, "locate", classmethod(lambda cls, *args: None)
    )


@pytest.fixture
def az(tmp_path: Path) -> Path:
    folder = tmp_path / "pkg" / "az"
    shutil.copytree(DATA / "az", folder, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def load(folder: Path, timeout: float = 60.0) -> Any:
    """Load *folder* in a thread: the Country, or the DataPackageError raised.

    Fails the test instead of hanging when loading does not finish.
    """
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(Registry.from_paths(folder).load("AZ"))
        except DataPackageError as e:
            result.append(e)
        except BaseException as e:
            result.append(RuntimeError(f"escaped: {e!r}"))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert result, f"loading {folder} did not finish within {timeout}s"
    assert not isinstance(result[0], RuntimeError), result[0]
    return result[0]


def problems(folder: Path) -> list[tuple[str, str, str]]:
    """``(file, key path, message)`` of every problem loading *folder*."""
    got = load(folder)
    assert isinstance(got, DataPackageError), "the package loaded without problems"
    return [(p.file, p.path, p.message) for p in got.problems]


def assert_refused(folder: Path, file: str, path: str, words: str) -> None:
    found = problems(folder)
    assert any(f == file and p == path and words in m for f, p, m in found), (
        f"no problem {file}: {path}: ...{words}... in {found}"
    )


def read(folder: Path, rel: str) -> dict[str, Any]:
    return tomllib.loads((folder / rel).read_text("utf-8"))


def write(folder: Path, rel: str, data: dict[str, Any]) -> None:
    (folder / rel).write_text(dump_toml(data), "utf-8")


def test_the_untouched_copy_loads(az):
    """The baseline: every refusal below comes from the one thing broken."""
    country = load(az)
    assert isinstance(country, simexit.Country)
    assert country.operators["azercell"].domains == ("azercell.com",)


# -- files that are not regular TOML files --------------------------------------


class TestFileTypes:
    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_a_fifo_operator_file_is_refused_without_opening_it(self, az):
        os.mkfifo(az / "operators" / "pipe.toml")
        assert_refused(az, "operators/pipe.toml", "", "FIFO")

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_a_fifo_in_place_of_a_package_file_is_refused(self, az):
        (az / "claims.toml").unlink()
        os.mkfifo(az / "claims.toml")
        assert_refused(az, "claims.toml", "", "FIFO")

    def test_a_directory_named_like_an_operator_file_is_refused(self, az):
        (az / "operators" / "ghost.toml").mkdir()
        assert_refused(az, "operators/ghost.toml", "", "is a directory")

    def test_a_directory_in_place_of_a_package_file_is_refused(self, az):
        (az / "notices.toml").unlink()
        (az / "notices.toml").mkdir()
        assert_refused(az, "notices.toml", "", "is a directory")

    def test_a_symlink_out_of_the_folder_is_refused(self, az, tmp_path):
        outside = tmp_path / "elsewhere.toml"
        shutil.copy(az / AZERCELL, outside)
        (az / "operators" / "stray.toml").symlink_to(outside)
        assert_refused(az, "operators/stray.toml", "", "outside the package")

    def test_a_symlink_to_a_device_is_refused(self, az):
        (az / "operators" / "zero.toml").symlink_to("/dev/zero")
        assert_refused(az, "operators/zero.toml", "", "outside the package")

    def test_a_symlinked_operators_folder_leaving_the_package_is_refused(
        self, az, tmp_path
    ):
        shutil.move(az / "operators", tmp_path / "ops")
        (az / "operators").symlink_to(tmp_path / "ops")
        assert_refused(az, "operators", "", "outside the package")

    def test_a_symlinked_translations_folder_leaving_the_package_is_refused(
        self, az, tmp_path
    ):
        """A folder on the way to a file may be a link too: the mirror files
        under a linked ``locales/`` are not read from outside the package."""
        shutil.move(az / "locales", tmp_path / "elsewhere")
        (az / "locales").symlink_to(tmp_path / "elsewhere")
        assert_refused(az, "locales/ru/steps.toml", "", "outside the package")

    def test_a_broken_symlink_is_refused(self, az):
        (az / "operators" / "gone.toml").symlink_to(az / "nowhere.toml")
        assert_refused(az, "operators/gone.toml", "", "broken or looping")

    def test_a_huge_file_is_refused_without_reading_it(self, az):
        with (az / "notices.toml").open("a", encoding="utf-8") as f:
            f.write("#" * (MAX_FILE_BYTES + 1) + "\n")
        assert_refused(az, "notices.toml", "", "is larger than 4 MiB")

    def test_a_symlink_inside_the_folder_is_read(self, az):
        (az / "shared").mkdir()
        shutil.move(az / "notices.toml", az / "shared" / "notices.toml")
        (az / "notices.toml").symlink_to(Path("shared") / "notices.toml")
        country = load(az)
        assert isinstance(country, simexit.Country)
        assert "az-lookalike-evisa-sites" in country.notices

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
    def test_every_broken_file_is_reported_at_once(self, az):
        os.mkfifo(az / "operators" / "pipe.toml")
        (az / "operators" / "ghost.toml").mkdir()
        (az / "operators" / "bakcell.toml").write_text("", "utf-8")
        found = {(f, m.split(" ")[0]) for f, _, m in problems(az)}
        assert {
            ("operators/pipe.toml", "is"),
            ("operators/ghost.toml", "is"),
            ("operators/bakcell.toml", "file"),
        } <= found


# -- nesting and empty files ------------------------------------------------------


class TestShape:
    def test_5000_levels_of_nesting_is_a_problem_not_a_recursion_error(self, az):
        text = (az / "steps.toml").read_text("utf-8")
        deep = "x = " + "[" * 5000 + "]" * 5000 + "\n"
        (az / "steps.toml").write_text(deep + text, "utf-8")
        assert_refused(az, "steps.toml", "", f"nested deeper than {MAX_DEPTH}")

    def test_nesting_past_the_limit_is_refused_with_its_key_path(self, az):
        value: Any = "deep"
        for _ in range(MAX_DEPTH + 5):
            value = [value]
        data = read(az, "notices.toml")
        data["notices"]["az-lookalike-evisa-sites"]["extra"] = value
        write(az, "notices.toml", data)
        found = problems(az)
        assert [(f, m) for f, p, m in found if p.startswith("notices.")] == [
            ("notices.toml", f"nested deeper than {MAX_DEPTH} levels")
        ]
        [(_, path, _)] = found
        assert path.startswith("notices.az-lookalike-evisa-sites.extra[0]")

    def test_deep_dotted_tables_are_refused(self, az):
        header = ".".join(f"t{i}" for i in range(MAX_DEPTH + 3))
        with (az / "claims.toml").open("a", encoding="utf-8") as f:
            f.write(f"\n[{header}]\nx = 1\n")
        deepest = ".".join(f"t{i}" for i in range(MAX_DEPTH + 1))
        assert problems(az) == [
            ("claims.toml", deepest, f"nested deeper than {MAX_DEPTH} levels")
        ]

    @pytest.mark.parametrize("text", ["", "\n\n", "# nothing but a comment\n"])
    def test_an_empty_package_toml_is_refused(self, az, text):
        (az / "package.toml").write_text(text, "utf-8")
        assert_refused(az, "package.toml", "", "file is empty")

    def test_an_empty_operator_file_is_refused(self, az):
        (az / AZERCELL).write_text("# emptied\n", "utf-8")
        assert_refused(az, AZERCELL, "", "file is empty")

    def test_an_empty_operator_file_is_reported_with_other_problems(self, az):
        (az / "operators" / "nar.toml").write_text("", "utf-8")
        (az / "operators" / "bakcell.toml").write_text("\n", "utf-8")
        found = [(f, m) for f, _, m in problems(az)]
        assert (
            "operators/nar.toml",
            "file is empty: give its tables or delete it",
        ) in found
        assert (
            "operators/bakcell.toml",
            "file is empty: give its tables or delete it",
        ) in found


# -- URLs and contacts --------------------------------------------------------------

#: URLs no source may have, whatever its host.
BAD_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "http://www.azercell.com/",
    "file:///etc/passwd",
    "ftp://azercell.com/",
    "//evil.io/",
    "https://user@evil.io/",
    "https://user:pw@evil.io/",
    "https://evil.io\\@azercell.com/",
    "https://www.azercell.com:8443/",
    "https://www.azercell.com:443/",
    "https://127.0.0.1/",
    "https://[::1]/",
    "https://localhost/",
    "https://azercell.com./",
    "https://AZERCELL.com/",
    "HTTPS://azercell.com/",
    "https://azer cell.com/",
    "https://azercell.com/\u202e/",
    "https://azercell.com/\x1b[31m",
    "https://azercell.com/\nx",
    "https://azercell.com/<script>",
    "https://аzercell.com/",  # Cyrillic а
    "https://-azercell.com/",
    "https:azercell.com",
    "",
]


class TestSourceUrls:
    @pytest.mark.parametrize("url", BAD_URLS)
    def test_a_bad_source_url_is_refused(self, az, url):
        data = read(az, "sources.toml")
        data["sources"]["rabita-mnp"]["url"] = url
        write(az, "sources.toml", data)
        assert_refused(az, "sources.toml", "sources.rabita-mnp.url", "")

    @pytest.mark.parametrize(
        "url",
        [
            "https://news.example.net/a(b)?q=1#frag",
            "https://xn--80ak6aa92e.com/",
            "https://www.example.org/az/sə",
        ],
    )
    def test_any_https_host_may_be_a_source(self, az, url):
        data = read(az, "sources.toml")
        data["sources"]["rabita-mnp"]["url"] = url
        write(az, "sources.toml", data)
        country = load(az)
        assert isinstance(country, simexit.Country)
        assert country.sources["rabita-mnp"].url == url

    def test_a_seed_urn_is_only_for_claim_sources(self, az):
        data = read(az, "sources.toml")
        data["sources"]["rabita-mnp"]["url"] = "urn:simexit:seed:123_abc"
        write(az, "sources.toml", data)
        assert_refused(az, "sources.toml", "sources.rabita-mnp.url", "https://")

    def test_a_claim_source_still_cannot_be_javascript(self, tmp_path):
        core = tmp_path / "core"
        shutil.copytree(DATA / "core", core)
        data = tomllib.loads((core / "sources.toml").read_text("utf-8"))
        data["sources"]["seed-000"]["url"] = "javascript:alert(1)"
        (core / "sources.toml").write_text(dump_toml(data), "utf-8")
        reg = Registry(core, {"AZ": [("az", DATA / "az")]})
        with pytest.raises(DataPackageError) as e:
            reg.load("AZ")
        assert [(p.package, p.file, p.path) for p in e.value.problems] == [
            ("core", "sources.toml", "sources.seed-000.url")
        ]


def _with_channel(folder: Path, kind: str, contact: str) -> None:
    data = read(folder, AZERCELL)
    data["channels"]["extra"] = {
        "kind": kind,
        "contact": contact,
        "name": {"en": "Extra", "ru": "Другое", "zh-Hans": "其他", "zh-Hant": "其他"},
        "sources": ["azercell-complaints"],
    }
    write(folder, AZERCELL, data)


#: Website contacts (and operator websites) refused for Azercell, whose
#: domains are ["azercell.com"]: every bad URL, plus hosts off its domains.
BAD_OWN_URLS = [
    *BAD_URLS,
    "https://azercell.com.evil.io/",
    "https://www.azercell.com.evil.io/",
    "https://evilazercell.com/",
    "https://azercell.co/",
    "https://apps.apple.com/az/app/azercell/id1",
]


class TestContacts:
    @pytest.mark.parametrize("url", BAD_OWN_URLS)
    def test_a_bad_website_contact_is_refused(self, az, url):
        _with_channel(az, "website", url)
        assert_refused(az, AZERCELL, "channels.extra.contact", "")

    @pytest.mark.parametrize("url", BAD_OWN_URLS)
    def test_a_bad_operator_website_is_refused(self, az, url):
        data = read(az, AZERCELL)
        data["operator"]["website"] = url
        write(az, AZERCELL, data)
        assert_refused(az, AZERCELL, "operator.website", "")

    def test_a_lookalike_host_is_named_in_the_message(self, az):
        _with_channel(az, "website", "https://azercell.com.evil.io/login")
        assert_refused(
            az,
            AZERCELL,
            "channels.extra.contact",
            "host 'azercell.com.evil.io' is not one of the operator's domains",
        )

    @pytest.mark.parametrize(
        ("kind", "contact"),
        [
            ("website", "https://azercell.com"),
            ("website", "https://www.azercell.com/en/help?q=1"),
            ("chat", "https://chat.azercell.com/"),
            ("app", "Azercell app (dial *110# for a download link)"),
            ("chat", "Online chat on azercell.com"),
            ("email", "mailto:help@azercell.com"),
            ("email", "mailto:help@mail.azercell.com"),
            ("hotline", "*1111"),
            ("ussd", "*111*1*7#YES"),
            ("sms", "650"),
            ("store", "Azercell offices"),
        ],
    )
    def test_good_contacts_load(self, az, kind, contact):
        _with_channel(az, kind, contact)
        country = load(az)
        assert isinstance(country, simexit.Country)
        assert country.operators["azercell"].channels["extra"].contact == contact

    @pytest.mark.parametrize(
        "contact",
        [
            "help@azercell.com",
            "https://www.azercell.com/",
            "mailto:help@evil.io",
            "mailto:help@azercell.com.evil.io",
            "mailto:help@azercell.com?bcc=x@evil.io",
            "mailto:a@azercell.com,b@evil.io",
            "mailto:@azercell.com",
            "mailto:help@AZERCELL.com",
            "javascript:alert(1)",
        ],
    )
    def test_a_bad_email_contact_is_refused(self, az, contact):
        _with_channel(az, "email", contact)
        assert_refused(az, AZERCELL, "channels.extra.contact", "")

    @pytest.mark.parametrize("kind", ["app", "chat"])
    @pytest.mark.parametrize(
        "contact",
        [
            "javascript:alert(1)",
            "data:text/html,hi",
            "http://www.azercell.com/",
            "file:///etc/passwd",
            "https://user@www.azercell.com/",
            "https://azercell.com.evil.io/",
            "https://apps.apple.com/app/id1",
            "https://play.google.com/store/apps/details?id=x",
            "Get it on azercell.com.evil.io",
            "[Azercell app](https://evil.io)",
            "<https://evil.io>",
            "write to help@evil.io",
            "//evil.io",
        ],
    )
    def test_a_bad_app_or_chat_contact_is_refused(self, az, kind, contact):
        _with_channel(az, kind, contact)
        assert_refused(az, AZERCELL, "channels.extra.contact", "")

    @pytest.mark.parametrize(
        ("domains", "words"),
        [
            (["Azercell.com"], "lower-case DNS name"),
            (["1.2.3.4"], "lower-case DNS name"),
            (["https://azercell.com"], "lower-case DNS name"),
            (["azercell.com", "azercell.com"], "duplicate domain"),
        ],
    )
    def test_bad_domains_are_refused(self, az, domains, words):
        data = read(az, AZERCELL)
        data["operator"]["domains"] = domains
        write(az, AZERCELL, data)
        found = problems(az)
        assert any(
            f == AZERCELL and p.startswith("operator.domains[") and words in m
            for f, p, m in found
        ), found

    def test_domains_are_required(self, az):
        data = read(az, AZERCELL)
        del data["operator"]["domains"]
        write(az, AZERCELL, data)
        assert_refused(az, AZERCELL, "operator.domains", "required key missing")

    def test_every_link_problem_is_reported_at_once(self, az):
        data = read(az, AZERCELL)
        data["operator"]["website"] = "http://www.azercell.com"
        data["channels"]["chat"]["contact"] = "javascript:alert(1)"
        data["channels"]["app"]["contact"] = "https://azercell.com.evil.io"
        write(az, AZERCELL, data)
        paths = {p for f, p, _ in problems(az) if f == AZERCELL}
        assert {
            "operator.website",
            "channels.chat.contact",
            "channels.app.contact",
        } <= paths


# -- facts and safety rules -----------------------------------------------------------


class TestCountryFacts:
    def _fact(self, folder: Path, **changes: Any) -> None:
        data = read(folder, "facts.toml")
        data["facts"]["evisa-same-passport"].update(changes)
        write(folder, "facts.toml", data)

    def test_verified_on_a_third_party_source_is_refused(self, az):
        self._fact(az, sources=["ericsson-esim-patent"], confidence="verified")
        assert_refused(
            az,
            "facts.toml",
            "facts.evisa-same-passport.confidence",
            "its sources support at most 'reported'",
        )

    def test_valid_until_before_valid_from_is_refused(self, az):
        self._fact(az, valid_from=TODAY, valid_until=TODAY)
        assert_refused(
            az,
            "facts.toml",
            "facts.evisa-same-passport.valid_until",
            "must be after valid_from",
        )

    def test_sources_are_required(self, az):
        self._fact(az, sources=[])
        assert_refused(
            az, "facts.toml", "facts.evisa-same-passport.sources", "at least one"
        )

    def test_the_same_checks_as_operator_facts(self, az):
        """The same broken fact gives the same messages in both places."""
        bad: dict[str, Any] = {
            "sources": ["ericsson-esim-patent"],
            "confidence": "verified",
        }
        bad |= {"valid_from": TODAY, "valid_until": TODAY}
        self._fact(az, **bad)
        data = read(az, AZERCELL)
        data["facts"]["postpaid-hold"].update(bad)
        write(az, AZERCELL, data)
        found = problems(az)
        country = sorted(
            (p.rsplit(".", 1)[1], m) for f, p, m in found if f == "facts.toml"
        )
        operator = sorted(
            (p.rsplit(".", 1)[1], m)
            for f, p, m in found
            if f == AZERCELL and p.startswith("facts.postpaid-hold.")
        )
        assert country == operator
        assert len(country) == 2


class TestSafetySteps:
    def test_the_protected_steps_are_named(self):
        assert frozenset(SAFETY_RULES) == PROTECTED_STEPS

    @pytest.mark.parametrize("rule", SAFETY_RULES)
    def test_a_rule_replacing_a_safety_rule_is_refused(self, az, rule):
        """A never-true condition in its place would drop the step."""
        data = read(az, "rules.toml")
        data["rules"]["never"] = {
            "step": rule,
            "replaces": rule,
            "when": {
                "all": [
                    {"field": "card", "equals": "esim"},
                    {"field": "card", "equals": "physical_sim"},
                ]
            },
        }
        write(az, "rules.toml", data)
        assert_refused(
            az,
            "rules.toml",
            "rules.never.replaces",
            f"puts the safety step {rule!r} in the plan and cannot be replaced",
        )

    def test_a_stolen_phone_still_gets_block_number(self, az):
        """The bundled AZ plan for a stolen phone starts with block-number."""
        plan = simexit.plan_for(
            simexit.Situation(
                country="AZ", operator="azercell", device=simexit.Device.STOLEN
            ),
            today=TODAY,
            registry=Registry.from_paths(az),
        )
        assert plan.steps[0].id == "block-number"

    def test_other_core_rules_may_still_be_replaced(self, az):
        data = read(az, "rules.toml")
        data["rules"]["my-backup"] = {
            "step": "backup-data",
            "replaces": "backup-data",
            "when": {"field": "card", "one_of": ["physical_sim", "esim"]},
        }
        write(az, "rules.toml", data)
        country = load(az)
        assert isinstance(country, simexit.Country)
        assert "my-backup" in country.rules
        assert "backup-data" not in country.rules


# -- renderers --------------------------------------------------------------------------

HOSTILE = (
    "[click](javascript:alert(1)) <https://evil.io/a> <img src=x onerror=alert(1)> "
    "see https://evil.io and www.evil.io or mail x@evil.io "
    "\x1b[31mRED\x1b[0m\rOVER\u202eTXT.EXE\x07"
)

#: The target of every real (unescaped) Markdown link.
_LINK = re.compile(r"(?<!\\)\]\(([^)]*)\)")


class TestRenderers:
    @pytest.fixture
    def plan(self, az) -> simexit.Plan:
        data = read(az, AZERCELL)
        data["procedures"]["block"]["detail"] = dict.fromkeys(
            ("en", "zh-Hans", "zh-Hant"), HOSTILE
        )
        data["channels"]["contact-centre"]["name"]["en"] = "*1111 " + HOSTILE
        write(az, AZERCELL, data)
        return simexit.plan_for(
            simexit.Situation(
                country="AZ", operator="azercell", device=simexit.Device.LOST
            ),
            today=TODAY,
            registry=Registry.from_paths(az),
        )

    def test_the_data_text_reaches_the_plan_verbatim(self, plan):
        assert HOSTILE in plan.steps[0].detail
        assert HOSTILE in json.loads(simexit.to_json(plan))["steps"][0]["detail"]

    def test_markdown_makes_data_text_inert(self, plan):
        md = render_markdown(plan)
        assert "\\[click\\](javascript:alert(1))" in md
        assert all(t.startswith("https://") for t in _LINK.findall(md))
        assert re.search(r"(?<!\\)<(https|img)", md) is None
        assert "https://evil.io" not in md  # GFM would link a bare URL
        assert "www.evil.io" not in md
        assert "x@evil.io" not in md
        for ch in "\x1b\r\u202e\x07":
            assert ch not in md

    def test_markdown_links_only_valid_urls(self, plan):
        md = render_markdown(plan)
        targets = _LINK.findall(md)
        assert targets
        assert all(t.startswith("https://") for t in targets), targets

    def test_text_has_no_control_characters(self, plan):
        text = render_text(plan)
        for ch in "\x1b\r\u202e\x07":
            assert ch not in text
        assert "\ufffd[31mRED" in text

    def test_show_has_no_control_characters(self, az):
        data = read(az, AZERCELL)
        data["operator"]["name"] = "Azer\x1b[2Jcell\r"
        data["channels"]["contact-centre"]["contact"] = "*1111\x1b]0;pwned\x07"
        write(az, AZERCELL, data)
        country = load(az)
        shown = render_country(country, "en", TODAY)
        assert "Azer\ufffd[2Jcell" in shown
        for ch in "\x1b\r\x07":
            assert ch not in shown

    def test_a_plan_read_from_json_cannot_smuggle_a_link(self, plan):
        """The renderers check URLs themselves: a plan need not come from
        validated data (from_json)."""
        raw = json.loads(simexit.to_json(plan))
        for step in raw["steps"]:
            for source in step["sources"]:
                source["url"] = "javascript:alert(1)"
                source["publisher"] = "[x](javascript:alert(2))"
        forged = simexit.from_json(json.dumps(raw), simexit.Plan)
        md = render_markdown(forged)
        assert not [t for t in _LINK.findall(md) if not t.startswith("https://")]
        assert "\\[x\\](javascript:alert(2))" in md
        assert "javascript:alert(1)" in md  # shown, as text
