"""The real official share of every bundled country package.

    python benchmarks/official_share.py             # a plain table
    python benchmarks/official_share.py --markdown  # the RESULTS.md table

Counts each package's own channels, preconditions, procedures and facts
(not the core travel-eSIM sellers every country shares); an item is
official when an official source backs it and its confidence is verified.
Placeholders ("we found no page …", ``gap = true``) are not facts: they are
listed apart and in neither part of the share (see ``simexit._coverage``).
"""

from __future__ import annotations

import argparse
import sys

import simexit
from simexit._coverage import KINDS, Coverage, Tally, coverage


def _cell(t: Tally) -> str:
    return f"{t.official}/{t.items}" if t.items else "—"


def rows() -> list[Coverage]:
    reg = simexit.Registry.default()
    return [coverage(reg.load(code)) for code in reg.countries()]


def table(covs: list[Coverage], *, markdown: bool) -> str:
    head = ["country", *KINDS, "all items", "official share", "placeholders"]
    body = [
        [
            c.country,
            *(_cell(c.kinds[k]) for k in KINDS),
            _cell(c.total),
            f"{c.share:.0%}",
            str(c.total.gaps),
        ]
        for c in covs
    ]
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(r) + " |" for r in body]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [head, *body]
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    print(table(rows(), markdown=args.markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
