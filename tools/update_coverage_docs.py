"""Regenerate the coverage table of ``docs/coverage.md`` from the data.

    python tools/update_coverage_docs.py          # rewrite the table
    python tools/update_coverage_docs.py --check  # exit 1 if it is stale

The table is ``simexit show --coverage --format markdown`` for the packages
bundled with simexit (read from their TOML files), written between the two
marker lines of the page; ``tests/test_coverage_report.py`` fails while the
committed table differs from what the code generates.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simexit._coverage_report import bundled_report, update_page

PAGE = Path(__file__).resolve().parent.parent / "docs" / "coverage.md"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only say if it is stale")
    args = ap.parse_args(argv)
    text = PAGE.read_text("utf-8")
    new = update_page(text, bundled_report())
    if args.check:
        if new != text:
            print(f"{PAGE}: the coverage table is stale; run {sys.argv[0]}")
            return 1
        return 0
    if new != text:
        PAGE.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
