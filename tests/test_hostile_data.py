"""Hostile strings in data are never executed.

Code-like text (a Python call that would create a marker file, format-string
attribute access, log4j-style lookups, SQL, markup) goes into every string
field of copied data packages.  Free text must come out verbatim — in the
loaded model, in plans and in the rendered text — and ids, enum values,
references, condition fields and engine templates must be refused with a
DataPackageError.  Nothing may create the marker file.
"""

from __future__ import annotations

import itertools
import shutil
import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest

import simexit
from simexit._loader import TEMPLATE_FIELDS, Registry
from simexit._render import render_html, render_markdown, render_text

from .conftest import DATA, TODAY
from .test_mutations import dump_toml

#: Keys whose string values are free text, shown or kept as written.  URLs
#: (``url``, ``website``) and the contacts of link channels are not: they
#: must be https or mailto links on the operator's domains
#: (tests/test_hostile_packages.py).
FREE_KEYS = {
    "en",
    "zh-Hans",
    "zh-Hant",
    "name",
    "legal_name",
    "contact",
    "publisher",
    "language",
    "data_version",
}

#: Channel kinds whose contact is a link, checked as one (not free text).
LINK_KINDS = {"website", "app", "chat", "email"}


def payloads(marker: Path) -> list[str]:
    """Text that would do something if anything evaluated it."""
    return [
        f"__import__('os').system('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
        "{0.__class__}",
        "{operator.__class__.__mro__}",
        "{step.__init__.__globals__}",
        "${jndi:ldap://127.0.0.1:1389/a}",
        "'); DROP TABLE plans; --",
        "<script>alert(1)</script>",
        "%s%s%s%n",
        "`id` $(id)",
        "\u202egnp.exe",
    ]


class Copy:
    """Core, AZ and KZ copied to a folder, to be filled with hostile text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for pkg in ("core", "az", "kz"):
            shutil.copytree(
                DATA / pkg, root / pkg, ignore=shutil.ignore_patterns("__pycache__")
            )

    def files(self) -> list[Path]:
        return sorted(
            p
            for p in self.root.rglob("*.toml")
            if p.name != "scenarios.toml"
            and "locales" not in p.relative_to(self.root).parts
        )

    def registry(self, code: str) -> Registry:
        return Registry(self.root / "core", {code: [(code, self.root / code.lower())]})


def _fill(
    node: Any, texts: itertools.cycle[str], inserted: list[str], key: str = ""
) -> Any:
    """Replace every free-text string below *node* with the next payload.

    Staff sentences (any language key under show_staff) are free text; the
    templates the engine formats (and its ``[says]`` phrases) are not
    (TestStructure covers them).
    """
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            link = k == "contact" and node.get("kind") in LINK_KINDS
            if link or (key == "templates" and k in TEMPLATE_FIELDS) or k == "says":
                out[k] = v
            elif key == "show_staff" and k != "reviewed":
                out[k] = _fill(v, texts, inserted, "en")
            else:
                out[k] = _fill(v, texts, inserted, k)
        return out
    if isinstance(node, list):
        return (
            [_fill(v, texts, inserted, key) for v in node] if key in FREE_KEYS else node
        )
    if isinstance(node, str) and key in FREE_KEYS:
        text = f"{next(texts)} #{len(inserted)}"
        inserted.append(text)
        return text
    return node


def _strings(obj: Any, out: set[str]) -> set[str]:
    """Every string inside a model or plan object."""
    if isinstance(obj, str):
        out.add(obj)
    elif attrs.has(type(obj)):
        for a in attrs.fields(type(obj)):
            _strings(getattr(obj, a.name), out)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            _strings(k, out)
            _strings(v, out)
    elif isinstance(obj, list | tuple | set | frozenset):
        for v in obj:
            _strings(v, out)
    return out


def _situations(country: simexit.Country) -> list[simexit.Situation]:
    """Enough situations to reach every step, channel choice and blocker."""
    out = []
    for card in country.cards:
        ops = [o.id for o in country.operators.values() if card in o.cards]
        for op, (location, device, owner, doc) in itertools.product(
            [None, *ops],
            [
                (simexit.Location.ABROAD, simexit.Device.IN_HAND, True, True),
                (simexit.Location.IN_COUNTRY, simexit.Device.LOST, None, None),
                (simexit.Location.ABROAD, simexit.Device.STOLEN, False, False),
            ],
        ):
            for keep in (False, True):
                out.append(
                    simexit.Situation(
                        country=country.code,
                        operator=op,
                        card=card,
                        arrears=simexit.Money("3", country.currency),
                        location=location,
                        device=device,
                        registered_owner=owner,
                        has_id_document=doc,
                        keep_number=keep,
                    )
                )
    return out


@pytest.fixture
def copy(tmp_path: Path) -> Copy:
    return Copy(tmp_path / "data")


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "pwned"


class TestFreeText:
    def test_every_free_text_comes_out_verbatim_and_nothing_runs(self, copy, marker):
        """Hostile text in every free-text field of core, AZ and KZ: loaded
        verbatim, shown verbatim in plans and renderings, never evaluated."""
        texts = itertools.cycle(payloads(marker))
        inserted: list[str] = []
        for path in copy.files():
            if path == copy.root / "core" / "package.toml":
                continue  # the core's data_version is not part of a Country
            data = tomllib.loads(path.read_text("utf-8"))
            path.write_text(dump_toml(_fill(data, texts, inserted)), "utf-8")
        assert len(inserted) > 900  # URLs and link contacts are not free text

        seen: set[str] = set()
        model: set[str] = set()
        for code in ("AZ", "KZ"):
            registry = copy.registry(code)
            country = registry.load(code)
            _strings(country, model)
            for situation in _situations(country):
                for locale in ("en", "zh-Hans", "zh-Hant"):
                    plan = simexit.plan_for(
                        situation, locale=locale, today=TODAY, registry=registry
                    )
                    page = render_html(plan)
                    rendered = (
                        simexit.to_json(plan),
                        render_text(plan),
                        render_markdown(plan),
                        page,
                    )
                    for text in rendered:  # nothing was str.format-ted
                        assert "<class " not in text
                        assert "__builtins__" not in text
                    assert "<script" not in page  # escaped, shown as text
                    _strings(plan, seen)

        assert not marker.exists()
        missing = [t for t in inserted if t not in model]
        assert missing == []  # every text reached the model unchanged
        shown = [t for t in inserted if any(t in s for s in seen)]
        assert len(shown) > 200  # and plenty reached plans, inside their texts

    def test_a_value_that_looks_like_a_template_is_not_formatted_again(self, copy):
        """An operator name of '{0.__class__}' is put into the no_procedure
        template as a value: it appears as written, not as '<class ...>'."""
        path = copy.root / "az" / "operators" / "azercell.toml"
        data = tomllib.loads(path.read_text("utf-8"))
        data["operator"]["name"] = "{0.__class__} {operator}"
        data["procedures"] = {
            k: v for k, v in data["procedures"].items() if v["step"] != "check-arrears"
        }
        path.write_text(dump_toml(data), "utf-8")
        mirror = copy.root / "az" / "locales" / "ru" / "operators" / "azercell.toml"
        texts = tomllib.loads(mirror.read_text("utf-8"))
        del texts["procedures"]["check-arrears"]
        mirror.write_text(dump_toml(texts), "utf-8")

        plan = simexit.plan_for(
            simexit.Situation(country="AZ", operator="azercell"),
            today=TODAY,
            registry=copy.registry("AZ"),
        )

        step = plan.step("check-arrears")
        assert step is not None
        assert "{0.__class__} {operator}" in step.detail
        assert "<class" not in simexit.to_json(plan)


def _set(path: Path, where: tuple[Any, ...], value: Any) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    path.write_text(dump_toml(data), "utf-8")


def _rename_first(path: Path, table: str, new: str) -> None:
    data = tomllib.loads(path.read_text("utf-8"))
    items = data[table]
    first = next(iter(items))
    data[table] = {(new if k == first else k): v for k, v in items.items()}
    path.write_text(dump_toml(data), "utf-8")


HOSTILE = "__import__('os').system('touch PWNED')"
_FIRST_AZ_RULE = next(
    iter(tomllib.loads((DATA / "az" / "rules.toml").read_text("utf-8"))["rules"])
)
_FIRST_KZ_SOURCE = next(
    iter(tomllib.loads((DATA / "kz" / "sources.toml").read_text("utf-8"))["sources"])
)


def _structural_cases() -> list[Any]:
    """(file, change, key path the problem must name) for refused strings."""

    def at(rel: str, *where: Any, value: Any = HOSTILE, path: str) -> Any:
        return pytest.param(
            rel, lambda p: _set(p, where, value), path, id=f"{rel}:{path}"
        )

    cases = [
        pytest.param(
            "core/steps.toml",
            lambda p: _rename_first(p, "steps", HOSTILE),
            "steps.",
            id="core/steps.toml:id",
        ),
        pytest.param(
            "az/sources.toml",
            lambda p: _rename_first(p, "sources", "{0.__class__}"),
            "sources.",
            id="az/sources.toml:id",
        ),
        at(
            "core/steps.toml",
            "steps",
            "backup-data",
            "kind",
            path="steps.backup-data.kind",
        ),
        at(
            "az/rules.toml",
            "rules",
            _FIRST_AZ_RULE,
            "step",
            path=f"rules.{_FIRST_AZ_RULE}.step",
        ),
        at(
            "core/steps.toml",
            "steps",
            "backup-data",
            "when",
            value={"field": HOSTILE, "equals": "esim"},
            path="steps.backup-data.when",
        ),
        at(
            "core/steps.toml",
            "steps",
            "backup-data",
            "when",
            value={"field": "card", "equals": HOSTILE},
            path="steps.backup-data.when",
        ),
        at(
            "core/steps.toml",
            "steps",
            "backup-data",
            "when",
            value={"field": "operator", "equals": "${jndi:ldap://x/a}"},
            path="steps.backup-data.when",
        ),
        at(
            "az/operators/azercell.toml",
            "operator",
            "cards",
            value=[HOSTILE],
            path="operator.cards[0]",
        ),
        at(
            "az/operators/azercell.toml",
            "operator",
            "sources",
            value=["'); DROP TABLE sources; --"],
            path="operator.sources[0]",
        ),
        at("az/package.toml", "package", "code", value=HOSTILE, path="package.code"),
        at(
            "az/package.toml",
            "package",
            "currency",
            value="{0.__class__}",
            path="package.currency",
        ),
        at("kz/sources.toml", "sources", _FIRST_KZ_SOURCE, "kind", path="sources."),
    ]
    for name in sorted(TEMPLATE_FIELDS):
        for payload in (
            "{0.__class__}",
            "{field.__class__.__mro__}",
            "{value:>99999999999}",
            "${jndi:x}",
            "{",
        ):
            cases.append(
                at(
                    "core/vocabulary.toml",
                    "templates",
                    name,
                    "en",
                    value=payload,
                    path=f"templates.{name}.en",
                )
            )
    for payload in ("{0.__class__}", "{value.__class__}", "{value:>99999999999}", "{"):
        cases.append(
            at(
                "core/vocabulary.toml",
                "says",
                "card",
                "equals",
                "en",
                value=payload,
                path="says.card.equals.en",
            )
        )
    return cases


class TestStructure:
    @pytest.mark.parametrize(("rel", "change", "path"), _structural_cases())
    def test_code_like_ids_enums_references_and_templates_are_refused(
        self, copy, rel, change, path
    ):
        """Where a string means something to the engine, hostile text is a
        DataPackageError naming the file and key — never executed."""
        change(copy.root / rel)
        pkg, file = rel.split("/", 1)
        code = "AZ" if pkg == "core" else pkg.upper()

        with pytest.raises(simexit.DataPackageError) as caught:
            copy.registry(code).load(code)

        named = [
            p
            for p in caught.value.problems
            if p.package == pkg and p.file == file and p.path.startswith(path)
        ]
        assert named, str(caught.value)

    def test_a_hostile_operator_file_name_is_refused(self, copy):
        """operators/<id>.toml: a file name that is not a slug is refused."""
        ops = copy.root / "az" / "operators"
        shutil.copy(ops / "nar.toml", ops / "'); DROP TABLE operators; --.toml")

        with pytest.raises(simexit.DataPackageError) as caught:
            copy.registry("AZ").load("AZ")

        assert any("not a lower-case slug" in p.message for p in caught.value.problems)

    def test_the_bundled_templates_are_accepted(self):
        """The template check refuses nothing the engine really uses."""
        vocab = simexit.load_country("AZ").vocabulary

        assert set(TEMPLATE_FIELDS) <= set(vocab.templates)
