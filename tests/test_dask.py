"""examples/dask_partitions.py: plan_for mapped over Dask partitions.

Runs on Dask's local synchronous scheduler (and once on threads, once on
two processes, once on a plain process pool, with small batches): the same
records as planning the rows one by one, bad rows as error records.
"""

from __future__ import annotations

import importlib.util
import pickle
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

import dask
import dask.bag as db
import pytest

import simexit

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "dask_partitions.py"


@pytest.fixture(scope="module")
def example() -> Iterator[ModuleType]:
    spec = importlib.util.spec_from_file_location("dask_partitions", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["dask_partitions"] = module  # pickle finds its functions by name
    # ... and so does a spawned worker process, which imports it from the
    # sys.path it is given by its parent.
    sys.path.insert(0, str(EXAMPLE.parent))
    spec.loader.exec_module(module)
    yield module
    sys.path.remove(str(EXAMPLE.parent))
    del sys.modules["dask_partitions"]


class TestPartitions:
    def test_partitions_give_what_one_by_one_gives(self, example):
        """Eight partitions, synchronous scheduler: the same records in order."""
        rows = example.customers(400)
        expected = example.plan_partition(rows)

        with dask.config.set(scheduler="synchronous"):
            records = (
                db.from_sequence(rows, npartitions=8)
                .map_partitions(example.plan_partition)
                .compute()
            )

        assert records == expected
        assert [r[0] for r in records] == [r[0] for r in rows]

    def test_records_hold_the_plan_of_their_row(self, example):
        """Each record's steps are plan_for's steps for that row."""
        rows = example.customers(50, seed=3)

        with dask.config.set(scheduler="synchronous"):
            records = (
                db.from_sequence(rows, npartitions=5)
                .map_partitions(example.plan_partition, locale="zh-Hant")
                .compute()
            )

        for row, (customer, steps, blockers, warns, error) in zip(
            rows, records, strict=True
        ):
            assert customer == row[0]
            if error is not None:
                continue
            plan = simexit.plan_for(
                example.situation(row), locale="zh-Hant", today=example.TODAY
            )
            assert steps == tuple(s.id for s in plan.steps)
            assert blockers == tuple(b.id for b in plan.blockers)
            assert warns == tuple(w.id for w in plan.warnings)

    def test_a_bad_row_is_an_error_record_not_a_failed_job(self, example):
        """A typo in one row: that row's record names the field; others plan."""
        rows = example.customers(20)
        arrears, operator = example.COLUMNS.index("arrears"), 2
        rows[7] = (*rows[7][:arrears], "4,50", *rows[7][arrears + 1 :])
        rows[9] = (*rows[9][:operator], "no-such-operator", *rows[9][operator + 1 :])

        with dask.config.set(scheduler="synchronous"):
            records = (
                db.from_sequence(rows, npartitions=4)
                .map_partitions(example.plan_partition)
                .compute()
            )

        assert "invalid amount" in records[7][-1]
        assert "no operator 'no-such-operator'" in records[9][-1]
        assert sum(r[-1] is not None for r in records) == 2

    def test_threads_scheduler_gives_the_same_records(self, example):
        """Partitions planned concurrently on threads: identical records."""
        rows = example.customers(300, seed=5)
        expected = example.plan_partition(rows)

        with dask.config.set(scheduler="threads", num_workers=4):
            records = (
                db.from_sequence(rows, npartitions=6)
                .map_partitions(example.plan_partition)
                .compute()
            )

        assert records == expected

    def test_json_output_is_the_plan_as_to_json_writes_it(self, example):
        """output="json": one JSON string per row, made in the partition."""
        rows = example.customers(30, seed=4)

        records = example.plan_partition(rows, "ru", "json")

        for row, (customer, text, error) in zip(rows, records, strict=True):
            assert customer == row[0]
            if error is not None:
                assert text is None
                continue
            plan = simexit.plan_for(
                example.situation(row), locale="ru", today=example.TODAY
            )
            assert text == simexit.to_json(plan)

    @pytest.mark.parametrize("scheduler", ["processes", "pool", "synchronous"])
    def test_run_on_two_workers_gives_the_same_records(self, example, scheduler):
        """run(): Dask processes or a ProcessPoolExecutor, two workers, two
        partitions each: the records of planning the rows in order."""
        rows = example.customers(120, seed=6)
        expected = example.plan_partition(rows)

        records = example.run(rows, scheduler, workers=2, per_worker=2)

        assert records == expected

    def test_partitions_cover_the_rows_in_order(self, example):
        """Nearly equal slices, none empty, concatenating to the rows."""
        rows = example.customers(10)

        parts = example.partitions(rows, 4)

        assert [len(p) for p in parts] == [3, 3, 2, 2]
        assert [r for p in parts for r in p] == rows
        assert example.partitions(rows[:2], 4) == [rows[:1], rows[1:2]]

    def test_the_partition_function_pickles(self, example):
        """What a process or cluster scheduler ships to workers pickles."""
        again = pickle.loads(pickle.dumps(example.plan_partition))

        assert again(example.customers(3)) == example.plan_partition(
            example.customers(3)
        )

    def test_the_example_runs_as_a_script(self, example, capsys):
        """python examples/dask_partitions.py N --scheduler synchronous."""
        assert example.main(["300", "--scheduler", "synchronous"]) == 0

        out = capsys.readouterr().out
        assert out.startswith("300 rows planned in ")

    def test_the_documented_command_runs_on_worker_processes(self):
        """python examples/dask_partitions.py N, as docs/scale.md gives it:
        the default processes scheduler, run as a script (whose functions
        Dask would pickle by value, with the process's Registry, were the
        script not to import itself by name)."""
        done = subprocess.run(
            [sys.executable, str(EXAMPLE), "400", "--workers", "2"],
            capture_output=True,
            text=True,
            timeout=300,
        )

        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("400 rows planned in ")
        assert "(processes, 2 workers)" in done.stdout

    def test_packed_partitions_plan_as_the_rows_do(self, example):
        """What a worker receives and sends back: bytes in, the same records
        as plan_partition out."""
        rows = example.customers(60, seed=7)

        blob = example.plan_packed(example.pack(rows), "ru")

        assert pickle.loads(blob) == example.plan_partition(rows, "ru")

    def test_rows_grouped_by_country_and_card_keep_their_order(self, example):
        """by_key: every position once, each key's rows together and in order."""
        rows = example.customers(200, seed=8)

        order = example.by_key(rows)

        assert sorted(order) == list(range(len(rows)))
        keys = [(rows[i][1], rows[i][3]) for i in order]
        firsts = [k for j, k in enumerate(keys) if j == 0 or keys[j - 1] != k]
        assert len(firsts) == len(set(keys))
        for key in set(keys):
            mine = [i for i in order if (rows[i][1], rows[i][3]) == key]
            assert mine == sorted(mine)
