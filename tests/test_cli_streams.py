"""The command line never shows a traceback: streams, files and hostile input.

Bad input is one line on standard error and exit 2; a stream or file that
cannot be used is one line and exit 74; a reader that goes away (broken
pipe) ends quietly with exit 1; Ctrl-C exits 130.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from simexit import cli
from simexit.cli import main
from simexit.exceptions import SHOWN_MAX

from .test_cli import subprocess_env

PLAN = ["plan", "--country", "AZ", "--today", "2026-11-23"]
LONG = "a" * 5000


def program(
    *args: str, shell: str = "", stdout: object = subprocess.PIPE, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``python -m simexit ARGS`` (through sh when *shell* redirects)."""
    command = [sys.executable, "-m", "simexit", *args]
    if shell:
        command = ["sh", "-c", f'"$@" {shell}', "sh", *command]
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        command, stdout=stdout, env=subprocess_env(), **kwargs
    )


def one_line(err: str | bytes) -> str:
    text = err.decode("utf-8") if isinstance(err, bytes) else err
    assert text.endswith("\n"), text
    assert text.count("\n") == 1, text
    assert text.startswith("simexit")
    assert "Traceback" not in text
    return text


class _Failing(io.StringIO):
    """A stream whose writes (or flushes) fail with *error*."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def flush(self) -> None:
        raise self.error


@pytest.fixture
def streams(monkeypatch: pytest.MonkeyPatch) -> Callable[..., tuple[int, str, str]]:
    """Run main() with the given stdin/stdout/stderr objects (None = closed)."""

    def call(
        *args: str, stdin: object = "", stdout: object = "", stderr: object = ""
    ) -> tuple[int, str, str]:
        out = io.StringIO() if stdout == "" else stdout
        err = io.StringIO() if stderr == "" else stderr
        inp = io.StringIO(stdin) if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", inp)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main(list(args))
        text = out.getvalue() if isinstance(out, io.StringIO) and not out.closed else ""
        errors = err.getvalue() if isinstance(err, io.StringIO) else ""
        return code, text, errors

    return call


class TestStandardOutput:
    def test_closed_stdout_is_one_line_and_74(self):
        """simexit plan ... >&-"""
        done = program(*PLAN, shell=">&-")

        assert done.returncode == 74
        assert "standard output is closed" in one_line(done.stderr)

    def test_dev_full_is_one_line_and_74(self):
        """simexit plan ... >/dev/full: the write error, once, no 'Exception ignored'."""
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        with open("/dev/full", "w") as full:
            done = program(*PLAN, stdout=full, stderr=subprocess.PIPE)

        assert done.returncode == 74
        assert "No space left on device" in one_line(done.stderr)

    def test_version_to_dev_full_is_an_error_too(self):
        """What argparse prints is flushed and checked as well."""
        if not Path("/dev/full").exists():
            pytest.skip("no /dev/full here")
        with open("/dev/full", "w") as full:
            done = program("--version", stdout=full, stderr=subprocess.PIPE)

        assert done.returncode == 74
        one_line(done.stderr)

    def test_broken_pipe_exits_quietly(self):
        """simexit plan ... | head -1: exit 1, nothing on stderr (Python docs' advice)."""
        read, write = os.pipe()
        os.close(read)
        try:
            done = program(
                *PLAN, "--format", "json", stdout=write, stderr=subprocess.PIPE
            )
        finally:
            os.close(write)

        assert done.returncode == 1
        assert done.stderr == b""

    def test_a_write_error_in_process(self, streams):
        """An OSError from stdout is one line naming the reason, exit 74."""
        code, _, err = streams(*PLAN, stdout=_Failing(OSError(errno.EIO, "I/O error")))

        assert code == 74
        assert "cannot write to standard output: I/O error" in one_line(err)

    def test_a_broken_pipe_in_process(self, streams):
        """BrokenPipeError: exit 1 and nothing said."""
        code, _, err = streams(
            *PLAN, stdout=_Failing(BrokenPipeError(errno.EPIPE, "x"))
        )

        assert (code, err) == (1, "")

    def test_a_closed_stdout_object(self, streams):
        """sys.stdout closed by an embedding program: ValueError becomes one line."""
        closed = io.StringIO()
        closed.close()
        code, _, err = streams("countries", stdout=closed)

        assert code == 74
        assert "standard output is closed" in one_line(err)

    def test_stdout_closed_in_process(self, streams):
        """sys.stdout is None when Python starts with fd 1 closed."""
        code, _, err = streams("countries", stdout=None)

        assert code == 74
        assert "standard output is closed" in one_line(err)


class TestStandardErrorAndInput:
    def test_closed_stderr_still_exits_2(self, streams):
        """Bad input with nowhere to say so: exit 2, no exception."""
        code, _, _ = streams("plan", "--country", "ZZ", stderr=None)

        assert code == 2

    def test_closed_stdin_in_interactive_mode_is_end_of_input(self):
        """simexit plan --interactive <&-: like an empty input, exit 2 for the country."""
        done = program("plan", "--interactive", shell="<&-")

        assert done.returncode == 2
        assert "standard input ended before --country" in done.stderr.decode()
        assert b"Traceback" not in done.stderr

    def test_closed_stdin_with_every_required_flag_plans(self, streams):
        """The questions left are unknown; the plan is printed."""
        code, out, _ = streams(*PLAN, "--card", "esim", "--interactive", stdin=None)

        assert code == 0
        assert out.startswith("Plan: Azerbaijan")

    def test_non_utf8_input_is_an_unclear_answer(self):
        """Bytes that are not UTF-8 are asked again, not a UnicodeDecodeError."""
        done = program(
            "plan", "--interactive", "--today", "2026-11-23", input=b"\xff\xfe\n2\n1\n"
        )  # 2: AZ (the countries are numbered in order of their codes, AE first)

        assert done.returncode == 0, done.stderr
        assert b"Please type one of the numbers shown" in done.stderr
        assert done.stdout.startswith(b"Plan: Azerbaijan")

    def test_non_utf8_input_in_process(self, streams):
        """A stream simexit cannot make lenient: the bad line is asked again."""

        class Strict(io.StringIO):
            failed = False

            def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]  # typeshed: _IOBase says bytes
                if not self.failed:
                    self.failed = True
                    raise UnicodeDecodeError(
                        "utf-8", b"\xff", 0, 1, "invalid start byte"
                    )
                return super().readline()

        code, _, err = streams(
            "plan", "--interactive", "--today", "2026-11-23", stdin=Strict("1\n1\n")
        )

        assert code == 0
        assert "Please type one of the numbers shown" in err

    def test_a_read_error_is_one_line_and_74(self, streams):
        """An OSError from stdin (a terminal gone away) is an I/O failure."""

        class Gone(io.StringIO):
            def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]  # typeshed: _IOBase says bytes
                raise OSError(errno.EIO, "Input/output error")

        code, _, err = streams("plan", "--interactive", stdin=Gone())

        assert code == 74
        assert "cannot read standard input: Input/output error" in err.splitlines()[-1]

    def test_end_of_input_is_exit_2(self, streams):
        """EOF before the country: bad input, one line."""
        code, _, err = streams("plan", "--interactive", stdin="")

        assert code == 2
        assert "--country" in err.splitlines()[-1]


class TestInterrupt:
    def test_ctrl_c_exits_130_without_traceback(self, streams, monkeypatch):
        """KeyboardInterrupt while a command runs."""

        def interrupted(args: object) -> int:
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "_cmd_plan", interrupted)
        code, out, err = streams(*PLAN)

        assert (code, out, err) == (130, "", "\n")

    def test_ctrl_c_while_parsing(self, streams, monkeypatch):
        """Even before a command is chosen."""

        def interrupted(command: str | None = None) -> object:
            raise KeyboardInterrupt

        monkeypatch.setattr(cli, "build_parser", interrupted)

        assert streams(*PLAN)[0] == 130

    def test_ctrl_c_during_the_questions(self, streams):
        """Interrupting interactive mode."""

        class Interrupted(io.StringIO):
            def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]  # typeshed: _IOBase says bytes
                raise KeyboardInterrupt

        code, _, err = streams("plan", "--interactive", stdin=Interrupted())

        assert code == 130
        assert "Traceback" not in err


class TestPaths:
    def test_a_5000_character_path_to_validate(self, streams):
        """Too long for the system: bad input, one short line."""
        code, _, err = streams("validate", LONG)

        assert code == 2
        assert "File name too long" in one_line(err)
        assert len(err) < 2 * SHOWN_MAX

    def test_a_5000_character_output_folder(self, streams):
        code, _, err = streams("new-country", "AM", "--output", LONG)

        assert code == 2
        assert len(one_line(err)) < 2 * SHOWN_MAX

    def test_output_inside_a_file(self, streams, tmp_path):
        """--output /dev/null/x: nothing can be made inside a file."""
        a_file = tmp_path / "file"
        a_file.write_text("")
        for output in (str(a_file / "x"), str(a_file / "x" / "y")):
            code, _, err = streams("new-country", "AM", "--output", output)

            assert code == 2
            assert "is not a folder" in one_line(err)

    def test_dev_null_x(self, streams):
        code, _, err = streams("new-country", "AM", "--output", "/dev/null/x")

        assert code == 2
        assert "'/dev/null' is not a folder" in one_line(err)

    def test_an_output_the_system_refuses(self, streams):
        """--output /proc/nope: the system's reason, exit 74."""
        if not Path("/proc/self").exists():
            pytest.skip("no /proc here")
        code, _, err = streams("new-country", "AM", "--output", "/proc/nope")

        assert code == 74
        assert "'/proc/nope'" in one_line(err)

    def test_a_write_error_while_scaffolding(self, streams, tmp_path, monkeypatch):
        """A disk that fills up half way is an I/O failure, one line."""

        def full(self: Path, *args: object, **kwargs: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))

        monkeypatch.setattr(Path, "write_text", full)
        code, _, err = streams("new-country", "AM", "--output", str(tmp_path / "am"))

        assert code == 74
        assert "No space left on device" in one_line(err)


class TestAmounts:
    @pytest.mark.parametrize(
        ("value", "says"),
        [
            ("4_50", "written like 4.50"),
            ("1e2", "written like 4.50"),
            ("١", "written like 4.50"),
            ("0.001", "at most 2 decimals for AZN"),
            ("9" * 5000, "written like 4.50"),
        ],
    )
    def test_amount_flags_are_plain_decimals(self, streams, value, says):
        """The CLI reads amounts by Money's rule; the minor unit is checked too."""
        code, out, err = streams(*PLAN, "--arrears", value)

        assert (code, out) == (2, "")
        assert says in one_line(err)
        assert len(err) < 3 * SHOWN_MAX

    def test_minus_zero_is_zero(self, streams):
        """Owed: -0.00 never appears."""
        code, out, _ = streams(*PLAN, "--arrears", "-0.00", "--balance", "-0")

        assert code == 0
        assert "-0" not in out
        assert "0.00 Azerbaijani manats" in out

    @pytest.mark.parametrize("currency", ["uß", "XXX", "XTS", "XAU"])
    def test_currency_flag_refuses_non_currencies(self, streams, currency):
        code, _, err = streams(*PLAN, "--arrears", "1", "--currency", currency)

        assert code == 2
        assert "ISO 4217" in one_line(err)

    def test_an_amount_with_too_many_decimals_is_asked_again(self, streams):
        """Interactive mode asks again for 0.001 AZN instead of failing."""
        code, out, err = streams(
            *PLAN,
            "--card",
            "physical-sim",
            "--interactive",
            stdin="\n\n\n\n0.001\n4.5\n",
        )

        assert code == 0
        assert "Please type an amount" in err
        assert "Owed: 4.50 Azerbaijani manats" in out

    def test_interactive_checks_the_currency_flag_first(self, streams):
        """A bad --currency is bad input before any question about money."""
        code, _, err = streams(
            *PLAN,
            "--card",
            "esim",
            "--currency",
            "XTS",
            "--interactive",
            stdin="\n" * 20,
        )

        assert code == 2
        assert "--currency" in err.splitlines()[-1]


HOSTILE = [
    "",
    " ",
    "\x01",
    "ß",
    "uß",
    LONG,
    "-1",
    "ZZ",
    "EU",
    "9999-12-31",
    "0001-01-01",
    "1e2",
    "-0",
    "1" * 5000,
    "NaN",
    "/dev/full",
    "/dev/null",
    "/",
    "XXX",
    "\u202e",
]
COMMANDS = [
    ["plan", "--country", "{}"],
    ["plan", "--country", "AZ", "--operator", "{}"],
    ["plan", "--country", "AZ", "--arrears", "{}"],
    ["plan", "--country", "AZ", "--balance", "1", "--currency", "{}"],
    ["plan", "--country", "AZ", "--lang", "{}", "--format", "markdown"],
    ["plan", "--country", "AZ", "--today", "{}"],
    ["plan", "--country", "AZ", "--card", "{}"],
    ["plan", "--country", "AZ", "--autopay", "{}"],
    ["show", "{}"],
    ["show", "KZ", "--today", "{}", "--lang", "{}"],
    ["validate", "{}"],
    ["new-country", "{}", "--output", "out"],
    ["new-country", "AM", "--output", "{}"],
    ["schema", "{}"],
    ["{}"],
]


class TestHostileArguments:
    @pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
    def test_every_command_with_hostile_values(
        self, streams, command, tmp_path, monkeypatch
    ):
        """Whatever the value: a result, or exit 1/2/74 with one line; no traceback."""
        monkeypatch.chdir(tmp_path)
        for value in HOSTILE:
            args = [a.replace("{}", value) for a in command]
            code, _, err = streams(*args)

            assert code in (0, 1, 2, 74), (args, code, err)
            if code in (2, 74):
                assert len(one_line(err)) < 4 * SHOWN_MAX, args
