"""Plan a whole customer base with Dask: plan_for mapped over partitions.

    python examples/dask_partitions.py                 # 20 000 rows, processes
    python examples/dask_partitions.py 1000 --scheduler synchronous

Rows are what a data pipeline holds: plain dicts of strings and booleans,
one per customer.  Each partition turns its rows into Situations and plans
them; a row that is not a valid situation becomes an error record instead of
failing the job.  simexit needs no setup on the workers: every worker process
loads and compiles the country data once, on its first row (from the data
cache when there is one), and plans from memory after that.

The same two functions work with any engine that maps a function over
partitions; docs/scale.md shows Spark.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from collections.abc import Iterable, Iterator
from typing import Any

import simexit

#: One date for the whole run, so every partition plans against the same data.
TODAY = dt.date(2026, 11, 23)


def situation(row: dict[str, Any]) -> simexit.Situation:
    """A Situation from a row; amounts are strings in the country's currency."""
    country = simexit.load_country(row["country"])

    def money(key: str) -> simexit.Money | None:
        value = row.get(key)
        return None if value is None else simexit.Money(value, country.currency)

    fields = {
        k: row.get(k)
        for k in (
            "operator",
            "billing",
            "location",
            "device",
            "registered_owner",
            "has_id_document",
            "linked_accounts",
            "autopay",
            "other_esim_profiles",
        )
    }
    return simexit.Situation(
        country=row["country"],
        card=row.get("card", "physical_sim"),
        keep_number=row.get("keep_number", False),
        arrears=money("arrears"),
        balance=money("balance"),
        **fields,
    )


def plan_partition(
    rows: Iterable[dict[str, Any]], locale: str = "en"
) -> list[dict[str, Any]]:
    """Plan every row of one partition: a record per row, never an exception.

    The record keeps the customer id, the step ids in order, the blockers and
    the warnings (``simexit.to_json(plan)`` would keep the whole plan, at
    several times the cost); a row simexit refuses gets its error.  A list,
    not a generator: process-based schedulers pickle what it returns.
    """
    return list(_records(rows, locale))


def _records(rows: Iterable[dict[str, Any]], locale: str) -> Iterator[dict[str, Any]]:
    for row in rows:
        try:
            plan = simexit.plan_for(situation(row), locale=locale, today=TODAY)
        except simexit.SimexitError as e:
            yield {"customer": row.get("customer"), "error": str(e)}
            continue
        yield {
            "customer": row.get("customer"),
            "steps": [s.id for s in plan.steps],
            "blockers": [b.id for b in plan.blockers],
            "warnings": [w.id for w in plan.warnings],
        }


def customers(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """*n* made-up customer rows (some of them invalid, as real data is)."""
    rng = random.Random(seed)
    countries = {code: simexit.load_country(code) for code in ("AZ", "KZ")}
    rows = []
    for i in range(n):
        country = countries[rng.choice(sorted(countries))]
        card = rng.choice(country.cards)
        ops = [o.id for o in country.operators.values() if card in o.cards]
        rows.append(
            {
                "customer": f"c{i:06d}",
                "country": country.code,
                "operator": rng.choice([None, *ops]),
                "card": card.value,
                "billing": rng.choice([None, "prepaid", "postpaid"]),
                "arrears": rng.choice([None, "0", "4.50", "120"]),
                "balance": rng.choice([None, "0", "3.20"]),
                "location": rng.choice([None, "in_country", "abroad"]),
                "device": rng.choice([None, "in_hand", "lost"]),
                "registered_owner": rng.choice([None, True]),
                "keep_number": rng.random() < 0.1,
                "linked_accounts": rng.choice([None, True, False]),
            }
        )
        if rng.random() < 0.01:  # a typo that a real customer base contains
            rows[-1]["arrears"] = "4,50"
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", nargs="?", type=int, default=20_000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument(
        "--scheduler",
        default="processes",
        choices=["processes", "threads", "synchronous"],
    )
    args = ap.parse_args(argv)

    import dask
    import dask.bag as db

    rows = customers(args.rows)
    bag = db.from_sequence(rows, npartitions=args.partitions)
    start = time.perf_counter()
    with dask.config.set(scheduler=args.scheduler):
        records = bag.map_partitions(plan_partition).compute()
    seconds = time.perf_counter() - start
    errors = [r for r in records if "error" in r]
    print(
        f"{len(records)} rows planned in {seconds:.2f} s "
        f"({args.partitions} partitions, {args.scheduler} scheduler); "
        f"{len(errors)} refused"
    )
    if errors:
        print("first refused row:", json.dumps(errors[0], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
