"""JSON in: ``simexit schema situation``, ``from_json(text, Situation)`` and
``simexit plan --situation FILE|-``, which gives the same plan as the flags."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import simexit
from simexit import Card, Location, Money, Situation
from simexit._schema import situation_schema
from simexit._situation_json import (
    MAX_SITUATION_BYTES,
    read_situation,
    situation_from_data,
)
from simexit.cli import main

from .conftest import Run
from .strategies import situations

TODAY = ("--today", "2026-11-23")


def one_line_error(code: int, out: str, err: str, status: int = 2) -> str:
    assert code == status
    assert out == ""
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


#: (the plan's flags, the same situation as JSON), amounts and accounts included.
SAME = [
    (
        ["--country", "AZ", "--operator", "azercell", "--card", "esim",
         "--arrears", "4.50", "--balance", "3.20", "--abroad"],
        {"country": "AZ", "operator": "azercell", "card": "esim",
         "arrears": {"amount": "4.50", "currency": "AZN"},
         "balance": {"amount": "3.20", "currency": "AZN"}, "location": "abroad"},
    ),
    (
        ["--country", "kz", "--card", "travel-esim", "--operator", "airalo",
         "--autopay", "no", "--accounts", "whatsapp,bank"],
        {"country": "kz", "card": "travel_esim", "operator": "airalo",
         "autopay": False, "accounts": ["whatsapp", "bank"]},
    ),
    (
        ["--country", "GE", "--billing", "postpaid", "--device", "stolen",
         "--not-owner", "--no-id", "--keep-number", "--no-accounts"],
        {"country": "GE", "billing": "postpaid", "device": "stolen",
         "registered_owner": False, "has_id_document": False,
         "keep_number": True, "accounts": []},
    ),
    (
        ["--country", "JP", "--arrears", "1200", "--currency", "JPY",
         "--in-country", "--linked-accounts", "yes", "--other-esim-profiles", "no"],
        {"country": "JP", "arrears": {"amount": "1200", "currency": "JPY"},
         "location": "in_country", "linked_accounts": True,
         "other_esim_profiles": False},
    ),
    (["--country", "UZ"], {"country": "UZ", "schema_version": 1}),
]  # fmt: skip


class TestSamePlanAsFlags:
    @pytest.mark.parametrize(("flags", "data"), SAME)
    @pytest.mark.parametrize("lang", ["en", "ru"])
    def test_file_gives_the_bytes_of_the_flags(
        self,
        run: Run,
        tmp_path: Path,
        flags: list[str],
        data: dict[str, Any],
        lang: str,
    ) -> None:
        """--situation FILE prints byte for byte what the flags print."""
        path = tmp_path / "situation.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        common = ("--format", "json", "--lang", lang, *TODAY)
        code, by_flags, _ = run("plan", *flags, *common)
        assert code == 0
        code, by_file, err = run("plan", "--situation", str(path), *common)
        assert (code, err) == (0, "")
        assert by_file == by_flags

    @pytest.mark.parametrize(("flags", "data"), SAME[:3])
    def test_done_goes_with_the_file(
        self, run: Run, tmp_path: Path, flags: list[str], data: dict[str, Any]
    ) -> None:
        """--done is not a flag of the situation: with --situation it gives
        the same plan as with the flags."""
        path = tmp_path / "situation.json"
        path.write_text(json.dumps(data), encoding="utf-8")
        common = ("--format", "json", "--done", "backup-data,watch-statements", *TODAY)
        code, by_flags, _ = run("plan", *flags, *common)
        assert code == 0
        code, by_file, err = run("plan", "--situation", str(path), *common)
        assert (code, err) == (0, "")
        assert by_file == by_flags
        assert "backup-data" in json.loads(by_file)["done"]

    @pytest.mark.parametrize(("flags", "data"), SAME[:2])
    def test_stdin(self, run: Run, flags: list[str], data: dict[str, Any]) -> None:
        """--situation - reads standard input, and text output agrees too."""
        code, by_flags, _ = run("plan", *flags, *TODAY)
        code, by_stdin, err = run(
            "plan", "--situation", "-", *TODAY, stdin=json.dumps(data)
        )
        assert (code, err) == (0, "")
        assert by_stdin == by_flags

    def test_to_json_of_a_situation_is_read_back(self, run: Run) -> None:
        """What to_json writes for a Situation is a valid --situation file."""
        s = Situation(country="AZ", arrears=Money("4.50", "AZN"), accounts={"bank"})
        code, out, _ = run("plan", "--situation", "-", "--format", "json", *TODAY,
                           stdin=simexit.to_json(s))  # fmt: skip
        assert code == 0
        assert simexit.from_json(out, simexit.Plan).situation == s


class TestSituationFileErrors:
    @pytest.mark.parametrize(
        "flag",
        [["--country", "AZ"], ["--operator", "azercell"], ["--abroad"],
         ["--arrears", "1"], ["--currency", "USD"], ["--no-accounts"]],
    )  # fmt: skip
    def test_situation_flags_cannot_be_combined(self, run: Run, flag: list[str]):
        """The file says everything: a flag beside it is refused, not merged."""
        err = one_line_error(*run("plan", "--situation", "-", *flag, stdin="{}"))
        assert "cannot be combined with the flags of the situation" in err

    def test_interactive_cannot_be_combined(self, run: Run) -> None:
        """--interactive asks for a situation; a file already gives one."""
        err = one_line_error(
            *run("plan", "--situation", "-", "--interactive", stdin='{"country":"AZ"}')
        )
        assert "--interactive" in err

    @pytest.mark.parametrize(
        ("text", "said"),
        [
            ("{", "not JSON"),
            ("[]", "expected an object, got an array"),
            ('{"country": "AZ", "card": "sim"}', "invalid card: got 'sim'"),
            ('{"country": "AZ", "phone": "+99450"}', "invalid phone"),
            ('{"operator": "azercell"}', "invalid country"),
            ('{"country": "AZ", "balance": {"amount": 3.2, "currency": "AZN"}}',
             "invalid balance.amount: got 3.2, expected a decimal string"),
            ('{"country": "AZ", "schema_version": 2}', "invalid schema_version"),
        ],
    )  # fmt: skip
    def test_bad_json_is_one_line(self, run: Run, text: str, said: str) -> None:
        """Bad JSON or a bad field: exit 2, one line naming what is wrong."""
        err = one_line_error(*run("plan", "--situation", "-", stdin=text))
        assert said in err

    def test_missing_file_is_exit_74(self, run: Run, tmp_path: Path) -> None:
        """A file that cannot be read is a file problem (exit 74), one line."""
        err = one_line_error(
            *run("plan", "--situation", str(tmp_path / "nope.json")), status=74
        )
        assert "nope.json" in err

    def test_a_huge_file_is_refused(self, run: Run, tmp_path: Path) -> None:
        """Only the first 64 KiB are read: a situation is a few hundred bytes."""
        path = tmp_path / "big.json"
        path.write_text('{"country": "AZ"' + " " * MAX_SITUATION_BYTES + "}")
        err = one_line_error(*run("plan", "--situation", str(path)))
        assert "at most" in err


class TestFromJson:
    @settings(max_examples=60, deadline=None)
    @given(situations())
    def test_round_trip(self, situation: Situation) -> None:
        """from_json(to_json(s), Situation) == s, and the field reader agrees."""
        text = simexit.to_json(situation)
        assert simexit.from_json(text, Situation) == situation
        assert read_situation(text) == situation
        data = json.loads(text)
        del data["schema_version"]
        assert situation_from_data(data) == situation

    @settings(max_examples=60, deadline=None)
    @given(situations())
    def test_to_json_matches_the_schema(self, situation: Situation) -> None:
        """Every situation's JSON is valid under ``simexit schema situation``."""
        jsonschema.validate(json.loads(simexit.to_json(situation)), situation_schema())

    def test_schema_lists_every_field(self) -> None:
        """The schema comes from the class: every field, country required."""
        import attrs

        schema = situation_schema()
        names = [a.name for a in attrs.fields(Situation)]
        assert list(schema["properties"]) == ["schema_version", *names]
        assert schema["required"] == ["country"]
        money = schema["$defs"]["Money"]["properties"]["amount"]
        assert money["type"] == "string"

    def test_schema_command(self, run: Run) -> None:
        """``simexit schema situation`` prints that schema."""
        code, out, _ = run("schema", "situation")
        assert code == 0
        assert json.loads(out) == situation_schema()

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ('{"schema_version": 1, "country": "AZ", "card": "sim"}', "$.card"),
            ('{"schema_version": 1, "country": "AZ", "pin": 1}', "$.pin"),
            ('{"schema_version": 1}', "$.country"),
        ],
    )
    def test_from_json_names_the_field(self, text: str, path: str) -> None:
        """from_json's error is typed and gives the field's JSON path."""
        with pytest.raises(simexit.InvalidJSONError, match=path.replace("$", r"\$")):
            simexit.from_json(text, Situation)

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"country": "AZ", "card": 5}, "card"),
            ({"country": "AZ", "arrears": {"amount": "1.555", "currency": "AZN"}},
             "arrears.amount"),
            ({"country": "AZ", "arrears": {"amount": "1", "currency": "XXX"}},
             "arrears.currency"),
            ({"country": "AZ", "accounts": ["bank", "icq"]}, "accounts"),
            ({"country": "AZ", "autopay": "yes"}, "autopay"),
            ({"country": "AZ", "accounts": [], "linked_accounts": True},
             "linked_accounts"),
            ({"country": 7}, "country"),
        ],
    )  # fmt: skip
    def test_field_reader_names_the_field(self, data: dict[str, Any], field: str):
        """Each bad field is an InvalidSituationError whose field is it."""
        with pytest.raises(simexit.InvalidSituationError) as info:
            situation_from_data(data)
        assert info.value.field == field

    @pytest.mark.parametrize(
        "data",
        [
            {"country": "AZ", "card": "travel_esim", "location": "abroad"},
            {"country": "AZ", "card": "TRAVEL-ESIM"},
            {"country": "AZ", "keep_number": None},
            {"country": "AZ", "billing": "weekly"},
            {"country": "AZ", "operator": 7},
            {"country": "AZ", "balance": {"amount": "2"}},
        ],
    )
    def test_same_verdict_as_from_json(self, data: dict[str, Any]) -> None:
        """The field reader accepts exactly what from_json accepts."""
        try:
            want: Situation | None = simexit.from_json(
                json.dumps({"schema_version": 1, **data}), Situation
            )
        except simexit.SimexitError:
            want = None
        try:
            got: Situation | None = situation_from_data(data)
        except simexit.SimexitError:
            got = None
        assert got == want

    @pytest.mark.parametrize(
        ("text", "name"),
        [("null", "null"), ("true", "a boolean"), ("1.5", "a number"),
         ('"AZ"', "a string"), ("[]", "an array")],
    )  # fmt: skip
    def test_not_an_object(self, text: str, name: str) -> None:
        """Anything but an object is an InvalidJSONError saying what it is."""
        with pytest.raises(simexit.InvalidJSONError, match=f"got {name}$"):
            read_situation(text)

    def test_nested_too_deeply(self) -> None:
        """JSON nested past the parser's limit is an InvalidJSONError."""
        with pytest.raises(simexit.InvalidJSONError, match="nested too deeply"):
            read_situation("[" * 50_000)

    def test_an_item_of_a_list_is_named(self) -> None:
        """A wrong item in accounts is named by its index, with its value."""
        with pytest.raises(simexit.InvalidSituationError) as info:
            situation_from_data({"country": "AZ", "accounts": ["bank", 5]})
        assert (info.value.field, info.value.value) == ("accounts[1]", 5)

    def test_closed_stdin(self, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
        """--situation - with standard input closed is one line, exit 2."""
        monkeypatch.setattr(sys, "stdin", None)
        code = main(["plan", "--situation", "-"])
        assert code == 2

    def test_locations_and_cards_read_as_enums(self) -> None:
        """Enum values read back as the enums, not as strings."""
        s = read_situation('{"country": "az", "card": "esim", "location": "abroad"}')
        assert (s.country, s.card, s.location) == ("AZ", Card.ESIM, Location.ABROAD)
