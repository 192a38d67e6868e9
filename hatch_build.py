"""Build hook: compile the bundled countries into the wheel (see
docs/data-loading.md).

For a wheel, every bundled country is read and validated by the normal TOML
loader — in a separate interpreter that imports simexit from this source
tree — and written as ``simexit/data/_compiled/<code>.json``, a data-only
JSON file with digests of the files it came from; each UI catalogue
``simexit/locales/<tag>.toml`` likewise becomes
``simexit/locales/_compiled/<tag>.json``; and the CLDR pieces the bundled
locales use are taken from Babel into ``simexit/_cldr.json`` (see
``simexit/_cldr.py``).  An editable install
skips this: it reads the TOML files, which are the ones being edited.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

_COMPILE = """
import os, sys
src, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, src)
import simexit
from simexit import _compiled
here = os.path.dirname(os.path.abspath(simexit.__file__))
if here != os.path.join(os.path.abspath(src), "simexit"):
    sys.exit(f"imported simexit from {here}, not from {src}")
for code, blob in _compiled.compile_bundled(os.path.join(here, "data")).items():
    with open(os.path.join(out, "data", code.lower() + ".json"), "wb") as f:
        f.write(blob)
for tag, blob in _compiled.compile_catalogues(os.path.join(here, "locales")).items():
    with open(os.path.join(out, "locales", tag + ".json"), "wb") as f:
        f.write(blob)
from simexit import _cldr, _locales
with open(os.path.join(out, "cldr", "_cldr.json"), "wb") as f:
    f.write(_cldr.extract([_locales.babel_id(t) for t in _locales.tags()]))
"""


class CompileDataHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        self._out = tempfile.mkdtemp(prefix="simexit-compiled-")
        src = os.path.join(self.root, "src")
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SIMEXIT_LOCALE_PATH", None)  # only the bundled catalogues
        for part in ("data", "locales", "cldr"):
            os.mkdir(os.path.join(self._out, part))
        subprocess.run(
            [sys.executable, "-B", "-c", _COMPILE, src, self._out],
            check=True,
            env=env,
            cwd=self._out,
        )
        for part in ("data", "locales"):
            folder = os.path.join(self._out, part)
            for name in sorted(os.listdir(folder)):
                build_data["force_include"][os.path.join(folder, name)] = (
                    f"simexit/{part}/_compiled/{name}"
                )
        cldr = os.path.join(self._out, "cldr", "_cldr.json")
        build_data["force_include"][cldr] = "simexit/_cldr.json"

    def finalize(
        self, version: str, build_data: dict[str, Any], artifact_path: str
    ) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            shutil.rmtree(out, ignore_errors=True)
