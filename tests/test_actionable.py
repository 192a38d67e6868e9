"""Plans a person can act on from where they are (issue 11, item 2).

Every action the operator carries out names a channel that works in the
situation, or a blocker names the step, says why, what would unblock it and
what happens if nothing is done; abroad, short codes and stores are never
offered; channels carry a machine-usable ``uri``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import pytest

import simexit
from simexit import _planner
from simexit._links import derived_uri, tel_problem, uri_problem
from simexit._locales import tags

from .domain import channel_problems
from .test_loader import OPERATOR, problems, write

DAY = dt.date(2026, 11, 23)
ABROAD = simexit.Location.ABROAD
HOME = simexit.Location.IN_COUNTRY
REGISTRY = simexit.Registry.default()


def plan(locale: str = "en", **kw: object) -> simexit.Plan:
    kw.setdefault("country", "AZ")
    s = simexit.Situation(**kw)
    return simexit.plan_for(s, locale=locale, today=DAY, registry=REGISTRY)


def blocker_of(p: simexit.Plan, step: str) -> simexit.Notice:
    found = [b for b in p.blockers if step in b.steps]
    assert len(found) == 1, [b.id for b in p.blockers]
    return found[0]


# -- the sweep ----------------------------------------------------------------


def situations(code: str) -> list[simexit.Situation]:
    country = simexit.load_country(code)
    cur = country.currency
    out = []
    for op in [None, *sorted(country.operators)]:
        cards = country.cards if op is None else country.operators[op].cards
        for card, billing, location, device, keep in itertools.product(
            cards,
            (None, *simexit.Billing),
            (None, *simexit.Location),
            (None, *simexit.Device),
            (False, True),
        ):
            out.append(
                simexit.Situation(
                    country=code,
                    operator=op,
                    card=card,
                    billing=billing,
                    location=location,
                    device=device,
                    keep_number=keep,
                    arrears=simexit.Money("5", cur),
                    balance=simexit.Money("3", cur),
                    autopay=True,
                )
            )
    return out


@pytest.mark.parametrize("code", ["AZ", "KZ"])
def test_every_action_has_a_channel_or_a_blocker_everywhere(code):
    """Every operator × card × billing × location × device × locale:
    every operator action has a channel or a blocker naming it; abroad no
    channel shown needs presence and every hotline shown is international;
    and the memo layer gives the planner's plan."""
    prepared = _planner.prepare(REGISTRY.load(code))
    found: list[str] = []
    count = 0
    for situation in situations(code):
        for locale in tags():
            p = simexit.plan_for(situation, locale=locale, today=DAY, registry=REGISTRY)
            count += 1
            found += [f"{situation} {locale}: {e}" for e in channel_problems(p)]
            if count % 7 == 0:  # the memo layer equals the planner
                fresh = _planner.plan(prepared, situation, locale, False, DAY)
                if simexit.to_json(fresh) != simexit.to_json(p):
                    found.append(f"{situation} {locale}: memo layer differs")
        if len(found) > 10:
            break
    assert count > 1000
    assert found == []


# -- abroad -------------------------------------------------------------------


def test_bakcell_esim_abroad_is_blocked_with_what_happens_if_left():
    """No remote way to end a Bakcell contract is known: the step is
    blocked, the blocker names it, and says what the data knows of a
    line left to lapse; 555 is never offered abroad."""
    p = plan(operator="bakcell", card=simexit.Card.ESIM, location=ABROAD)
    step = p.step("terminate-subscription")
    assert step is not None and step.channel is None
    b = blocker_of(p, "terminate-subscription")
    assert b.id == "blocked-terminate-subscription"
    assert b.steps == ("terminate-subscription",)
    assert "555" in b.text and "being in the country" in b.text
    assert "If nothing is done: In 2016 Bakcell ended the contracts" in b.text
    assert any(s.id == "echo-bakcell-2016" for s in b.sources)
    shown = [c for s in p.steps for c in (s.channel, *s.alternatives) if c]
    assert all(c.contact != "555" for c in shown)


def test_bakcell_stolen_phone_abroad_does_not_say_call_555():
    """The urgent first step is blocked, not "call 555"; with nothing
    sourced on what follows, the blocker says so."""
    p = plan(
        operator="bakcell",
        card=simexit.Card.PHYSICAL_SIM,
        location=ABROAD,
        device=simexit.Device.STOLEN,
    )
    first = p.steps[0]
    assert first.id == "block-number" and first.channel is None
    b = blocker_of(p, "block-number")
    assert "We found no source on what happens if nothing is done." in b.text


def test_bakcell_in_the_country_still_calls_555():
    p = plan(
        operator="bakcell",
        card=simexit.Card.PHYSICAL_SIM,
        location=HOME,
        device=simexit.Device.STOLEN,
    )
    step = p.step("block-number")
    assert step is not None and step.channel is not None
    assert step.channel.contact == "555" and step.channel.uri is None
    assert not [b for b in p.blockers if "block-number" in b.steps]


def test_azercell_abroad_uses_chat_not_the_short_code():
    """Azercell abroad: blocking goes through the chat, not *1111; paying
    arrears (no published procedure) names the contacts that work abroad."""
    p = plan(
        operator="azercell",
        card=simexit.Card.PHYSICAL_SIM,
        location=ABROAD,
        device=simexit.Device.STOLEN,
        arrears=simexit.Money("5", "AZN"),
    )
    block = p.step("block-number")
    assert block is not None and block.channel is not None
    assert block.channel.id == "chat"
    assert "*1111" not in [c.contact for c in block.alternatives]
    pay = p.step("pay-arrears")
    assert pay is not None and pay.channel is not None
    assert [pay.channel.id, *(c.id for c in pay.alternatives)] == ["chat", "email"]
    assert "official channels" not in pay.detail
    assert "Ask Azercell what to do: Azercell online chat" in pay.detail
    assert pay.alternatives[0].uri == "mailto:customercare@azercell.com"


def test_azercell_at_home_names_every_contact():
    p = plan(
        operator="azercell",
        card=simexit.Card.PHYSICAL_SIM,
        location=HOME,
        arrears=simexit.Money("5", "AZN"),
    )
    pay = p.step("pay-arrears")
    assert pay is not None and pay.channel is not None
    ids = [pay.channel.id, *(c.id for c in pay.alternatives)]
    assert ids == ["contact-centre", "chat", "email", "office"]


@pytest.mark.parametrize("locale", tags())
def test_unknown_operator_gives_one_blocker_for_its_actions(locale):
    p = plan(locale, card=simexit.Card.PHYSICAL_SIM, location=ABROAD)
    assert [b.id for b in p.blockers] == ["blocked-operator-unknown"]
    (b,) = p.blockers
    assert {"terminate-subscription", "confirm-termination"} <= set(b.steps)
    assert "identify-operator" not in b.steps  # a check, not an action


def test_no_channel_at_all_is_a_blocker_naming_the_operator():
    p = plan(
        country="KZ",
        operator="tele2-altel",
        card=simexit.Card.PHYSICAL_SIM,
        location=HOME,
    )
    b = blocker_of(p, "terminate-subscription")
    assert "we know no way to reach Tele2 / ALTEL" in b.text


# -- uri ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "contact", "uri"),
    [
        ("email", "mailto:ccmail@kcell.kz", "mailto:ccmail@kcell.kz"),
        ("website", "https://www.beeline.kz", "https://www.beeline.kz"),
        ("hotline", "+994 12 490 00 00", "tel:+994124900000"),
        ("hotline", "+7 (727) 258-89-14", "tel:+77272588914"),
        ("hotline", "*1111", None),
        ("hotline", "555", None),
        ("sms", "+99", None),  # too short for E.164
        ("ussd", "*100#YES", None),
        ("chat", "WhatsApp +7 705 454 49 65", None),
        ("store", "Kcell Center", None),
    ],
)
def test_derived_uri(kind, contact, uri):
    assert derived_uri(kind, contact) == uri


def test_bundled_channels_carry_their_uri():
    kcell = simexit.load_country("KZ").operators["kcell"]
    assert kcell.channels["email"].uri == "mailto:ccmail@kcell.kz"
    assert "email" in kcell.contacts
    bakcell = simexit.load_country("AZ").operators["bakcell"]
    assert bakcell.channels["info-centre"].uri is None


@pytest.mark.parametrize(
    ("uri", "kind", "problem"),
    [
        ("tel:+994124900000", "hotline", None),
        ("tel:555", "hotline", "expected tel:+ and an international (E.164) number"),
        ("tel:+0994124900000", "hotline", "E.164"),
        ("mailto:a@example.org", "email", None),
        ("mailto:a@evil.example", "email", "not one of the operator's domains"),
        ("https://example.org/chat", "chat", None),
        ("https://evil.example/chat", "chat", "not one of the operator's domains"),
        ("https://example.org", "hotline", "a hotline channel's uri may be tel:"),
        ("tel:+994124900000", "store", "none (leave it out)"),
        ("javascript:alert(1)", "website", "may be https:"),
    ],
)
def test_uri_problem(uri, kind, problem):
    got = uri_problem(uri, kind, ("example.org",))
    if problem is None:
        assert got is None
    else:
        assert got is not None and problem in got


def test_tel_problem_allows_15_digits_at_most():
    assert tel_problem("tel:+123456789012345") is None
    assert tel_problem("tel:+1234567890123456") is not None


def test_loader_refuses_a_bad_uri_and_an_unknown_contact(tmp_path: Path):
    text = OPERATOR.replace(
        'domains = ["example.org"]',
        'domains = ["example.org"]\ncontacts = ["shop", "desk"]',
    ).replace('requires = ["in_country"]', 'requires = ["in_country"]\nuri = "tel:555"')
    found = problems(write(tmp_path, {"operators/demo.toml": text}))
    assert any(
        p.startswith("xa/operators/demo.toml:") and "channels.shop.uri:" in p
        for p in found
    ), found
    assert any("operator.contacts[1]: unknown channel 'desk'" in p for p in found), (
        found
    )


# -- JSON, schema, renderers --------------------------------------------------


def test_json_round_trips_uri_and_steps():
    p = plan(
        operator="azercell",
        card=simexit.Card.PHYSICAL_SIM,
        location=ABROAD,
        arrears=simexit.Money("5", "AZN"),
    )
    data = json.loads(simexit.to_json(p))
    pay = next(s for s in data["steps"] if s["id"] == "pay-arrears")
    assert pay["alternatives"][0]["uri"] == "mailto:customercare@azercell.com"
    p2 = plan(operator="bakcell", card=simexit.Card.ESIM, location=ABROAD)
    data2 = json.loads(simexit.to_json(p2))
    assert ["terminate-subscription"] in [b["steps"] for b in data2["blockers"]]
    assert simexit.from_json(simexit.to_json(p2), simexit.Plan) == p2


def test_schema_names_uri_and_steps():
    from simexit._schema import plan_schema

    defs = plan_schema()["$defs"]
    assert "uri" in defs["Channel"]["properties"]
    assert "steps" in defs["Notice"]["properties"]


@pytest.mark.parametrize("render", [simexit.render_text, simexit.render_markdown])
def test_renderers_number_the_blocked_steps(render):
    p = plan(operator="bakcell", card=simexit.Card.ESIM, location=ABROAD)
    n = p.step_ids.index("terminate-subscription") + 1
    assert f"(step {n})" in render(p)


def test_the_unverified_warning_names_its_steps():
    p = plan(operator="bakcell", card=simexit.Card.ESIM, location=ABROAD)
    (w,) = [w for w in p.warnings if w.id == "unverified-data"]
    unsure = [s.id for s in p.steps if s.confidence is simexit.Confidence.UNVERIFIED]
    assert w.steps == tuple(unsure) and "terminate-subscription" in w.steps


def test_text_indents_every_line_of_a_blocker():
    p = plan(operator="bakcell", card=simexit.Card.ESIM, location=ABROAD)
    out = simexit.render_text(p)
    assert "\n  We found no source on what happens if nothing is done." in out
    assert "\nWe found no source" not in out
