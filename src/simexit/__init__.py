"""simexit: end a SIM card, eSIM, travel eSIM or e-visa cleanly.

``simexit.plan_for(situation)`` returns an ordered, explained, localised
plan built from country data packages in which every fact carries its
source.  Importing simexit loads no data: a country is loaded and validated
once, on first use.
"""

from typing import TYPE_CHECKING, Any

from ._api import countries, load_country, plan_for, plan_many
from ._loader import Registry
from ._memo import get_memo_budget, set_memo_budget
from ._model import (
    Channel,
    ChannelKind,
    Claim,
    ClaimAbout,
    Confidence,
    Country,
    Fact,
    NoticeDefinition,
    Operator,
    OperatorKind,
    OperatorStatus,
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
)
from ._plan import Excluded, Notice, Plan, Step
from ._situation import Billing, Card, Device, Location, Money, Situation
from .exceptions import (
    DataPackageError,
    InvalidJSONError,
    InvalidSituationError,
    Problem,
    SimexitError,
    UnknownCountryError,
    UnknownOperatorError,
)

if TYPE_CHECKING:
    from ._json import SCHEMA_VERSION, from_json, to_json

__version__ = "0.1.0"

# JSON needs cattrs, which only programs that read data or JSON pay for.
_LAZY = {"SCHEMA_VERSION": "_json", "from_json": "_json", "to_json": "_json"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'simexit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "SCHEMA_VERSION",
    "Billing",
    "Card",
    "Channel",
    "ChannelKind",
    "Claim",
    "ClaimAbout",
    "Confidence",
    "Country",
    "DataPackageError",
    "Device",
    "Excluded",
    "Fact",
    "InvalidJSONError",
    "InvalidSituationError",
    "Location",
    "Money",
    "Notice",
    "NoticeDefinition",
    "Operator",
    "OperatorKind",
    "OperatorStatus",
    "Plan",
    "Precondition",
    "Problem",
    "Procedure",
    "Registry",
    "Requirement",
    "Rule",
    "SimexitError",
    "Situation",
    "Source",
    "SourceKind",
    "StaffNote",
    "Step",
    "StepDefinition",
    "StepKind",
    "Text",
    "UnknownCountryError",
    "UnknownOperatorError",
    "Verdict",
    "Vocabulary",
    "countries",
    "from_json",
    "get_memo_budget",
    "load_country",
    "plan_for",
    "plan_many",
    "set_memo_budget",
    "to_json",
]
