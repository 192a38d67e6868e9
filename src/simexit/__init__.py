"""simexit: end a SIM card, eSIM, travel eSIM or e-visa cleanly.

``simexit.plan_for(situation)`` returns an ordered, explained, localised
plan built from country data packages in which every fact carries its
source.  Importing simexit loads no data: a country is loaded and validated
once, on first use.
"""

import warnings
from typing import TYPE_CHECKING, Any

from ._api import countries, load_country, plan_for, plan_many
from ._loader import Registry
from ._memo import get_memo_budget, set_memo_budget
from ._model import (
    Channel,
    ChannelKind,
    Confidence,
    Country,
    Requirement,
    Source,
    SourceKind,
    StepKind,
)
from ._plan import Excluded, Notice, Plan, Step
from ._situation import SERVICES, Billing, Card, Device, Location, Money, Situation
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
    from ._render import render_html, render_markdown, render_text

__version__ = "0.1.0"

# JSON needs cattrs and the renderers need Babel, which only programs that
# use them pay for.
_LAZY = {
    "SCHEMA_VERSION": "_json",
    "from_json": "_json",
    "to_json": "_json",
    "render_html": "_render",
    "render_markdown": "_render",
    "render_text": "_render",
}

# Data-definition classes that left the top level in 0.2: they live in
# simexit.model.  Reading them here still works, with a DeprecationWarning,
# until 0.3 (docs/api.md, "Where the data model lives").
_MOVED = frozenset(
    {
        "Claim",
        "ClaimAbout",
        "Fact",
        "NoticeDefinition",
        "Operator",
        "OperatorKind",
        "OperatorStatus",
        "Precondition",
        "Procedure",
        "Rule",
        "StaffNote",
        "StepDefinition",
        "Text",
        "Verdict",
        "Vocabulary",
    }
)


def __getattr__(name: str) -> Any:
    import importlib

    if name in _MOVED:
        warnings.warn(
            f"simexit.{name} is deprecated; import it from simexit.model",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(".model", __name__), name)
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'simexit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "SCHEMA_VERSION",
    "SERVICES",
    "Billing",
    "Card",
    "Channel",
    "ChannelKind",
    "Confidence",
    "Country",
    "DataPackageError",
    "Device",
    "Excluded",
    "InvalidJSONError",
    "InvalidSituationError",
    "Location",
    "Money",
    "Notice",
    "Plan",
    "Problem",
    "Registry",
    "Requirement",
    "SimexitError",
    "Situation",
    "Source",
    "SourceKind",
    "Step",
    "StepKind",
    "UnknownCountryError",
    "UnknownOperatorError",
    "countries",
    "from_json",
    "get_memo_budget",
    "load_country",
    "plan_for",
    "plan_many",
    "render_html",
    "render_markdown",
    "render_text",
    "set_memo_budget",
    "to_json",
]
