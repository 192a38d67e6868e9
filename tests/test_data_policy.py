"""The data policy, enforced over every bundled package and locale."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tomllib

import attrs
import pytest

import simexit
import simexit._locales
import simexit.model
from simexit import SourceKind
from simexit.model import Text, Verdict
from simexit.testing import check_scenario, load_scenarios

from .conftest import ROOT

DATA = ROOT / "src" / "simexit" / "data"

COUNTRIES = ("AE", "AZ", "GE", "JP", "KZ", "UZ")
DAY = dt.date(2026, 11, 23)
SEEDS = ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004")


def facts(country: simexit.Country):
    for op in country.operators.values():
        for table in ("channels", "preconditions", "procedures", "facts"):
            for fid, fact in getattr(op, table).items():
                yield f"{op.id}.{table}.{fid}", fact
    for fid, fact in country.facts.items():
        yield f"facts.{fid}", fact


def texts(value, path="$"):
    """Every Text reachable from *value*, with its path."""
    if isinstance(value, Text):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from texts(v, f"{path}.{k}")
    elif isinstance(value, tuple | list):
        for i, v in enumerate(value):
            yield from texts(v, f"{path}[{i}]")
    elif attrs.has(type(value)):
        for a in attrs.fields(type(value)):
            yield from texts(getattr(value, a.name), f"{path}.{a.name}")


@pytest.fixture(params=COUNTRIES)
def country(request) -> simexit.Country:
    return simexit.load_country(request.param)


class TestSources:
    def test_every_fact_cites_a_source_with_a_url(self, country):
        """A fact without a source does not ship."""
        for where, fact in facts(country):
            assert fact.sources, where
            for sid in fact.sources:
                assert re.match(r"https?://\S+$", country.sources[sid].url), (
                    where,
                    sid,
                )

    def test_no_claim_in_the_wild_is_used_as_a_fact(self, country):
        """Seed articles are claims, never evidence."""
        for where, fact in facts(country):
            kinds = {country.sources[s].kind for s in fact.sources}
            assert SourceKind.CLAIM not in kinds, where
        for step in country.steps.values():
            assert all(
                country.sources[s].kind is not SourceKind.CLAIM for s in step.sources
            )

    def test_confidence_reflects_the_best_source(self, country):
        """VERIFIED needs an official source; news and third parties are REPORTED."""
        for where, fact in facts(country):
            kinds = {country.sources[s].kind for s in fact.sources}
            if fact.confidence is simexit.Confidence.VERIFIED:
                assert SourceKind.OFFICIAL in kinds, where

    def test_every_source_is_complete(self, country):
        """Sources have a publisher, a language and a retrieved date."""
        for sid, src in country.sources.items():
            assert src.publisher.strip(), sid
            assert src.language.strip(), sid
            assert src.retrieved <= country.data_as_of, sid


class TestClaims:
    def test_contradicted_claims_have_corrections(self, country):
        """Every wrong or half-true claim carries the correction the plan shows."""
        for claim in country.claims.values():
            if claim.verdict in (Verdict.CONTRADICTED, Verdict.PARTLY_CONFIRMED):
                for loc in simexit._locales.tags():
                    assert len(claim.correction.get(loc)) > 10, (claim.id, loc)

    def test_claims_cite_where_they_were_seen(self, country):
        """Claims point at the articles that made them, as claim sources."""
        for claim in country.claims.values():
            assert claim.seen_in
            assert all(
                country.sources[s].kind is SourceKind.CLAIM for s in claim.seen_in
            )

    def test_every_seed_article_is_answered(self):
        """Each of the five seed articles has at least one claim recorded."""
        seen = {
            s
            for code in COUNTRIES
            for c in simexit.load_country(code).claims.values()
            for s in c.seen_in
        }
        assert set(SEEDS) <= seen

    @pytest.mark.parametrize(
        ("claim", "needles"),
        [
            ("claim-bakcell-102", ("102", "555")),
            ("claim-azercell-111", ("*1111",)),
            ("claim-caspian-mobile", ("Nar",)),
            ("claim-esim-sms-cancel", ("SMS",)),
            ("claim-tourist-card", ("evisa.gov.az",)),
        ],
    )
    def test_known_wrong_claims_are_corrected(self, claim, needles):
        """The specific wrong claims of the seeds are corrected with the facts."""
        correction = simexit.load_country("AZ").claims[claim].correction.get("en")
        for needle in needles:
            assert needle in correction


def _declared_locales() -> set[str]:
    """The locales core and every bundled country declare in their package.toml."""
    found = [
        set(
            tomllib.loads((DATA / pkg / "package.toml").read_text("utf-8"))["package"][
                "locales"
            ]
        )
        for pkg in ("core", *(code.lower() for code in COUNTRIES))
    ]
    assert {"en", "zh-Hans", "zh-Hant"} <= found[0]
    return set.intersection(*found)


class TestLanguages:
    def test_every_text_has_every_locale(self, country):
        """Every text exists, non-empty, in every locale the packages declare."""
        declared = _declared_locales()
        for path, text in texts(country):
            for loc in declared:
                assert text.has(loc), (path, loc)
                assert text.get(loc).strip(), (path, loc)

    def test_chinese_is_written_for_each_script(self, country):
        """zh-Hant is not a copy of zh-Hans, and neither uses 登出 for 注销."""
        same = []
        for path, text in texts(country):
            hans, hant = text.get("zh-Hans"), text.get("zh-Hant")
            assert "登出" not in hans + hant, path
            if re.search(r"[\u4e00-\u9fff]{4}", hans) and hans == hant:
                same.append(path)
        assert len(same) <= 3, same  # a few short phrases are the same in both scripts

    def test_staff_sentences_are_in_the_local_languages(self, country):
        """In-person steps carry a sentence in each local language, marked unreviewed."""
        found = 0
        for op in country.operators.values():
            for proc in op.procedures.values():
                if proc.show_staff is None:
                    continue
                found += 1
                langs = {lang for lang, _ in proc.show_staff.languages()}
                assert langs == set(country.languages), (op.id, proc.id)
                assert proc.show_staff.reviewed is False
        assert found


class TestScenarios:
    @pytest.mark.parametrize(
        "scenario",
        [s for code in COUNTRIES for s in load_scenarios(code)],
        ids=lambda s: f"{s.situation.country}: {s.name}",
    )
    def test_scenario(self, scenario):
        """Each scenario written as data gives the plan it expects."""
        assert check_scenario(scenario) == []

    def test_every_operator_has_a_scenario(self, country):
        """Scenario files cover each operator of the country."""
        covered = {s.situation.operator for s in load_scenarios(country.code)}
        local = {
            o
            for o, op in country.operators.items()
            if op.kind is not simexit.model.OperatorKind.TRAVEL_ESIM_SELLER
        }
        assert local <= covered


# The seed articles wrap their text in an advertisement; none of it may ever
# reach the project.  The patterns are assembled so this file holds none.
_AD_PATTERNS = ("esim" + "1088", "t" + ".me/", "postimg" + ".cc", "TG" + "💪")


def test_no_seed_advertisement_anywhere_in_the_repository():
    """No tracked file contains the seeds' Telegram handle, links or images."""
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    offenders = []
    for rel in filter(None, files):
        path = ROOT / rel
        if not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        offenders += [f"{rel}: {p}" for p in _AD_PATTERNS if p.lower() in text.lower()]
    assert offenders == []


# Notes kept outside the repository that data comments used to cite; a
# reader of the repository cannot follow them (assembled, as above).
_PRIVATE_NOTES = re.compile(r"\bFACTS(?:\.md| §)|shared/" + "(?:research|seeds)")


def test_data_and_code_cite_no_file_outside_the_repository():
    """Comments point at public pages (the sources), not at private notes."""
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for top in ("src", "docs", "tests", "examples", "benchmarks")
        for path in sorted((ROOT / top).rglob("*"))
        if path.suffix in (".py", ".toml", ".md", ".tmpl") and path.is_file()
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if _PRIVATE_NOTES.search(line)
    ]
    assert offenders == []


_DOMAIN = re.compile(
    r"(?:@|https?://|\b)((?:[a-z0-9-]+\.)+(?:com|ae|az|ge|jp|kz|uz|net|org|me))\b", re.I
)


def _registrable(host: str) -> str:
    return ".".join(host.lower().split(".")[-2:])


class TestScamSafety:
    def test_channels_point_only_at_the_operators_own_domains(self, country):
        """Every web address or e-mail in a channel belongs to its operator."""
        for op in country.operators.values():
            if op.website is None:
                continue
            own = _registrable(re.sub(r"^https?://", "", op.website).split("/")[0])
            for ch in op.channels.values():
                for host in _DOMAIN.findall(ch.contact):
                    assert _registrable(host) == own, (op.id, ch.id, host)

    def test_every_operator_has_an_official_or_cited_identity(self, country):
        """Operators themselves are sourced, like every fact."""
        for op in country.operators.values():
            assert op.sources, op.id


def test_no_placeholder_data_ships():
    """Skeleton placeholders (REPLACE markers, .example hosts) never ship."""
    for path in sorted((ROOT / "src" / "simexit" / "data").rglob("*.toml")):
        text = path.read_text("utf-8")
        assert "REPLACE" not in text, path
        assert not re.search(r"https?://[^/\s\"]*\.example\b", text), path


def test_official_share_counts_only_the_country_package():
    """The share of official facts is about the country's own data."""
    az = simexit.load_country("AZ")
    assert "airalo" not in az.package_operators
    assert "azercell" in az.package_operators
    assert 0.5 < az.official_share() <= 1.0


#: The placeholders the December 2026 audit lists (§1): no eSIM page, no
#: termination procedure, no lost-SIM page.
AUDIT_PLACEHOLDERS = {
    # Not in the audit: the gaps the AE package reports itself.
    "AE": {
        "etisalat": {
            "sim-block-not-published",
            "abroad-not-published",
            "recycling-not-published",
        },
        "du": {
            "prepaid-not-published",
            "contact-not-published",
            "sim-block-not-published",
        },
        "virgin-mobile": {"block-not-published"},
    },
    "AZ": {
        "azercell": {"esim-not-published"},
        "bakcell": {
            "esim-not-published",
            "terminate-not-published",
            "block-not-published",
        },
        "nar": {"esim-not-published", "terminate-not-published"},
    },
    # Not in the audit: the gaps the GE package reports itself.
    "GE": {
        "cellfie": {"esim-not-published"},
        "magti": {"esim-not-published"},
        "silknet": {
            "esim-not-published",
            "terminate-not-published",
            "block-not-published",
        },
    },
    # Not in the audit: the gaps the JP package reports itself.
    "JP": {
        "docomo": {
            "ahamo-leave-not-read",
            "foreigner-documents",
            "esim-not-published",
            "recycling-not-published",
        },
        "b-mobile": {"block-not-published"},
        "ntt-com": {"block-not-published"},
        "sakura-mobile": {"esim-not-read", "block-not-published"},
    },
    "KZ": {
        "kcell": {"esim-not-published"},
        "beeline": {"esim-not-published", "terminate-not-published"},
        "izi": {"esim-not-published", "terminate-not-published"},
        "tele2-altel": {"esim-not-published", "terminate-not-published"},
    },
    # Not in the audit: the gaps the UZ package reports itself.
    "UZ": {
        "ucell": {
            "esim-not-published",
            "abroad-number-not-read",
            "balance-code-not-read",
        },
        "beeline": {"esim-not-published", "lapse-not-published"},
        "mobiuz": {"esim-not-published", "lapse-not-published"},
        "uzmobile": {"esim-not-published", "lapse-not-published"},
    },
}

#: How a text that reports something not found reads.
NOT_FOUND = re.compile(r"\bwe (found no|could not|did not find)\b", re.IGNORECASE)


class TestPlaceholders:
    """Placeholders ("we found no page …") are marked, and count for nothing."""

    def test_the_audit_s_placeholders_are_marked(self, country):
        for op_id, ids in AUDIT_PLACEHOLDERS[country.code].items():
            for fid in ids:
                assert country.operators[op_id].facts[fid].gap, f"{op_id}.{fid}"

    def test_every_fact_reporting_a_gap_is_marked(self, country):
        """A fact whose text says nothing was found is a placeholder, and a
        placeholder says so: the flag and the text agree."""
        for where, fact in facts(country):
            if isinstance(fact, simexit.model.Fact):
                says_gap = bool(NOT_FOUND.search(fact.text.get("en")))
                assert fact.gap is says_gap, where

    def test_every_placeholder_is_unverified(self, country):
        for where, fact in facts(country):
            if isinstance(fact, simexit.model.Fact) and fact.gap:
                assert fact.confidence is simexit.Confidence.UNVERIFIED, where

    def test_placeholders_count_toward_no_official_share(self, country):
        """The share counts real items only: marking a placeholder as a fact
        would add an official item, so the share the package reports is
        below what the placeholders' official pages would make it."""
        from simexit._coverage import coverage

        cov = coverage(country)
        gaps = sum(len(ids) for ids in AUDIT_PLACEHOLDERS[country.code].values())
        assert cov.kinds["facts"].gaps == gaps
        assert country.official_share() == cov.share
        unmarked = attrs.evolve(
            country,
            operators={
                k: attrs.evolve(
                    op,
                    facts={
                        fid: attrs.evolve(f, gap=False, confidence=None)
                        for fid, f in op.facts.items()
                    },
                )
                for k, op in country.operators.items()
            },
        )
        assert coverage(unmarked).total.official > cov.total.official
        assert coverage(unmarked).share > cov.share


def _label_points(code: str):
    """Every bundled operator (and none) × card × billing × location ×
    device × keep-the-number, in every locale."""
    import itertools

    country = simexit.load_country(code)
    for operator in (None, *sorted(country.operators)):
        cards = country.cards if operator is None else country.operators[operator].cards
        for card, billing, location, device, keep, locale in itertools.product(
            cards,
            (None, *simexit.Billing),
            (None, *simexit.Location),
            (None, *simexit.Device),
            (True, False),
            simexit._locales.tags(),
        ):
            yield (
                simexit.Situation(
                    country=code,
                    operator=operator,
                    card=card,
                    billing=billing,
                    location=location,
                    device=device,
                    keep_number=keep,
                ),
                locale,
            )


@pytest.mark.parametrize("code", COUNTRIES)
def test_no_label_claims_more_than_its_sources(code):
    """VERIFIED means an official source on the step that is not a
    placeholder's; a placeholder keeps its step at most unverified; general
    advice cites nothing.  Over every bundled operator × card × billing ×
    location × device, in every locale."""
    from .domain import confidence_problems

    country = simexit.load_country(code)
    problems: list[str] = []
    seen: set[simexit.Confidence] = set()
    count = 0
    for situation, locale in _label_points(code):
        plan = simexit.plan_for(situation, locale=locale, today=DAY)
        count += 1
        seen.update(s.confidence for s in plan.steps)
        problems.extend(f"{situation}: {p}" for p in confidence_problems(plan, country))
    assert problems[:20] == []
    assert count > 1000
    assert {simexit.Confidence.VERIFIED, simexit.Confidence.GENERAL} <= seen


@pytest.mark.parametrize("locale", ["en", "zh-Hans"])
def test_the_issue_s_unsourced_advice_is_general_not_verified(locale):
    """Issue 11: "Watch your card statements", "Destroy the SIM" and "Save
    what depends on this line" showed ✓ while citing nothing."""
    plan = simexit.plan_for(
        simexit.Situation(
            country="AZ",
            operator="azercell",
            card=simexit.Card.PHYSICAL_SIM,
            keep_number=False,
        ),
        locale=locale,
        today=DAY,
    )
    for sid in ("watch-statements", "destroy-sim", "backup-data"):
        step = plan.step(sid)
        assert step is not None, sid
        assert step.confidence is simexit.Confidence.GENERAL, sid
        assert step.sources == (), sid
    text = simexit.render_text(plan)
    general = simexit._locales.word(locale, "confidence", "general")
    assert text.count(general) >= 4  # three steps and the legend
