"""The data model: the typed records a country package is loaded into.

:func:`simexit.load_country` returns a :class:`Country`; everything it holds
is defined here.  Programs that only plan need none of these names (the
ones a plan carries -- :class:`Channel`, :class:`Source`, the enums -- are
also importable from :mod:`simexit`); package authors and tools that walk a
country's data import them from here::

    from simexit.model import Operator, Procedure, Text

All classes are frozen, slotted, keyword-only attrs classes that pickle.
"""

from ._model import (
    Anchor,
    Channel,
    ChannelKind,
    Claim,
    ClaimAbout,
    Confidence,
    Country,
    Evidence,
    Fact,
    NoticeDefinition,
    Operator,
    OperatorKind,
    OperatorStatus,
    PackageInfo,
    Precondition,
    Procedure,
    Requirement,
    Rule,
    Source,
    SourceKind,
    StaffNote,
    StepDefinition,
    StepKind,
    Text,
    Verdict,
    Vocabulary,
    Window,
)

__all__ = [
    "Anchor",
    "Channel",
    "ChannelKind",
    "Claim",
    "ClaimAbout",
    "Confidence",
    "Country",
    "Evidence",
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
