"""The typed domain model that data packages are loaded into.

All classes are frozen, slotted and keyword-only.  Ids are lower-case slugs;
sources are declared once per package and referenced by id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from ._conditions import Condition
from ._methods import methods
from ._situation import Card, _Named
from ._text import StaffNote, Text
from .exceptions import InvalidSituationError


class Confidence(_Named):
    """How sure we are of a fact or step, from weakest to strongest.

    ``GENERAL`` labels a step that states no operator fact and cites no
    source (general advice such as destroying a used SIM).  Nothing stated
    can be wrong about an operator, so it ranks above ``UNVERIFIED``; no
    source states it, so it ranks below ``REPORTED`` and is never shown or
    counted as verified.  It is a step's label only: data never gives it to
    a fact (see docs/concepts.md, "Confidence").
    """

    DISPUTED = "disputed"
    UNVERIFIED = "unverified"
    GENERAL = "general"
    REPORTED = "reported"
    VERIFIED = "verified"

    @property
    def rank(self) -> int:
        return _CONFIDENCE_RANK[self]


_CONFIDENCE_RANK = {c: i for i, c in enumerate(Confidence)}


class SourceKind(_Named):
    """Where a source comes from; ``CLAIM`` is a claim seen in the wild."""

    OFFICIAL = "official"
    NEWS = "news"
    THIRD_PARTY = "third_party"
    CLAIM = "claim"


class OperatorKind(_Named):
    """What kind of company or body an operator is."""

    MOBILE_OPERATOR = "mobile_operator"
    TRAVEL_ESIM_SELLER = "travel_esim_seller"
    AUTHORITY = "authority"


class OperatorStatus(_Named):
    """Whether an operator still provides service (see ``defunct_since``)."""

    ACTIVE = "active"
    DEFUNCT = "defunct"


class ChannelKind(_Named):
    """How a channel reaches the operator or authority."""

    STORE = "store"
    HOTLINE = "hotline"
    USSD = "ussd"
    SMS = "sms"
    WEBSITE = "website"
    APP = "app"
    EMAIL = "email"
    CHAT = "chat"
    POST = "post"
    POWER_OF_ATTORNEY = "power_of_attorney"
    EMBASSY = "embassy"
    DEVICE_SETTINGS = "device_settings"


class Requirement(_Named):
    """What a channel asks of the person using it."""

    IN_COUNTRY = "in_country"
    ID_DOCUMENT = "id_document"
    REGISTERED_OWNER = "registered_owner"
    FROM_THE_NUMBER = "from_the_number"
    DEVICE_IN_HAND = "device_in_hand"


class StepKind(_Named):
    """Whether a step does something, finds something out, or advises."""

    ACTION = "action"
    CHECK = "check"
    ADVICE = "advice"


class Verdict(_Named):
    """What the evidence says about a claim seen in the wild."""

    CONTRADICTED = "contradicted"
    NOT_FOUND = "not_found"
    PARTLY_CONFIRMED = "partly_confirmed"
    CONFIRMED = "confirmed"


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Source:
    """Where a fact comes from."""

    id: str
    url: str
    publisher: str
    #: The publisher in words of each locale, where its name is a
    #: description ("technical knowledge base on …") rather than a brand.
    publisher_text: Text | None = None
    kind: SourceKind
    language: str
    published: dt.date | None = None
    retrieved: dt.date

    def publisher_in(self, locale: str) -> str:
        """The publisher as readers of *locale* see it."""
        text = self.publisher_text
        return self.publisher if text is None else text.get(locale)


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Evidence:
    """What every sourced record of the data carries, shared by
    :class:`Channel`, :class:`Precondition`, :class:`Procedure` and
    :class:`Fact`: the ids of its sources, its confidence (the loader derives
    it from the sources when the data gives none), the days it holds
    (``valid_from`` inclusive, ``valid_until`` exclusive) and the day it was
    last checked (``verified_on``, by default the newest retrieval of its
    sources)."""

    sources: tuple[str, ...]
    confidence: Confidence | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    verified_on: dt.date | None = None


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Channel(Evidence):
    """One way to reach an operator or authority."""

    id: str
    kind: ChannelKind
    contact: str
    #: A machine-usable address: ``tel:+<E.164 digits>`` for a number that
    #: can be dialled from anywhere, ``mailto:`` for e-mail, ``https://``
    #: for a web, app or chat page; ``None`` for USSD codes, short numbers,
    #: stores and anything else.  Given in data or derived from the contact
    #: (:func:`simexit._links.derived_uri`).
    uri: str | None = None
    #: The contact in words of each locale, where it is a description ("Online
    #: chat on azercell.com …") rather than a number, code or address.
    contact_text: Text | None = None
    name: Text
    requires: tuple[Requirement, ...] = ()
    reachable_from_abroad: bool | None = None
    cost: Text | None = None
    duration: Text | None = None
    written_proof: bool | None = None

    def contact_in(self, locale: str) -> str:
        """The contact as readers of *locale* see it."""
        text = self.contact_text
        return self.contact if text is None else text.get(locale)


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Precondition(Evidence):
    """Something that must be true, or at hand, before a procedure works."""

    id: str
    text: Text


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Procedure(Evidence):
    """How an operator carries out one step, through which channels."""

    id: str
    step: str
    channels: tuple[str, ...]
    preconditions: tuple[str, ...] = ()
    detail: Text | None = None
    show_staff: StaffNote | None = None
    when: Condition | None = None


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Fact(Evidence):
    """A sourced statement shown in the detail of one step."""

    id: str
    step: str
    text: Text
    #: A placeholder, not a fact: the text says what was looked for and not
    #: found (``gap = true`` in data).  Its sources are where it was looked
    #: for; they do not state it.  Always unverified; never counts toward an
    #: official share and never raises a step's label.
    gap: bool = False
    when: Condition | None = None
    #: The fact says what happens if the step is not done (a line lapsing,
    #: a number recycled): a blocker of the step repeats it.
    consequence: bool = False


class Anchor(_Named):
    """The day of a Situation that a :class:`Window` counts from."""

    BOUGHT_ON = "bought_on"
    LEAVING_ON = "leaving_on"


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Window(Evidence):
    """A sourced time limit that makes one step due: *days* or *months*
    (exactly one) counted from the situation's *anchor* day.  *name* says
    in words what the limit is; ``simexit._due`` turns it into ``Step.due``."""

    id: str
    step: str
    anchor: Anchor
    days: int | None = None
    months: int | None = None
    name: Text
    when: Condition | None = None


#: A record that cites sources and has a confidence and a validity period.
FactLike = Channel | Precondition | Procedure | Fact | Window


def derived_confidence(ids: Iterable[str], sources: Mapping[str, Source]) -> Confidence:
    """The confidence that the sources *ids* support: verified when one of
    them is official, else reported (an id not in *sources* counts for
    nothing).  A fact's stated confidence may be lower, never higher; a
    placeholder (:attr:`Fact.gap`) is unverified whatever it cites."""
    kinds = {sources[i].kind for i in ids if i in sources}
    return Confidence.VERIFIED if SourceKind.OFFICIAL in kinds else Confidence.REPORTED


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Operator:
    """A mobile operator, travel-eSIM seller or authority."""

    id: str
    name: str
    #: The name as said in a sentence of each locale, where it is a
    #: description ("the seller you bought it from") rather than a brand.
    name_text: Text | None = None
    legal_name: str | None = None
    kind: OperatorKind
    status: OperatorStatus = OperatorStatus.ACTIVE
    defunct_since: dt.date | None = None
    successors: tuple[str, ...] = ()
    cards: tuple[Card, ...]
    website: str | None = None
    #: The operator's own hosts (``azercell.com``): its website and every
    #: web, app, chat and e-mail contact must be on one of them or on a
    #: subdomain.  May be empty for an operator that has none.
    domains: tuple[str, ...]
    #: Ids of its channels that answer questions on anything (contact
    #: centre, chat, e-mail, offices): a step it publishes no procedure
    #: for names those usable in the situation.
    contacts: tuple[str, ...] = ()
    sources: tuple[str, ...]
    channels: dict[str, Channel] = attrs.Factory(dict)
    preconditions: dict[str, Precondition] = attrs.Factory(dict)
    procedures: dict[str, Procedure] = attrs.Factory(dict)
    facts: dict[str, Fact] = attrs.Factory(dict)
    #: The operator's time limits that make steps due (``[windows.<id>]``).
    windows: dict[str, Window] = attrs.Factory(dict)

    def name_in(self, locale: str) -> str:
        """The operator's name as said in a sentence of *locale*."""
        return self.name if self.name_text is None else self.name_text.get(locale)

    def status_on(self, day: dt.date) -> OperatorStatus:
        """The operator's status on *day* (a ``datetime.date``)."""
        if type(day) is not dt.date:
            raise InvalidSituationError("day", day, "a datetime.date")
        if self.defunct_since is not None and day >= self.defunct_since:
            return OperatorStatus.DEFUNCT
        return OperatorStatus.ACTIVE


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class StepDefinition:
    """A step that rules may put into a plan."""

    id: str
    kind: StepKind
    urgent: bool = False
    rank: int
    after: tuple[str, ...] = ()
    needs_operator: bool = False
    title: Text
    detail: Text
    sources: tuple[str, ...] = ()


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Rule:
    """Puts *step* into a plan when *when* holds."""

    id: str
    step: str
    when: Condition
    replaces: str | None = None


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class NoticeDefinition:
    """A warning shown when its condition holds."""

    id: str
    text: Text
    sources: tuple[str, ...] = ()
    when: Condition | None = None


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class ClaimAbout:
    """What a claim is about, so that only the plans it touches show it.

    A claim names the operators or the cards it was made about, or says it
    matters to *everyone* in the country; every list that is not empty
    must then match the plan (see :func:`simexit._warnings.touches`).
    """

    operators: tuple[str, ...] = ()
    cards: tuple[Card, ...] = ()
    steps: tuple[str, ...] = ()
    everyone: bool = False


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Claim:
    """A claim seen in the wild, with the verdict of the evidence."""

    id: str
    claim: Text
    verdict: Verdict
    correction: Text
    seen_in: tuple[str, ...]
    sources: tuple[str, ...] = ()
    about: ClaimAbout = ClaimAbout()


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class PackageInfo:
    """The ``[package]`` table of a data package."""

    code: str
    currency: str | None = None
    languages: tuple[str, ...] = ()
    #: The locales every text of the package is written in (``en`` always).
    locales: tuple[str, ...] = ("en",)
    cards: tuple[Card, ...] = ()
    data_version: str
    data_as_of: dt.date


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Country:
    """A country's data, merged with the core package."""

    code: str
    currency: str
    languages: tuple[str, ...]
    #: The locales every text of the country and of the core is written in.
    locales: tuple[str, ...] = ("en",)
    cards: tuple[Card, ...]
    data_version: str
    data_as_of: dt.date
    sources: dict[str, Source]
    operators: dict[str, Operator]
    steps: dict[str, StepDefinition]
    rules: dict[str, Rule]
    notices: dict[str, NoticeDefinition]
    claims: dict[str, Claim]
    facts: dict[str, Fact]
    vocabulary: Vocabulary
    #: Ids of the operators the country package itself defines (not core).
    package_operators: tuple[str, ...] = ()
    #: Ids of the country-wide facts the country package itself defines
    #: (``facts.toml``; the core's facts hold for every country).
    package_facts: tuple[str, ...] = ()
    #: False for a country no package provides, built from the core data
    #: alone so that travel eSIMs plan anywhere (see ``simexit._anywhere``).
    packaged: bool = True

    def official_share(self) -> float:
        """The share of this package's facts backed by an official source.

        Counts the country's own operators and country facts, not the core
        travel-eSIM sellers every country shares; placeholders (facts with
        ``gap``) count neither way (see :mod:`simexit._coverage`).
        """
        from ._coverage import official_share

        return official_share(self)


@methods()
@attrs.frozen(kw_only=True, repr=False, eq=False)
class Vocabulary:
    """Words the engine uses to explain itself, from ``core/vocabulary.toml``."""

    fields: dict[str, Text]
    values: dict[str, dict[str, Text]]
    templates: dict[str, Text]
    requirements: dict[str, Text]
    unblock: dict[str, Text]
    #: field -> outcome -> how a person says it ("you hold {value}", "we
    #: don't know whether you owe money"); see :func:`simexit._reasons.phrase`.
    says: dict[str, dict[str, Text]] = attrs.field(factory=dict)


__all__ = [
    "Anchor",
    "Channel",
    "ChannelKind",
    "Claim",
    "ClaimAbout",
    "Confidence",
    "Country",
    "Fact",
    "NoticeDefinition",
    "Operator",
    "OperatorKind",
    "OperatorStatus",
    "PackageInfo",
    "Precondition",
    "Procedure",
    "Requirement",
    "Rule",
    "Source",
    "SourceKind",
    "StaffNote",
    "StepDefinition",
    "StepKind",
    "Text",
    "Verdict",
    "Vocabulary",
    "Window",
]
