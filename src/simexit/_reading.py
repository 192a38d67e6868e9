"""Read one data file safely: a regular file inside its package, not too
large, UTF-8, TOML, not nested too deeply.

Every way a file can be unusable is reported to the collector with the
file's name (and the line, for a TOML syntax error) and the file is marked
unparsed, so that references into it are not reported again.  Nothing here
structures what the file holds: that is :mod:`._files`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib_resources.abc import Traversable

    from ._files import Collector

#: Deepest nesting of tables and arrays a data file may have.
MAX_DEPTH = 32
#: Largest data file the loader reads, in bytes.
MAX_FILE_BYTES = 4 * 1024 * 1024


def _file_problem(node: Traversable, rel: str) -> str | None:
    """Why *node* is not a regular file inside its package, or None.

    Looks with lstat/stat only, so a FIFO or device is never opened.
    """
    import os
    import stat
    from pathlib import Path

    if not isinstance(node, Path):
        return None if node.is_file() else "is not a regular file"
    st = os.lstat(node)
    if stat.S_ISLNK(st.st_mode):
        root = Path(*node.parts[: -len(Path(rel).parts)])
        try:
            target = node.resolve(strict=True)
        except (OSError, RuntimeError):
            return "is a broken or looping symbolic link"
        if not target.is_relative_to(root.resolve()):
            return "is a symbolic link to a file outside the package folder"
        st = os.stat(target)
    else:  # a folder on the way may be a link: where the file really is counts
        root = Path(*node.parts[: -len(Path(rel).parts)])
        try:
            inside = node.resolve(strict=True).is_relative_to(root.resolve())
        except (OSError, RuntimeError):
            return "cannot be looked up (a broken or looping symbolic link?)"
        if not inside:
            return "lies outside the package folder, through a linked folder"
    if stat.S_ISDIR(st.st_mode):
        return "is a directory, expected a TOML file"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a FIFO, socket or device), expected a TOML file"
    if st.st_size > MAX_FILE_BYTES:
        return f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB"
    return None


def _read_bytes(node: Traversable) -> bytes:
    """The file's bytes, opened so that it cannot block (a swapped-in FIFO)."""
    import os
    import stat
    from pathlib import Path

    if not isinstance(node, Path):
        return node.read_bytes()
    fd = os.open(node.resolve(), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _too_deep(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """The key path of the first value nested deeper than *limit*, or None."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > limit:
            return path
        if isinstance(node, dict):
            stack.extend(
                (v, f"{path}.{k}".lstrip("."), depth + 1) for k, v in node.items()
            )
        elif isinstance(node, list):
            stack.extend((v, f"{path}[{i}]", depth + 1) for i, v in enumerate(node))
    return None


def _read_toml(node: Traversable, rel: str, col: Collector) -> dict[str, Any] | None:
    """The parsed file, None if it does not exist, {} if it is broken.

    A broken file (not a regular file in the package, not UTF-8, not TOML,
    nested too deeply, or an empty package.toml or operator file) is
    reported and marked unparsed.
    """
    if not _exists(node):
        return None
    try:
        why = _file_problem(node, rel)
        data = _read_bytes(node) if why is None else b""
    except OSError as e:
        why = f"cannot be read: {e.strerror or e}"
    if why is not None:
        return _broken(col, rel, why)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return _broken(col, rel, f"not UTF-8 text: {e.reason} at byte {e.start}")
    col.texts[rel] = text
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        return _broken(col, rel, f"invalid TOML: {msg}", line)
    except RecursionError:
        return _broken(col, rel, f"nested deeper than {MAX_DEPTH} levels")
    deep = _too_deep(raw)
    if deep is not None:
        col.add(rel, deep, f"nested deeper than {MAX_DEPTH} levels")
        col.unparsed.add(rel)
        return {}
    if not raw and (rel == "package.toml" or rel.startswith("operators/")):
        return _broken(col, rel, "file is empty: give its tables or delete it")
    return raw


def _exists(node: Traversable) -> bool:
    """True if anything (file, directory, FIFO, link) is at *node*."""
    import os
    from pathlib import Path

    if isinstance(node, Path):
        return os.path.lexists(node)
    return node.is_file() or node.is_dir()


def _broken(
    col: Collector, rel: str, message: str, line: int | None = None
) -> dict[str, Any]:
    col.add(rel, "", message, line)
    col.unparsed.add(rel)
    return {}
