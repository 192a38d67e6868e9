"""The plan in short, at the top of the text and Markdown formats."""

from __future__ import annotations

import pytest

import simexit
from simexit._summary import summary

from .conftest import plan

LOCALES = ("en", "ru", "zh-Hans", "zh-Hant")


def _groups(p: simexit.Plan) -> list[tuple[str, list[str]]]:
    return [(g.key, [p.steps[n - 1].id for n, _ in g.steps]) for g in summary(p)]


class TestSummary:
    def test_what_is_lost_with_the_number_comes_first(self):
        p = plan(operator="azercell", card="esim")
        groups = _groups(p)
        assert [k for k, _ in groups] == ["before", "later"]
        before, later = groups[0][1], groups[1][1]
        assert {"backup-data", "migrate-linked-accounts", "check-arrears"} <= set(
            before
        )
        assert later[0] == "terminate-subscription"
        assert "delete-esim-profile" in later
        assert len(before) + len(later) == len(p.steps)

    def test_urgent_steps_are_for_now(self):
        p = plan(operator="bakcell", card="physical_sim", device="stolen")
        assert _groups(p)[0] == ("now", ["block-number"])

    def test_a_travel_esim_is_lost_with_the_esim(self):
        p = plan(operator="airalo", card="travel_esim")
        keys = [k for k, _ in _groups(p)]
        assert keys == ["before-esim", "later"]
        assert _groups(p)[1][1][0] == "delete-esim-profile"

    def test_a_short_plan_has_no_summary(self):
        p = plan(card="tourist_card")
        assert summary(p) == ()
        assert "IN SHORT" not in simexit.render_text(p)

    @pytest.mark.parametrize("loc", LOCALES)
    def test_the_summary_opens_the_text_and_markdown(self, loc):
        p = plan(operator="azercell", card="esim", locale=loc)
        words = simexit.render_text(p).splitlines()
        first = p.steps[0].title
        head = next(g.label for g in summary(p))
        # the summary's first group comes before the steps, which repeat
        # the first title further down
        at = words.index(head + ("：" if loc.startswith("zh") else ":"))
        assert any(first in w for w in words[at : at + 3])
        md = simexit.render_markdown(p)
        assert md.index(head) < md.index(f"### 1. {first}")

    @pytest.mark.parametrize("loc", ["ru", "zh-Hans", "zh-Hant"])
    def test_the_summary_is_in_the_plans_language(self, loc):
        english = {g.label for g in summary(plan(operator="azercell", card="esim"))}
        shown = {
            g.label for g in summary(plan(operator="azercell", card="esim", locale=loc))
        }
        assert shown and not shown & english
