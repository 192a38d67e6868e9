"""Merge a country package over the core, check it, and build the Country.

The second stage of loading: two :class:`~simexit._files.Package` values
(the core and a country) become one :class:`Merged` -- every table joined,
a duplicate id reported and left out, a country rule replacing the core
rule it names -- which the checks of :mod:`simexit._checks` read.  When no
check found a problem, :func:`build_country` gives the typed Country, each
fact with the confidence and date its sources give it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from . import _checks
from ._conditions import _did_you_mean
from ._model import (
    Confidence,
    Country,
    Fact,
    FactLike,
    NoticeDefinition,
    Operator,
    Rule,
    Source,
    StepDefinition,
    derived_confidence,
)
from ._translations import shared_locales

if TYPE_CHECKING:
    from ._files import Collector, Package
    from ._model import Claim

T = TypeVar("T")

#: The tables merged by id, a duplicate being a problem.
_TABLES = ("sources", "steps", "notices", "claims", "facts")


@attrs.frozen
class Merged:
    """A country package merged over the core, not yet checked.

    Each item remembers the package it came from (*owner*), so that a
    problem is reported against that package's file.
    """

    core: Package
    pkg: Package
    col: Collector
    core_col: Collector
    tables: dict[str, dict[str, Any]]
    rules: dict[str, Rule]
    operators: dict[str, Operator]
    owner: dict[tuple[str, str], Package]
    broken: set[tuple[str, str]]  # (table, id) of items that failed to load
    unparsed: set[str]  # files that failed to parse

    @property
    def sources(self) -> dict[str, Source]:
        return self.tables["sources"]

    @property
    def steps(self) -> dict[str, StepDefinition]:
        return self.tables["steps"]

    @property
    def notices(self) -> dict[str, NoticeDefinition]:
        return self.tables["notices"]

    @property
    def claims(self) -> dict[str, Claim]:
        return self.tables["claims"]

    @property
    def facts(self) -> dict[str, Fact]:
        return self.tables["facts"]

    def where(self, table: str, item: str) -> tuple[Collector, str]:
        """The collector and file of the package that gave *item*."""
        return _where(self.owner[(table, item)], table, item, self.core, self.cols)

    @property
    def cols(self) -> _Cols:
        return _Cols(self.col, self.core_col)

    def missing(self, table: str, item: str, scope: str = "") -> bool:
        """True if *item* is really absent, not just broken or unparsed."""
        if (table, scope + item) in self.broken or f"{table}.toml" in self.unparsed:
            return False
        return not (
            table == "operators"
            and any(u.startswith("operators/") for u in self.unparsed)
        )


def _where(
    p: Package, table: str, item: str, core: Package, cols: _Cols
) -> tuple[Collector, str]:
    """The collector and file of package *p*'s *item*."""
    return (cols.core_col if p is core else cols.col), p.origin.get((table, item), "")


@attrs.frozen
class _Cols:
    """The two collectors, while the tables are being merged."""

    col: Collector
    core_col: Collector


def merge(core: Package, pkg: Package, col: Collector, core_col: Collector) -> Merged:
    """*pkg* over *core*; a duplicate or a bad replacement is reported."""
    cols = _Cols(col, core_col)
    owner: dict[tuple[str, str], Package] = {}
    tables = {t: _merge_table(core, pkg, t, owner, cols) for t in _TABLES}
    rules = _merge_rules(core, pkg, owner, cols)
    operators = _merge_operators(core, pkg, owner, cols)
    broken = col.broken | core_col.broken
    unparsed = col.unparsed | core_col.unparsed
    return Merged(
        core, pkg, col, core_col, tables, rules, operators, owner, broken, unparsed
    )


def _merge_table(
    core: Package,
    pkg: Package,
    table: str,
    owner: dict[tuple[str, str], Package],
    cols: _Cols,
) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for p in (core, pkg):
        for key, item in p.tables[table].items():
            if key in merged:
                c, f = _where(p, table, key, core, cols)
                c.add(
                    f,
                    f"{table}.{key}",
                    f"duplicate id {key!r}: already defined in "
                    f"core/{core.origin.get((table, key), '')}",
                )
                continue
            merged[key] = item
            owner[(table, key)] = p
    return merged


def _merge_rules(
    core: Package, pkg: Package, owner: dict[tuple[str, str], Package], cols: _Cols
) -> dict[str, Rule]:
    """The core rules, then the country's: one may replace a core rule only
    by naming it, and never one that puts a safety step in the plan."""
    core_rules: dict[str, Rule] = core.tables["rules"]
    rules = dict(core_rules)
    for key, rule in core_rules.items():
        owner[("rules", key)] = core
        if rule.replaces is not None:
            cols.core_col.add(
                core.origin[("rules", key)],
                f"rules.{key}.replaces",
                "only country packages may replace core rules",
            )
    for key, rule in pkg.tables["rules"].items():
        rel = pkg.origin[("rules", key)]
        if rule.replaces is not None:
            why = _replacement_problem(rule.replaces, core_rules)
            if why is not None:
                cols.col.add(rel, f"rules.{key}.replaces", why)
                continue
            rules.pop(rule.replaces, None)
        if key in rules:
            cols.col.add(
                rel,
                _checks.rule_path(rel, key),
                f"duplicate id {key!r}: a core rule has it; add replaces = "
                f"{key!r} to replace it",
            )
            continue
        rules[key] = rule
        owner[("rules", key)] = pkg
    return rules


def _replacement_problem(replaces: str, core_rules: dict[str, Rule]) -> str | None:
    """Why a country rule may not replace the core rule *replaces*, or None."""
    replaced = core_rules.get(replaces)
    if replaced is None:
        return (
            f"no core rule {replaces!r} to replace{_did_you_mean(replaces, core_rules)}"
        )
    if replaced.step in _checks.PROTECTED_STEPS:
        return (
            f"core rule {replaces!r} puts the safety step {replaced.step!r} in "
            "the plan and cannot be replaced; add a rule of your own instead"
        )
    return None


def _merge_operators(
    core: Package, pkg: Package, owner: dict[tuple[str, str], Package], cols: _Cols
) -> dict[str, Operator]:
    operators: dict[str, Operator] = {}
    for p in (core, pkg):
        for key, op in p.operators.items():
            if key in operators:
                c, f = _where(p, "operators", key, core, cols)
                c.add(
                    f,
                    "operator",
                    f"duplicate operator id {key!r}: already defined in core",
                )
                continue
            operators[key] = op
            owner[("operators", key)] = p
    return operators


def build_country(
    core: Package, pkg: Package, col: Collector, core_col: Collector
) -> Country | None:
    """Merge *pkg* over *core*, check everything, and build the Country;
    None when a problem was found (the collectors hold them)."""
    info = pkg.info
    if info is not None:
        _checks.check_currency(info.currency, col)
    m = merge(core, pkg, col, core_col)
    _checks.run_all(m)
    if col.problems or core_col.problems or info is None or core.vocabulary is None:
        return None
    assert info.currency is not None
    sources = m.sources
    return Country(
        code=info.code,
        currency=info.currency,
        languages=info.languages,
        locales=shared_locales(info, core.info),
        cards=info.cards,
        data_version=info.data_version,
        data_as_of=info.data_as_of,
        sources=dict(sorted(sources.items())),
        operators={k: _finish_operator(op, sources) for k, op in m.operators.items()},
        package_operators=tuple(sorted(pkg.operators)),
        package_facts=tuple(sorted(pkg.tables.get("facts", {}))),
        steps=m.steps,
        rules=m.rules,
        notices=m.notices,
        claims=m.claims,
        facts=_finish_all(m.facts, sources),
        vocabulary=core.vocabulary,
    )


def _finish_operator(op: Operator, sources: dict[str, Source]) -> Operator:
    return attrs.evolve(
        op,
        channels=_finish_all(op.channels, sources),
        preconditions=_finish_all(op.preconditions, sources),
        procedures=_finish_all(op.procedures, sources),
        facts=_finish_all(op.facts, sources),
        windows=_finish_all(op.windows, sources),
    )


def _finish_all(items: dict[str, T], sources: dict[str, Source]) -> dict[str, T]:
    return {k: _finish_fact(v, sources) for k, v in items.items()}


def _finish_fact(fact: T, sources: dict[str, Source]) -> T:
    """*fact* with its confidence and verification date: as stated, else
    what its sources give (the best they support, the latest retrieval);
    a placeholder (``gap``) is unverified unless it says less."""
    assert isinstance(fact, FactLike)
    conf = fact.confidence or (
        Confidence.UNVERIFIED
        if isinstance(fact, Fact) and fact.gap
        else derived_confidence(fact.sources, sources)
    )
    verified = fact.verified_on or max(
        (sources[s].retrieved for s in fact.sources if s in sources),
        default=None,
    )
    return attrs.evolve(fact, confidence=conf, verified_on=verified)
