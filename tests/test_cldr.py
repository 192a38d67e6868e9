"""The build-time CLDR extract gives exactly what Babel gives."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.numbers import format_currency, get_currency_name
from babel.units import format_unit
from hypothesis import given, settings
from hypothesis import strategies as st

from simexit import _cldr, _format, _locales
from simexit._situation import Money, currency_decimals
from simexit.exceptions import InvalidSituationError

IDS = sorted({_locales.babel_id(t) for t in _locales.tags()})


@pytest.fixture(scope="module")
def blob() -> bytes:
    return _cldr.extract(IDS)


def _body(blob: bytes) -> dict[str, Any]:
    """``{babel id: pieces}`` of an extract: the locales of its first line,
    one line each."""
    head, *lines = blob.split(b"\n")
    ids = json.loads(head)["locales"]
    return {i: json.loads(line) for i, line in zip(ids, lines, strict=True)}


@pytest.fixture
def extract(blob: bytes, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The extract, as :func:`simexit._cldr.locale_pieces` would read it."""
    found = _body(blob)
    monkeypatch.setattr(_cldr, "locale_pieces", lambda i: found.get(i, {}))
    return found


def _tag(babel_id: str) -> str:
    return next(t for t in _locales.tags() if _locales.babel_id(t) == babel_id)


def test_every_piece_is_extracted(extract: dict[str, Any]) -> None:
    """Every bundled locale has every piece (none failed its check)."""
    assert sorted(extract) == IDS
    for pieces in extract.values():
        assert sorted(pieces) == [
            "currencies",
            "date",
            "duration-day",
            "duration-month",
            "languages",
            "list",
            "money",
            "territories",
        ]


@pytest.mark.parametrize("babel_id", IDS)
def test_country_names(extract: dict[str, Any], babel_id: str) -> None:
    codes = [*sorted(Locale.parse("en").territories), "XX", "zz", "az", "Q1"]
    names = Locale.parse(babel_id).territories
    tag = _tag(babel_id)
    for code in codes:
        assert _format.country_name(code, tag) == names.get(code.upper(), code.upper())


@pytest.mark.parametrize("babel_id", IDS)
def test_currency_names(extract: dict[str, Any], babel_id: str) -> None:
    codes = [*sorted(Locale.parse("en").currencies), "XYZ", "azn"]
    tag = _tag(babel_id)
    for code in codes:
        assert _format.currency_name(code, tag) == get_currency_name(
            code, locale=babel_id
        )


@pytest.mark.parametrize("babel_id", IDS)
def test_language_names(extract: dict[str, Any], babel_id: str) -> None:
    codes = [*sorted(Locale.parse("en").languages), "zz", "az-Latn", "x-y"]
    names = Locale.parse(babel_id).languages
    tag = _tag(babel_id)
    for code in codes:
        expected = names.get(code.replace("-", "_"), code)
        assert _format.language_name(code, tag) == expected


@pytest.mark.parametrize("babel_id", IDS)
def test_lists(extract: dict[str, Any], babel_id: str) -> None:
    words = ["SIM", "eSIM", "{1}", "Azercell", "Бакcell", "手机", "x y"]
    tag = _tag(babel_id)
    for n in range(len(words) + 1):
        for start in range(len(words) - n + 1):
            items = words[start : start + n]
            assert _format.format_list(items, tag) == format_list(
                items, locale=babel_id
            )


def _days() -> list[dt.date]:
    start = dt.date(2023, 1, 1)
    days = [start + dt.timedelta(days=i) for i in range(0, 4000, 3)]
    return [*days, dt.date.min, dt.date.max, dt.date(2026, 11, 23)]


@pytest.mark.parametrize("babel_id", IDS)
def test_dates(extract: dict[str, Any], babel_id: str) -> None:
    tag = _tag(babel_id)
    for day in _days():
        expected = babel_format_date(day, format="long", locale=babel_id)
        assert _format.format_date(day, tag) == expected


@pytest.mark.parametrize("babel_id", IDS)
@pytest.mark.parametrize("months", [False, True])
def test_lengths(extract: dict[str, Any], babel_id: str, months: bool) -> None:
    """Every count, including those past the extract (Babel's)."""
    tag = _tag(babel_id)
    unit = "duration-month" if months else "duration-day"
    for count in [*range(_cldr.COUNTS + 5), 12345, 1000000]:
        expected = format_unit(count, unit, length="long", locale=babel_id)
        assert _format.format_length(count, months, tag) == expected


def _babel_money(amount: Decimal, currency: str, babel_id: str) -> str:
    text = format_currency(amount, currency, locale=babel_id, format_type="name")
    return _format._GLUED.sub(r"\1 ", text)


_AMOUNTS = [
    *(Decimal(n) for n in (0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1000)),
    *(Decimal(n) for n in (1001, 21000, 1234567, 999999999, 1000000000)),
    *(Decimal(t) for t in ("0.5", "1.0", "1.00", "2.5", "4.50", "3.20", "21.01")),
    *(Decimal(t) for t in ("1E+3", "0E-2", "0.001", "1234.567", "11.11", "0.10")),
]


@pytest.mark.parametrize("babel_id", IDS)
def test_money(extract: dict[str, Any], babel_id: str) -> None:
    """Every currency of the locale a Money may hold, many amounts,
    formatted from the extract or handed to Babel, as Babel does."""
    tag = _tag(babel_id)
    for code in sorted(Locale.parse(babel_id).currencies):
        try:
            decimals = Money(0, code) and currency_decimals(code)
        except InvalidSituationError:
            continue  # a code no Money holds
        for amount in _AMOUNTS:
            if -amount.as_tuple().exponent > decimals:  # type: ignore[operator]
                continue  # not a Money
            money = Money(amount, code)
            expected = _babel_money(amount, code, babel_id)
            assert _format.format_money(money, tag) == expected


@settings(max_examples=300, deadline=None)
@given(
    whole=st.integers(0, 10**9 - 1),
    cents=st.none() | st.integers(0, 99),
    babel_id=st.sampled_from(IDS),
    code=st.sampled_from(["AZN", "KZT", "USD", "RUB", "EUR", "JPY", "KWD", "XYZ"]),
)
def test_money_any_amount(
    blob: bytes, whole: int, cents: int | None, babel_id: str, code: str
) -> None:
    """Any amount a Money may hold, in the extract's plural rules and
    grouping, is what Babel prints."""
    found = _body(blob)[babel_id]
    decimals = currency_decimals(code)
    text = str(whole) if cents is None or decimals < 2 else f"{whole}.{cents:02d}"
    amount = Decimal(text)
    fast = _cldr.money(amount, code, found["money"], found["currencies"])
    expected = format_currency(amount, code, locale=babel_id, format_type="name")
    assert fast == expected


def test_plural_categories(blob: bytes) -> None:
    """The extract's plural rules pick Babel's category for every count
    below 2000, with and without decimals."""
    found = _body(blob)
    for babel_id in IDS:
        rule = Locale.parse(babel_id).plural_form
        rules = found[babel_id]["money"]["plural"]
        for n in range(2000):
            for text in (str(n), f"{n}.0", f"{n}.5", f"{n}.25"):
                assert _cldr.plural(Decimal(text), rules) == rule(Decimal(text))


def test_other_locales_go_to_babel(extract: dict[str, Any]) -> None:
    assert _cldr.pieces("fr", "territories") is None
    assert _cldr.pieces("en", "nothing") is None


class TestReading:
    """:func:`simexit._cldr.table` trusts only a file made by this Babel."""

    def _read(self, monkeypatch: pytest.MonkeyPatch, path: Path) -> dict[str, Any]:
        monkeypatch.setattr(_cldr, "PATH", str(path))
        _cldr.table.cache_clear()
        try:
            return _cldr.table()
        finally:
            _cldr.table.cache_clear()

    def test_current(
        self, blob: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        (tmp_path / "c.json").write_bytes(blob)
        assert sorted(self._read(monkeypatch, tmp_path / "c.json")) == IDS

    @pytest.mark.parametrize(
        "change",
        [
            lambda b: b.replace(b'"2.', b'"0.', 1),
            lambda b: b.replace(_cldr.FORMAT.encode(), b"simexit-cldr 0"),
            lambda b: b[:-5],
            lambda b: b"",
        ],
    )
    def test_refused(
        self, blob: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Any
    ) -> None:
        """Another Babel's, another format's, a damaged or an empty file."""
        (tmp_path / "c.json").write_bytes(change(blob))
        assert self._read(monkeypatch, tmp_path / "c.json") == {}

    def test_lazy(
        self, blob: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """One locale's pieces are its own line; a damaged line loses only
        that locale (Babel then formats it), a line too many or too few the
        whole file."""
        head, *lines = blob.split(b"\n")
        path = tmp_path / "c.json"
        monkeypatch.setattr(_cldr, "PATH", str(path))

        def pieces(content: bytes, babel_id: str) -> dict[str, Any]:
            path.write_bytes(content)
            _cldr._lines.cache_clear()
            _cldr.locale_pieces.cache_clear()
            try:
                return _cldr.locale_pieces(babel_id)
            finally:
                _cldr._lines.cache_clear()
                _cldr.locale_pieces.cache_clear()

        assert pieces(blob, "ru") == _body(blob)["ru"]
        damaged = b"\n".join([head, *lines[:-1], lines[-1][:-3]])
        last = json.loads(head)["locales"][-1]
        assert pieces(damaged, last) == {}
        assert pieces(damaged, "en") == _body(blob)["en"]
        assert pieces(b"\n".join([head, *lines[:-1]]), "en") == {}
        assert pieces(blob + b"\n{}", "en") == {}

    def test_absent(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        assert self._read(monkeypatch, tmp_path / "none.json") == {}

    def test_no_babel_imported(self, blob: bytes, tmp_path: Path) -> None:
        """Reading the extract and formatting from it import no Babel."""
        import subprocess
        import sys

        (tmp_path / "c.json").write_bytes(blob)
        code = (
            "import sys, datetime as dt\n"
            "from simexit import _cldr, _format\n"
            "from simexit._situation import Money\n"
            f"_cldr.PATH = {str(tmp_path / 'c.json')!r}\n"
            "tag = 'en'\n"
            "_format.country_name('AZ', tag); _format.currency_name('AZN', tag)\n"
            "_format.format_date(dt.date(2026, 1, 2), tag)\n"
            "_format.format_length(6, True, tag)\n"
            "_format.format_money(Money('4.50', 'AZN'), 'ru')\n"
            "print(sorted(m for m in sys.modules if m.startswith('babel')))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
