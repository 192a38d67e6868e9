"""The HTML page in a real browser: headless Chromium (Debian's package
``chromium``, with ``fonts-noto-cjk``) draws the page of an en, zh-Hans,
zh-Hant and ru plan to a PNG and prints it to PDF.

The PNG must be the window's size and really show the page: a white page
with dark text, the title drawn at the top.  A glyph probe draws each
distinct letter of the plan's titles in its own cell, with the page's own
style and language: distinct letters must give distinct, inked cells, none
like the box of a code point no font has (tofu).  The PDF must have pages
and embed the font of the locale's script: Noto Sans CJK SC for simplified
Chinese, TC for traditional, and JP for the staff sentence in Japanese.

Skipped only when Chromium is missing *and* ``SIMEXIT_REQUIRE_BROWSER`` is
unset; ``.ci/run`` installs the packages and sets it, so there it fails
instead.  The Chromium runs go four at a time; the test takes some seconds.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import simexit
from simexit import Location, Situation
from simexit._locales import tags

from .conftest import TODAY

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRED = bool(os.environ.get("SIMEXIT_REQUIRE_BROWSER"))
WIDTH, HEIGHT = 820, 1400
#: A private-use code point: no installed font draws it, so its cell is tofu.
NO_GLYPH = "\ue000"
#: The probe's control row: more private-use code points, in the "undetermined"
#: language; they must all draw the no-glyph box, or the probe sees nothing.
CONTROL = "und"
CONTROL_LETTERS = "\ue001\ue002\ue003\ue004\ue005\ue006"
CELL = 72

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="Chromium is not installed (apt-get install chromium fonts-noto-cjk); "
    "set SIMEXIT_REQUIRE_BROWSER=1 to fail instead",
)

#: A plan with a staff sentence in Japanese (``lang="ja"``) on every page.
SITUATION = Situation(country="JP", operator="docomo", location=Location.ABROAD)


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if CHROMIUM is None:
        pytest.fail(
            "SIMEXIT_REQUIRE_BROWSER is set but Chromium is missing: "
            "apt-get install chromium fonts-noto-cjk"
        )
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(profile)}
    return subprocess.run(
        command, capture_output=True, timeout=90, env=env, check=False
    )


def _letters(plan: simexit.Plan, ascii_letters: bool) -> str:
    """Up to 16 distinct letters of the plan's title and step titles, of one
    script: ASCII for English, the rest for the others (Latin "a" and
    Cyrillic "а" would draw alike)."""
    seen: dict[str, None] = {}
    text = "".join(s.title for s in plan.steps)
    for ch in text:
        if ch.isalpha() and ch.isascii() == ascii_letters:
            seen.setdefault(ch, None)
    return "".join(list(seen)[:16])


def _probe_page(rows: dict[str, tuple[str, str]]) -> str:
    """One row per locale: each letter in its own cell, in the locale's page
    style and language, then the no-glyph cell."""
    style = (
        f".cell {{ display: inline-block; width: {CELL}px; height: {CELL}px; "
        f"font-size: 48px; line-height: {CELL}px; text-align: center; "
        "overflow: hidden; vertical-align: top; }"
        f" .row {{ height: {CELL}px; white-space: nowrap; margin: 0; padding: 0; }}"
        " body { margin: 0; padding: 0; background: #fff; color: #000; }"
    )
    body = ""
    for tag, (fonts, letters) in rows.items():
        cells = "".join(
            f'<span class="cell">{html.escape(ch)}</span>' for ch in letters + NO_GLYPH
        )
        body += (
            f'<div class="row" lang="{tag}" style="font-family: {fonts}">{cells}</div>'
        )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{style}</style>'
        f"</head><body>{body}</body></html>"
    )


class Shots:
    """Every browser run of the module, made once, four at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.plans = {
            t: simexit.plan_for(SITUATION, locale=t, today=TODAY) for t in tags()
        }
        self.rows: dict[str, tuple[str, str]] = {}
        jobs: list[tuple[str, str, str]] = []
        for tag, plan in self.plans.items():
            page = simexit.render_html(plan)
            (folder / f"{tag}.html").write_text(page, "utf-8")
            found = re.search(r":root \{ font-family: ([^;]+);", page)
            assert found is not None
            self.rows[tag] = (found.group(1), _letters(plan, tag == tags()[0]))
            url = (folder / f"{tag}.html").as_uri()
            jobs.append((f"{tag}-png", f"--screenshot={self.png(tag)}", url))
            jobs.append((f"{tag}-pdf", f"--print-to-pdf={self.pdf(tag)}", url))
        # the control: distinct code points no font has all draw the same box
        self.rows[CONTROL] = (self.rows[tags()[0]][0], CONTROL_LETTERS)
        (folder / "probe.html").write_text(_probe_page(self.rows), "utf-8")
        probe = (folder / "probe.html").as_uri()
        jobs.append(("probe", f"--screenshot={self.png('probe')}", probe))
        with ThreadPoolExecutor(max_workers=4) as pool:
            ran = pool.map(self._run, jobs)
            self.runs = dict(zip([j[0] for j in jobs], ran, strict=True))

    def _run(self, job: tuple[str, str, str]) -> subprocess.CompletedProcess[bytes]:
        name, output, url = job
        size = (
            f"{CELL * 20},{CELL * len(self.rows)}"
            if name == "probe"
            else f"{WIDTH},{HEIGHT}"
        )
        return _chromium(
            self.folder / f"profile-{name}",
            f"--window-size={size}",
            "--no-pdf-header-footer",
            output,
            url,
        )

    def png(self, name: str) -> Path:
        return self.folder / f"{name}.png"

    def pdf(self, name: str) -> Path:
        return self.folder / f"{name}.pdf"


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Shots:
    return Shots(tmp_path_factory.mktemp("browser"))


def _dark_share(image: Image.Image) -> float:
    gray = image.convert("L")
    histogram = gray.histogram()
    return sum(histogram[:110]) / (gray.width * gray.height)


@pytest.mark.parametrize("tag", tags())
def test_the_page_draws(shots, tag):
    run = shots.runs[f"{tag}-png"]
    assert shots.png(tag).exists(), run.stderr.decode("utf-8", "replace")[-2000:]
    with Image.open(shots.png(tag)) as image:
        assert image.format == "PNG"
        assert image.size == (WIDTH, HEIGHT)
        page = image.convert("RGB")
    assert 0.01 < _dark_share(page) < 0.35  # text on a white page
    light = page.convert("L").histogram()
    assert sum(light[240:]) / (WIDTH * HEIGHT) > 0.5  # the white background
    title = page.crop((0, 0, WIDTH, 90))
    assert _dark_share(title) > 0.01  # the title is drawn at the top
    margin = page.crop((0, 0, 8, HEIGHT))
    assert _dark_share(margin) == 0  # and the page is laid out inside it


def _cells(image: Image.Image, row: int, count: int) -> list[Image.Image]:
    top = row * CELL
    return [
        image.crop((i * CELL, top, (i + 1) * CELL, top + CELL)).convert("L")
        for i in range(count)
    ]


def _same(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is None


def test_the_probe_sees_a_missing_glyph(shots):
    """The control row: code points no font has draw one box, the same as
    the no-glyph cell; so a letter drawn as tofu would be caught."""
    assert shots.png("probe").exists(), shots.runs["probe"].stderr[-2000:]
    row = list(shots.rows).index(CONTROL)
    with Image.open(shots.png("probe")) as image:
        *cells, tofu = _cells(image, row, len(CONTROL_LETTERS) + 1)
    assert _dark_share(tofu) > 0.005  # the box is drawn
    assert all(_same(cell, tofu) for cell in cells)


@pytest.mark.parametrize("tag", tags())
def test_every_letter_has_a_glyph(shots, tag):
    """No tofu: distinct letters draw distinct, inked cells, none like the
    cell of a code point no font has."""
    assert shots.png("probe").exists(), shots.runs["probe"].stderr[-2000:]
    row = list(shots.rows).index(tag)
    letters = shots.rows[tag][1]
    assert len(letters) >= 8, letters
    with Image.open(shots.png("probe")) as image:
        *cells, tofu = _cells(image, row, len(letters) + 1)
    for ch, cell in zip(letters, cells, strict=True):
        assert _dark_share(cell) > 0.005, f"{ch!r} drew nothing"
        assert not _same(cell, tofu), f"{ch!r} drew the no-glyph box"
    drawn = list(zip(letters, cells, strict=True))
    for (a, cell_a), (b, cell_b) in itertools.combinations(drawn, 2):
        assert not _same(cell_a, cell_b), f"{a!r} and {b!r} drew alike"


def _expected_fonts(tag: str) -> tuple[bytes, ...]:
    """The fonts each locale's script may be drawn with, as the PDF names
    them: the CJK face of its own script for Chinese, a Latin and Cyrillic
    sans (DejaVu comes with fontconfig on Debian) for the others."""
    if tag.endswith("Hans"):
        return (b"NotoSansCJKsc",)
    if tag.endswith("Hant"):
        return (b"NotoSansCJKtc",)
    return (b"DejaVuSans", b"NotoSans-", b"Roboto")


@pytest.mark.parametrize("tag", tags())
def test_the_page_prints_to_pdf_in_the_right_font(shots, tag):
    run = shots.runs[f"{tag}-pdf"]
    assert shots.pdf(tag).exists(), run.stderr.decode("utf-8", "replace")[-2000:]
    data = shots.pdf(tag).read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 2  # a long plan on A4 or Letter
    fonts = set(re.findall(rb"/FontName\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", data))
    assert any(f.startswith(_expected_fonts(tag)) for f in fonts), fonts
    # the staff sentence, marked lang="ja", in the Japanese face
    assert any(f.startswith(b"NotoSansCJKjp") for f in fonts), fonts
