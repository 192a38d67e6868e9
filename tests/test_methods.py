"""simexit._methods: the repr, equality and hash of simexit's attrs classes
are the ones attrs would generate.

Each class :func:`simexit._methods.methods` decorates is compared with a
twin that attrs builds with its own generated methods: the same module,
name, fields and field options.  Every instance found in real countries and
plans (plus a few made by hand) is copied field by field into the twin, and
both must show the same repr, the same hash value and the same answers to
``==`` and ``!=``.  The attrs features programs use on these classes
(fields, evolve, asdict, cattrs, pickle) are checked beside.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import pickle
import sys
from collections.abc import Iterator
from typing import Any

import attrs
import cattrs
import pytest

import simexit
from simexit import _methods, exceptions
from simexit._model import Evidence, PackageInfo

from .conftest import TODAY


def _ours(cls: type, method: str = "__repr__") -> bool:
    found = cls.__dict__.get(method)
    code = getattr(found, "__code__", None)
    return code is not None and code.co_filename == _methods.__file__


def decorated(method: str = "__repr__") -> list[type]:
    """Every class of simexit's loaded modules given *method* by _methods."""
    out: set[type] = set()
    for name, module in list(sys.modules.items()):
        if name == "simexit" or name.startswith("simexit."):
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and attrs.has(value)
                    and _ours(value, method)
                ):
                    out.add(value)
    return sorted(out, key=lambda c: (c.__module__, c.__qualname__))


_TWINS: dict[type, type] = {}


def twin(cls: type) -> type:
    """*cls* as attrs builds it with its own repr, eq and hash."""
    if cls not in _TWINS:
        body: dict[str, Any] = {
            "__module__": cls.__module__,
            "__qualname__": cls.__qualname__,
        }
        for a in attrs.fields(cls):
            body[a.name] = attrs.field(eq=a.eq, hash=a.hash, repr=a.repr)
        bases = tuple(b for b in cls.__bases__ if not attrs.has(b) and b is not object)
        raw = type(cls.__name__, bases, body)
        eq = _ours(cls, "__eq__")
        _TWINS[cls] = attrs.frozen(raw) if eq else attrs.define(eq=False)(raw)
    return _TWINS[cls]


def as_twin(obj: Any) -> Any:
    kind = twin(type(obj))
    new: Any = kind.__new__(kind)  # type: ignore[call-overload]
    for a in attrs.fields(type(obj)):
        object.__setattr__(new, a.name, getattr(obj, a.name))
    return new


def _walk(obj: Any, found: dict[type, list[Any]], seen: set[int]) -> None:
    if id(obj) in seen:
        return
    seen.add(id(obj))
    kind = type(obj)
    if attrs.has(kind):
        found.setdefault(kind, []).append(obj)
        for a in attrs.fields(kind):
            _walk(getattr(obj, a.name), found, seen)
    elif isinstance(obj, dict):
        for value in obj.values():
            _walk(value, found, seen)
    elif isinstance(obj, tuple | list | frozenset):
        for value in obj:
            _walk(value, found, seen)


def _situations() -> Iterator[simexit.Situation]:
    S = simexit.Situation
    yield S(country="AZ")
    yield S(
        country="AZ",
        operator="azercell",
        card=simexit.Card.ESIM,
        billing=simexit.Billing.PREPAID,
        arrears=simexit.Money("4.50", "AZN"),
        balance=simexit.Money("3.20", "AZN"),
        location=simexit.Location.ABROAD,
    )
    yield S(
        country="KZ",
        operator="beeline",
        keep_number=True,
        accounts=["whatsapp", "bank"],
        leaving_on=TODAY + dt.timedelta(days=20),
        bought_on=TODAY - dt.timedelta(days=300),
    )
    yield S(country="FR", card=simexit.Card.TRAVEL_ESIM)


@pytest.fixture(scope="module")
def samples() -> dict[type, list[Any]]:
    found: dict[type, list[Any]] = {}
    seen: set[int] = set()
    roots: list[Any] = [simexit.load_country("AZ"), simexit.load_country("KZ")]
    for s in _situations():
        for locale in ("en", "ru"):
            roots.append(simexit.plan_for(s, locale=locale, today=TODAY))
    roots += [
        Evidence(sources=("a", "b"), valid_from=TODAY),
        PackageInfo(code="AZ", data_version="1", data_as_of=TODAY),
        exceptions.InvalidSituationError("card", "sim", "one of: esim"),
        exceptions.UnknownCountryError("ZZ", ("AZ", "KZ")),
        exceptions.UnknownOperatorError("AZ", "acme", ("azercell",)),
        exceptions.DataPackageError(
            (exceptions.Problem("AZ", "f.toml", "a.b", "bad", 3),)
        ),
        exceptions.InvalidJSONError("not JSON"),
    ]
    for root in roots:
        _walk(root, found, seen)
    return {k: v[:40] for k, v in found.items()}


def test_every_decorated_class_is_sampled(samples: dict[type, list[Any]]) -> None:
    classes = decorated()
    assert len(classes) >= 30  # the model, the plan, the situation, the errors
    assert [c.__qualname__ for c in classes if c not in samples] == []


@pytest.mark.parametrize("cls", decorated(), ids=lambda c: c.__qualname__)
def test_repr_is_attrs_repr(cls: type, samples: dict[type, list[Any]]) -> None:
    for obj in samples[cls]:
        assert repr(obj) == repr(as_twin(obj))


def _hash(obj: Any) -> int | str:
    try:
        return hash(obj)
    except TypeError as e:  # a dict field: unhashable both ways
        return f"TypeError: {e}"


@pytest.mark.parametrize("cls", decorated("__eq__"), ids=lambda c: c.__qualname__)
def test_hash_and_eq_are_attrs_ones(cls: type, samples: dict[type, list[Any]]) -> None:
    objs = samples[cls]
    mine = objs + [copy.copy(o) for o in objs[:5]]
    theirs = [as_twin(o) for o in mine]
    for a, b in zip(mine, theirs, strict=True):
        assert type(a).__hash__ is not None or type(b).__hash__ is None
        if type(b).__hash__ is not None:
            assert _hash(a) == _hash(b)
        assert a.__eq__(object()) is NotImplemented
        assert b.__eq__(object()) is NotImplemented
    for (a, ta), (b, tb) in itertools.product(zip(mine, theirs, strict=True), repeat=2):
        assert (a == b) == (ta == tb)
        assert (a != b) == (ta != tb)


def test_eq_compares_fields_with_eq_alone() -> None:
    """No identity shortcut: a field holding NaN is unequal even to
    itself, as attrs' ``self.x == other.x and ...`` says."""
    nan = float("nan")
    p = exceptions.Problem("AZ", "f.toml", "a", "m", 1)
    object.__setattr__(p, "line", nan)
    q = copy.copy(p)
    t, u = as_twin(p), as_twin(q)
    assert (p == q, t == u) == (False, False)
    assert (p != q, t != u) == (True, True)
    assert (p == p, t == t) == (False, False)


def test_a_cycle_is_shown_as_attrs_shows_it() -> None:
    e = exceptions.InvalidSituationError("field", None, "allowed")
    e.value = e
    t = as_twin(e)
    t.value = t
    assert (
        repr(e)
        == repr(t)
        == ("InvalidSituationError(field='field', value=..., allowed='allowed')")
    )


def test_attrs_features_still_work(samples: dict[type, list[Any]]) -> None:
    plan = samples[simexit.Plan][1]
    s = plan.situation
    moved = attrs.evolve(s, operator="bakcell")
    assert (moved.operator, moved.country) == ("bakcell", s.country)
    assert moved != s and attrs.evolve(moved, operator=s.operator) == s
    assert hash(attrs.evolve(s)) == hash(s)
    assert [a.name for a in attrs.fields(simexit.Money)] == ["amount", "currency"]
    assert attrs.asdict(plan)["situation"]["country"] == s.country
    conv = cattrs.Converter()
    assert conv.structure(conv.unstructure(s), simexit.Situation) == s
    for obj in (plan, s, samples[exceptions.Problem][0]):
        again = pickle.loads(pickle.dumps(obj))
        assert again == obj and hash(again) == hash(obj)
    error = pickle.loads(pickle.dumps(samples[exceptions.UnknownCountryError][0]))
    assert repr(error) == "UnknownCountryError(code='ZZ', available=('AZ', 'KZ'))"
