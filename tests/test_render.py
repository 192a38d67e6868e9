"""The text and Markdown renderers lay a Plan out; they decide nothing."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest

import simexit
import simexit.model
from simexit import (
    Channel,
    ChannelKind,
    Confidence,
    Money,
    Notice,
    Plan,
    Requirement,
    Situation,
    Source,
    SourceKind,
    Step,
    StepKind,
)
from simexit._layout import _enum_word, _paren
from simexit._locales import catalogue, tags
from simexit._render import (
    _SECTIONS,
    WIDTH,
    confidence_label,
    display_width,
    label,
    md_escape,
    render_country,
    render_markdown,
    render_text,
    wrap,
)
from simexit.model import StaffNote, Text

DAY = dt.date(2026, 11, 23)


def source(n: int, kind: SourceKind = SourceKind.OFFICIAL) -> Source:
    return Source(
        id=f"src-{n}",
        url=f"https://operator.example/page-{n}",
        publisher=f"Publisher{n}",
        kind=kind,
        language="az",
        published=dt.date(2024, 6, 1) if n == 1 else None,
        retrieved=DAY,
    )


def text(en: str, hans: str, hant: str) -> Text:
    return Text(texts={"en": en, "zh-Hans": hans, "zh-Hant": hant})


OFFICE = Channel(
    id="office",
    kind=ChannelKind.STORE,
    contact="Office-Contact",
    name=text("Operator office", "运营商营业厅", "電信業者門市"),
    requires=(Requirement.IN_COUNTRY, Requirement.ID_DOCUMENT),
    reachable_from_abroad=False,
    cost=text("free", "免费", "免費"),
    written_proof=True,
    sources=("src-1",),
)
USSD = Channel(
    id="ussd",
    kind=ChannelKind.USSD,
    contact="*777#YES",
    name=text("Self-service code", "自助服务代码", "自助服務代碼"),
    requires=(Requirement.FROM_THE_NUMBER,),
    sources=("src-2",),
    confidence=Confidence.UNVERIFIED,
)


def step(**changes: object) -> Step:
    fields: dict[str, object] = {
        "id": "terminate-subscription",
        "kind": StepKind.ACTION,
        "urgent": False,
        "title": "TitleTwo",
        "detail": "DetailTwo first line.\nDetailTwo second line.",
        "channel": OFFICE,
        "alternatives": (USSD,),
        "preconditions": ("BringPassport",),
        "show_staff": StaffNote(sentences={"az": "StaffSentence"}, reviewed=False),
        "after": ("block-number",),
        "because": ("BecauseTwo",),
        "sources": (source(1), source(2)),
        "confidence": Confidence.REPORTED,
    }
    fields.update(changes)
    return Step(**fields)  # type: ignore[arg-type]


def make_plan(locale: str = "en", **changes: object) -> Plan:
    first = step(
        id="block-number",
        urgent=True,
        title="TitleOne",
        detail="DetailOne",
        channel=None,
        alternatives=(),
        preconditions=(),
        show_staff=None,
        after=(),
        because=("BecauseOne",),
        sources=(source(1),),
        confidence=Confidence.VERIFIED,
    )
    fields: dict[str, object] = {
        "situation": Situation(
            country="AZ",
            operator="azercell",
            card="esim",
            arrears=Money("4.50", "AZN"),
            balance=Money("3.20", "AZN"),
            location="abroad",
        ),
        "locale": locale,
        "today": DAY,
        "steps": (first, step()),
        "warnings": (Notice(id="claim-x", text="WarningText", sources=(source(3),)),),
        "blockers": (Notice(id="blocked-x", text="BlockerText", sources=(source(2),)),),
        "excluded": (),
        "data_as_of": DAY,
        "data_version": "1.0.0",
    }
    fields.update(changes)
    return Plan(**fields)  # type: ignore[arg-type]


def az_plan(locale: str) -> Plan:
    situation = Situation(
        country="AZ",
        operator="azercell",
        card="esim",
        arrears=Money("4.50", "AZN"),
        balance=Money("3.20", "AZN"),
        location="abroad",
    )
    return simexit.plan_for(situation, locale=locale, today=DAY)


class TestTextSteps:
    def test_steps_are_numbered_in_plan_order(self) -> None:
        """Steps appear as 1., 2., … in the engine's order."""
        out = render_text(make_plan())

        assert out.index("1. TitleOne") < out.index("2. TitleTwo")

    @pytest.mark.parametrize(
        ("locale", "mark"),
        [("en", "⚠ URGENT"), ("zh-Hans", "⚠ 紧急"), ("zh-Hant", "⚠ 緊急")],
    )
    def test_urgent_steps_are_marked(self, locale: str, mark: str) -> None:
        """An urgent step is marked, in the plan's language, and only it."""
        out = render_text(make_plan(locale))

        assert out.count(mark) == 1
        assert out.index(mark) < out.index("2. TitleTwo")

    def test_each_step_has_a_confidence_mark(self) -> None:
        """Every step says how sure we are."""
        out = render_text(make_plan())

        assert "✓ verified" in out
        assert "~ reported" in out

    def test_channel_with_contact_and_requirements(self) -> None:
        """The chosen channel shows its contact and what it needs."""
        out = render_text(make_plan())

        assert "How: Operator office" in out
        assert "Office-Contact" in out
        assert "Needs: being in the country and the ID used at registration" in (
            " ".join(out.split())
        )
        assert "From abroad: no" in out
        assert "Cost: free" in out
        assert "Written proof: yes" in out

    def test_what_to_bring(self) -> None:
        """Preconditions are listed as what to bring."""
        out = render_text(make_plan())

        assert re.search(r"What to bring:\n\s+• BringPassport", out)

    def test_alternatives_with_their_confidence(self) -> None:
        """Other channels are listed, with a mark when they are not verified."""
        out = render_text(make_plan())

        assert "Other ways:" in out
        assert "• Self-service code (? unverified)" in out
        assert "*777#YES" in out

    def test_staff_sentence_not_reviewed(self) -> None:
        """The staff sentence names its language and says it is unreviewed."""
        out = render_text(make_plan())

        assert "Show this to staff (Azerbaijani):" in out
        assert "StaffSentence" in out
        assert "(not yet checked by a native speaker)" in out

    def test_reviewed_staff_sentence_has_no_note(self) -> None:
        """A reviewed sentence carries no warning note."""
        reviewed = step(
            show_staff=StaffNote(sentences={"az": "StaffSentence"}, reviewed=True)
        )
        out = render_text(make_plan(steps=(reviewed,)))

        assert "StaffSentence" in out
        assert "native speaker" not in out

    def test_dependencies_name_earlier_steps(self) -> None:
        """'after' is shown as the numbers of the steps that come first."""
        out = render_text(make_plan())

        assert "After: step 1" in out

    def test_because(self) -> None:
        """Why the step is in the plan is shown."""
        assert "Why: BecauseTwo" in render_text(make_plan())

    def test_detail_keeps_its_paragraphs(self) -> None:
        """Each line of a step's detail starts a new line."""
        out = render_text(make_plan())

        assert re.search(r"DetailTwo first line\.\n\s+DetailTwo second line\.", out)

    def test_no_steps(self) -> None:
        """A plan without steps says so instead of printing nothing."""
        out = render_text(make_plan(steps=()))

        assert "No steps" in out


class TestTextSections:
    def test_order_steps_blockers_warnings_sources(self) -> None:
        """Steps, then blockers, then warnings, then the sources."""
        out = render_text(make_plan())

        positions = [
            out.index(s) for s in ("STEPS", "BLOCKED", "WATCH OUT", "\nSOURCES")
        ]
        assert positions == sorted(positions)

    def test_sources_are_numbered_by_first_citation(self) -> None:
        """Each source gets one number, shared by every item that cites it."""
        out = render_text(make_plan())

        assert "Sources: [1]\n" in out
        assert "Sources: [1] [2]" in out
        assert "BlockerText [2]" in out
        assert "WarningText [3]" in out
        assert out.count("https://operator.example/page-1") == 1

    def test_source_entries(self) -> None:
        """A source shows publisher, kind, URL and Babel-formatted dates."""
        out = render_text(make_plan())

        assert "[1] Publisher1 · official" in out
        assert "https://operator.example/page-1" in out
        assert "published June 1, 2024, retrieved November 23, 2026" in out

    def test_situation_header_uses_cldr(self) -> None:
        """The header names the country and money as CLDR formats them."""
        out = render_text(make_plan("zh-Hant"))

        assert out.startswith("計畫：亞塞拜然\n")
        assert "欠費：4.50 亞塞拜然馬納特" in out
        assert "資料：2026年11月23日（版本 1.0.0）" in out

    def test_legend_explains_the_marks(self) -> None:
        """The marks are explained once, before the sources."""
        out = render_text(make_plan())

        assert "Confidence: ✓ verified (an official source states it)" in out

    @pytest.mark.parametrize("locale", ["en", "ru", "zh-Hans", "zh-Hant"])
    def test_legend_names_every_label_with_its_meaning(self, locale: str) -> None:
        """Each label, general advice too, stands in the legend with what it
        means: no badge is left bare."""
        out = render_markdown(make_plan(locale))
        legend = next(line for line in out.splitlines() if "○" in line)

        for c in Confidence:
            meaning = label("legend-" + c.value, locale)
            entry = confidence_label(c, locale) + _paren(meaning, locale)
            assert md_escape(entry) in legend

    def test_badge_after_an_opening_bracket_stays_inside_it(self) -> None:
        """A mark such as ``?`` after ``（`` is not pulled out of the bracket."""
        assert wrap("• 自助服务代码（? 待核实）", 60) == ["• 自助服务代码（? 待核实）"]

    def test_general_advice_has_its_own_badge(self) -> None:
        """General advice is neither verified nor unverified in any locale."""
        for locale in ("en", "ru", "zh-Hans", "zh-Hant"):
            marks = {confidence_label(c, locale).split(" ")[0] for c in Confidence}
            assert len(marks) == len(Confidence), locale
            general = confidence_label(Confidence.GENERAL, locale)
            assert not general.startswith(("✓", "?")), locale

    @pytest.mark.parametrize("locale", ["zh-Hans", "zh-Hant"])
    def test_chinese_unverified_reads_as_waiting_to_be_checked(
        self, locale: str
    ) -> None:
        """待核实 / 待查證 (to be checked), unlike the check kind's word."""
        unverified = confidence_label(Confidence.UNVERIFIED, locale)
        assert unverified.endswith(("待核实", "待查證"))
        assert unverified.split(" ")[-1] != _enum_word(StepKind.CHECK, locale)


class TestChinese:
    @pytest.mark.parametrize("locale", ["zh-Hans", "zh-Hant"])
    def test_no_english_label_left(self, locale: str) -> None:
        """Apart from the data itself, Chinese output has no Latin words."""
        out = render_text(make_plan(locale))
        for data in (
            "TitleOne", "TitleTwo", "DetailOne", "DetailTwo first line.",
            "DetailTwo second line.", "BecauseOne", "BecauseTwo",
            "BringPassport", "StaffSentence", "BlockerText", "WarningText",
            "Office-Contact", "*777#YES", "azercell", "eSIM", "SIM",
        ):  # fmt: skip
            out = out.replace(data, "")
        out = re.sub(r"https://\S+", "", out)
        out = re.sub(r"Publisher\d", "", out)

        assert re.findall(r"[A-Za-z]{2,}", out) == []

    def test_scripts_differ(self) -> None:
        """Simplified and Traditional labels are each written in their script."""
        hans = render_text(make_plan("zh-Hans"))
        hant = render_text(make_plan("zh-Hant"))

        assert "办理方式" in hans
        assert "辦理方式" in hant

    def test_markdown_is_chinese_too(self) -> None:
        """Markdown carries the same localised labels."""
        out = render_markdown(make_plan("zh-Hans"))

        assert "## 步骤" in out
        assert "**⚠ 紧急**" in out


class TestLabels:
    #: Catalogue sections that are not words (metadata, punctuation, answers).
    NOT_WORDS = ("locale", "format", "answers")

    @pytest.mark.parametrize("tag", [t for t in tags() if t != "en"])
    def test_every_label_is_translated(self, tag: str) -> None:
        """No label of a catalogue is left in English (save capitals: SMS)."""
        en, other = catalogue("en"), catalogue(tag)
        for section, entries in en.items():
            if section in self.NOT_WORDS:
                continue
            for key, word in entries.items():
                mine = other[section][key]
                assert mine, (section, key)
                assert mine != word or mine.isupper(), (tag, section, key)

    def test_every_enum_member_has_a_label(self) -> None:
        """The enum sections cover every member."""
        for enum, section in _SECTIONS.items():
            members = {m.value for m in enum}  # type: ignore[attr-defined]
            assert set(catalogue("en")[section]) == members, enum


class TestWrap:
    def test_width_counts_wide_characters_twice(self) -> None:
        """A CJK character takes two columns."""
        assert display_width("ab中文") == 6

    def test_latin_breaks_at_spaces(self) -> None:
        """Latin text breaks between words."""
        assert wrap("aaa bbb ccc", 7) == ["aaa bbb", "ccc"]

    def test_cjk_breaks_between_characters(self) -> None:
        """Chinese text breaks anywhere between characters."""
        lines = wrap("一二三四五六七八九十", 10)

        assert lines == ["一二三四五", "六七八九十"]

    def test_closing_punctuation_never_starts_a_line(self) -> None:
        """'。' and '，' stay with the character before them."""
        lines = wrap("一二三四，五六七八。", 8)

        assert not any(line[:1] in "，。" for line in lines)

    def test_opening_bracket_never_ends_a_line(self) -> None:
        """'（' stays with the character after it."""
        lines = wrap("一二三（四五）", 6)

        assert not any(line.endswith("（") for line in lines)

    def test_long_word_is_kept_whole(self) -> None:
        """A URL longer than the line is not broken."""
        url = "https://example.org/" + "x" * 80

        assert wrap(f"see {url}", 20) == ["see", url]

    def test_hanging_indent(self) -> None:
        """Continuation lines take the hanging indent."""
        assert wrap("aaa bbb", 6, "- ", "  ") == ["- aaa", "  bbb"]

    def test_mixed_text_keeps_its_spaces(self) -> None:
        """Latin words inside Chinese keep the spaces around them."""
        assert wrap("用 Paycell 转账", 60) == ["用 Paycell 转账"]

    @pytest.mark.parametrize("locale", ["en", "zh-Hans", "zh-Hant"])
    def test_real_plan_fits_a_phone(self, locale: str) -> None:
        """Every line fits 60 columns unless it is one unbreakable word."""
        out = render_text(az_plan(locale))

        for line in out.splitlines():
            if display_width(line) > WIDTH:
                assert " " not in line.strip(), line


class TestMarkdown:
    def test_structure(self) -> None:
        """A title, a Steps section with numbered step headings, sources."""
        out = render_markdown(make_plan())

        assert out.startswith("# Plan: Azerbaijan\n")
        assert "## Steps" in out
        assert "### 1. TitleOne" in out
        assert "### 2. TitleTwo" in out
        assert "## Sources" in out

    def test_same_content_as_text(self) -> None:
        """Everything a step shows in text also appears in Markdown."""
        out = render_markdown(make_plan())

        for piece in (
            "**⚠ URGENT**", "✓ verified", "Office-Contact", "BringPassport",
            "Self-service code", "StaffSentence", "not yet checked",
            "BecauseTwo", "BlockerText", "WarningText", "After",
        ):  # fmt: skip
            assert piece in out, piece

    def test_contacts_are_code(self) -> None:
        """A one-word contact is a code span, so '*' and '#' stay literal."""
        assert "`*777#YES`" in render_markdown(make_plan())

    def test_text_is_escaped(self) -> None:
        """Markdown's special characters in data are escaped."""
        plan = make_plan(steps=(step(title="a *b* _c_ [d]"),))

        assert "a \\*b\\* \\_c\\_ \\[d\\]" in render_markdown(plan)

    def test_source_references_link_to_the_source(self) -> None:
        """A step's source numbers link to the sources' URLs."""
        out = render_markdown(make_plan())

        assert "[\\[3\\]](https://operator.example/page-3)" in out
        assert "1. [Publisher1 · official](https://operator.example/page-1)" in out

    def test_a_claim_source_is_never_a_link(self) -> None:
        """Resellers and lookalike sites are claims seen in the wild: the
        e-visa plan names them, unlinked, and still links its evidence."""
        plan = simexit.plan_for(
            Situation(country="AZ", card="tourist_card"), today=dt.date(2026, 12, 2)
        )
        out = render_markdown(plan)
        items: list[Step | Notice] = [*plan.steps, *plan.blockers, *plan.warnings]
        cited = {s.id: s for item in items for s in item.sources}
        claims = [s for s in cited.values() if s.kind is SourceKind.CLAIM]
        assert any(s.url.startswith("https://") for s in claims)
        for source in claims:
            assert f"]({source.url}" not in out, source.id
        official = [s for s in cited.values() if s.kind is SourceKind.OFFICIAL]
        assert official and all(f"]({s.url})" in out for s in official)

    def test_a_claim_source_is_named_without_its_address(self) -> None:
        """Beside "apply only at evisa.gov.az", neither renderer prints a
        reseller's address; the JSON keeps it for those who audit the data."""
        plan = simexit.plan_for(
            Situation(country="AZ", card="tourist_card"), today=dt.date(2026, 12, 2)
        )
        items: list[Step | Notice] = [*plan.steps, *plan.blockers, *plan.warnings]
        claims = {s.url for i in items for s in i.sources if s.kind is SourceKind.CLAIM}
        hosts = {u.split("/")[2] for u in claims if u.startswith("https://")}
        assert "evisaazerbaijan.it.com" in hosts
        text, markdown = render_text(plan), render_markdown(plan)
        for url in claims:
            assert url not in text and md_escape(url) not in markdown, url
        assert "evisaazerbaijan.it.com (reseller)" in text
        assert "https://evisaazerbaijan.it.com/faq" in simexit.to_json(plan)

    def test_escape(self) -> None:
        """md_escape escapes backslashes, emphasis, links and HTML."""
        assert md_escape(r"\ * _ [ ] < > ` | #") == r"\\ \* \_ \[ \] \< \> \` \| \#"


class TestRealPlans:
    @pytest.mark.parametrize("locale", ["en", "zh-Hans", "zh-Hant"])
    def test_every_step_title_is_shown(self, locale: str) -> None:
        """Both formats show every step of a real plan, numbered in order."""
        plan = az_plan(locale)
        text_out = render_text(plan)
        md_out = render_markdown(plan)

        for i, s in enumerate(plan.steps, 1):
            assert f"{i}. {s.title.split()[0]}" in text_out
            assert f"### {i}. {md_escape(s.title)}" in md_out

    def test_every_cited_source_is_listed(self) -> None:
        """Every source a real plan cites appears at the end: a reference by
        its address, a claim seen in the wild by its publisher only."""
        plan = az_plan("en")
        out = render_text(plan)
        items: list[Step | Notice] = [*plan.steps, *plan.warnings, *plan.blockers]

        for item in items:
            for s in item.sources:
                if s.kind is SourceKind.CLAIM:
                    assert s.publisher in out and s.url not in out
                else:
                    assert s.url in out

    def test_renderers_do_not_change_the_plan(self) -> None:
        """Rendering reads the plan only."""
        plan = az_plan("en")
        before = simexit.to_json(plan)
        render_text(plan)
        render_markdown(plan)

        assert simexit.to_json(plan) == before


class TestCountry:
    def test_show_lists_operators_and_channels(self) -> None:
        """Operators with kind and status, channels with their contact."""
        country = simexit.load_country("AZ")
        out = render_country(country, "en", DAY)
        op = next(iter(o for o in country.operators.values() if o.channels))
        channel = next(iter(op.channels.values()))

        assert f"{op.id} — {op.name}" in out
        assert channel.contact in out
        assert "mobile operator" in out

    def test_show_has_data_date_version_and_official_share(self) -> None:
        """The data's date, version and officially-sourced share are shown."""
        country = simexit.load_country("AZ")
        out = render_country(country, "en", DAY)
        share = f"{round(country.official_share() * 100)}%"

        assert f"(version {country.data_version})" in out
        assert f"Facts with an official source: {share}" in out

    def test_defunct_operator_says_since_when(self) -> None:
        """A defunct operator shows the day it closed, formatted by CLDR."""
        country = simexit.load_country("AZ")
        ops = {
            k: attrs.evolve(
                op,
                status=simexit.model.OperatorStatus.DEFUNCT,
                defunct_since=dt.date(2025, 12, 19),
            )
            for k, op in list(country.operators.items())[:1]
        }
        out = render_country(attrs.evolve(country, operators=ops), "zh-Hans", DAY)

        assert "自2025年12月19日起停止运营" in out


def test_display_width_of_ascii_is_its_length():
    """The ASCII shortcut of display_width agrees with the general rule."""
    import unicodedata

    from simexit._wrap import display_width

    def general(ch: str) -> int:
        if unicodedata.combining(ch):
            return 0
        return 2 if unicodedata.east_asian_width(ch) in "WF" else 1

    ascii_text = "".join(chr(i) for i in range(128))
    assert display_width(ascii_text) == sum(general(ch) for ch in ascii_text)
    assert display_width("a中b") == 4  # not ASCII: the general rule
