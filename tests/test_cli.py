"""The simexit command line: every command, every flag, every bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import simexit
from simexit import Billing, Card, Device, Location, Money, Situation
from simexit._newcountry import create
from simexit.cli import build_parser, situation_from_args

from .conftest import Run

ROOT = Path(__file__).resolve().parent.parent
AZ_DATA = ROOT / "src" / "simexit" / "data" / "az"
DAY = dt.date(2026, 11, 23)
ACCEPTANCE = [
    "plan", "--country", "AZ", "--operator", "azercell", "--card", "esim",
    "--arrears", "4.50", "--balance", "3.20", "--abroad", "--lang", "zh-Hans",
]  # fmt: skip


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(extra)
    return env


def situation_of(*args: str) -> Situation:
    return situation_from_args(build_parser().parse_args(["plan", *args]))


def assert_one_line_error(code: int, out: str, err: str) -> None:
    assert code == 2
    assert out == ""
    assert err.endswith("\n")
    assert err.count("\n") == 1, err
    assert err.startswith("simexit")
    assert "Traceback" not in err


class TestPlanFlags:
    @pytest.mark.parametrize(
        ("args", "field", "value"),
        [
            (["--operator", "Azercell"], "operator", "azercell"),
            (["--card", "esim"], "card", Card.ESIM),
            (["--card", "travel-esim"], "card", Card.TRAVEL_ESIM),
            (["--card", "travel_esim"], "card", Card.TRAVEL_ESIM),
            (["--card", "Tourist-Card"], "card", Card.TOURIST_CARD),
            (["--billing", "postpaid"], "billing", Billing.POSTPAID),
            (["--billing", "unknown"], "billing", None),
            (["--abroad"], "location", Location.ABROAD),
            (["--in-country"], "location", Location.IN_COUNTRY),
            (["--device", "in-hand"], "device", Device.IN_HAND),
            (["--device", "stolen"], "device", Device.STOLEN),
            (["--owner"], "registered_owner", True),
            (["--not-owner"], "registered_owner", False),
            (["--has-id"], "has_id_document", True),
            (["--no-id"], "has_id_document", False),
            (["--keep-number"], "keep_number", True),
            ([], "keep_number", False),
            (["--linked-accounts", "yes"], "linked_accounts", True),
            (["--linked-accounts", "no"], "linked_accounts", False),
            (["--autopay", "no"], "autopay", False),
            (["--autopay", "unknown"], "autopay", None),
            (["--other-esim-profiles", "yes"], "other_esim_profiles", True),
            (["--accounts", "whatsapp,bank"], "accounts", {"whatsapp", "bank"}),
            (["--accounts", " Telegram , wechat"], "accounts", {"telegram", "wechat"}),
            (["--no-accounts"], "accounts", frozenset()),
            ([], "accounts", None),
        ],
    )
    def test_flag_sets_field(self, args: list[str], field: str, value: object) -> None:
        """Each flag sets its Situation field."""
        situation = situation_of("--country", "az", *args)

        assert getattr(situation, field) == value

    def test_left_out_means_unknown(self) -> None:
        """Without flags every optional field is None, never 'no'."""
        situation = situation_of("--country", "AZ")

        assert situation == Situation(country="AZ")

    def test_amounts_default_to_the_country_currency(self) -> None:
        """--arrears and --balance are in the country's currency by default."""
        situation = situation_of("--country", "KZ", "--arrears", "10", "--balance", "0")
        currency = simexit.load_country("KZ").currency

        assert situation.arrears == Money("10", currency)
        assert situation.balance == Money("0", currency)

    def test_currency_flag(self) -> None:
        """--currency sets the currency of both amounts."""
        situation = situation_of(
            "--country", "AZ", "--arrears", "4.5", "--currency", "usd"
        )

        assert situation.arrears == Money(Decimal("4.5"), "USD")


class TestPlan:
    def test_acceptance_command_prints_chinese(self, run: Run) -> None:
        """The issue's command prints a Simplified Chinese plan for a phone."""
        code, out, err = run(*ACCEPTANCE)
        plan = simexit.plan_for(situation_of(*ACCEPTANCE[1:]), locale="zh-Hans")

        assert code == 0
        assert err == ""
        assert out.startswith("计划：阿塞拜疆\n")
        assert "欠费：4.50 阿塞拜疆马纳特" in out
        for heading in ("步骤", "来源"):
            assert f"\n{heading}\n" in out
        for i, step in enumerate(plan.steps, 1):
            assert f"{i}. " in out
            assert step.title[:6] in out

    def test_json_is_to_json_of_plan_for(self, run: Run) -> None:
        """--format json prints exactly simexit.to_json(simexit.plan_for(...))."""
        args = [*ACCEPTANCE, "--format", "json", "--today", "2026-11-23"]
        code, out, _ = run(*args)
        situation = situation_of(*ACCEPTANCE[1:])
        expected = simexit.to_json(
            simexit.plan_for(situation, locale="zh-Hans", today=DAY)
        )

        assert code == 0
        assert out == expected + "\n"
        assert json.loads(out)["locale"] == "zh-Hans"

    def test_json_round_trips(self, run: Run) -> None:
        """The JSON printed parses back into an equal Plan."""
        _, out, _ = run(*ACCEPTANCE, "--format", "json")

        assert simexit.to_json(simexit.from_json(out, simexit.Plan)) == out.strip()

    def test_markdown(self, run: Run) -> None:
        """--format markdown prints a Markdown document."""
        code, out, _ = run(*ACCEPTANCE, "--format", "markdown")

        assert code == 0
        assert out.startswith("# 计划：阿塞拜疆\n")
        assert "\n## 步骤\n" in out

    @pytest.mark.parametrize(
        ("tag", "heading"),
        [("zh-CN", "步骤"), ("zh-TW", "步驟"), ("zh-HK", "步驟"), ("en-US", "STEPS")],
    )
    def test_lang_is_negotiated(self, run: Run, tag: str, heading: str) -> None:
        """Real-world tags pick the matching locale."""
        _, out, _ = run("plan", "--country", "AZ", "--lang", tag)

        assert f"\n{heading}\n" in out

    def test_unsupported_lang_falls_back_with_a_notice(self, run: Run) -> None:
        """An unsupported language gives English and says so."""
        code, out, _ = run(
            "plan", "--country", "AZ", "--lang", "fr", "--format", "json"
        )

        assert code == 0
        plan = json.loads(out)
        assert plan["locale"] == "en"
        assert "locale-fallback" in [w["id"] for w in plan["warnings"]]

    def test_today_selects_the_day(self, run: Run) -> None:
        """--today is the plan's day."""
        _, out, _ = run(
            "plan", "--country", "AZ", "--today", "2027-01-31", "--format", "json"
        )

        assert json.loads(out)["today"] == "2027-01-31"

    def test_lost_phone_is_urgent(self, run: Run) -> None:
        """A lost phone's plan starts with an urgent step, marked as such."""
        _, out, _ = run(
            "plan", "--country", "AZ", "--device", "lost", "--lang", "zh-Hant"
        )

        assert "\n1. " in out
        first = out.split("\n1. ", 1)[1].split("\n2. ", 1)[0]
        assert "緊急" in first


class TestBadInput:
    @pytest.mark.parametrize(
        "args",
        [
            ["plan"],
            ["plan", "--country", "A"],
            ["plan", "--country", "XX"],
            ["plan", "--country", "AZ", "--operator", "nosuch"],
            ["plan", "--country", "AZ", "--card", "nano"],
            ["plan", "--country", "AZ", "--billing", "monthly"],
            ["plan", "--country", "AZ", "--arrears", "abc"],
            ["plan", "--country", "AZ", "--arrears", "4,50"],
            ["plan", "--country", "AZ", "--arrears", "-1"],
            ["plan", "--country", "AZ", "--arrears", "NaN"],
            ["plan", "--country", "AZ", "--arrears", "1e10"],
            ["plan", "--country", "AZ", "--balance", "inf"],
            ["plan", "--country", "AZ", "--arrears", "1", "--currency", "XYZW"],
            ["plan", "--country", "AZ", "--currency", "ABC"],
            ["plan", "--country", "AZ", "--abroad", "--in-country"],
            ["plan", "--country", "AZ", "--owner", "--not-owner"],
            ["plan", "--country", "AZ", "--has-id", "--no-id"],
            ["plan", "--country", "AZ", "--device", "broken"],
            ["plan", "--country", "AZ", "--linked-accounts", "maybe"],
            ["plan", "--country", "AZ", "--autopay", "1"],
            ["plan", "--country", "AZ", "--other-esim-profiles", ""],
            ["plan", "--country", "AZ", "--today", "23.11.2026"],
            ["plan", "--country", "AZ", "--today", "2026-02-30"],
            ["plan", "--country", "AZ", "--today", "20261123"],
            ["plan", "--country", "AZ", "--format", "pdf"],
            ["plan", "--country", "AZ", "--arrears"],
            ["plan", "--country", "AZ", "--no-such-flag"],
            [],
            ["nosuch"],
            ["show"],
            ["show", "XX"],
            ["show", "123"],
            ["validate"],
            ["new-country", "AM"],
            ["new-country", "EU", "--output", "somewhere"],
            ["new-country", "AZ", "--output", "somewhere"],
            ["schema"],
            ["schema", "everything"],
        ],
    )
    def test_one_line_and_exit_2(self, run: Run, args: list[str]) -> None:
        """Bad input ends in exit 2 and exactly one line on stderr."""
        assert_one_line_error(*run(*args))

    @pytest.mark.parametrize(
        ("args", "says"),
        [
            (["plan", "--country", "AZ", "--card", "nano"],
             "physical-sim, esim, travel-esim, tourist-card"),
            (["plan", "--country", "XX"], "available: AE, AZ, GE, JP, KZ, UZ"),
            (["plan", "--country", "AZ", "--operator", "nosuch"], "azercell"),
            (["plan", "--country", "AZ", "--arrears", "abc"], "4.50"),
            (["plan", "--country", "AZ", "--today", "x"], "YYYY-MM-DD"),
            (["plan", "--country", "AZ", "--autopay", "1"], "yes, no or unknown"),
            (["plan"], "--country"),
        ],
    )  # fmt: skip
    def test_says_what_is_allowed(self, run: Run, args: list[str], says: str) -> None:
        """The line says what was wrong and what is allowed."""
        _, _, err = run(*args)

        assert says in err

    def test_broken_data_is_one_line(
        self, run: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A DataPackageError becomes one line too, with a pointer to validate."""
        problems = tuple(
            simexit.Problem("az", "sources.toml", f"sources.s{i}.url", "bad")
            for i in range(3)
        )

        def broken(*args: object, **kwargs: object) -> simexit.Plan:
            raise simexit.DataPackageError(problems)

        monkeypatch.setattr(simexit, "plan_for", broken)
        code, out, err = run("plan", "--country", "AZ")

        assert_one_line_error(code, out, err)
        assert "and 2 more" in err
        assert "simexit validate" in err

    def test_no_traceback_from_the_real_program(self) -> None:
        """python -m simexit with a bad value prints no traceback."""
        result = subprocess.run(
            [sys.executable, "-m", "simexit", "plan", "--country", "AZ", "--card", "x"],
            capture_output=True,
            text=True,
            env=subprocess_env(),
        )

        assert_one_line_error(result.returncode, result.stdout, result.stderr)


class TestInteractive:
    def test_dont_know_answers_are_unknown(self, run: Run) -> None:
        """'?' and an empty line leave the fields unknown (None)."""
        answers = "\n".join(
            # "2" is AZ: the countries are numbered in order of their codes (AE first)
            ["2", "1", "?", "", "?", "?", "?", "?", "?", "?", "?", "?", "?", "?"]
        )
        code, out, _ = run("plan", "--interactive", "--format", "json", stdin=answers)
        situation = json.loads(out)["situation"]

        assert code == 0
        assert situation["country"] == "AZ"
        assert situation["card"] == "physical_sim"
        for field in (
            "operator", "location", "device", "billing", "arrears", "balance",
            "registered_owner", "has_id_document", "linked_accounts", "autopay",
        ):  # fmt: skip
            assert situation[field] is None, field
        assert situation["keep_number"] is False

    def test_answers_fill_the_situation(self, run: Run) -> None:
        """Numbered answers, words and amounts fill the matching fields."""
        answers = [
            "az", "esim", "azercell", "2", "1", "prepaid", "4.50", "0",
            "y", "no", "2", "yes", "1, bank", "n", "1",
        ]  # fmt: skip
        _, out, _ = run(
            "plan", "--interactive", "--format", "json", stdin="\n".join(answers)
        )
        situation = json.loads(out)["situation"]

        assert situation["operator"] == "azercell"
        assert situation["card"] == "esim"
        assert situation["location"] == "abroad"
        assert situation["device"] == "in_hand"
        assert situation["billing"] == "prepaid"
        assert situation["arrears"] == {"amount": "4.50", "currency": "AZN"}
        assert situation["balance"] == {"amount": "0", "currency": "AZN"}
        assert situation["registered_owner"] is True
        assert situation["has_id_document"] is False
        assert situation["keep_number"] is False
        assert situation["linked_accounts"] is True
        assert situation["accounts"] == ["bank", "whatsapp"]  # "1, bank"
        assert situation["autopay"] is False
        assert situation["other_esim_profiles"] is True

    def test_flags_given_are_not_asked(self, run: Run) -> None:
        """Only what the flags leave out is asked."""
        _, _, err = run(
            "plan", "--interactive", "--country", "AZ", "--card", "tourist-card",
            "--operator", "asan-visa", stdin="2\n",
        )  # fmt: skip

        assert "Which country" not in err
        assert "What do you want to end" not in err
        assert "Where are you now?" in err

    def test_irrelevant_questions_are_skipped(self, run: Run) -> None:
        """An e-visa is not asked about money owed or the phone."""
        _, _, err = run(
            "plan", "--interactive", "--country", "AZ", "--card", "tourist-card",
            stdin="?\n?\n",
        )  # fmt: skip

        assert "owe" not in err
        assert "phone" not in err

    def test_prompts_go_to_stderr(self, run: Run) -> None:
        """The plan on stdout is not mixed with the questions."""
        code, out, err = run(
            "plan", "--interactive", "--country", "AZ", "--format", "json",
            stdin="1\n" + "\n" * 20,
        )  # fmt: skip

        assert code == 0
        json.loads(out)
        assert "I don't know" in err

    @pytest.mark.parametrize(
        ("tag", "question", "dont_know"),
        [
            ("zh-CN", "这张 SIM 卡、eSIM 或电子签证是哪个国家的？", "不知道"),
            ("zh-TW", "這張 SIM 卡、eSIM 或電子簽證是哪個國家的？", "不知道"),
            (
                "en",
                "Which country is the SIM card, eSIM or e-visa from?",
                "I don't know",
            ),
        ],
    )
    def test_questions_in_the_chosen_language(
        self, run: Run, tag: str, question: str, dont_know: str
    ) -> None:
        """Questions and the don't-know answer are in the --lang language."""
        _, _, err = run(
            "plan", "--interactive", "--lang", tag, stdin="1\n1\n" + "?\n" * 12
        )

        assert question in err
        assert f"?  {dont_know}" in err

    def test_dont_know_the_country_explains_and_asks_again(self, run: Run) -> None:
        """The country is needed: 'don't know' gets a hint, then the question."""
        code, out, err = run(
            "plan", "--interactive", "--format", "json", stdin="?\n5\n1\n" + "?\n" * 12
        )

        assert code == 0
        assert "simexit needs the country" in err
        assert json.loads(out)["situation"]["country"] == "KZ"  # AE, AZ, GE, JP, KZ, UZ

    def test_unclear_answer_is_asked_again(self, run: Run) -> None:
        """An answer that is not an option repeats the request."""
        code, out, err = run(
            "plan", "--interactive", "--country", "AZ", "--card", "esim",
            "--format", "json", stdin="9\nbakcell\n" + "?\n" * 12,
        )  # fmt: skip

        assert code == 0
        assert "Please type one of the numbers shown" in err
        assert json.loads(out)["situation"]["operator"] == "bakcell"

    def test_unclear_amount_is_asked_again(self, run: Run) -> None:
        """An amount that is not a number repeats the request."""
        code, out, err = run(
            "plan", "--interactive", "--country", "AZ", "--card", "esim",
            "--operator", "nar", "--format", "json",
            stdin="?\n?\n?\nfour\n4\n" + "?\n" * 10,
        )  # fmt: skip

        assert code == 0
        assert "Please type an amount" in err
        assert json.loads(out)["situation"]["arrears"]["amount"] == "4"

    def test_end_of_input_before_the_country(self, run: Run) -> None:
        """Input that ends before the country is known is a usage error."""
        code, out, err = run("plan", "--interactive", stdin="")

        assert code == 2
        assert out == ""
        assert err.splitlines()[-1].startswith("simexit plan: error:")
        assert "--country" in err.splitlines()[-1]

    def test_end_of_input_later_means_unknown(self, run: Run) -> None:
        """Once country and card are known, running out of input is 'don't know'."""
        code, out, _ = run("plan", "--interactive", "--format", "json", stdin="1\n1\n")

        assert code == 0
        assert json.loads(out)["situation"]["operator"] is None


class TestCountries:
    def test_lists_codes_and_names(self, run: Run) -> None:
        """Every available country, with its CLDR name."""
        code, out, _ = run("countries")

        lines = out.splitlines()

        assert code == 0
        assert [line.split()[0] for line in lines] == list(simexit.countries())
        assert "AZ  Azerbaijan" in lines
        assert "GE  Georgia" in lines
        assert "JP  Japan" in lines
        assert "KZ  Kazakhstan" in lines
        assert "UZ  Uzbekistan" in lines

    def test_names_in_chinese(self, run: Run) -> None:
        """--lang names the countries in that language."""
        _, out, _ = run("countries", "--lang", "zh-Hant")

        assert "AZ  亞塞拜然" in out.splitlines()


class TestShow:
    def test_operators_channels_and_data(self, run: Run) -> None:
        """show CODE lists operators, channels, data date and official share."""
        code, out, _ = run("show", "az", "--today", "2026-11-23")
        country = simexit.load_country("AZ")

        assert code == 0
        assert out.startswith("Azerbaijan (AZ)\n")
        for op in country.operators.values():
            assert f"{op.id} — {op.name}" in out
        assert "Facts with an official source: " in out
        assert f"version {country.data_version}" in out

    def test_in_chinese(self, run: Run) -> None:
        """show speaks the --lang language."""
        _, out, _ = run("show", "KZ", "--lang", "zh-Hans")

        assert out.startswith("哈萨克斯坦（KZ）\n")
        assert "有官方来源的事实：" in out


@pytest.fixture
def skeleton(tmp_path: Path) -> Path:
    """A package made by `simexit new-country AM`."""
    out = tmp_path / "simexit-am"
    create("am", out)
    return out


class TestValidate:
    def test_bundled_package_is_ok(self, run: Run) -> None:
        """A valid package prints OK and exits 0."""
        code, out, _ = run("validate", str(AZ_DATA))

        assert (code, out) == (0, "OK\n")

    def test_every_problem_as_file_line_path_message(
        self, run: Run, skeleton: Path
    ) -> None:
        """Each problem is one line: file:line: key.path: message; exit 1."""
        op = skeleton / "src" / "simexit_am" / "operators" / "example-operator.toml"
        broken = op.read_text("utf-8").replace('kind = "store"', 'kind = "shop"')
        broken += (
            '\n[channels.phone]\nkind = "hotline"\ncontact = "100"\n'
            'name = { en = "a", zh-Hans = "b", zh-Hant = "c" }\nsources = ["nope"]\n'
        )
        op.write_text(broken, "utf-8")
        code, out, _ = run("validate", str(skeleton))
        lines = out.splitlines()

        assert code == 1
        assert len(lines) >= 2
        for line in lines:
            assert re.match(rf"^{re.escape(str(op))}:\d+: channels\.\S+: .+", line)
        assert any("'shop'" in line and "store" in line for line in lines)
        assert any("'nope'" in line for line in lines)

    def test_folder_without_package(self, run: Run, tmp_path: Path) -> None:
        """A folder that is no package is a problem, reported the same way."""
        code, out, _ = run("validate", str(tmp_path))

        assert code == 1
        assert out.startswith(str(tmp_path / "package.toml") + ": ")

    def test_several_paths(self, run: Run, skeleton: Path) -> None:
        """Several packages are validated in one call."""
        code, out, _ = run("validate", str(AZ_DATA), str(skeleton))

        assert (code, out) == (0, "OK\n")


class TestNewCountry:
    def test_creates_a_complete_project(self, skeleton: Path) -> None:
        """pyproject with the entry point, data files, scenarios and a test."""
        data = skeleton / "src" / "simexit_am"
        pyproject = (skeleton / "pyproject.toml").read_text("utf-8")

        assert (
            '[project.entry-points."simexit.countries"]\nAM = "simexit_am"' in pyproject
        )
        for name in (
            "package.toml", "sources.toml", "scenarios.toml", "__init__.py",
            "operators/example-operator.toml",
        ):  # fmt: skip
            assert (data / name).is_file(), name
        assert (skeleton / "tests" / "test_scenarios.py").is_file()

    def test_data_comes_from_cldr(self, skeleton: Path) -> None:
        """Currency and languages are filled in from CLDR."""
        package = (skeleton / "src" / "simexit_am" / "package.toml").read_text("utf-8")

        assert 'currency = "AMD"' in package
        assert 'languages = ["hy"]' in package

    def test_placeholder_sources_say_to_replace_them(self, skeleton: Path) -> None:
        """The placeholder URL is marked for replacement."""
        sources = (skeleton / "src" / "simexit_am" / "sources.toml").read_text("utf-8")

        assert "REPLACE" in sources
        assert re.search(r'url = "https://[^"]+\.example/', sources)

    def test_validate_accepts_it(self, run: Run, skeleton: Path) -> None:
        """The skeleton passes `simexit validate`, given the project or data folder."""
        assert run("validate", str(skeleton))[:2] == (0, "OK\n")
        assert run("validate", str(skeleton / "src" / "simexit_am"))[:2] == (0, "OK\n")

    def test_its_scenario_test_passes(self, skeleton: Path) -> None:
        """The skeleton's own tests pass as generated."""
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=skeleton,
            capture_output=True,
            text=True,
            env=subprocess_env(),
        )

        assert result.returncode == 0, result.stdout + result.stderr
        assert "4 passed" in result.stdout

    def test_installed_it_appears_in_countries(
        self, skeleton: Path, tmp_path: Path
    ) -> None:
        """pip installs it, and simexit then lists and plans for the country.

        Installed into a separate target folder rather than the shared venv,
        so other tests never see a stray country.
        """
        target = tmp_path / "site"
        subprocess.run(
            [
                sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                "--no-index", "--no-build-isolation", "--target", str(target),
                str(skeleton),
            ],
            check=True,
            capture_output=True,
            env=subprocess_env(),
        )  # fmt: skip
        env = subprocess_env(PYTHONPATH=str(target))

        countries = subprocess.run(
            [sys.executable, "-m", "simexit", "countries"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        plan = subprocess.run(
            [sys.executable, "-m", "simexit", "plan", "--country", "am",
             "--operator", "example-operator", "--format", "json"],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip

        assert "AM  Armenia" in countries.stdout.splitlines()
        assert json.loads(plan.stdout)["situation"]["country"] == "AM"

    def test_refuses_a_non_empty_folder(self, run: Run, skeleton: Path) -> None:
        """An existing, non-empty --output is left alone."""
        assert_one_line_error(*run("new-country", "KG", "--output", str(skeleton)))

    def test_refuses_a_country_that_has_data(self, run: Run, tmp_path: Path) -> None:
        """A country with a package already is not scaffolded again."""
        code, out, err = run("new-country", "kz", "--output", str(tmp_path / "x"))

        assert_one_line_error(code, out, err)
        assert "already has a data package" in err
        assert not (tmp_path / "x").exists()

    def test_report_names_the_next_steps(self, run: Run, tmp_path: Path) -> None:
        """The command lists what it wrote and how to check it."""
        code, out, _ = run("new-country", "KG", "--output", str(tmp_path / "kg"))

        assert code == 0
        assert "Kyrgyzstan (KG)" in out
        assert f"simexit validate {tmp_path / 'kg'}" in out


class TestSchema:
    @pytest.mark.parametrize("which", ["data", "plan"])
    def test_prints_the_schema(self, run: Run, which: str) -> None:
        """schema data|plan prints simexit._schema's JSON Schema."""
        schema_module = pytest.importorskip("simexit._schema")
        code, out, _ = run("schema", which)

        assert code == 0
        assert json.loads(out) == getattr(schema_module, f"{which}_schema")()

    def test_missing_schema_module(
        self, run: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without simexit._schema the command says so in one line."""
        monkeypatch.setitem(sys.modules, "simexit._schema", None)
        code, out, err = run("schema", "plan")

        assert code == 1
        assert out == ""
        assert err.count("\n") == 1


class TestProgram:
    def test_python_dash_m_is_the_same_program(self) -> None:
        """python -m simexit runs the CLI."""
        result = subprocess.run(
            [sys.executable, "-m", "simexit", "countries"],
            capture_output=True,
            text=True,
            env=subprocess_env(),
        )

        assert result.returncode == 0
        assert "AZ  Azerbaijan" in result.stdout

    def test_version(self, run: Run) -> None:
        """--version prints the library's version."""
        assert run("--version")[:2] == (0, f"simexit {simexit.__version__}\n")

    def test_help_exits_0(self, run: Run) -> None:
        """--help is not an error."""
        code, out, _ = run("plan", "--help")

        assert code == 0
        assert "--other-esim-profiles" in out

    def test_every_situation_field_has_a_flag(self, run: Run) -> None:
        """The plan command covers every field of Situation."""
        import attrs

        _, help_text, _ = run("plan", "--help")
        flags = {
            "country": "--country", "operator": "--operator", "card": "--card",
            "billing": "--billing", "arrears": "--arrears", "balance": "--balance",
            "location": "--abroad", "device": "--device",
            "registered_owner": "--not-owner", "has_id_document": "--no-id",
            "keep_number": "--keep-number", "linked_accounts": "--linked-accounts",
            "autopay": "--autopay", "other_esim_profiles": "--other-esim-profiles",
            "accounts": "--accounts", "leaving_on": "--leaving-on",
            "bought_on": "--bought-on",
        }  # fmt: skip

        assert set(flags) == {a.name for a in attrs.fields(Situation)}
        for flag in flags.values():
            assert flag in help_text
