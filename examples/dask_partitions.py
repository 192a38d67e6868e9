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
- **Rows grouped by country and card** (:func:`by_key`, no sorting), so
  that each worker's memo holds mostly its own kinds of situation; the
  records are put back in the order of the rows.
- **One bytes object per partition, each way** (:func:`pack`,
  :func:`plan_packed`): one ``dask.delayed`` task per partition, which Dask
  neither walks nor pickles tuple by tuple; the driver sends four objects,
  waits, and unpacks four.
- **Small results**: each record is a tuple of ids (one tuple shared by the
  rows of one plan), or the plan as a JSON string, made in the worker; a
  Plan object pickled back to the driver costs more than planning it.
- **Workers forked** from a driver that has loaded the countries, where the
  system allows it; a new pool per :func:`run`, its start-up part of the
  time the script prints.

Run as a script, the file imports itself by its module name before
:func:`main`, so that Dask pickles its functions by reference (functions of
``__main__`` are pickled by value, with the globals they use, and a Registry
does not pickle).

The same function works with any engine that maps a function over
partitions; docs/scale.md shows Spark.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import multiprocessing
import os
import pickle
import random
import sys
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


def situation(
    row: Row,
    reg: simexit.Registry | None = None,
    currencies: dict[str, str] | None = None,
) -> simexit.Situation:
    """A Situation from a row; amounts are strings in the country's currency
    (*currencies*, when given, remembers each country's)."""
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
    currency = None if currencies is None else currencies.get(code)
    if currency is None:
        currency = simexit.load_country(code, registry=reg or registry()).currency
        if currencies is not None:
            currencies[code] = currency
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

    Rows of the same situation get the same plan from the memo, and their
    records share one tuple of ids, which a pickle then writes once.
    """
    reg = registry()
    as_json = output == "json"
    currencies: dict[str, str] = {}
    # id(plan) -> (plan, its ids); the plan is kept so that its id stays its own.
    seen: dict[int, tuple[simexit.Plan, tuple[Any, ...]]] = {}
    records: list[Record] = []
    append = records.append
    for row in rows:
        try:
            plan = simexit.plan_for(
                situation(row, reg, currencies),
                locale=locale,
                today=TODAY,
                registry=reg,
            )
        except simexit.SimexitError as e:
            append((row[0], None, str(e)) if as_json else (row[0], (), (), (), str(e)))
            continue
        if as_json:
            append((row[0], simexit.to_json(plan), None))
            continue
        known = seen.get(id(plan))
        if known is None:
            ids = (
                tuple([s.id for s in plan.steps]),
                tuple([b.id for b in plan.blockers]),
                tuple([w.id for w in plan.warnings]),
            )
            seen[id(plan)] = (plan, ids)
        else:
            ids = known[1]
        append((row[0], *ids, None))
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


def pack(rows: Sequence[Row]) -> bytes:
    """One partition's rows as one bytes object, for the trip to a worker.

    These are the job's own rows of strings, numbers and booleans, packed by
    the driver and unpacked by its workers, never data read from elsewhere.
    One bytes object is what a scheduler ships fastest: Dask neither walks
    it for tasks nor pickles it object by object (``cloudpickle`` calls back
    into Python for every tuple and string it meets).
    """
    return pickle.dumps(tuple(rows), pickle.HIGHEST_PROTOCOL)


def plan_packed(blob: bytes, locale: str = "en", output: str = "ids") -> bytes:
    """:func:`plan_partition` from packed rows to packed records: what each
    worker runs, one call per partition."""
    records = plan_partition(pickle.loads(blob), locale, output)
    return pickle.dumps(records, pickle.HIGHEST_PROTOCOL)


def by_key(rows: Sequence[Row]) -> list[int]:
    """The positions of *rows*, those of one country and card together (in
    the order each key first appears, rows in their order within it)."""
    groups: dict[tuple[Any, Any], list[int]] = {}
    for i, row in enumerate(rows):
        key = (row[1], row[3])
        group = groups.get(key)
        if group is None:
            groups[key] = group = []
        group.append(i)
    return [i for group in groups.values() for i in group]


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
    order = by_key(rows)
    blobs = [
        pack(part)
        for part in partitions([rows[i] for i in order], max(1, workers * per_worker))
    ]
    records = [
        record
        for blob in _run(
            blobs, {row[1] for row in rows}, scheduler, workers, locale, output
        )
        for record in pickle.loads(blob)
    ]
    out: list[Record] = [()] * len(rows)
    for i, record in zip(order, records, strict=True):
        out[i] = record
    return out


def _run(
    blobs: list[bytes],
    codes: set[str],
    scheduler: str,
    workers: int,
    locale: str,
    output: str,
) -> list[bytes]:
    # Load the countries here, before any worker starts: a forked worker
    # inherits them; a spawned one loads them once, on its first row.  Fork
    # only from a process with no other thread (forking threads is unsafe).
    reg = registry()
    for code in sorted(set(reg.countries()) & codes):
        simexit.load_country(code, registry=reg)
    fork = (
        "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )
    if scheduler == "pool":
        context = multiprocessing.get_context("fork" if fork else None)
        with concurrent.futures.ProcessPoolExecutor(workers, context) as pool:
            return list(
                pool.map(
                    plan_packed, blobs, [locale] * len(blobs), [output] * len(blobs)
                )
            )

    import dask
    from dask.base import compute
    from dask.delayed import delayed

    # One task per partition, each with its rows as one bytes object.
    tasks = [delayed(plan_packed)(blob, locale, output) for blob in blobs]
    options: dict[str, Any] = {
        "scheduler": scheduler,
        "num_workers": workers,
        "chunksize": 1,  # one partition per hand-out (the default batches 6)
    }
    if fork:
        options["multiprocessing.context"] = "fork"
    with dask.config.set(options):
        done: tuple[bytes, ...] = compute(*tasks)
    return list(done)


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
    # Run as a script, this file is ``__main__``, whose functions Dask's
    # process scheduler pickles by value, with the globals they use (this
    # process's Registry among them, which does not pickle).  Imported by
    # its own name, they pickle as a reference that the workers import.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import dask_partitions

    raise SystemExit(dask_partitions.main())
