"""The parser of one command (what ``simexit plan ...`` builds) accepts,
rejects and explains exactly what the whole parser does."""

from __future__ import annotations

import argparse

import pytest

from simexit import cli

#: Command lines per command: accepted ones, bad values, unknown flags,
#: a flag of another command, help.
CASES: dict[str, list[list[str]]] = {
    "plan": [
        [],
        ["--country", "AZ", "--operator", "azercell", "--card", "esim"],
        ["--country", "az", "--arrears", "4.50", "--balance", "3.20", "--abroad"],
        ["--country", "AZ", "--lang", "zh-Hans", "--today", "2026-11-23"],
        ["--country", "AZ", "--billing", "unknown", "--device", "lost"],
        ["--country", "AZ", "--owner", "--no-id", "--keep-number"],
        ["--country", "AZ", "--linked-accounts", "yes", "--autopay", "n"],
        ["--country", "AZ", "--format", "json", "--done", "a,b", "--interactive"],
        ["--country", "AZ", "--accounts", "bank", "--leaving-on", "2026-12-01"],
        ["--situation", "-"],
        ["--country", "AZE"],
        ["--card", "floppy"],
        ["--arrears", "-1"],
        ["--today", "23.11.2026"],
        ["--abroad", "--in-country"],
        ["--format", "pdf"],
        ["--nope"],
        ["--coverage"],
        ["--countr", "AZ"],
        ["AZ"],
        ["--version"],
        ["--help"],
        ["-h"],
    ],
    "countries": [[], ["--lang", "ru"], ["--lang"], ["x"], ["--help"]],
    "show": [
        [],
        ["AZ"],
        ["az", "--today", "2026-01-01", "--lang", "en"],
        ["--coverage", "--format", "json"],
        ["AZ", "KZ"],
        ["--format", "html"],
        ["--today", "x"],
        ["-h"],
    ],
    "validate": [[], ["a", "b"], ["--x"], ["--help"]],
    "new-country": [[], ["XX"], ["XX", "--output", "d"], ["--output"], ["-h"]],
    "schema": [[], ["data"], ["plan"], ["other"], ["--help"]],
    "serve": [
        [],
        ["--host", "0.0.0.0", "--port", "9000"],
        ["--port", "70000"],
        ["--cors-origin", "https://a.example", "--cors-origin", "https://b"],
        ["--max-body", "0"],
        ["--help"],
    ],
}


def _parse(
    parser: argparse.ArgumentParser, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> tuple[object, str, str]:
    try:
        found: object = vars(parser.parse_args(argv))
    except SystemExit as e:
        found = ("exit", e.code)
    out, err = capsys.readouterr()
    return found, out, err


def test_every_command_has_cases() -> None:
    assert sorted(CASES) == sorted(cli._COMMANDS)


@pytest.mark.parametrize(
    ("command", "args"),
    [(c, a) for c, lines in CASES.items() for a in lines],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_one_command_parses_as_all(
    command: str, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Same namespace, or the same exit code and the same words printed."""
    argv = [command, *args]
    whole = _parse(cli.build_parser(), argv, capsys)
    one = _parse(cli.build_parser(command), argv, capsys)
    assert one == whole


@pytest.mark.parametrize(
    "argv",
    [[], ["--help"], ["-h"], ["--version"], ["plot"], ["--lang", "en"], ["--", "plan"]],
)
def test_other_command_lines_get_the_whole_parser(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """No command first: the whole parser, its help listing every command."""
    parser = cli._parser_for(argv)
    assert _parse(parser, argv, capsys) == _parse(cli.build_parser(), argv, capsys)
    help_text = parser.format_help()
    assert all(name in help_text for name in cli._COMMANDS)


@pytest.mark.parametrize("command", sorted(CASES))
def test_a_command_line_gets_only_its_command(command: str) -> None:
    parser = cli._parser_for([command, "--help"])
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert list(sub.choices) == [command]


def test_main_builds_one_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``main`` asks for the plan command's parser alone on a plan line."""
    asked: list[str | None] = []
    build = cli.build_parser

    def spy(command: str | None = None) -> argparse.ArgumentParser:
        asked.append(command)
        return build(command)

    monkeypatch.setattr(cli, "build_parser", spy)
    assert cli.main(["plan", "--card", "floppy"]) == 2
    assert cli.main(["plot"]) == 2
    assert asked == ["plan", None]
    err = capsys.readouterr().err
    assert "argument --card: got 'floppy'" in err
    assert "invalid choice: 'plot'" in err
