"""``simexit new-country``: scaffold an installable country data package.

The skeleton is a complete Python project: a ``pyproject.toml`` with the
``simexit.countries`` entry point, the package's TOML data (placeholders
that pass validation and say what to replace), a scenario computed from
that data by the engine itself, and a test that runs the scenarios.
"""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

import attrs

from . import __version__
from ._situation import Money, Situation
from .exceptions import SimexitError, shown

_TEMPLATES = "templates/new_country"
#: Where each template goes, relative to the output folder.
_LAYOUT = (
    ("pyproject.toml.tmpl", "pyproject.toml"),
    ("README.md.tmpl", "README.md"),
    ("__init__.py.tmpl", "src/{package}/__init__.py"),
    ("package.toml.tmpl", "src/{package}/package.toml"),
    ("sources.toml.tmpl", "src/{package}/sources.toml"),
    ("operator.toml.tmpl", "src/{package}/operators/example-operator.toml"),
    ("test_scenarios.py.tmpl", "tests/test_scenarios.py"),
)
_SCENARIO_SITUATION = {
    "operator": "example-operator",
    "card": "physical_sim",
    "billing": "prepaid",
    "arrears": "0",
    "balance": "0",
    "location": "in_country",
    "device": "in_hand",
    "registered_owner": True,
    "has_id_document": True,
    "linked_accounts": False,
    "autopay": False,
}


@attrs.define(str=False, eq=False)
class NewCountryError(SimexitError, ValueError):
    """``new-country`` cannot scaffold *code* into *output*."""

    reason: str

    def __str__(self) -> str:
        return self.reason


@attrs.frozen
class Created:
    """What :func:`create` wrote."""

    code: str
    country: str
    output: Path
    data: Path
    files: tuple[Path, ...]

    def report(self) -> str:
        """A short account of the files written and what to do next."""
        lines = [f"Created a data package for {self.country} ({self.code}):"]
        lines += [f"  {f}" for f in self.files]
        lines += [
            "Next: replace every placeholder marked REPLACE, then run",
            f"  simexit validate {self.output}",
            f"  python -m pytest {self.output / 'tests'}",
            # a bare relative name would be read by pip as a package name
            f"  pip install {self._pip_path()}",
        ]
        return "\n".join(lines) + "\n"

    def _pip_path(self) -> str:
        out = str(self.output)
        return out if self.output.is_absolute() or out.startswith(".") else f"./{out}"


def _template(name: str) -> string.Template:
    from importlib_resources import files

    text = files("simexit").joinpath(_TEMPLATES, name).read_text("utf-8")
    return string.Template(text)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _check(code: str, output: Path) -> str:
    from . import countries
    from ._format import is_territory

    key = code.strip().upper()
    if not is_territory(key):
        raise NewCountryError(
            f"got {code!r}, expected a two-letter ISO 3166-1 country code "
            "such as GE or UZ"
        )
    if key in countries():
        raise NewCountryError(
            f"{key} already has a data package; improve that one instead "
            "(see 'simexit show " + key + "')"
        )
    _check_output(output)
    return key


def _check_output(output: Path) -> None:
    """*output* is an empty folder, or a new one inside an existing folder."""
    shown_output = shown(str(output))
    try:
        if output.exists() and (not output.is_dir() or any(output.iterdir())):
            raise NewCountryError(
                f"--output {shown_output} exists and is not an empty folder; "
                "give a new folder"
            )
        parent = output.absolute().parent
        while not parent.exists():
            parent = parent.parent
    except OSError as e:  # a name too long, a folder that cannot be read
        raise NewCountryError(
            f"--output {shown_output} cannot be used: {e.strerror or e}"
        ) from None
    if not parent.is_dir():
        raise NewCountryError(
            f"--output {shown_output}: {shown(str(parent))} is not a folder, "
            "so nothing can be created inside it; give a new folder"
        )


def create(code: str, output: Path, *, today: dt.date | None = None) -> Created:
    """Write a package skeleton for *code* into the new folder *output*."""
    from . import Registry, plan_for
    from ._format import country_name, territory_currency, territory_languages

    key = _check(code, output)
    day = today or dt.date.today()
    languages = territory_languages(key)
    values = {
        "CODE": key,
        "code": key.lower(),
        "country": country_name(key, "en"),
        "package": f"simexit_{key.lower()}",
        "project": f"simexit-{key.lower()}",
        "currency": territory_currency(key) or "USD",
        "languages": ", ".join(_toml_value(lang) for lang in languages),
        "today": day.isoformat(),
        "simexit_version": __version__,
    }
    written: list[Path] = []
    for template, target in _LAYOUT:
        path = output / target.format(package=values["package"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_template(template).substitute(values), "utf-8")
        written.append(path)
    data = output / "src" / values["package"]

    # The scenario is what the engine makes of the placeholder data, so the
    # skeleton's test passes until the author changes the data.
    registry = Registry.from_paths(data)
    currency = registry.load(key).currency
    fields: dict[str, Any] = dict(_SCENARIO_SITUATION)
    for money in ("arrears", "balance"):
        fields[money] = Money(str(fields[money]), currency)
    plan = plan_for(
        Situation(country=key, **fields),
        today=day,
        registry=registry,
    )
    situation = ", ".join(
        f"{k} = {_toml_value(v)}" for k, v in _SCENARIO_SITUATION.items()
    )
    scenario = "\n".join(
        [
            "",
            "[[scenarios]]",
            'name = "Example Operator SIM, in the country, nothing owed"',
            f"today = {day.isoformat()}",
            f"situation = {{ {situation} }}",
            "steps = [" + ", ".join(_toml_value(s) for s in plan.step_ids) + "]",
            "warnings = [" + ", ".join(_toml_value(w.id) for w in plan.warnings) + "]",
            "blockers = [" + ", ".join(_toml_value(b.id) for b in plan.blockers) + "]",
            "",
        ]
    )
    scenarios = data / "scenarios.toml"
    scenarios.write_text(
        _template("scenarios.toml.tmpl").substitute(values) + scenario, "utf-8"
    )
    written.append(scenarios)
    return Created(key, values["country"], output, data, tuple(written))


__all__ = ["Created", "NewCountryError", "create"]
