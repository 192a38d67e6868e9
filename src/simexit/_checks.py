"""The checks a data package must pass, each its own small function.

Every check reads data and reports what is wrong to an error collector
(``col.add(file, key_path, message)``), as packaging's validators do; none
changes the data.  The file checks (:func:`check_source_urls`,
:func:`check_operator_links`) run on one file as it is read; the others run
on a package merged over the core (:class:`~simexit._merge.Merged`), in the
order :func:`run_all` gives, which is the order their problems are listed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ._checks_window import check_window
from ._checks_words import check_templates
from ._conditions import Condition, _did_you_mean, atoms
from ._model import (
    ChannelKind,
    Confidence,
    Fact,
    FactLike,
    Operator,
    OperatorStatus,
    Procedure,
    Source,
    SourceKind,
    Window,
    derived_confidence,
)
from .exceptions import SimexitError

if TYPE_CHECKING:
    from ._files import Collector
    from ._merge import Merged

#: Steps that keep a person safe (stop a lost phone's number being used,
#: move accounts before the number is lost): no package may replace a core
#: rule that puts one of them in a plan.
PROTECTED_STEPS = frozenset(
    {"block-number", "migrate-linked-accounts"}
    | {"move-whatsapp", "move-telegram", "move-wechat", "move-bank"}
)

#: The tables of an operator file that hold sourced facts.
OPERATOR_TABLES = ("channels", "preconditions", "procedures", "facts", "windows")


# -- checks of one file, as it is read ------------------------------------------


def check_source_urls(items: dict[str, Source], rel: str, col: Collector) -> None:
    """Each source's url: https, or a claim's plain description (see docs)."""
    from ._links import source_url_problem

    for key, source in items.items():
        why = source_url_problem(source.url, claim=source.kind is SourceKind.CLAIM)
        if why is not None:
            col.add(rel, f"sources.{key}.url", why)


#: Channel kinds whose contact is a link: (kind, check of the contact).
_LINK_CHANNELS = {
    ChannelKind.WEBSITE: "url",
    ChannelKind.EMAIL: "mailto",
    ChannelKind.APP: "name",
    ChannelKind.CHAT: "name",
}


def check_operator_links(op: Operator, rel: str, col: Collector) -> None:
    """The operator's domains, website and link contacts (see docs)."""
    from ._links import (
        host_problem,
        mailto_problem,
        name_problem,
        own_url_problem,
        uri_problem,
    )

    for i, domain in enumerate(op.domains):
        why = host_problem(domain)
        if why is None and domain in op.domains[:i]:
            why = f"duplicate domain {domain!r}"
        if why is not None:
            col.add(rel, f"operator.domains[{i}]", why)
    if op.website is not None:
        why = own_url_problem(op.website, op.domains)
        if why is not None:
            col.add(rel, "operator.website", why)
    checks = {"url": own_url_problem, "mailto": mailto_problem, "name": name_problem}
    for key, channel in op.channels.items():
        check = _LINK_CHANNELS.get(channel.kind)
        why = None if check is None else checks[check](channel.contact, op.domains)
        if why is not None:
            col.add(rel, f"channels.{key}.contact", why)
        if channel.uri is not None:
            why = uri_problem(channel.uri, channel.kind.value, op.domains)
            if why is not None:
                col.add(rel, f"channels.{key}.uri", why)


def check_currency(currency: str | None, col: Collector) -> None:
    """package.currency: present, and an upper-case ISO 4217 code."""
    if currency is None:
        col.add("package.toml", "package.currency", "required key missing")
        return
    from ._situation import _to_currency

    try:
        valid = _to_currency(currency) == currency
    except SimexitError:
        valid = False
    if not valid:
        col.add(
            "package.toml",
            "package.currency",
            f"got {currency!r}, expected an upper-case ISO 4217 code such as 'AZN'",
        )


# -- checks of references, on the merged data -----------------------------------


def check_sources(
    m: Merged,
    c: Collector,
    rel: str,
    path: str,
    ids: tuple[str, ...],
    *,
    claim: bool,
    required: bool,
) -> None:
    """Source references: each known, and of the right kind (a claim's
    ``seen_in`` cites claim sources, anything else never does)."""
    field = "seen_in" if claim else "sources"
    if required and not ids:
        c.add(rel, f"{path}.{field}", "must cite at least one source")
    for i, sid in enumerate(ids):
        key = f"{path}.{field}[{i}]"
        source = m.sources.get(sid)
        if source is None:
            if m.missing("sources", sid):
                c.add(
                    rel, key, f"unknown source {sid!r}{_did_you_mean(sid, m.sources)}"
                )
        elif claim and source.kind is not SourceKind.CLAIM:
            c.add(
                rel,
                key,
                f"source {sid!r} is {source.kind.value}, expected a claim source",
            )
        elif not claim and source.kind is SourceKind.CLAIM:
            c.add(
                rel,
                key,
                f"source {sid!r} is a claim seen in the wild and cannot support a fact",
            )


def check_step(m: Merged, c: Collector, rel: str, path: str, sid: str) -> None:
    """A step reference: the step exists."""
    if sid not in m.steps and m.missing("steps", sid):
        c.add(rel, path, f"unknown step {sid!r}{_did_you_mean(sid, m.steps)}")


def check_operator(m: Merged, c: Collector, rel: str, path: str, oid: str) -> None:
    """An operator reference (not in a condition): the operator exists."""
    if oid not in m.operators and m.missing("operators", oid):
        c.add(rel, path, f"unknown operator {oid!r}{_did_you_mean(oid, m.operators)}")


def check_condition(
    m: Merged, c: Collector, rel: str, path: str, cond: Condition | None
) -> None:
    """The operators a condition names exist (``unknown`` names none)."""
    if cond is None:
        return
    for atom in atoms(cond):
        if atom.field != "operator" or atom.op == "unknown":
            continue
        values = atom.value if isinstance(atom.value, tuple) else (atom.value,)
        for v in values:
            if v not in m.operators and m.missing("operators", v):
                c.add(
                    rel,
                    f"{path}.when",
                    f"unknown operator {v!r}{_did_you_mean(v, m.operators)}, "
                    f"expected one of: {', '.join(sorted(m.operators))}",
                )


# -- checks of each kind of record ----------------------------------------------


def check_steps(m: Merged) -> None:
    """Each step's ``after`` names steps, and its sources are facts' sources."""
    for key, step in m.steps.items():
        c, rel = m.where("steps", key)
        for i, a in enumerate(step.after):
            check_step(m, c, rel, f"steps.{key}.after[{i}]", a)
        check_sources(
            m, c, rel, f"steps.{key}", step.sources, claim=False, required=False
        )


def rule_path(rel: str, key: str) -> str:
    """Where rule *key* of file *rel* is declared: ``steps.<id>`` for a
    step's inline ``when``, ``rules.<id>`` for a rule of ``rules.toml``."""
    return f"steps.{key}" if rel == "steps.toml" else f"rules.{key}"


def check_rules(m: Merged) -> None:
    """Each rule puts a known step in the plan, on known operators."""
    for key, rule in m.rules.items():
        c, rel = m.where("rules", key)
        path = rule_path(rel, key)
        check_step(m, c, rel, f"{path}.step", rule.step)
        check_condition(m, c, rel, path, rule.when)


def check_notices(m: Merged) -> None:
    """Each notice's sources and condition."""
    for key, notice in m.notices.items():
        c, rel = m.where("notices", key)
        path = f"notices.{key}"
        check_sources(m, c, rel, path, notice.sources, claim=False, required=False)
        check_condition(m, c, rel, path, notice.when)


def check_claims(m: Merged) -> None:
    """Each claim is seen in a claim source, and is about known things."""
    for key, claim in m.claims.items():
        c, rel = m.where("claims", key)
        path = f"claims.{key}"
        check_sources(m, c, rel, path, claim.seen_in, claim=True, required=True)
        check_sources(m, c, rel, path, claim.sources, claim=False, required=False)
        for i, o in enumerate(claim.about.operators):
            check_operator(m, c, rel, f"{path}.about.operators[{i}]", o)
        for i, s in enumerate(claim.about.steps):
            check_step(m, c, rel, f"{path}.about.steps[{i}]", s)
        about = claim.about
        if not (about.operators or about.cards or about.everyone):
            c.add(
                rel,
                f"{path}.about",
                "name the operators or cards the claim touches, or set everyone = true",
            )


def check_fact(m: Merged, c: Collector, rel: str, path: str, fact: FactLike) -> None:
    """The checks every sourced fact gets, an operator's or a country's."""
    check_sources(m, c, rel, path, fact.sources, claim=False, required=True)
    if fact.valid_from and fact.valid_until and fact.valid_from >= fact.valid_until:
        c.add(rel, f"{path}.valid_until", "must be after valid_from")
    check_confidence(m, c, rel, path, fact)
    if isinstance(fact, Procedure | Fact | Window):
        check_step(m, c, rel, f"{path}.step", fact.step)
        check_condition(m, c, rel, path, fact.when)
    if isinstance(fact, Window):
        check_window(c, rel, path, fact)


def check_confidence(
    m: Merged, c: Collector, rel: str, path: str, fact: FactLike
) -> None:
    """A stated confidence is one a fact can have, and no more than its
    sources support: a placeholder (``gap``) is at most unverified."""
    if fact.confidence is None:
        return
    gap = type(fact) is Fact and fact.gap
    derived = (
        Confidence.UNVERIFIED if gap else derived_confidence(fact.sources, m.sources)
    )
    if fact.confidence is Confidence.GENERAL:
        message = (
            "'general' labels steps that state no fact; a fact is "
            "'verified', 'reported', 'unverified' or 'disputed'"
        )
    elif fact.confidence.rank <= derived.rank:
        return
    elif gap:
        message = (
            f"got {fact.confidence.value!r}, but a placeholder (gap = true) "
            "is at most 'unverified'"
        )
    else:
        message = (
            f"got {fact.confidence.value!r}, but its sources support at "
            f"most {derived.value!r}"
        )
    c.add(rel, f"{path}.confidence", message)


def check_facts(m: Merged) -> None:
    """The country's own facts (facts.toml)."""
    for key, fact in m.facts.items():
        c, rel = m.where("facts", key)
        check_fact(m, c, rel, f"facts.{key}", fact)


def iter_facts(op: Operator) -> Iterator[tuple[str, str, FactLike]]:
    """``(table, id, fact)`` for each sourced fact in an operator file."""
    for table in OPERATOR_TABLES:
        for fid, fact in getattr(op, table).items():
            yield table, fid, fact


def check_operators(m: Merged) -> None:
    """Each operator: sources, status, successors, and its facts."""
    for key, op in m.operators.items():
        c, rel = m.where("operators", key)
        check_sources(m, c, rel, "operator", op.sources, claim=False, required=True)
        if (op.status is OperatorStatus.DEFUNCT) != (op.defunct_since is not None):
            c.add(
                rel,
                "operator.defunct_since",
                "required exactly when status is 'defunct'",
            )
        for i, s in enumerate(op.successors):
            check_operator(m, c, rel, f"operator.successors[{i}]", s)
        for i, ch in enumerate(op.contacts):
            if ch not in op.channels and m.missing("channels", ch, f"{key}/"):
                c.add(
                    rel,
                    f"operator.contacts[{i}]",
                    f"unknown channel {ch!r}{_did_you_mean(ch, op.channels)}",
                )
        for table, fid, fact in iter_facts(op):
            check_fact(m, c, rel, f"{table}.{fid}", fact)
            if isinstance(fact, Procedure):
                check_procedure(m, c, rel, f"{table}.{fid}", key, fact)


def check_procedure(
    m: Merged, c: Collector, rel: str, path: str, op_id: str, fact: Procedure
) -> None:
    """A procedure names channels and preconditions of its own operator."""
    op = m.operators[op_id]
    for i, ch in enumerate(fact.channels):
        if ch not in op.channels and m.missing("channels", ch, f"{op_id}/"):
            c.add(
                rel,
                f"{path}.channels[{i}]",
                f"unknown channel {ch!r}{_did_you_mean(ch, op.channels)}, "
                f"expected one of: {', '.join(op.channels) or 'none defined'}",
            )
    for i, pre in enumerate(fact.preconditions):
        if pre not in op.preconditions and m.missing("preconditions", pre, f"{op_id}/"):
            c.add(
                rel,
                f"{path}.preconditions[{i}]",
                f"unknown precondition {pre!r}{_did_you_mean(pre, op.preconditions)}",
            )


def check_cycles(m: Merged) -> None:
    """No step comes, through ``after``, after itself (each cycle once)."""
    steps = m.steps
    state: dict[str, int] = {}  # 1: on the path being walked, 2: done
    reported: set[frozenset[str]] = set()

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in steps[node].after:
            if nxt not in steps:
                continue
            if state.get(nxt) == 1:
                cycle = (
                    [*stack[stack.index(nxt) :], nxt] if nxt in stack else [node, nxt]
                )
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    c, rel = m.where("steps", node)
                    c.add(
                        rel,
                        f"steps.{node}.after",
                        "cycle in 'after': " + " -> ".join(cycle),
                    )
            elif state.get(nxt) is None:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for key in sorted(steps):
        if key not in state:
            visit(key, [key])


#: The checks of a merged package, in the order their problems are listed.
CHECKS = (
    check_steps,
    check_rules,
    check_notices,
    check_claims,
    check_facts,
    check_templates,
    check_operators,
    check_cycles,
)


def run_all(m: Merged) -> None:
    """Run every check of the merged data, in order."""
    for check in CHECKS:
        check(m)
