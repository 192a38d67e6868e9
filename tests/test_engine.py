"""plan_for: rules as data, unknowns as checks, order, explanations, truth."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

import simexit
from simexit import Card, Confidence, Money, Registry

from .conftest import TODAY, plan
from .domain import order_problems


def ids(p: simexit.Plan) -> list[str]:
    return [s.id for s in p.steps]


class TestUnknowns:
    def test_unknown_operator_is_identified_first(self):
        """No operator: identify it before any operator-specific step."""
        p = plan(card="physical_sim")
        assert ids(p)[0] == "identify-operator"
        assert order_problems(p) == []

    def test_unknown_arrears_and_balance_become_checks(self):
        """None is unknown, not zero: the plan checks instead of guessing."""
        p = plan(operator="azercell", card="esim")
        assert "check-arrears" in ids(p)
        assert "check-balance" in ids(p)
        assert "pay-arrears" not in ids(p)

    def test_zero_is_known_to_be_nothing(self):
        """Money('0') means nothing owed: no check, no payment."""
        p = plan(
            operator="azercell", arrears=Money("0", "AZN"), balance=Money("0", "AZN")
        )
        assert not {
            "check-arrears",
            "pay-arrears",
            "check-balance",
            "use-or-refund-balance",
        } & set(ids(p))

    def test_unknown_linked_accounts_are_migrated(self):
        """Linked accounts not known to be absent are moved before the number goes."""
        assert "migrate-linked-accounts" in ids(plan(operator="nar"))
        assert "migrate-linked-accounts" not in ids(
            plan(operator="nar", linked_accounts=False)
        )


class TestOrder:
    def test_lost_phone_blocks_first_and_urgently(self):
        """A stolen phone: block the line before anything else."""
        p = plan(operator="azercell", device="stolen")
        assert ids(p)[0] == "block-number"
        assert p.steps[0].urgent

    def test_money_before_termination(self):
        """Arrears are paid and balance used before the contract ends."""
        p = plan(
            operator="azercell", arrears=Money("4.50", "AZN"), balance=Money("3", "AZN")
        )
        order = ids(p)
        assert order.index("pay-arrears") < order.index("terminate-subscription")
        assert order.index("use-or-refund-balance") < order.index(
            "terminate-subscription"
        )
        assert order.index("migrate-linked-accounts") < order.index(
            "terminate-subscription"
        )

    def test_terminate_before_deleting_the_esim(self):
        """Deleting a profile does not end a contract, so it comes last."""
        order = ids(plan(operator="azercell", card="esim"))
        assert order.index("terminate-subscription") < order.index(
            "delete-esim-profile"
        )

    def test_travel_esim_refund_before_deletion(self):
        """A travel eSIM's refund is requested before its profile is deleted."""
        p = plan(operator="airalo", card="travel_esim")
        order = ids(p)
        assert order.index("request-refund") < order.index("delete-esim-profile")
        assert "terminate-subscription" not in order

    def test_confirmation_before_destroying_the_sim(self):
        """A physical SIM is destroyed only once the end is confirmed."""
        order = ids(plan(operator="bakcell", card="physical_sim"))
        assert order.index("confirm-termination") < order.index("destroy-sim")

    def test_kept_number_is_ported_not_terminated(self):
        """keep_number: port-number replaces termination and migration."""
        order = ids(plan(operator="azercell", keep_number=True))
        assert "port-number" in order
        assert "terminate-subscription" not in order
        assert "migrate-linked-accounts" not in order

    def test_after_ids_are_earlier(self):
        """Every id in a step's `after` appears earlier in the plan."""
        p = plan(operator="azercell", card="esim", device="lost")
        seen: set[str] = set()
        for step in p.steps:
            assert set(step.after) <= seen
            seen.add(step.id)

    def test_tourist_card_needs_no_action(self):
        """The ASAN e-visa lapses by itself: nothing to cancel, and why."""
        p = plan(card="tourist_card")
        assert ids(p) == ["no-action-needed"]
        assert p.steps[0].detail
        assert "claim-tourist-card" in {w.id for w in p.warnings}


class TestExplanations:
    def test_because_names_conditions_and_values(self):
        """`because` says which conditions put a step there, with their values."""
        step = plan(operator="azercell", arrears=Money("4.50", "AZN")).step(
            "pay-arrears"
        )
        assert step is not None
        assert step.because == (
            "You hold a physical SIM card; you owe money; the operator is in service.",
        )

    def test_because_is_localised(self):
        """Explanations follow the requested locale."""
        step = plan(
            operator="azercell", arrears=Money("1", "AZN"), locale="zh-Hans"
        ).step("pay-arrears")
        assert step is not None
        assert "您有欠费" in step.because[0]

    def test_excluded_steps_say_why(self):
        """Steps considered and left out are listed with the failed condition."""
        p = plan(operator="azercell", card="esim", arrears=Money("0", "AZN"))
        excluded = {e.id: e.reason for e in p.excluded}
        assert excluded["pay-arrears"] == "You owe nothing."
        assert excluded["destroy-sim"] == "You hold an operator eSIM."


class TestChannels:
    def test_abroad_skips_channels_needing_presence(self):
        """Abroad, an office visit is not chosen; remote channels are."""
        step = plan(operator="azercell", location="abroad").step(
            "terminate-subscription"
        )
        assert step is not None and step.channel is not None
        assert simexit.Requirement.IN_COUNTRY not in step.channel.requires
        for alt in step.alternatives:
            assert simexit.Requirement.IN_COUNTRY not in alt.requires

    def test_in_country_prefers_the_first_usable_channel(self):
        """All requirements met: the data's first channel is chosen."""
        country = simexit.load_country("AZ")
        proc = country.operators["azercell"].procedures["terminate"]
        step = plan(
            operator="azercell",
            location="in_country",
            registered_owner=True,
            has_id_document=True,
            device="in_hand",
        ).step("terminate-subscription")
        assert step is not None and step.channel is not None
        assert step.channel.id == proc.channels[0]

    def test_no_usable_channel_is_a_blocker_with_a_way_out(self):
        """When nothing fits, a blocker says why and what would unblock it."""
        p = plan(operator="kcell", country="KZ", location="abroad")
        blocker = next(
            b for b in p.blockers if b.id == "blocked-terminate-subscription"
        )
        assert "being in the country" in blocker.text
        assert "come back to the country" in blocker.text
        step = p.step("terminate-subscription")
        assert step is not None
        assert step.channel is None

    def test_a_blocker_suggests_a_power_of_attorney_only_where_one_is_taken(self):
        """Kcell takes applications from the SIM owner only and has no power
        of attorney channel: its blocker abroad never suggests one. Azercell
        takes one, so its blocker for someone who is not the owner does."""
        kcell = plan(operator="kcell", country="KZ", location="abroad")
        assert kcell.blockers
        assert all("power of attorney" not in b.text for b in kcell.blockers)
        azercell = plan(operator="azercell", registered_owner=False)
        blocker = next(
            b for b in azercell.blockers if b.id == "blocked-terminate-subscription"
        )
        assert "power of attorney" in blocker.text

    def test_unknown_requirements_keep_channels_usable(self):
        """Unknown location does not rule a channel out; it ranks it later."""
        step = plan(operator="azercell").step("terminate-subscription")
        assert step is not None and step.channel is not None


class TestTruth:
    def test_confidence_is_the_weakest_fact(self):
        """A step's confidence is the weakest confidence of what it states."""
        country = simexit.load_country("AZ")
        p = plan(operator="azercell", card="esim")
        for step in p.steps:
            stated = [step.channel, *step.alternatives]
            for ch in filter(None, stated):
                assert step.confidence is not None and ch.confidence is not None
                assert step.confidence.rank <= ch.confidence.rank
        assert country

    def test_missing_procedure_is_unverified(self):
        """A step the operator publishes no procedure for is UNVERIFIED."""
        step = plan(operator="bakcell").step("terminate-subscription")
        assert step is not None
        assert step.confidence is Confidence.UNVERIFIED
        assert "unverified-data" in {w.id for w in plan(operator="bakcell").warnings}

    def test_steps_carry_their_sources(self):
        """A step with a channel cites the sources of that channel."""
        step = plan(operator="azercell", location="in_country").step(
            "terminate-subscription"
        )
        assert step is not None and step.channel is not None
        cited = {s.id for s in step.sources}
        assert set(step.channel.sources) <= cited
        assert all(
            s.url.startswith("https://") or s.url.startswith("http://")
            for s in step.sources
        )

    def test_wrong_claims_are_corrected(self):
        """The Bakcell '102' claim is corrected whenever Bakcell is involved."""
        warning = next(
            w for w in plan(operator="bakcell").warnings if w.id == "claim-bakcell-102"
        )
        assert "555" in warning.text
        assert any(s.kind is simexit.SourceKind.CLAIM for s in warning.sources)

    def test_scam_warning_is_always_present(self):
        """Every plan warns against paid third-party 'agents'."""
        for kwargs in (
            {"operator": "azercell"},
            {"card": "travel_esim"},
            {"card": "tourist_card"},
        ):
            assert "scam-third-party-agents" in {w.id for w in plan(**kwargs).warnings}

    def test_stale_data_is_flagged(self):
        """Facts not re-verified for 18 months produce a stale-data warning."""
        fresh = plan(operator="azercell", location="in_country")
        old = plan(
            operator="azercell", location="in_country", today=dt.date(2028, 6, 1)
        )
        assert "stale-data" not in {w.id for w in fresh.warnings}
        assert "stale-data" in {w.id for w in old.warnings}


class TestValidity:
    def test_naxtel_before_shutdown_has_operator_steps(self):
        """Before 2025-12-19 Naxtel was an operator with its own procedures."""
        p = plan(operator="naxtel", today=dt.date(2025, 10, 15))
        assert "operator-defunct" not in {w.id for w in p.warnings}
        assert "find-current-operator" not in ids(p)

    def test_naxtel_after_shutdown_says_where_numbers_went(self):
        """After the shutdown the plan is about where the number went."""
        p = plan(operator="naxtel", today=dt.date(2026, 3, 1))
        assert "operator-defunct" in {w.id for w in p.warnings}
        assert "find-current-operator" in ids(p)
        assert "terminate-subscription" not in ids(p)

    def test_today_defaults_to_the_current_date(self):
        """Without today, the plan is for the current date."""
        p = simexit.plan_for(simexit.Situation(country="AZ"))
        assert p.today == dt.date.today()


class TestInputErrors:
    def test_unknown_operator_lists_available(self):
        """An operator the country lacks is an UnknownOperatorError listing all."""
        with pytest.raises(simexit.UnknownOperatorError, match="azercell"):
            plan(operator="caspian-mobile")

    def test_card_the_country_lacks(self):
        """KZ data has no e-visa: the error says which cards it covers."""
        with pytest.raises(
            simexit.InvalidSituationError, match="physical_sim, esim, travel_esim"
        ):
            plan(country="KZ", card="tourist_card")

    def test_operator_that_does_not_sell_the_card(self):
        """A travel-eSIM seller is not a SIM operator and vice versa."""
        with pytest.raises(simexit.InvalidSituationError, match="airalo"):
            plan(operator="azercell", card="travel_esim")

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"locale": 5}, "locale"),
            ({"today": "2026-01-01"}, "today"),
            ({"registry": "x"}, "registry"),
        ],
    )
    def test_bad_arguments_name_the_argument(self, kwargs, field):
        """Bad keyword arguments raise InvalidSituationError naming them."""
        with pytest.raises(simexit.InvalidSituationError) as e:
            simexit.plan_for(simexit.Situation(country="AZ"), **kwargs)
        assert e.value.field == field

    def test_not_a_situation(self):
        """Anything but a Situation is refused with a typed error."""
        with pytest.raises(simexit.InvalidSituationError, match="situation"):
            simexit.plan_for({"country": "AZ"})  # type: ignore[arg-type]


class TestLocales:
    @pytest.mark.parametrize(
        ("tag", "locale"),
        [
            ("zh-CN", "zh-Hans"),
            ("zh_SG", "zh-Hans"),
            ("zh", "zh-Hans"),
            ("zh-TW", "zh-Hant"),
            ("zh-HK", "zh-Hant"),
            ("zh-Hant-CN", "zh-Hant"),
            ("en-US", "en"),
            ("EN", "en"),
        ],
    )
    def test_real_world_tags_are_negotiated(self, tag, locale):
        """Common tags map to the locale we write."""
        p = plan(operator="azercell", locale=tag)
        assert p.locale == locale
        assert "locale-fallback" not in {w.id for w in p.warnings}

    def test_unsupported_locale_falls_back_with_a_notice(self):
        """An unsupported language gives English and says so."""
        p = plan(operator="azercell", locale="fr-FR")
        assert p.locale == "en"
        assert "locale-fallback" in {w.id for w in p.warnings}

    def test_traditional_chinese_is_written_by_hand(self):
        """zh-Hant uses its own telecom words (註銷), not converted ones."""
        step = plan(operator="azercell", locale="zh-Hant").step(
            "terminate-subscription"
        )
        assert step is not None
        assert "註銷" in step.title
        assert "登出" not in step.title


class TestDeterminism:
    def test_concurrent_first_calls_are_identical(self):
        """Threads planning at once on a fresh registry get identical plans."""
        reg = Registry.default()
        situation = simexit.Situation(country="AZ", operator="azercell", card=Card.ESIM)
        out: list[str] = []
        barrier = threading.Barrier(8)

        def run() -> None:
            barrier.wait()
            out.append(
                simexit.to_json(simexit.plan_for(situation, today=TODAY, registry=reg))
            )

        threads = [threading.Thread(target=run) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(out) == 8
        assert len(set(out)) == 1

    def test_plan_many_equals_plan_for(self):
        """plan_many streams the same plans plan_for gives."""
        situations = [
            simexit.Situation(country=c, card="physical_sim")
            for c in ("AZ", "KZ", "AZ")
        ]
        many = list(simexit.plan_many(situations, today=TODAY))
        assert many == [simexit.plan_for(s, today=TODAY) for s in situations]


RULES_PACKAGE = {
    "package.toml": '[package]\ncode = "XA"\ncurrency = "EUR"\ncards = ["physical_sim"]\ndata_version = "1.0.0"\ndata_as_of = 2026-11-23\n',
    "sources.toml": "",
}


class TestCountryRules:
    def _registry(self, tmp_path: Path, rules: str) -> Registry:
        for rel, text in {**RULES_PACKAGE, "rules.toml": rules}.items():
            (tmp_path / rel).write_text(text)
        return Registry.from_paths(tmp_path)

    def test_a_country_may_replace_a_core_rule_by_name(self, tmp_path):
        """`replaces` swaps a core rule for the country's own."""
        reg = self._registry(
            tmp_path,
            '[rules.never-destroy]\nreplaces = "destroy-sim"\nstep = "destroy-sim"\nwhen = { field = "card", equals = "esim" }\n',
        )
        p = simexit.plan_for(
            simexit.Situation(country="XA", card="physical_sim"),
            today=TODAY,
            registry=reg,
        )
        assert "destroy-sim" not in ids(p)

    def test_hostile_strings_in_conditions_stay_strings(self, tmp_path):
        """Code-like text in a condition is a value to compare, never run."""
        marker = tmp_path / "pwned"
        hostile = f"__import__('os').system('touch {marker}')"
        reg = self._registry(
            tmp_path,
            f'[rules.x]\nstep = "backup-data"\nwhen = {{ field = "card", equals = "{hostile}" }}\n',
        )
        with pytest.raises(
            simexit.DataPackageError, match="expected one of: physical_sim"
        ):
            reg.load("XA")
        assert not marker.exists()


class TestStaleness:
    OPERATOR = """\
[operator]
name = "Demo"
kind = "mobile_operator"
cards = ["physical_sim"]
domains = ["example.org"]
sources = ["terms"]

[channels.shop]
kind = "store"
contact = "Demo shops"
name = { en = "Shop", zh-Hans = "门店", zh-Hant = "門市" }
sources = ["terms"]
VERIFIED

[procedures.terminate]
step = "terminate-subscription"
channels = ["shop"]
sources = ["terms"]
VERIFIED
"""
    SOURCES = '[sources.terms]\nurl = "https://example.org/t"\npublisher = "Example"\nkind = "official"\nlanguage = "en"\nretrieved = 2024-01-10\n'

    def _plan(self, tmp_path: Path, verified: str, day: dt.date) -> simexit.Plan:
        (tmp_path / "operators").mkdir()
        (tmp_path / "package.toml").write_text(RULES_PACKAGE["package.toml"])
        (tmp_path / "sources.toml").write_text(self.SOURCES)
        (tmp_path / "operators" / "demo.toml").write_text(
            self.OPERATOR.replace("VERIFIED", verified)
        )
        reg = Registry.from_paths(tmp_path)
        situation = simexit.Situation(
            country="XA", operator="demo", card="physical_sim"
        )
        return simexit.plan_for(situation, today=day, registry=reg)

    def test_fact_older_than_18_months_is_stale(self, tmp_path):
        """A fact last retrieved 2024-01-10 is stale after 2025-07-10."""
        fresh = self._plan(tmp_path, "", dt.date(2025, 7, 10))
        assert "stale-data" not in {w.id for w in fresh.warnings}
        stale = simexit.plan_for(
            fresh.situation,
            today=dt.date(2025, 7, 11),
            registry=Registry.from_paths(tmp_path),
        )
        assert "stale-data" in {w.id for w in stale.warnings}

    def test_verified_on_renews_a_fact(self, tmp_path):
        """verified_on, when later than the source, is what counts."""
        p = self._plan(tmp_path, "verified_on = 2025-06-01", dt.date(2026, 1, 1))
        assert "stale-data" not in {w.id for w in p.warnings}
