"""Checks a data package can run on itself: scenario tests written as data.

A package's ``scenarios.toml`` holds situations and the plan each must give::

    [[scenarios]]
    name = "Azercell eSIM, abroad, owes money"
    today = 2026-11-23
    situation = { operator = "azercell", card = "esim", arrears = "4.50" }
    steps = ["pay-arrears", "..."]        # exact ids, in order
    warnings = ["claim-azercell-111"]     # must be among the warnings
    blockers = []                          # exact blocker ids
    present = ["*650#YES"]                 # text the plan must show
    absent = ["power of attorney"]         # text the plan must never show
    not_referenced = ["reseller.example"]  # never a reference (id or URL part)

``present`` and ``absent`` are searched, case-insensitively, in the plan as
:func:`~simexit.render_text` lays it out in the scenario's locale (without
line breaks). ``not_referenced`` holds for every source the plan cites that
is not a claim seen in the wild: claims may name such a site, references may
not.

Third-party package authors run them with::

    from simexit.testing import check_scenarios
    assert check_scenarios("XX") == []
"""

from __future__ import annotations

import datetime as dt
import tomllib
from typing import Any

import attrs

from ._api import _registry, load_country, plan_for
from ._loader import Registry
from ._model import SourceKind
from ._plan import Notice, Plan, Step
from ._situation import Money, Situation
from .exceptions import DataPackageError, InvalidSituationError, Problem, SimexitError

__all__ = ["Scenario", "check_scenario", "check_scenarios", "load_scenarios"]

_KEYS = (
    "name",
    "today",
    "locale",
    "situation",
    "steps",
    "warnings",
    "blockers",
    "present",
    "absent",
    "not_referenced",
)
_MONEY = ("arrears", "balance")


@attrs.frozen(kw_only=True)
class Scenario:
    """A situation and what its plan must contain."""

    name: str
    today: dt.date
    locale: str = "en"
    situation: Situation
    steps: tuple[str, ...]
    warnings: tuple[str, ...] = ()
    blockers: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    not_referenced: tuple[str, ...] = ()


def _folder_of(code: str, registry: Registry) -> Any:
    return registry._folder(code)[1]


def load_scenarios(code: str, *, registry: Registry | None = None) -> list[Scenario]:
    """The scenarios in the data package of country *code*."""
    reg = _registry(registry)
    country = load_country(code, registry=reg)
    node = _folder_of(code, reg).joinpath("scenarios.toml")
    if not node.is_file():
        return []
    rel = "scenarios.toml"
    try:
        raw = tomllib.loads(node.read_bytes().decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise DataPackageError((Problem(code.lower(), rel, "", str(e)),)) from None
    problems: list[Problem] = []
    out: list[Scenario] = []
    items = raw.get("scenarios", [])
    if not isinstance(items, list) or set(raw) - {"scenarios"}:
        raise DataPackageError(
            (Problem(code.lower(), rel, "", "expected only [[scenarios]] tables"),)
        )
    for i, item in enumerate(items):
        path = f"scenarios[{i}]"
        try:
            out.append(_scenario(item, country.code, country.currency))
        except SimexitError as e:
            problems.append(Problem(code.lower(), rel, path, str(e)))
        except (KeyError, TypeError, ValueError) as e:
            problems.append(Problem(code.lower(), rel, path, f"malformed: {e!r}"))
    if problems:
        raise DataPackageError(tuple(problems))
    return out


def _scenario(item: Any, code: str, currency: str) -> Scenario:
    if not isinstance(item, dict):
        raise TypeError("expected a table")
    extra = set(item) - set(_KEYS)
    if extra:
        raise ValueError(f"unknown keys {sorted(extra)}, expected {list(_KEYS)}")
    fields = dict(item["situation"])
    for key in _MONEY:
        if isinstance(fields.get(key), str):
            fields[key] = Money(fields[key], currency)
    today = item["today"]
    if type(today) is not dt.date:
        raise TypeError("today must be a date")
    return Scenario(
        name=str(item["name"]),
        today=today,
        locale=str(item.get("locale", "en")),
        situation=Situation(country=code, **fields),
        steps=tuple(item["steps"]),
        warnings=tuple(item.get("warnings", ())),
        blockers=tuple(item.get("blockers", ())),
        present=_strings(item, "present"),
        absent=_strings(item, "absent"),
        not_referenced=_strings(item, "not_referenced"),
    )


def _strings(item: dict[str, Any], key: str) -> tuple[str, ...]:
    values = item.get(key, [])
    if not isinstance(values, list) or not all(
        isinstance(v, str) and v.strip() for v in values
    ):
        raise TypeError(f"{key} must be a list of non-empty strings")
    return tuple(values)


def check_scenario(
    scenario: Scenario, *, registry: Registry | None = None
) -> list[str]:
    """What is wrong with the plan for *scenario* (empty when it passes)."""
    if not isinstance(scenario, Scenario):
        raise InvalidSituationError("scenario", scenario, "a simexit.testing.Scenario")
    plan = plan_for(
        scenario.situation,
        locale=scenario.locale,
        today=scenario.today,
        registry=registry,
    )
    errors: list[str] = []
    got = [s.id for s in plan.steps]
    if got != list(scenario.steps):
        errors.append(
            f"{scenario.name}: steps {got} != expected {list(scenario.steps)}"
        )
    warnings = {w.id for w in plan.warnings}
    missing = [w for w in scenario.warnings if w not in warnings]
    if missing:
        errors.append(
            f"{scenario.name}: warnings {missing} missing from {sorted(warnings)}"
        )
    blockers = [b.id for b in plan.blockers]
    if blockers != list(scenario.blockers):
        errors.append(
            f"{scenario.name}: blockers {blockers} != expected {list(scenario.blockers)}"
        )
    return errors + _content_errors(scenario, plan)


def _content_errors(scenario: Scenario, plan: Plan) -> list[str]:
    """What the plan shows that it must not, or fails to show, or cites."""
    from . import render_text  # the public renderer, wherever it lives

    shown = " ".join(render_text(plan, width=1_000_000).split()).casefold()
    errors = [
        f"{scenario.name}: {text!r} is not in the plan"
        for text in scenario.present
        if " ".join(text.split()).casefold() not in shown
    ]
    errors += [
        f"{scenario.name}: {text!r} is in the plan"
        for text in scenario.absent
        if " ".join(text.split()).casefold() in shown
    ]
    items: list[Step | Notice] = [*plan.steps, *plan.blockers, *plan.warnings]
    cited = {s.id: s for item in items for s in item.sources}
    errors += [
        f"{scenario.name}: {source.id} ({source.url}) is cited as a reference"
        for source in cited.values()
        if source.kind is not SourceKind.CLAIM
        and any(n in source.id or n in source.url for n in scenario.not_referenced)
    ]
    return errors


def check_scenarios(code: str, *, registry: Registry | None = None) -> list[str]:
    """Run every scenario of country *code*; return every failure."""
    errors: list[str] = []
    for scenario in load_scenarios(code, registry=registry):
        errors.extend(check_scenario(scenario, registry=registry))
    return errors
