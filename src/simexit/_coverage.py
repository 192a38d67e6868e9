"""How much of a country package official sources back: the official share.

A package's items are its own operators' channels, preconditions,
procedures and facts, and its country facts (the core travel-eSIM sellers
every country shares are not counted).  An item is *official* when it cites
an official source and its confidence is verified (a stated confidence may
say less than its sources).  Placeholders (:attr:`~simexit._model.Fact.gap`:
"we found no page …") are not facts: they are counted apart and are in
neither part of the share, so a gap can never raise it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from ._model import (
    Channel,
    Confidence,
    Country,
    Fact,
    FactLike,
    Precondition,
    Procedure,
    Source,
    SourceKind,
)

#: The kinds of item counted, in the order tables show them.
KINDS = ("channels", "preconditions", "procedures", "facts")


@attrs.frozen(kw_only=True)
class Tally:
    """Items of one kind: how many, how many official, how many placeholders."""

    items: int = 0
    official: int = 0
    gaps: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            items=self.items + other.items,
            official=self.official + other.official,
            gaps=self.gaps + other.gaps,
        )

    @property
    def share(self) -> float:
        """``official / items``; 0.0 when there are no items."""
        return self.official / self.items if self.items else 0.0


@attrs.frozen(kw_only=True)
class Coverage:
    """A country package's official share, by kind of item."""

    country: str
    #: Kind (one of :data:`KINDS`) -> its tally.
    kinds: dict[str, Tally]

    @property
    def total(self) -> Tally:
        return sum(self.kinds.values(), Tally())

    @property
    def share(self) -> float:
        """The official share of all items, placeholders excluded."""
        return self.total.share


def is_gap(item: FactLike) -> bool:
    """Whether *item* is a placeholder, not a fact."""
    return type(item) is Fact and item.gap


def is_official(item: FactLike, sources: Mapping[str, Source]) -> bool:
    """Whether an official source backs *item*: never for a placeholder."""
    if is_gap(item):
        return False
    if item.confidence is not None and item.confidence is not Confidence.VERIFIED:
        return False
    return any(
        s in sources and sources[s].kind is SourceKind.OFFICIAL for s in item.sources
    )


def tally(items: Iterable[FactLike], sources: Mapping[str, Source]) -> Tally:
    """The tally of *items*: placeholders counted apart, not as items."""
    n = official = gaps = 0
    for item in items:
        if is_gap(item):
            gaps += 1
            continue
        n += 1
        official += is_official(item, sources)
    return Tally(items=n, official=official, gaps=gaps)


def items(
    country: Country,
) -> dict[str, list[Channel | Precondition | Procedure | Fact]]:
    """*country*'s own items by kind (:data:`KINDS`), placeholders included."""
    ops = [
        op for op in country.operators.values() if op.id in country.package_operators
    ]
    return {
        "channels": [c for op in ops for c in op.channels.values()],
        "preconditions": [p for op in ops for p in op.preconditions.values()],
        "procedures": [p for op in ops for p in op.procedures.values()],
        "facts": [
            *(f for op in ops for f in op.facts.values()),
            *(country.facts[f] for f in country.package_facts),
        ],
    }


def coverage(country: Country) -> Coverage:
    """The official share of *country*'s own package, by kind of item."""
    groups = items(country)
    return Coverage(
        country=country.code,
        kinds={k: tally(groups[k], country.sources) for k in KINDS},
    )


def official_share(country: Country) -> float:
    """The share of *country*'s own items an official source backs."""
    return coverage(country).share


__all__ = [
    "KINDS",
    "Coverage",
    "Tally",
    "coverage",
    "is_gap",
    "is_official",
    "items",
    "official_share",
]
