"""Named accounts: Situation.accounts, simexit.SERVICES and the move-<service>
steps (issue 11, item 3)."""

from __future__ import annotations

import io
import json
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simexit
from simexit._conditions import ConditionError, parse
from simexit.cli import main
from tests import strategies
from tests.conftest import TODAY, plan
from tests.domain import order_problems

MOVES = {
    "whatsapp": "move-whatsapp",
    "telegram": "move-telegram",
    "wechat": "move-wechat",
    "bank": "move-bank",
}
#: Steps that end or move the number: every move-<service> comes first.
NUMBER_ENDS = ("terminate-subscription", "port-number", "delete-esim-profile")


def ids(p: simexit.Plan) -> list[str]:
    return [s.id for s in p.steps]


class TestSituation:
    def test_services_are_public_and_cover_the_contract(self):
        assert {"whatsapp", "telegram", "wechat", "bank"} <= set(simexit.SERVICES)
        assert "SERVICES" in simexit.__all__
        assert len(set(simexit.SERVICES)) == len(simexit.SERVICES)

    def test_unknown_by_default(self):
        assert simexit.Situation(country="AZ").accounts is None

    @given(
        st.frozensets(st.sampled_from(simexit.SERVICES)),
        st.sampled_from([list, tuple, frozenset, set, iter]),
    )
    def test_any_iterable_of_ids_is_a_frozenset(self, services, kind):
        s = simexit.Situation(country="AZ", accounts=kind(sorted(services)))

        assert s.accounts == services
        assert type(s.accounts) is frozenset

    @given(value=strategies.invalid_value("accounts"))
    def test_invalid_accounts_name_field_value_and_allowed(self, value):
        with pytest.raises(simexit.InvalidSituationError) as info:
            simexit.Situation(country="AZ", accounts=value)

        assert info.value.field == "accounts"
        message = str(info.value)
        assert message.startswith("invalid accounts: got ")
        assert all(service in message for service in simexit.SERVICES)

    def test_a_situation_with_accounts_is_a_value(self):
        import pickle

        a = simexit.Situation(country="AZ", accounts=["bank", "telegram"])
        b = simexit.Situation(country="az", accounts=("telegram", "bank", "bank"))

        assert a == b
        assert hash(a) == hash(b)
        assert pickle.loads(pickle.dumps(a)) == a

    def test_a_failing_iterator_is_an_invalid_situation(self):
        def broken():
            yield "whatsapp"
            raise RuntimeError("boom")

        with pytest.raises(simexit.InvalidSituationError, match="accounts"):
            simexit.Situation(country="AZ", accounts=broken())

    @pytest.mark.parametrize(
        ("accounts", "linked"),
        [(["whatsapp"], True), (["other"], True), ([], False)],
    )
    def test_named_accounts_settle_linked_accounts(self, accounts, linked):
        s = simexit.Situation(country="AZ", accounts=accounts)

        assert s.linked_accounts is linked
        assert s == simexit.Situation(
            country="AZ", accounts=accounts, linked_accounts=linked
        )

    @pytest.mark.parametrize(
        ("accounts", "linked", "why"),
        [(["bank"], False, "accounts names bank"), ([], True, "accounts is empty")],
    )
    def test_a_contradiction_is_refused(self, accounts, linked, why):
        with pytest.raises(simexit.InvalidSituationError) as info:
            simexit.Situation(country="AZ", accounts=accounts, linked_accounts=linked)

        assert info.value.field == "linked_accounts"
        assert why in str(info.value)

    @given(strategies.situations())
    def test_json_round_trip_and_sorted(self, situation):
        text = simexit.to_json(situation)

        assert simexit.from_json(text, simexit.Situation) == situation
        listed = json.loads(text)["accounts"]
        assert listed is None or listed == sorted(listed)

    def test_plan_json_round_trips_with_accounts(self):
        p = plan(operator="azercell", accounts=["wechat", "bank", "whatsapp"])
        text = simexit.to_json(p)

        assert json.loads(text)["situation"]["accounts"] == [
            "bank",
            "wechat",
            "whatsapp",
        ]
        assert simexit.from_json(text, simexit.Plan) == p

    @pytest.mark.parametrize("raw", ['"whatsapp"', '["signal"]', "[1]", "{}"])
    def test_bad_accounts_in_json_are_refused(self, raw):
        text = '{"schema_version": 1, "country": "AZ", "accounts": ' + raw + "}"

        with pytest.raises(simexit.SimexitError, match="accounts"):
            simexit.from_json(text, simexit.Situation)

    def test_plan_schema_lists_the_services(self):
        from simexit._schema import plan_schema

        field = plan_schema()["$defs"]["Situation"]["properties"]["accounts"]
        array = next(a for a in field["anyOf"] if a.get("type") == "array")
        assert array["items"] == {"enum": list(simexit.SERVICES)}
        assert array["uniqueItems"] is True


class TestSteps:
    @pytest.mark.parametrize("country", ["AZ", "KZ"])
    @pytest.mark.parametrize("service", sorted(MOVES))
    def test_one_step_per_named_service(self, country, service):
        p = plan(country=country, accounts=[service])

        moves = [i for i in ids(p) if i.startswith("move-")]
        assert moves == [MOVES[service]]
        assert "migrate-linked-accounts" not in ids(p)

    @pytest.mark.parametrize(
        "fields",
        [
            {"operator": "azercell"},
            {"operator": "azercell", "card": "esim"},
            {"operator": "airalo", "card": "travel_esim"},
            {"device": "stolen"},
        ],
    )
    def test_moves_come_before_the_number_is_lost(self, fields):
        p = plan(accounts=list(MOVES), **fields)
        order = ids(p)

        moves = [order.index(MOVES[s]) for s in MOVES]
        assert moves == sorted(moves)  # in SERVICES order
        for end in NUMBER_ENDS:
            if end in order:
                assert max(moves) < order.index(end), end
        if "block-number" in order:
            assert order.index("block-number") < min(moves)

    @given(strategies.situations())
    def test_generated_plans_keep_the_domain_order(self, situation):
        """Named or not, accounts are moved before the number goes (tests/domain)."""
        p = simexit.plan_for(situation, today=TODAY)

        assert order_problems(p) == []

    def test_keeping_the_number_moves_nothing(self):
        p = plan(operator="azercell", accounts=list(MOVES), keep_number=True)

        assert not [i for i in ids(p) if i.startswith("move-")]

    def test_unknown_accounts_still_get_the_general_step(self):
        p = plan(operator="azercell")
        step = next(s for s in p.steps if s.id == "migrate-linked-accounts")

        for name in ("WhatsApp", "Telegram", "WeChat"):
            assert name in step.detail
        assert not [i for i in ids(p) if i.startswith("move-")]

    def test_other_keeps_the_general_step_next_to_named_ones(self):
        p = plan(operator="azercell", accounts=["other", "telegram"])

        assert "migrate-linked-accounts" in ids(p)
        assert "move-telegram" in ids(p)

    def test_no_accounts_means_no_account_steps(self):
        p = plan(operator="azercell", accounts=[])

        assert not [i for i in ids(p) if "account" in i or i.startswith("move-")]

    def test_whatsapp_needs_the_old_number(self):
        step = next(
            s for s in plan(accounts=["whatsapp"]).steps if s.id == "move-whatsapp"
        )

        assert "old number to still receive an SMS or a call" in step.detail
        assert any("faq.whatsapp.com" in src.url for src in step.sources)

    def test_a_lost_phone_says_what_still_works(self):
        def detail(service: str, device: str) -> str:
            p = plan(accounts=[service], device=device)
            return next(s.detail for s in p.steps if s.id == MOVES[service])

        assert "replacement SIM" in detail("whatsapp", "lost")
        assert "replacement SIM" not in detail("whatsapp", "in_hand")
        assert "end the lost phone's session" in detail("telegram", "stolen")

    def test_telegram_cites_its_own_pages(self):
        step = next(
            s for s in plan(accounts=["telegram"]).steps if s.id == "move-telegram"
        )
        hosts = {src.url.split("/")[2] for src in step.sources}

        assert hosts == {"telegram.org", "core.telegram.org"}
        assert "24 hours" in step.detail
        assert "Two-Step Verification" in step.detail

    def test_wechat_says_no_official_page_was_found(self):
        step = next(s for s in plan(accounts=["wechat"]).steps if s.id == "move-wechat")

        assert "no official WeChat help page" in step.detail
        assert step.sources == ()

    @pytest.mark.parametrize("locale", ["en", "ru", "zh-Hans", "zh-Hant"])
    def test_every_locale_has_its_own_text(self, locale):
        p = plan(accounts=list(MOVES), device="lost", locale=locale)
        english = plan(accounts=list(MOVES), device="lost")

        for mine, en in zip(p.steps, english.steps, strict=True):
            if mine.id.startswith("move-") and locale != "en":
                assert mine.title != en.title
                assert mine.detail != en.detail

    def test_the_reason_names_the_service(self):
        step = next(s for s in plan(accounts=["wechat"], locale="zh-Hans").steps
                    if s.id == "move-wechat")  # fmt: skip

        assert "微信" in " ".join(step.because)


class TestConditions:
    def test_contains_works_on_accounts_only(self):
        with pytest.raises(ConditionError) as info:
            parse({"field": "card", "contains": "esim"})

        assert "contains works on accounts only" in info.value.problems[0][1]

    @pytest.mark.parametrize(
        ("raw", "message"),
        [
            ({"field": "accounts", "equals": "bank"}, "use contains or unknown"),
            ({"field": "accounts", "contains": "watsapp"}, "did you mean 'whatsapp'"),
            ({"field": "accounts", "contains": 1}, "expected one of: whatsapp"),
        ],
    )
    def test_bad_account_conditions_are_explained(self, raw, message):
        with pytest.raises(ConditionError) as info:
            parse(raw)

        assert message in info.value.problems[0][1]


class TestCli:
    @pytest.fixture
    def run(self, capsys, monkeypatch):
        def call(*args: str, stdin: str = "") -> tuple[int, str, str]:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
            code = main(list(args))
            out, err = capsys.readouterr()
            return code, out, err

        return call

    def test_accounts_flag_gives_the_steps(self, run):
        code, out, _ = run(
            "plan", "--country", "AZ", "--accounts", "whatsapp,telegram",
            "--format", "json",
        )  # fmt: skip
        data = json.loads(out)

        assert code == 0
        assert data["situation"]["accounts"] == ["telegram", "whatsapp"]
        assert {"move-whatsapp", "move-telegram"} <= {s["id"] for s in data["steps"]}

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--accounts", "signal"], "expected services separated by commas"),
            (["--accounts", ","], "expected services separated by commas"),
            (["--no-accounts", "--linked-accounts", "yes"], "accounts is empty"),
            (["--no-accounts", "--accounts", "bank"], "not allowed with"),
        ],
    )
    def test_bad_flags_are_one_line_errors(self, run, args, message):
        code, out, err = run("plan", "--country", "AZ", *args)

        assert code == 2
        assert out == ""
        assert message in err
        assert err.count("\n") == 1

    def test_interactive_asks_which_services_after_a_yes(self, run):
        flags = [
            "--country", "AZ", "--card", "physical_sim", "--operator", "azercell",
            "--in-country", "--device", "in-hand", "--billing", "prepaid",
            "--arrears", "0", "--balance", "0", "--owner", "--has-id",
        ]  # fmt: skip
        answers = "\n".join(["2", "1", "nope", "3, bank", "?"])
        code, out, err = run(
            "plan", "--interactive", "--format", "json", *flags, stdin=answers
        )
        situation = json.loads(out)["situation"]

        assert code == 0
        assert situation["accounts"] == ["bank", "wechat"]
        assert "Which of these send codes to this number?" in err
        assert "Please type the numbers shown" in err  # after "nope"

    def test_interactive_does_not_ask_when_accounts_are_given(self, run):
        code, out, err = run(
            "plan", "--interactive", "--format", "json", "--country", "AZ",
            "--card", "physical_sim", "--accounts", "bank", stdin="\n" * 20,
        )  # fmt: skip

        assert code == 0
        assert json.loads(out)["situation"]["linked_accounts"] is True
        assert "Which of these send codes" not in err
        assert "Do banks, messaging apps" not in err

    def test_interactive_does_not_ask_for_an_e_visa(self, run):
        code, _, err = run(
            "plan", "--interactive", "--format", "json", "--country", "AZ",
            "--card", "tourist_card", "--linked-accounts", "yes", stdin="\n" * 20,
        )  # fmt: skip

        assert code == 0
        assert "Which of these send codes" not in err
