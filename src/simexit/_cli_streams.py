"""Standard streams for the ``simexit`` command: writing that fails as one
line of error, never a traceback, and streams made UTF-8."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import IO


class StreamError(Exception):
    """Standard input or output cannot be used: exit 74 with this line."""


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's
    final flush of what is still buffered cannot fail again (the Python
    docs' advice for a broken pipe)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _out(text: str) -> None:
    """Write *text* to standard output now; a failure is a StreamError."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed
        raise StreamError("standard output is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise
    except OSError as e:
        _silence_stdout()
        raise StreamError(f"cannot write to standard output: {_os_reason(e)}") from None
    except ValueError:  # the file object was closed
        raise StreamError("standard output is closed") from None


def _err(text: str) -> None:
    """Write *text* to standard error if it can be; never raises."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(text)
        sys.stderr.flush()


def _os_reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _os_error_line(error: OSError) -> str:
    """``cannot use 'PATH': reason``, the path cut short if it is long."""
    from .exceptions import shown

    where = f" {shown(error.filename)}" if error.filename is not None else ""
    return f"cannot use{where}: {_os_reason(error)}"


def _utf8(stream: IO[str] | None, *, reading: bool = False) -> None:
    """Make *stream* UTF-8 if it was opened with a narrower encoding.

    Input is decoded with replacement characters, so bytes that are not
    UTF-8 are an unclear answer, not a crash.
    """
    if stream is None:
        return
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return
    with contextlib.suppress(ValueError, OSError):
        if reading:
            reconfigure(encoding="utf-8", errors="replace")
        elif encoding not in ("utf8", "utf8sig"):
            reconfigure(encoding="utf-8")
