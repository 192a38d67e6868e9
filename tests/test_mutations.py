"""Mutation tests: every bundled data file, broken in every applicable way.

Each data file of the core and of every bundled country is copied, broken
one way — a TOML syntax error, an unknown key, a wrong type, a bad enum
value, a dangling reference, a duplicate id, a cycle in ``after`` — and
loaded.  Every time the result must be a DataPackageError with a problem
that names the file and the key path.  Two broken files at once must give
both problems in one error.

``scenarios.toml`` is not a data file the loader reads (simexit.testing
reads it), so it is not mutated here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import simexit
from simexit._loader import Registry

from .conftest import DATA

PACKAGES = ("core", "az", "kz")
FILES = sorted(
    (pkg, path.relative_to(DATA / pkg).as_posix())
    for pkg in PACKAGES
    for path in (DATA / pkg).rglob("*.toml")
    if path.name != "scenarios.toml"
    and "__pycache__" not in path.parts
    # translation mirrors are checked by test_translations_ru.py
    and "locales" not in path.relative_to(DATA / pkg).parts
)
ITEM_FILES = {
    "sources.toml": "sources",
    "steps.toml": "steps",
    "rules.toml": "rules",
    "notices.toml": "notices",
    "claims.toml": "claims",
    "facts.toml": "facts",
}
ENUM_KEYS = ("kind", "status", "verdict", "confidence", "cards", "requires")
REF_KEYS = {
    "sources": list,
    "seen_in": list,
    "after": list,
    "channels": list,
    "preconditions": list,
    "successors": list,
    "step": str,
    "replaces": str,
}


# -- a TOML writer (the standard library only reads TOML) ----------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        inner = ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(v)


def dump_toml(data: dict[str, Any]) -> str:
    """*data* as TOML that tomllib reads back equal."""
    lines: list[str] = []

    def table(prefix: tuple[str, ...], node: dict[str, Any]) -> None:
        scalars = {k: v for k, v in node.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in node.items() if isinstance(v, dict)}
        if prefix and (scalars or not tables):
            lines.append("[" + ".".join(map(_key, prefix)) + "]")
        lines.extend(f"{_key(k)} = {_value(v)}" for k, v in scalars.items())
        for k, v in tables.items():
            table((*prefix, k), v)

    table((), data)
    return "\n".join(lines) + "\n"


# -- a copy of the bundled data to break -----------------------------------------


class Workspace:
    """The core and every bundled country, copied to a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for pkg in PACKAGES:
            shutil.copytree(
                DATA / pkg, root / pkg, ignore=shutil.ignore_patterns("__pycache__")
            )

    def read(self, pkg: str, rel: str) -> dict[str, Any]:
        path = self.root / pkg / rel
        return tomllib.loads(path.read_text("utf-8")) if path.exists() else {}

    def write(self, pkg: str, rel: str, data: dict[str, Any]) -> None:
        path = self.root / pkg / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_toml(data), "utf-8")

    def problems(self, pkg: str) -> tuple[simexit.Problem, ...]:
        """The problems of loading *pkg* (a core mutation is loaded with AZ)."""
        code = "az" if pkg == "core" else pkg
        registry = Registry(
            self.root / "core", {code.upper(): [(code, self.root / code)]}
        )
        try:
            registry.load(code.upper())
        except simexit.DataPackageError as e:
            return e.problems
        return ()


@pytest.fixture
def work(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path)


# -- finding what to break ----------------------------------------------------------


def _walk(
    node: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, value) below *node*, depth first, in file order."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*path, k), v
            yield from _walk(v, (*path, k))


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _get(data: dict[str, Any], path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _first(data: dict[str, Any], test: Callable[[tuple[Any, ...], Any], bool]) -> Any:
    return next((p for p, v in _walk(data) if test(p, v)), None)


# Each mutation changes the parsed file and returns (key path, words the
# message must contain), or None when it does not apply to the file.
Mutation = Callable[[dict[str, Any], str], "tuple[str, str] | None"]


def unknown_key(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    leaf = _first(data, lambda p, v: isinstance(v, str))
    table = _get(data, leaf[:-1])
    table["bogus-key"] = "x"
    return _dotted((*leaf[:-1], "bogus-key")), "unknown key"


def wrong_type(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    leaf = _first(data, lambda p, v: isinstance(v, str))
    _get(data, leaf[:-1])[leaf[-1]] = 42
    return _dotted(leaf), "got int 42"


def bad_enum(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    leaf = _first(
        data,
        lambda p, v: (
            p[-1] in ENUM_KEYS
            and (isinstance(v, str) or (isinstance(v, list) and len(p) > 1))
        ),
    )
    if leaf is not None:
        table, key = _get(data, leaf[:-1]), leaf[-1]
        if isinstance(table[key], list):
            table[key] = ["no-such-value"]
            return _dotted(leaf) + "[0]", "no-such-value"
        table[key] = "no-such-value"
        return _dotted(leaf), "no-such-value"
    when = _first(data, lambda p, v: p[-1] == "when")
    if when is None:
        return None
    _get(data, when[:-1])["when"] = {"field": "card", "equals": "no-such-value"}
    return _dotted(when) + ".equals", "no-such-value"


def dangling(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    leaf = _first(
        data, lambda p, v: p[-1] in REF_KEYS and isinstance(v, REF_KEYS[p[-1]])
    )
    if leaf is None:
        return None
    table, key = _get(data, leaf[:-1]), leaf[-1]
    if isinstance(table[key], list):
        table[key] = [*table[key], "no-such-id"]
        return f"{_dotted(leaf)}[{len(table[key]) - 1}]", "unknown"
    table[key] = "no-such-id"
    return _dotted(leaf), "unknown"


def bad_inline_when(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    """A step's own ``when`` (its rule, declared inline) with a bad value."""
    if rel != "steps.toml":
        return None
    sid = next((k for k, v in data.get("steps", {}).items() if "when" in v), None)
    if sid is None:
        return None
    data["steps"][sid]["when"] = {"field": "card", "equals": "no-such-value"}
    return f"steps.{sid}.when.equals", "no-such-value"


def cycle(data: dict[str, Any], rel: str) -> tuple[str, str] | None:
    if rel != "steps.toml" or not data.get("steps"):
        return None
    model = dict(next(iter(data["steps"].values())))
    data["steps"]["mut-cycle-a"] = {**model, "after": ["mut-cycle-b"]}
    data["steps"]["mut-cycle-b"] = {**model, "after": ["mut-cycle-a"]}
    return "steps.mut-cycle-", "cycle in 'after'"


MUTATIONS: dict[str, Mutation] = {
    "unknown-key": unknown_key,
    "wrong-type": wrong_type,
    "bad-enum": bad_enum,
    "dangling-reference": dangling,
    "bad-inline-when": bad_inline_when,
    "cycle": cycle,
}

CASES = [
    pytest.param(pkg, rel, name, id=f"{pkg}/{rel}:{name}")
    for pkg, rel in FILES
    for name, mutate in MUTATIONS.items()
    if mutate(tomllib.loads((DATA / pkg / rel).read_text("utf-8")), rel) is not None
]


def _named(
    problems: tuple[simexit.Problem, ...], pkg: str, rel: str, path: str, words: str
) -> list[simexit.Problem]:
    return [
        p
        for p in problems
        if p.package == pkg
        and p.file == rel
        and p.path.startswith(path)
        and words in p.message
    ]


class TestEveryFile:
    def test_every_data_file_is_mutated(self):
        """The table of cases covers every TOML file the loader reads."""
        covered = {(c.values[0], c.values[1]) for c in CASES}

        assert covered == set(FILES)
        assert len(FILES) >= 30

    @pytest.mark.parametrize(("pkg", "rel"), FILES, ids=[f"{p}/{r}" for p, r in FILES])
    def test_the_writer_round_trips_every_file(self, pkg, rel):
        """dump_toml writes what tomllib reads back unchanged (the harness)."""
        data = tomllib.loads((DATA / pkg / rel).read_text("utf-8"))

        assert tomllib.loads(dump_toml(data)) == data

    @pytest.mark.parametrize(("pkg", "rel", "name"), CASES)
    def test_a_mutation_is_reported_with_file_and_key_path(self, work, pkg, rel, name):
        """The loader names the broken file and the key path, and says what."""
        data = work.read(pkg, rel)
        where = MUTATIONS[name](data, rel)
        assert where is not None
        path, words = where
        work.write(pkg, rel, data)

        problems = work.problems(pkg)

        assert _named(problems, pkg, rel, path, words), "\n".join(map(str, problems))

    @pytest.mark.parametrize(("pkg", "rel"), FILES, ids=[f"{p}/{r}" for p, r in FILES])
    def test_a_syntax_error_is_reported_with_its_line(self, work, pkg, rel):
        """Broken TOML: the file, 'invalid TOML', and the line it broke on."""
        path = work.root / pkg / rel
        text = path.read_text("utf-8")
        lines = text.count("\n") + 1
        path.write_text(text + "\n[[[ this is not toml\n", "utf-8")

        problems = work.problems(pkg)

        found = [p for p in problems if p.file == rel and "invalid TOML" in p.message]
        assert found, "\n".join(map(str, problems))
        assert found[0].package == pkg
        assert found[0].line is not None
        assert found[0].line > lines

    @pytest.mark.parametrize(
        ("pkg", "rel"),
        [(p, r) for p, r in FILES if r in ITEM_FILES or r.startswith("operators/")],
        ids=[
            f"{p}/{r}"
            for p, r in FILES
            if r in ITEM_FILES or r.startswith("operators/")
        ],
    )
    def test_a_duplicate_id_is_reported(self, work, pkg, rel):
        """An id defined in core and in a country: reported where it clashes."""
        other = "az" if pkg == "core" else "core"
        country = "az" if pkg == "core" else pkg
        if rel.startswith("operators/"):
            shutil.copy(work.root / pkg / rel, work.root / other / rel)
            path, words = "operator", "duplicate operator id"
        else:
            table = ITEM_FILES[rel]
            item_id, item = next(iter(work.read(pkg, rel)[table].items()))
            target = work.read(other, rel)
            target.setdefault(table, {})[item_id] = item
            work.write(other, rel, target)
            path, words = f"{table}.{item_id}", "duplicate"

        problems = work.problems(country)

        found = [
            p
            for p in problems
            if p.file == rel and p.path.startswith(path) and words in p.message
        ]
        assert found, "\n".join(map(str, problems))


class TestAllAtOnce:
    def test_two_broken_files_are_both_reported(self, work):
        """An unknown key in a country's operator and a wrong type in core."""
        op = work.read("az", "operators/azercell.toml")
        op["operator"]["bogus-key"] = 1
        work.write("az", "operators/azercell.toml", op)
        steps = work.read("core", "steps.toml")
        first = next(iter(steps["steps"]))
        steps["steps"][first]["rank"] = "first"
        work.write("core", "steps.toml", steps)

        problems = work.problems("az")

        assert _named(
            problems,
            "az",
            "operators/azercell.toml",
            "operator.bogus-key",
            "unknown key",
        )
        assert _named(problems, "core", "steps.toml", f"steps.{first}.rank", "got str")

    def test_every_file_of_a_package_broken_at_once(self, work):
        """Each file of KZ with an unknown key: one error lists them all."""
        files = [rel for pkg, rel in FILES if pkg == "kz"]
        for rel in files:
            data = work.read("kz", rel)
            unknown_key(data, rel)
            work.write("kz", rel, data)

        problems = work.problems("kz")

        reported = {p.file for p in problems if "unknown key" in p.message}
        assert reported == set(files)

    def test_a_cycle_through_core_and_a_country_is_reported(self, work):
        """Core's identify-operator after AZ's find-current-operator, which
        comes after identify-operator: a cycle across two packages."""
        steps = work.read("core", "steps.toml")
        steps["steps"]["identify-operator"]["after"].append("find-current-operator")
        work.write("core", "steps.toml", steps)

        problems = work.problems("az")

        cycles = [p for p in problems if "cycle in 'after'" in p.message]
        assert cycles, "\n".join(map(str, problems))
        assert "find-current-operator" in cycles[0].message
        assert "identify-operator" in cycles[0].message

    def test_the_message_lists_every_problem_with_its_place(self, work):
        """str(DataPackageError): one line per problem, package/file: path."""
        rules = work.read("kz", "rules.toml")
        found = dangling(rules, "rules.toml")
        assert found is not None
        path, _ = found
        work.write("kz", "rules.toml", rules)
        sources = work.read("kz", "sources.toml")
        found = wrong_type(sources, "sources.toml")
        assert found is not None
        path2, _ = found
        work.write("kz", "sources.toml", sources)

        with pytest.raises(simexit.DataPackageError) as caught:
            Registry(work.root / "core", {"KZ": [("kz", work.root / "kz")]}).load("KZ")

        text = str(caught.value)
        assert "kz/rules.toml:" in text
        assert path in text
        assert "kz/sources.toml:" in text
        assert path2 in text
        assert text.splitlines()[0].startswith(f"{len(caught.value.problems)} problem")


# -- mutations of structure: whole tables, files and cross-file rules ------------


def _edit(rel: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        data = tomllib.loads(path.read_text("utf-8"))
        change(data)
        path.write_text(dump_toml(data), "utf-8")

    return apply


def _first_id(rel: str, table: str) -> str:
    return str(next(iter(tomllib.loads((DATA / rel).read_text("utf-8"))[table])))


def _first_channel(rel: str) -> str:
    return _first_id(rel, "channels")


def _first_procedure_with(rel: str, key: str) -> str:
    procs = tomllib.loads((DATA / rel).read_text("utf-8"))["procedures"]
    return str(next(k for k, v in procs.items() if v.get(key)))


def _write(rel: str, data: dict[str, Any]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).write_text(dump_toml(data), "utf-8")

    return apply


AZERCELL = "az/operators/azercell.toml"
_AZ_RULE = _first_id("az/rules.toml", "rules")
#: The rule core's backup-data step carries inline, written as a rule.
_BACKUP_RULE = {
    "step": "backup-data",
    "when": tomllib.loads((DATA / "core/steps.toml").read_text("utf-8"))["steps"][
        "backup-data"
    ]["when"],
}
_CLAIM = _first_id("az/claims.toml", "claims")
_CLAIM_SOURCE = next(
    k
    for k, v in tomllib.loads((DATA / "core/sources.toml").read_text("utf-8"))[
        "sources"
    ].items()
    if v["kind"] == "claim"
)
_PROC = _first_procedure_with(AZERCELL, "preconditions")

STRUCTURE = [
    # (id, edit of the copied data, package, file, key path, words)
    (
        "not-utf-8",
        lambda root: (root / "az/rules.toml").write_bytes(b"# \xff\xfe\n"),
        "az",
        "rules.toml",
        "",
        "not UTF-8",
    ),
    (
        "table-is-a-number",
        _edit("az/notices.toml", lambda d: d.update(notices=5)),
        "az",
        "notices.toml",
        "notices",
        "expected a table",
    ),
    (
        "item-is-a-number",
        _edit("az/notices.toml", lambda d: d["notices"].update({"five": 5})),
        "az",
        "notices.toml",
        "notices.five",
        "expected a table",
    ),
    (
        "item-with-an-id-key",
        _edit("az/rules.toml", lambda d: d["rules"][_AZ_RULE].update(id="x")),
        "az",
        "rules.toml",
        f"rules.{_AZ_RULE}.id",
        "the id is the table's name",
    ),
    (
        "step-with-an-id-key",
        _edit("core/steps.toml", lambda d: d["steps"]["backup-data"].update(id="x")),
        "core",
        "steps.toml",
        "steps.backup-data.id",
        "the id is the table's name",
    ),
    (
        "unknown-top-level-key",
        _edit("kz/steps.toml", lambda d: d.update(stpes={})),
        "kz",
        "steps.toml",
        "stpes",
        "did you mean 'steps'",
    ),
    (
        "sources-file-missing",
        lambda root: (root / "kz/sources.toml").unlink(),
        "kz",
        "sources.toml",
        "",
        "required file is missing",
    ),
    (
        "package-table-missing",
        _edit("kz/package.toml", lambda d: d.update(pakage=d.pop("package"))),
        "kz",
        "package.toml",
        "package",
        "required key missing",
    ),
    (
        "currency-missing",
        _edit("kz/package.toml", lambda d: d["package"].pop("currency")),
        "kz",
        "package.toml",
        "package.currency",
        "required key missing",
    ),
    (
        "operator-table-missing",
        _edit(AZERCELL, lambda d: d.update(operater=d.pop("operator"))),
        "az",
        "operators/azercell.toml",
        "operator",
        "required table missing",
    ),
    (
        "operator-is-a-string",
        _edit(AZERCELL, lambda d: d.update(operator="azercell")),
        "az",
        "operators/azercell.toml",
        "operator",
        "expected a table",
    ),
    (
        "channels-inside-operator",
        _edit(AZERCELL, lambda d: d["operator"].update(channels={})),
        "az",
        "operators/azercell.toml",
        "operator.channels",
        "tables go at the top level",
    ),
    (
        "operator-with-an-id-key",
        _edit(AZERCELL, lambda d: d["operator"].update(id="azercell")),
        "az",
        "operators/azercell.toml",
        "operator.id",
        "the id is the file's name",
    ),
    (
        "core-rule-replaces",
        _write(
            "core/rules.toml",
            {"rules": {"backup-too": {**_BACKUP_RULE, "replaces": "destroy-sim"}}},
        ),
        "core",
        "rules.toml",
        "rules.backup-too.replaces",
        "only country packages may replace core rules",
    ),
    (
        "inline-when-and-a-rule-of-its-id",
        _write("core/rules.toml", {"rules": {"backup-data": _BACKUP_RULE}}),
        "core",
        "rules.toml",
        "rules.backup-data",
        "step 'backup-data' carries its own when (steps.toml:",
    ),
    (
        "country-rule-with-the-id-of-an-inline-when",
        _edit(
            "az/rules.toml", lambda d: d["rules"].update({"backup-data": _BACKUP_RULE})
        ),
        "az",
        "rules.toml",
        "rules.backup-data",
        "a core rule has it; add replaces = 'backup-data'",
    ),
    (
        "inline-when-with-an-unknown-field",
        _edit(
            "core/steps.toml",
            lambda d: d["steps"]["backup-data"].update(
                when={"field": "card_kind", "equals": "esim"}
            ),
        ),
        "core",
        "steps.toml",
        "steps.backup-data.when.field",
        "unknown field 'card_kind'",
    ),
    (
        "inline-when-names-unknown-operator",
        _edit(
            "core/steps.toml",
            lambda d: d["steps"]["backup-data"].update(
                when={"field": "operator", "equals": "airaol"}
            ),
        ),
        "core",
        "steps.toml",
        "steps.backup-data.when",
        "did you mean 'airalo'",
    ),
    (
        "replaces-no-core-rule",
        _edit(
            "az/rules.toml",
            lambda d: d["rules"][next(iter(d["rules"]))].update(replaces="bakup-data"),
        ),
        "az",
        "rules.toml",
        "rules.",
        "did you mean 'backup-data'",
    ),
    (
        "fact-without-sources",
        _edit(AZERCELL, lambda d: d["operator"].update(sources=[])),
        "az",
        "operators/azercell.toml",
        "operator.sources",
        "must cite at least one source",
    ),
    (
        "claim-seen-in-an-official-page",
        _edit(
            "az/claims.toml",
            lambda d: d["claims"][_CLAIM].update(seen_in=["azercell-deactivate"]),
        ),
        "az",
        "claims.toml",
        f"claims.{_CLAIM}.seen_in[0]",
        "expected a claim source",
    ),
    (
        "fact-resting-on-a-claim",
        _edit(AZERCELL, lambda d: d["operator"].update(sources=[_CLAIM_SOURCE])),
        "az",
        "operators/azercell.toml",
        "operator.sources[0]",
        "cannot support a fact",
    ),
    (
        "claim-about-unknown-operator",
        _edit(
            "az/claims.toml",
            lambda d: d["claims"][_CLAIM].update(about={"operators": ["azercel"]}),
        ),
        "az",
        "claims.toml",
        f"claims.{_CLAIM}.about.operators[0]",
        "did you mean 'azercell'",
    ),
    (
        "says-unknown-outcome",
        _edit(
            "core/vocabulary.toml",
            lambda d: d["says"]["card"].update(maybe=d["says"]["card"]["equals"]),
        ),
        "core",
        "vocabulary.toml",
        "says.card.maybe",
        "unknown outcome",
    ),
    (
        "claim-about-nobody",
        _edit(
            "az/claims.toml",
            lambda d: d["claims"][_CLAIM].update(about={"steps": ["backup-data"]}),
        ),
        "az",
        "claims.toml",
        f"claims.{_CLAIM}.about",
        "or set everyone = true",
    ),
    (
        "template-missing",
        _edit("core/vocabulary.toml", lambda d: d["templates"].pop("claim")),
        "core",
        "vocabulary.toml",
        "templates.claim",
        "required key missing",
    ),
    (
        "defunct-without-date",
        _edit(AZERCELL, lambda d: d["operator"].update(status="defunct")),
        "az",
        "operators/azercell.toml",
        "operator.defunct_since",
        "required exactly when status is 'defunct'",
    ),
    (
        "unknown-successor",
        _edit(AZERCELL, lambda d: d["operator"].update(successors=["narr"])),
        "az",
        "operators/azercell.toml",
        "operator.successors[0]",
        "did you mean 'nar'",
    ),
    (
        "valid-until-before-valid-from",
        _edit(
            AZERCELL,
            lambda d: d["channels"][_first_channel(AZERCELL)].update(
                valid_from=dt.date(2026, 1, 2), valid_until=dt.date(2026, 1, 1)
            ),
        ),
        "az",
        "operators/azercell.toml",
        f"channels.{_first_channel(AZERCELL)}.valid_until",
        "must be after valid_from",
    ),
    (
        "confidence-above-its-sources",
        _edit(
            AZERCELL,
            lambda d: d["channels"][_first_channel(AZERCELL)].update(
                confidence="verified", sources=["apa-112-2011"]
            ),
        ),
        "az",
        "operators/azercell.toml",
        f"channels.{_first_channel(AZERCELL)}.confidence",
        "its sources support at most",
    ),
    (
        "unknown-precondition",
        _edit(
            AZERCELL,
            lambda d: d["procedures"][_PROC].update(preconditions=["no-such"]),
        ),
        "az",
        "operators/azercell.toml",
        f"procedures.{_PROC}.preconditions[0]",
        "unknown precondition",
    ),
    (
        "condition-names-unknown-operator",
        _edit(
            "az/rules.toml",
            lambda d: d["rules"][next(iter(d["rules"]))].update(
                when={"field": "operator", "equals": "bakcel"}
            ),
        ),
        "az",
        "rules.toml",
        "rules.",
        "did you mean 'bakcell'",
    ),
]


_STAFF_PROC = _first_procedure_with(AZERCELL, "show_staff")


def _staff(note: Any) -> Callable[[Path], None]:
    return _edit(
        AZERCELL, lambda d: d["procedures"][_STAFF_PROC].update(show_staff=note)
    )


_STAFF_PATH = f"procedures.{_STAFF_PROC}.show_staff"
STRUCTURE += [
    (
        "staff-note-not-a-table",
        _staff("Salam"),
        "az",
        AZERCELL[3:],
        _STAFF_PATH,
        "expected a table",
    ),
    (
        "staff-language-not-a-code",
        _staff({"Azeri!": "Salam"}),
        "az",
        AZERCELL[3:],
        f"{_STAFF_PATH}.Azeri!",
        "ISO 639 language code",
    ),
    (
        "staff-sentence-empty",
        _staff({"az": "  "}),
        "az",
        AZERCELL[3:],
        f"{_STAFF_PATH}.az",
        "non-empty sentence",
    ),
    (
        "staff-no-sentence",
        _staff({"reviewed": False}),
        "az",
        AZERCELL[3:],
        _STAFF_PATH,
        "at least one language",
    ),
    (
        "staff-reviewed-not-bool",
        _staff({"az": "Salam", "reviewed": "no"}),
        "az",
        AZERCELL[3:],
        f"{_STAFF_PATH}.reviewed",
        "true or false",
    ),
]


class TestStructure:
    @pytest.mark.parametrize(
        ("edit", "pkg", "rel", "path", "words"),
        [pytest.param(*case[1:], id=case[0]) for case in STRUCTURE],
    )
    def test_a_structural_mistake_is_reported_where_it_is(
        self, work, edit, pkg, rel, path, words
    ):
        """Whole tables, missing files and cross-file rules: named precisely."""
        edit(work.root)

        problems = work.problems("az" if pkg == "core" else pkg)

        assert _named(problems, pkg, rel, path, words), "\n".join(map(str, problems))

    def test_files_that_are_not_toml_are_ignored_in_operators(self, work):
        """A README next to the operator files is not an operator."""
        (work.root / "az" / "operators" / "README.md").write_text("notes\n")

        assert work.problems("az") == ()
