"""Plan a whole customer base on every core: plan_for mapped over partitions.

    python examples/dask_partitions.py                   # 200 000 rows, Dask processes
    python examples/dask_partitions.py 1000 --scheduler synchronous
    python examples/dask_partitions.py --scheduler pool  # concurrent.futures only

Rows are what a data pipeline holds: compact tuples of strings and booleans
in the order of :data:`COLUMNS`, one per customer.  Each partition turns its
rows into Situations and plans them; a row that is not a valid situation
becomes an error record instead of failing the job.

What makes more processes faster rather than slower (docs/scale.md):

- **Large partitions**, two to four per core: each task pays for shipping
  its rows to a worker and its records back, and Dask's local process
  scheduler hands ready tasks out in batches (``chunksize``, 6 by default,
  so 8 small partitions went to one worker); :func:`run` sets ``chunksize``
  to 1.
- **One registry per worker process**, loaded once (:func:`registry`): the
  first row of a process loads and compiles its countries, every later row
  and partition plans from memory.
- **Small results**: each record is a tuple of ids, or the plan as a JSON
  string, made in the worker; a Plan object pickled back to the driver
  costs more than planning it.

The same function works with any engine that maps a function over
partitions; docs/scale.md shows Spark.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
import random
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any

import simexit

#: One date for the whole run, so every partition plans against the same data.
TODAY = dt.date(2026, 11, 23)

#: The fields of a row, in order.
COLUMNS = (
    "customer",
    "country",
    "operator",
    "card",
    "billing",
    "arrears",
    "balance",
    "location",
    "device",
    "registered_owner",
    "keep_number",
    "linked_accounts",
)

Row = tuple[Any, ...]
#: ``(customer, step ids, blocker ids, warning ids, None)`` for a plan,
#: ``(customer, (), (), (), error message)`` for a refused row; with
#: ``output="json"``: ``(customer, simexit.to_json(plan), None)`` or
#: ``(customer, None, error message)``.
Record = tuple[Any, ...]

_REGISTRY: simexit.Registry | None = None


def registry() -> simexit.Registry:
    """This process's registry: made on first use, then reused by every
    partition the process plans (module state, so once per worker)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = simexit.Registry.default()
    return _REGISTRY


def situation(row: Row, reg: simexit.Registry | None = None) -> simexit.Situation:
    """A Situation from a row; amounts are strings in the country's currency."""
    (
        _,
        code,
        operator,
        card,
        billing,
        arrears,
        balance,
        location,
        device,
        owner,
        keep,
        linked,
    ) = row
    currency = simexit.load_country(code, registry=reg or registry()).currency
    return simexit.Situation(
        country=code,
        operator=operator,
        card=card,
        billing=billing,
        arrears=None if arrears is None else simexit.Money(arrears, currency),
        balance=None if balance is None else simexit.Money(balance, currency),
        location=location,
        device=device,
        registered_owner=owner,
        keep_number=keep,
        linked_accounts=linked,
    )


def plan_partition(
    rows: Iterable[Row], locale: str = "en", output: str = "ids"
) -> list[Record]:
    """Plan every row of one partition: a record per row, never an exception.

    ``output="ids"`` keeps the step ids in order, the blockers and the
    warnings; ``output="json"`` the whole plan as ``simexit.to_json`` writes
    it (texts, channels, sources), at several times the cost of the plan.
    A list, not a generator: process-based schedulers pickle what it returns.
    """
    reg = registry()
    as_json = output == "json"
    records: list[Record] = []
    append = records.append
    for row in rows:
        try:
            plan = simexit.plan_for(
                situation(row, reg), locale=locale, today=TODAY, registry=reg
            )
        except simexit.SimexitError as e:
            append((row[0], None, str(e)) if as_json else (row[0], (), (), (), str(e)))
            continue
        if as_json:
            append((row[0], simexit.to_json(plan), None))
        else:
            append(
                (
                    row[0],
                    tuple([s.id for s in plan.steps]),
                    tuple([b.id for b in plan.blockers]),
                    tuple([w.id for w in plan.warnings]),
                    None,
                )
            )
    return records


def customers(n: int, seed: int = 1) -> list[Row]:
    """*n* made-up customer rows (some of them invalid, as real data is)."""
    rng = random.Random(seed)
    countries = {code: simexit.load_country(code) for code in ("AZ", "KZ")}
    cards = {code: c.cards for code, c in countries.items()}
    operators = {
        (code, card): [o.id for o in c.operators.values() if card in o.cards]
        for code, c in countries.items()
        for card in c.cards
    }
    codes = sorted(countries)
    rows: list[Row] = []
    for i in range(n):
        code = rng.choice(codes)
        card = rng.choice(cards[code])
        rows.append(
            (
                f"c{i:06d}",
                code,
                rng.choice([None, *operators[code, card]]),
                card.value,
                rng.choice([None, "prepaid", "postpaid"]),
                "4,50"
                if rng.random() < 0.01
                else rng.choice([None, "0", "4.50", "120"]),
                rng.choice([None, "0", "3.20"]),
                rng.choice([None, "in_country", "abroad"]),
                rng.choice([None, "in_hand", "lost"]),
                rng.choice([None, True]),
                rng.random() < 0.1,
                rng.choice([None, True, False]),
            )
        )
    return rows


def partitions(rows: Sequence[Row], count: int) -> list[Sequence[Row]]:
    """*rows* cut into *count* slices of (nearly) equal size, in order."""
    size, extra = divmod(len(rows), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (i < extra)
        out.append(rows[start:end])
        start = end
    return [p for p in out if p]


class Partition:
    """Rows that Dask carries as one object, without looking inside."""

    __slots__ = ("rows",)

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = rows

    def __dask_tokenize__(self) -> str:  # a name for the task, from the rows
        return hashlib.sha256(pickle.dumps(self.rows)).hexdigest()


def plan_partitions(
    items: Iterable[Partition], locale: str = "en", output: str = "ids"
) -> list[Record]:
    """:func:`plan_partition` over the rows of each Partition, in order."""
    return [r for item in items for r in plan_partition(item.rows, locale, output)]


def run(
    rows: Sequence[Row],
    scheduler: str,
    *,
    workers: int | None = None,
    per_worker: int = 2,
    locale: str = "en",
    output: str = "ids",
) -> list[Record]:
    """Plan *rows* with Dask's *scheduler*, or with a plain
    ``concurrent.futures.ProcessPoolExecutor`` (``scheduler="pool"``).

    *per_worker* partitions per worker process (2–4 keeps every core busy
    without paying per-task costs many times over); the records come back
    in the order of *rows*.
    """
    workers = workers or os.cpu_count() or 1
    # Rows grouped by country and card before cutting: each worker's memo
    # then holds mostly its own situations (a memo is per process, and a
    # situation first seen in two workers is planned from scratch twice).
    order = sorted(range(len(rows)), key=lambda i: (rows[i][1], rows[i][3]))
    records = _run(
        [rows[i] for i in order], scheduler, workers, per_worker, locale, output
    )
    out: list[Record] = [()] * len(rows)
    for i, record in zip(order, records, strict=True):
        out[i] = record
    return out


def _run(
    rows: Sequence[Row],
    scheduler: str,
    workers: int,
    per_worker: int,
    locale: str,
    output: str,
) -> list[Record]:
    parts = partitions(rows, max(1, workers * per_worker))
    # Load the countries here, before any worker starts: a forked worker
    # inherits them; a spawned one loads them once, on its first row.  Fork
    # only from a process with no other thread (forking threads is unsafe).
    reg = registry()
    for code in sorted(set(reg.countries()) & {row[1] for row in rows}):
        simexit.load_country(code, registry=reg)
    fork = (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )
    if scheduler == "pool":
        context = multiprocessing.get_context("fork" if fork else None)
        with concurrent.futures.ProcessPoolExecutor(workers, context) as pool:
            done = pool.map(
                plan_partition, parts, [locale] * len(parts), [output] * len(parts)
            )
            return [record for part in done for record in part]

    import dask
    import dask.bag as db

    # One opaque item per partition: Dask walks every list, tuple and dict
    # of a graph looking for tasks, and hashes its data for names, which
    # for 200 000 bare rows cost the driver more than planning them.
    bag = db.from_sequence([Partition(p) for p in parts], npartitions=len(parts))
    planned = bag.map_partitions(plan_partitions, locale, output)
    options: dict[str, Any] = {
        "scheduler": scheduler,
        "num_workers": workers,
        "chunksize": 1,  # one partition per hand-out (the default batches 6)
    }
    if fork:
        options["multiprocessing.context"] = "fork"
    with dask.config.set(options):
        records: list[Record] = planned.compute()
    return records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rows", nargs="?", type=int, default=200_000)
    ap.add_argument("--workers", type=int, help="processes (default: the cores)")
    ap.add_argument("--per-worker", type=int, default=2, help="partitions per worker")
    ap.add_argument(
        "--scheduler",
        default="processes",
        choices=["processes", "threads", "synchronous", "pool"],
        help="a Dask scheduler, or pool: concurrent.futures.ProcessPoolExecutor",
    )
    ap.add_argument("--output", default="ids", choices=["ids", "json"])
    args = ap.parse_args(argv)

    rows = customers(args.rows)
    start = time.perf_counter()
    records = run(
        rows,
        args.scheduler,
        workers=args.workers,
        per_worker=args.per_worker,
        output=args.output,
    )
    seconds = time.perf_counter() - start
    errors = [r for r in records if r[-1] is not None]
    print(
        f"{len(records)} rows planned in {seconds:.2f} s "
        f"({args.scheduler}, {args.workers or os.cpu_count()} workers); "
        f"{len(errors)} refused"
    )
    if errors:
        print("first refused row:", errors[0][0], errors[0][-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
