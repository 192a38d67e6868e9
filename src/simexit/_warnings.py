"""The warnings of a plan, in the order :func:`warnings` lists them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ._anywhere import NO_PACKAGE_NOTICE
from ._locales import FALLBACK_NOTICE, fallback_language_text, locale_fallback_text
from ._model import Claim, Confidence, Country, OperatorStatus, Source
from ._plan import Notice, Step

if TYPE_CHECKING:
    from ._planner import Case, Prepared


def warnings(
    prepared: Prepared, case: Case, steps: Sequence[Step], stale: Sequence[str]
) -> tuple[Notice, ...]:
    """The plan's warnings, in this order:

     1. the locale asked for is not available (``locale-fallback``), or the
        country's packages do not all declare it, so some text may show in
        English (``fallback-language``);
    1b. no package provides the country: the plan, a travel eSIM's, comes
        from the core data alone (``no-country-package``);
     2. the operator has ceased trading on the day (``operator-defunct``);
     3. the country's notices whose condition holds, by id;
     4. the claims seen in the wild that touch the plan (:func:`touches`);
     5. the steps whose confidence is unverified (``unverified-data``);
     6. the steps resting on facts not verified again lately, *stale*
        (their titles; ``stale-data``).
    """
    country, loc = prepared.country, case.locale
    t = country.vocabulary.templates
    out: list[Notice] = []
    if case.fallback:
        out.append(Notice(id="locale-fallback", text=locale_fallback_text()))
    elif loc not in country.locales:
        fell = country.notices.get(FALLBACK_NOTICE)
        text = fell.text.get(loc) if fell else fallback_language_text()
        out.append(Notice(id=FALLBACK_NOTICE, text=text))
    if not country.packaged:
        bare = country.notices[NO_PACKAGE_NOTICE]
        out.append(Notice(id=bare.id, text=bare.text.get(loc)))
    defunct = defunct_notice(country, case)
    if defunct is not None:
        out.append(defunct)
    for g in prepared.notices:
        if g.holds(case.context):
            notice = g.item
            out.append(
                Notice(
                    id=notice.id,
                    text=notice.text.get(loc),
                    sources=_sources(country, notice.sources),
                )
            )
    present = {st.id for st in steps}
    for claim in prepared.claims:
        if touches(claim, case, present):
            out.append(claim_notice(country, claim, loc))
    names = t["list"].get(loc)
    unsure = [st for st in steps if st.confidence is Confidence.UNVERIFIED]
    if unsure:
        text = (
            t["unverified"].get(loc).format(steps=names.join(st.title for st in unsure))
        )
        ids = tuple(st.id for st in unsure)
        out.append(Notice(id="unverified-data", text=text, steps=ids))
    if stale:
        text = t["stale"].get(loc).format(steps=names.join(stale))
        out.append(Notice(id="stale-data", text=text))
    return tuple(out)


def defunct_notice(country: Country, case: Case) -> Notice | None:
    """That the situation's operator no longer trades, from when."""
    op = case.operator
    if op is None or op.status_on(case.today) is not OperatorStatus.DEFUNCT:
        return None
    assert op.defunct_since is not None
    text = (
        country.vocabulary.templates["defunct"]
        .get(case.locale)
        .format(operator=op.name_in(case.locale), date=op.defunct_since.isoformat())
    )
    return Notice(
        id="operator-defunct", text=text, sources=_sources(country, op.sources)
    )


def touches(claim: Claim, case: Case, present: set[str]) -> bool:
    """Whether *claim* is about this plan, so worth showing to this person.

    A claim touches a plan only if it names the plan's operator or card, or
    declares it matters to ``everyone`` in the country; then every list of
    what it is about that is not empty must match: the operator (when it is
    known: an unknown operator may be any of them), the card, one of the
    steps present.
    """
    about, s = claim.about, case.situation
    if not (about.operators or about.cards or about.everyone):
        return False
    if about.operators and s.operator is not None and s.operator not in about.operators:
        return False
    if about.cards and s.card not in about.cards:
        return False
    return not (about.steps and not present.intersection(about.steps))


def claim_notice(country: Country, claim: Claim, loc: str) -> Notice:
    """The claim and its correction, with their sources and where it was seen."""
    text = (
        country.vocabulary.templates["claim"]
        .get(loc)
        .format(claim=claim.claim.get(loc), correction=claim.correction.get(loc))
    )
    return Notice(
        id=claim.id,
        text=text,
        sources=_sources(country, (*claim.sources, *claim.seen_in)),
    )


def _sources(country: Country, ids: Iterable[str]) -> tuple[Source, ...]:
    return tuple(country.sources[i] for i in ids)
