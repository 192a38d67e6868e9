"""simexit's speed targets, measured as ratios in one run on one machine.

    python benchmarks/run.py            # the full run (about a minute)
    python benchmarks/run.py --quick    # checks that every benchmark works
    python benchmarks/run.py --markdown # also print the results table

Targets (issue 6):

1. warm ``plan_for`` takes at most 2x the time of just constructing what it
   returns: every object of the plan (Plan, Step, Notice, Channel, Source,
   Text, ...) built anew through its class's own ``__init__`` by generated
   straight-line code (:func:`constructor`), not the plan's own parts
   reused; the row shows plan_for on new situations beside the warm figure;
2. ``plan_for`` is faster than the same decisions hand-written as if/else,
   with the step order compiled once per country
   (``benchmarks/handwritten.py``);
3. ``import simexit`` takes at most 1.2x ``import attrs, cattrs``, both as
   whole processes (medians of many runs, interleaved);
4. the first plan in a fresh process takes at most 1.6x ``import simexit``;
5. ``plan_many`` streams at least 50 000 plans/s on one core for typical
   situations;
6. (issue 9) the first plan in a fresh process with
   ``PYTHONDONTWRITEBYTECODE=1`` costs at most 1.6x ``import attrs, cattrs``
   in CPU time (user + sys), on a wheel of this tree installed with
   ``pip install --no-deps --target`` (so simexit has the ``.pyc`` files and
   the compiled data a normal install has).
7. with a memo budget smaller than what a batch memoises, a second pass over
   the batch is not slower than the first (at least 1x): reaching the budget frees what was not used lately rather than
   everything, which made a second pass 6x slower than a first (issue 9).
8. (issue 14) ``to_json`` of a plan takes at most 3x the warm ``plan_for``
   that made it; ``from_json`` of that JSON is reported beside
   ``json.loads`` alone and the converter's own reading.
9. (issue 14) the Dask example (``examples/dask_partitions.py``) on two
   worker processes is at least 1.5x as fast as on the synchronous
   scheduler over the same 200 000 rows (medians of three interleaved
   rounds of wall time, worker start-up included, with the CPU time of
   driver and workers and the load average: on a shared machine other
   processes take the cores).

A reference row, with no target: deciding which AZ steps apply in
rule-engine and in JsonLogic, over the same rules translated from the
validated condition trees, against simexit's compiled conditions
(``benchmarks/peers.py``; the ``bench`` extra installs both).

Nothing here asserts a time: the script prints figures and ratios, and exits
non-zero only if a benchmark could not run or the hand-written baseline does
not make the same decisions as simexit (nor the peers, nor the rebuilt
plans, nor the Dask runs).

Target 3 runs this source tree with a private bytecode cache
(``PYTHONPYCACHEPREFIX``) that is warmed before timing, so that simexit,
attrs and cattrs all import from bytecode, as they do when installed;
``PYTHONDONTWRITEBYTECODE`` is removed from those children's environment for
the same reason.  Targets 4 and 6 run the installed wheel instead, as a
user's machine does: a source tree has no compiled data (see
docs/data-loading.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

import simexit
from simexit import Billing, Card, Device, Location, Money, Plan, Situation, Step

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent / "examples"))
import dask_partitions
import handwritten

TODAY = dt.date(2026, 11, 23)
COUNTRIES = ("AZ", "KZ")

#: The contract's example from a shell: the installed ``simexit`` script.
CLI_PLAN = [
    "plan",
    "--country",
    "AZ",
    "--operator",
    "azercell",
    "--card",
    "esim",
    "--arrears",
    "4.50",
    "--balance",
    "3.20",
    "--abroad",
    "--lang",
    "zh-Hans",
    "--today",
    "2026-11-23",
]

#: The contract's example (CONTRACT.md §1): what the first-plan target runs.
FIRST_PLAN = """\
import datetime, simexit
situation = simexit.Situation(
    country="AZ", operator="azercell", card=simexit.Card.ESIM,
    billing=simexit.Billing.PREPAID, arrears=simexit.Money("4.50", "AZN"),
    balance=simexit.Money("3.20", "AZN"), location=simexit.Location.ABROAD)
plan = simexit.plan_for(situation, locale="zh-Hans", today=datetime.date(2026, 11, 23))
assert plan.steps
"""


# -- typical situations --------------------------------------------------------


def _money(
    rng: random.Random, currency: str, unknown: float, zero: float
) -> Money | None:
    roll = rng.random()
    if roll < unknown:
        return None
    if roll < unknown + zero:
        return Money("0", currency)
    if rng.random() < 0.9:  # small: what is left on a prepaid card
        return Money(Decimal(rng.randint(1, 5000)) / 100, currency)
    return Money(rng.randint(10_000, 10**9), currency)  # large


def _pick(rng: random.Random, table: Sequence[tuple[Any, float]]) -> Any:
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights=weights)[0]


def typical_situations(n: int, seed: int = 6) -> list[Situation]:
    """*n* situations with the skew of a real customer base.

    Most people hold an operator SIM or eSIM of a big operator (operators are
    drawn with Zipf weights in the data's order of ids), pay in advance, have
    the phone in hand, are the registered owner and know little else: the
    booleans are mostly unknown, amounts are zero, small or large in the
    country's currency.  Every field is still drawn independently, so a batch
    holds tens of thousands of distinct situations.
    """
    rng = random.Random(seed)
    countries = {code: simexit.load_country(code) for code in COUNTRIES}
    card_weights = {
        Card.PHYSICAL_SIM: 50,
        Card.ESIM: 25,
        Card.TRAVEL_ESIM: 20,
        Card.TOURIST_CARD: 5,
    }
    out: list[Situation] = []
    for _ in range(n):
        country = countries[rng.choice(COUNTRIES)]
        cards = [c for c in country.cards if c in card_weights]
        card = rng.choices(cards, weights=[card_weights[c] for c in cards])[0]
        ops = [o.id for o in country.operators.values() if card in o.cards]
        operator = None
        if ops and rng.random() < 0.85:
            operator = rng.choices(ops, weights=[1 / (i + 1) for i in range(len(ops))])[
                0
            ]
        cur = country.currency
        out.append(
            Situation(
                country=country.code,
                operator=operator,
                card=card,
                billing=_pick(
                    rng, [(Billing.PREPAID, 70), (Billing.POSTPAID, 10), (None, 20)]
                ),
                arrears=_money(rng, cur, unknown=0.4, zero=0.5),
                balance=_money(rng, cur, unknown=0.4, zero=0.2),
                location=_pick(
                    rng, [(Location.ABROAD, 50), (Location.IN_COUNTRY, 40), (None, 10)]
                ),
                device=_pick(
                    rng,
                    [
                        (Device.IN_HAND, 85),
                        (Device.LOST, 3),
                        (Device.STOLEN, 2),
                        (None, 10),
                    ],
                ),
                registered_owner=_pick(rng, [(True, 80), (None, 15), (False, 5)]),
                has_id_document=_pick(rng, [(True, 70), (None, 25), (False, 5)]),
                keep_number=rng.random() < 0.1,
                linked_accounts=_pick(rng, [(None, 50), (True, 40), (False, 10)]),
                autopay=_pick(rng, [(None, 60), (False, 25), (True, 15)]),
                other_esim_profiles=_pick(rng, [(None, 60), (False, 30), (True, 10)]),
            )
        )
    return out


def uniform_situations(n: int, seed: int = 6) -> list[Situation]:
    """*n* situations with every field independent and uniform: the worst case.

    A quarter of each optional field is unknown; the rest is spread evenly
    over its values, so nearly every situation in a batch is distinct and
    nothing a real population repeats can be reused.
    """
    rng = random.Random(seed)
    countries = {code: simexit.load_country(code) for code in COUNTRIES}
    out: list[Situation] = []

    def maybe(values: Sequence[Any]) -> Any:
        return None if rng.random() < 0.25 else rng.choice(values)

    for _ in range(n):
        country = countries[rng.choice(COUNTRIES)]
        card = rng.choice(country.cards)
        ops = sorted(o.id for o in country.operators.values() if card in o.cards)
        operator = None if (not ops or rng.random() < 0.25) else rng.choice(ops)
        cur = country.currency
        out.append(
            Situation(
                country=country.code,
                operator=operator,
                card=card,
                billing=maybe(list(Billing)),
                arrears=_money(rng, cur, unknown=0.25, zero=0.25),
                balance=_money(rng, cur, unknown=0.25, zero=0.25),
                location=maybe(list(Location)),
                device=maybe(list(Device)),
                registered_owner=maybe([True, False]),
                has_id_document=maybe([True, False]),
                keep_number=rng.random() < 0.5,
                linked_accounts=maybe([True, False]),
                autopay=maybe([True, False]),
                other_esim_profiles=maybe([True, False]),
            )
        )
    return out


# -- timing helpers ------------------------------------------------------------


def per_call(fn: Callable[[], Any], calls: int, repeats: int) -> float:
    """Seconds per call of *fn* (which makes *calls* calls): the median of
    *repeats* timings, with the garbage collector off as timeit does."""
    times = []
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) / calls)
    finally:
        if gc_was:
            gc.enable()
    return statistics.median(times)


def child_env(pycache: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def run_child(code: str, env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return time.perf_counter() - t


def interleaved(
    commands: dict[str, str], runs: int, env: dict[str, str]
) -> dict[str, list[float]]:
    """Run every command *runs* times, interleaved, and return the times."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, code in commands.items():
            times[name].append(run_child(code, env))
    return times


def child_cpu(code: str | list[str], env: dict[str, str]) -> float:
    """CPU seconds (user + sys) of a fresh interpreter running *code*, or
    of the command *code* names (its output discarded)."""
    argv = [sys.executable, "-c", code] if isinstance(code, str) else code
    out = None if isinstance(code, str) else subprocess.DEVNULL
    proc = subprocess.Popen(argv, env=env, stdout=out)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    return usage.ru_utime + usage.ru_stime


def install_wheel(into: Path) -> Path:
    """Build a wheel of this tree (the build hook compiles the bundled data)
    and install it with ``pip install --no-deps --target``; the target dir.
    Builds without isolation, with the hatchling of this environment (the
    test extra has it)."""
    root = Path(__file__).resolve().parent.parent
    pip = [sys.executable, "-m", "pip", "--quiet", "--disable-pip-version-check"]
    wheels, target = into / "wheel", into / "target"
    subprocess.run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheels),
            str(root),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("simexit-*.whl")
    subprocess.run(
        [
            *pip,
            "install",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    return target


# -- the benchmarks ------------------------------------------------------------


@attrs.frozen
class Result:
    target: str
    figure: str
    ratio: float | None
    limit: str
    met: bool | None


def constructor(value: Any) -> Callable[[], Any]:
    """A function that builds a fresh copy of *value* through the
    ``__init__`` of every attrs class in it, as straight-line generated code
    (``Plan(steps=(Step(id=k0, ...), ...), ...)``): no object of *value* is
    reused but its immutable leaves (strings, numbers, dates, enums, tuples
    of those) and the input Situation; dicts become new dict displays."""
    consts: list[Any] = []
    classes: dict[str, type] = {}

    def leaf(v: Any) -> str:
        consts.append(v)
        return f"k[{len(consts) - 1}]"

    def expr(v: Any) -> str:
        cls = type(v)
        if isinstance(v, Situation):
            return leaf(v)
        if attrs.has(cls):
            name = f"c{id(cls)}"
            classes[name] = cls
            args = ", ".join(
                f"{a.alias or a.name}={expr(getattr(v, a.name))}"
                for a in attrs.fields(cls)
                if a.init
            )
            return f"{name}({args})"
        if cls is tuple and any(attrs.has(type(x)) for x in v):
            return "(" + "".join(f"{expr(x)}, " for x in v) + ")"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{leaf(a)}: {expr(b)}" for a, b in v.items()) + "}"
        return leaf(v)

    code = f"lambda: {expr(value)}"
    made: Callable[[], Any] = eval(code, {"k": consts, **classes})
    return made


def bench_warm(
    sits: list[Situation], repeats: int
) -> tuple[Result, Result, dict[str, float]]:
    """Targets 1 and 2: warm plan_for against construction and hand-written code."""
    locale = "en"
    plans = [simexit.plan_for(s, locale=locale, today=TODAY) for s in sits]  # warm
    n = len(sits)

    def run_plan_for() -> None:
        for s in sits:
            simexit.plan_for(s, locale=locale, today=TODAY)

    # What plan_for returns, rebuilt from scratch through each class's own
    # __init__: every Plan, Step, Notice, Channel, Source, Text, ... (all
    # but the input Situation) a new object, as generated code would.
    makers = [constructor(p) for p in plans]
    if any(make() != p for make, p in zip(makers, plans, strict=True)):
        print("!! constructing a plan from scratch does not give the plan")
        raise SystemExit(1)

    def construct() -> None:
        for make in makers:
            make()

    consts = {code: handwritten.constants(code) for code in COUNTRIES}
    mismatches = []
    for s, p in zip(sits, plans, strict=True):
        mine = handwritten.plan(consts[s.country], s, locale, TODAY)
        if handwritten.decisions(mine) != handwritten.decisions(p):
            mismatches.append(s)
    if mismatches:
        print(
            f"!! the hand-written baseline differs from plan_for on {len(mismatches)} of {n} situations; first:"
        )
        print("  ", mismatches[0])
        raise SystemExit(1)

    def run_handwritten() -> None:
        for s in sits:
            handwritten.plan(consts[s.country], s, locale, TODAY)

    # plan_for on situations it has not planned before: a registry that has
    # planned 20 000 other situations (its per-step caches are warm, as in a
    # running service), with its whole-plan cache emptied before each pass.
    reg = simexit.Registry.default()
    for s in typical_situations(20_000, seed=99):
        simexit.plan_for(s, locale=locale, today=TODAY, registry=reg)
    engines = [reg.engine(code) for code in COUNTRIES]

    def run_new_keys() -> None:
        for engine in engines:
            engine._cache.clear()  # the whole-plan memo (see simexit._memo)
        t = time.perf_counter()
        for s in sits:
            simexit.plan_for(s, locale=locale, today=TODAY, registry=reg)
        cold.append((time.perf_counter() - t) / n)

    cold: list[float] = []
    for _ in range(max(3, repeats // 3)):
        run_new_keys()
    t_cold = statistics.median(cold)
    t_plan = per_call(run_plan_for, n, repeats)
    t_construct = per_call(construct, n, repeats)
    t_hand = per_call(run_handwritten, n, max(3, repeats // 3))
    steps = statistics.mean(len(p.steps) for p in plans)
    r1 = Result(
        "warm plan_for / constructing its whole output through __init__",
        f"warm {t_plan * 1e6:.2f} µs (new situations {t_cold * 1e6:.2f} µs, "
        f"{t_cold / t_construct:.2f}x) vs {t_construct * 1e6:.2f} µs to build "
        f"every object of the plan ({steps:.1f} steps per plan)",
        t_plan / t_construct,
        "≤ 2",
        t_plan / t_construct <= 2,
    )
    r2 = Result(
        "plan_for / hand-written if/else, order compiled once",
        f"warm {t_plan * 1e6:.2f} µs, new situations {t_cold * 1e6:.2f} µs "
        f"({t_cold / t_hand:.2f}x) vs {t_hand * 1e6:.2f} µs; "
        f"same decisions on {n}/{n} situations",
        t_plan / t_hand,
        "< 1",
        max(t_plan, t_cold) < t_hand,
    )
    return (
        r1,
        r2,
        {
            "plan_for_us": t_plan * 1e6,
            "plan_for_new_keys_us": t_cold * 1e6,
            "construct_us": t_construct * 1e6,
            "handwritten_us": t_hand * 1e6,
        },
    )


def bench_json(
    sits: list[Situation], repeats: int
) -> tuple[Result, Result, dict[str, float]]:
    """Issue 14: to_json of a plan against the warm plan_for that made it,
    and from_json of that JSON; the reference writer and reader (the cattrs
    converter and ``json.dumps``/``json.loads``) beside them.  One process,
    interleaved rounds, medians, the garbage collector off."""
    from simexit import _json

    locale = "en"
    plans = [simexit.plan_for(s, locale=locale, today=TODAY) for s in sits]
    texts = [simexit.to_json(p) for p in plans]  # fragments remembered
    n = len(sits)

    def run_plan_for() -> None:
        for s in sits:
            simexit.plan_for(s, locale=locale, today=TODAY)

    def run_to_json() -> None:
        for p in plans:
            simexit.to_json(p)

    def run_from_json() -> None:
        for t in texts:
            simexit.from_json(t, Plan)

    def run_loads() -> None:
        for t in texts:
            json.loads(t)

    def run_reference_to_json() -> None:
        for p in plans:
            _json.reference_json(p)

    def run_reference_from_json() -> None:
        for t in texts:
            _json.read_json(t, Plan, fast=False)

    jobs = {
        "plan_for": run_plan_for,
        "to_json": run_to_json,
        "from_json": run_from_json,
        "loads": run_loads,
        "reference to_json": run_reference_to_json,
        "reference from_json": run_reference_from_json,
    }
    times: dict[str, list[float]] = {name: [] for name in jobs}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for name, job in jobs.items():
                t = time.perf_counter()
                job()
                times[name].append((time.perf_counter() - t) / n)
    finally:
        if gc_was:
            gc.enable()
    us = {name: statistics.median(ts) * 1e6 for name, ts in times.items()}
    to_json_ratio = us["to_json"] / us["plan_for"]
    size = statistics.mean(len(t) for t in texts)
    r1 = Result(
        "to_json(plan) / warm plan_for",
        f"{us['to_json']:.2f} µs vs {us['plan_for']:.2f} µs "
        f"({size / 1000:.1f} k characters); the converter and json.dumps: "
        f"{us['reference to_json']:.1f} µs",
        to_json_ratio,
        "≤ 3",
        to_json_ratio <= 3,
    )
    r2 = Result(
        "from_json(plan) / warm plan_for",
        f"{us['from_json']:.1f} µs, of which json.loads {us['loads']:.1f} µs; "
        f"the converter alone: {us['reference from_json']:.1f} µs "
        f"({us['reference from_json'] / us['from_json']:.1f}x slower)",
        us["from_json"] / us["plan_for"],
        "reported",
        None,
    )
    return r1, r2, {f"{name}_us": value for name, value in us.items()}


def cold_situations(n: int, seed: int = 21) -> list[Situation]:
    """*n* typical situations whose plans are all memo misses: each one is
    kept only if a scratch registry had not planned its memo key before
    (its whole-plan memo grows), so no two share a plan."""
    scratch = simexit.Registry.default()
    engines = {code: scratch.engine(code) for code in COUNTRIES}
    out: list[Situation] = []
    for s in typical_situations(20 * n, seed=seed):
        memo = engines[s.country]._cache  # the whole-plan memo (simexit._memo)
        held = len(memo)
        simexit.plan_for(s, locale="en", today=TODAY, registry=scratch)
        if len(memo) > held:
            out.append(s)
            if len(out) == n:
                return out
    raise SystemExit(f"!! only {len(out)} distinct plan keys among the situations")


def output_recipe(plan: Plan) -> Callable[[], Plan]:
    """A function constructing *plan*'s own output objects again through
    their classes' ``__init__``: the Plan, each Step, each Notice (warnings
    and blockers) and each Excluded; the Channels and Sources they hold are
    the country's own, shared, as in the plan."""
    from simexit import Excluded, Notice

    def fields(obj: Any) -> dict[str, Any]:
        return {a.name: getattr(obj, a.name) for a in attrs.fields(type(obj))}

    top = fields(plan)
    steps = [fields(st) for st in plan.steps]
    warnings = [fields(n) for n in plan.warnings]
    blockers = [fields(n) for n in plan.blockers]
    excluded = [fields(e) for e in plan.excluded]

    def construct() -> Plan:
        return Plan(
            **{
                **top,
                "steps": tuple([Step(**k) for k in steps]),
                "warnings": tuple([Notice(**k) for k in warnings]),
                "blockers": tuple([Notice(**k) for k in blockers]),
                "excluded": tuple([Excluded(**k) for k in excluded]),
            }
        )

    return construct


def bench_cold(n: int, rounds: int) -> tuple[Result, dict[str, float]]:
    """Issue 14: a fully cold plan against constructing its own output.

    Each round builds a new registry and compiles its engines (not timed),
    then plans *n* typical situations whose plan keys are all distinct
    (:func:`cold_situations`), so every plan is a whole-plan memo miss and
    its parts start from empty memos; then, interleaved, constructs the
    same plans' output objects through their own ``__init__``
    (:func:`output_recipe`).  Garbage collector off for both, as timeit
    does; the medians of the rounds.
    """
    sits = cold_situations(n)
    cold: list[float] = []
    built: list[float] = []
    gc_was = gc.isenabled()
    for _ in range(rounds):
        reg = simexit.Registry.default()
        for code in COUNTRIES:
            reg.engine(code)
        gc.collect()
        gc.disable()
        try:
            t = time.perf_counter()
            plans = [
                simexit.plan_for(s, locale="en", today=TODAY, registry=reg)
                for s in sits
            ]
            cold.append((time.perf_counter() - t) / n)
            recipes = [output_recipe(p) for p in plans]
            t = time.perf_counter()
            for construct in recipes:
                construct()
            built.append((time.perf_counter() - t) / n)
        finally:
            if gc_was:
                gc.enable()
    t_cold, t_built = statistics.median(cold), statistics.median(built)
    steps = statistics.mean(len(p.steps) for p in plans)
    return (
        Result(
            "fully cold plan_for / constructing its own output (issue 14)",
            f"{t_cold * 1e6:.1f} µs vs {t_built * 1e6:.1f} µs over {n:,} "
            f"distinct typical situations, a new registry each round "
            f"({steps:.1f} steps per plan)",
            t_cold / t_built,
            "≤ 2",
            t_cold / t_built <= 2,
        ),
        {"cold_plan_us": t_cold * 1e6, "cold_construct_us": t_built * 1e6},
    )


def bench_host(runs: int) -> tuple[Result, dict[str, float]]:
    """How fast this host is, to read the throughput row by: a bare
    interpreter's start (``python -c pass``), wall time, median of *runs*,
    with the load average when it ran."""
    env = dict(os.environ)
    times = [run_child("pass", env) for _ in range(runs)]
    bare = statistics.median(times) * 1e3
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        Result(
            "host speed: a bare interpreter's start (read throughput by it)",
            f"{bare:.1f} ms (`python -c pass`, median of {runs}); load average {load}",
            None,
            "—",
            None,
        ),
        {"bare_interpreter_ms": bare},
    )


def bench_peers(sits: list[Situation], repeats: int) -> tuple[Result, dict[str, float]]:
    """Reference row (issue 14): deciding which AZ steps apply, in simexit's
    compiled conditions, rule-engine and JsonLogic, over the same rules
    (translated from the validated condition tree, benchmarks/peers.py) and
    the AZ situations among *sits*.  Checks first that all three decide the
    same steps for every situation, and that simexit's are the ruled steps
    plan_for puts in the plan; the figures are per situation (all steps)."""
    import peers

    deciders = peers.Deciders("AZ")
    az = [s for s in sits if s.country == "AZ"]
    ctxs = peers.contexts("AZ", az, TODAY)
    data = [peers.json_logic_context(c) for c in ctxs]
    ruled = set(deciders.steps)
    for s, ctx, d in zip(az, ctxs, data, strict=True):
        mine = deciders.decide_simexit(ctx)
        plan = simexit.plan_for(s, today=TODAY)
        in_plan = {st.id for st in plan.steps} & ruled
        if not (
            mine == deciders.decide_rule_engine(ctx) == deciders.decide_json_logic(d)
            and set(mine) == in_plan
        ):
            print("!! the peers do not decide the same steps as simexit for", s)
            raise SystemExit(1)
    n = len(ctxs)

    def loop(decide: Callable[[Any], Any], inputs: list[Any]) -> Callable[[], None]:
        def run() -> None:
            for x in inputs:
                decide(x)

        return run

    t_simexit = per_call(loop(deciders.decide_simexit, ctxs), n, repeats)
    t_re = per_call(loop(deciders.decide_rule_engine, ctxs), n, max(3, repeats // 3))
    t_jl = per_call(loop(deciders.decide_json_logic, data), n, max(3, repeats // 3))
    steps = len(deciders.steps)
    return (
        Result(
            "peers: which AZ steps apply, rule-engine / JsonLogic / simexit",
            f"rule-engine {t_re * 1e6:.1f} µs, JsonLogic (panzi-json-logic) "
            f"{t_jl * 1e6:.1f} µs, simexit's compiled conditions "
            f"{t_simexit * 1e6:.1f} µs per situation ({steps} ruled steps, "
            f"{sum(len(t) for _, t in deciders.simexit)} rules); same steps on "
            f"{n}/{n} situations",
            t_re / t_simexit,
            "reference",
            None,
        ),
        {
            "peers_rule_engine_us": t_re * 1e6,
            "peers_json_logic_us": t_jl * 1e6,
            "peers_simexit_us": t_simexit * 1e6,
        },
    )


def batch_child(kind: str, n: int, budget: int | None = None) -> dict[str, float]:
    """One batch job: a fresh process plans *n* situations, twice.

    Generating the situations and loading the countries are not timed (the
    second is the first-plan target); the first pass pays for the first plan
    of every distinct situation, the second is the steady state of a
    long-running service.  The garbage collector stays on, as in a real job.
    *budget* is the memo budget (default: simexit's); ``held`` is how many
    memo entries the job ends with.
    """
    from simexit._memo import BUDGET

    if budget is not None:
        simexit.set_memo_budget(budget)
    situations = (typical_situations if kind == "typical" else uniform_situations)(
        n, seed=7
    )
    registry = simexit.Registry.default()
    for code in COUNTRIES:
        registry.engine(code)
    out = {}
    for name in ("first", "again"):
        t = time.perf_counter()
        for _ in simexit.plan_many(situations, today=TODAY, registry=registry):
            pass
        out[name] = n / (time.perf_counter() - t)
    out["held"] = BUDGET.held()
    return out


def bench_batch(n: int, repeats: int) -> tuple[Result, Result, dict[str, float]]:
    """Targets 5 and 7: plan_many over typical situations, on one core.

    Each measurement is a batch job of its own (a fresh process, see
    batch_child), so that what this script holds does not weigh on it; the
    figures are medians over *repeats* jobs.  Target 5 is judged on the
    first pass over typical situations; target 6 on a job whose memo budget
    is half the entries the default-budget job ends with.
    """

    def jobs(kind: str, budget: int | None = None) -> dict[str, float]:
        runs = []
        extra = [] if budget is None else ["--budget", str(budget)]
        for _ in range(repeats):
            done = subprocess.run(
                [sys.executable, __file__, "--batch-child", kind, str(n), *extra],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(done.stdout))
        return {k: statistics.median(r[k] for r in runs) for k in runs[0]}

    typical = jobs("typical")
    uniform = jobs("uniform")
    budget = int(typical["held"]) // 2
    small = jobs("typical", budget)
    first = typical["first"]
    ratio = small["again"] / small["first"]
    r6 = Result(
        "second pass / first, memo budget below the working set",
        f"{small['again']:,.0f} plans/s on a second pass vs {small['first']:,.0f}/s "
        f"on the first over {n:,} typical situations, with a budget of "
        f"{budget:,} entries (half of the {int(typical['held']):,} they memoise)",
        ratio,
        "≥ 1",
        ratio >= 1,
    )
    return (
        Result(
            "plan_many throughput (one core)",
            f"{first:,.0f} plans/s over {n:,} typical situations, first pass; "
            f"{typical['again']:,.0f}/s on a second pass; {uniform['first']:,.0f}/s "
            f"over {n:,} uniform situations (worst case), first pass",
            None,
            "≥ 50 000/s",
            first >= 50_000,
        ),
        r6,
        {
            "plans_per_s": first,
            "plans_per_s_again": typical["again"],
            "plans_per_s_uniform": uniform["first"],
            "plans_per_s_small_budget": small["first"],
            "plans_per_s_small_budget_again": small["again"],
        },
    )


def bench_processes(runs: int) -> tuple[Result, dict[str, float]]:
    """Target 3: whole processes, medians of interleaved runs."""
    with tempfile.TemporaryDirectory(prefix="simexit-bench-") as pycache:
        env = child_env(pycache)
        commands = {
            "python": "pass",
            "attrs+cattrs": "import attrs, cattrs",
            "simexit": "import simexit",
        }
        for code in commands.values():  # warm the bytecode cache
            run_child(code, env)
            run_child(code, env)
        times = interleaved(commands, runs, env)
    med = {k: statistics.median(v) for k, v in times.items()}
    r3 = Result(
        "import simexit / import attrs, cattrs (processes)",
        f"{med['simexit'] * 1e3:.1f} ms vs {med['attrs+cattrs'] * 1e3:.1f} ms "
        f"(bare interpreter {med['python'] * 1e3:.1f} ms)",
        med["simexit"] / med["attrs+cattrs"],
        "≤ 1.2",
        med["simexit"] / med["attrs+cattrs"] <= 1.2,
    )
    figures = {f"{k}_ms": v * 1e3 for k, v in med.items()}
    return r3, figures


def bench_installed(runs: int) -> tuple[Result, Result, Result, dict[str, float]]:
    """Targets 4 and 6, and the CLI: the first plan from an installed wheel,
    CPU time.

    The wheel of this tree is built and installed into a temporary
    ``--target`` folder put first on ``PYTHONPATH``; every child runs with
    ``PYTHONDONTWRITEBYTECODE=1`` and imports attrs, cattrs and simexit from
    the ``.pyc`` files pip wrote.  The CLI row runs the ``simexit`` script
    pip installed into the folder's ``bin`` as a shell would (its shebang
    names this interpreter), printing the contract's example as text.
    Medians of *runs* interleaved runs of each command.
    """
    with tempfile.TemporaryDirectory(prefix="simexit-wheel-") as tmp:
        target = install_wheel(Path(tmp))
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(target))
        env.pop("PYTHONPROFILEIMPORTTIME", None)
        where = subprocess.run(
            [sys.executable, "-c", "import simexit; print(simexit.__file__)"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not where.startswith(str(target)):
            print(f"!! the installed wheel is not what the children import: {where}")
            raise SystemExit(1)
        commands: dict[str, str | list[str]] = {
            "attrs+cattrs": "import attrs, cattrs",
            "simexit": "import simexit",
            "first plan": FIRST_PLAN,
            "cli": [str(target / "bin" / "simexit"), *CLI_PLAN],
        }
        for code in commands.values():  # warm the OS's file cache
            child_cpu(code, env)
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, code in commands.items():
                cpu[name].append(child_cpu(code, env))
    med = {k: statistics.median(v) for k, v in cpu.items()}
    first, base, imp = med["first plan"], med["attrs+cattrs"], med["simexit"]
    cli = med["cli"]
    r4 = Result(
        "first plan in a fresh process / import simexit (installed wheel, CPU)",
        f"{first * 1e3:.1f} ms vs {imp * 1e3:.1f} ms",
        first / imp,
        "≤ 1.6",
        first / imp <= 1.6,
    )
    r6 = Result(
        "first plan in a fresh process / import attrs, cattrs (installed wheel, CPU, PYTHONDONTWRITEBYTECODE=1)",
        f"{first * 1e3:.1f} ms vs {base * 1e3:.1f} ms",
        first / base,
        "≤ 1.6",
        first / base <= 1.6,
    )
    r_cli = Result(
        "simexit plan … from a shell / import attrs, cattrs (installed wheel, CPU, PYTHONDONTWRITEBYTECODE=1)",
        f"{cli * 1e3:.1f} ms vs {base * 1e3:.1f} ms",
        cli / base,
        "≤ 1.8",
        cli / base <= 1.8,
    )
    figures = {
        "installed_first_plan_cpu_ms": first * 1e3,
        "installed_cli_plan_cpu_ms": cli * 1e3,
        "installed_import_simexit_cpu_ms": imp * 1e3,
        "installed_attrs_cattrs_cpu_ms": base * 1e3,
    }
    return r4, r6, r_cli, figures


#: How the Dask benchmark cuts its rows: partitions per worker, workers.
DASK_WORKERS, DASK_PER_WORKER = 2, 2


def dask_child(scheduler: str, n: int) -> dict[str, Any]:
    """One Dask job in a fresh process: *n* customer rows of
    examples/dask_partitions.py planned with *scheduler* by ``run``.

    Timed: the whole ``run`` call — grouping and packing the rows, importing
    Dask, loading the countries, forking the workers (a new pool per run,
    as the example's command makes), planning, unpacking and reordering
    the records; making the rows is not.  CPU time is counted for this
    process and, apart, for its worker processes (reaped when ``run``
    returns, so ``RUSAGE_CHILDREN`` holds them)."""
    import resource

    rows = dask_partitions.customers(n)
    own0 = resource.getrusage(resource.RUSAGE_SELF)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    records = dask_partitions.run(
        rows, scheduler, workers=DASK_WORKERS, per_worker=DASK_PER_WORKER
    )
    seconds = time.perf_counter() - t
    own1 = resource.getrusage(resource.RUSAGE_SELF)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    digest = hashlib.sha256(repr(records).encode()).hexdigest()
    return {
        "seconds": seconds,
        "driver_cpu": own1.ru_utime + own1.ru_stime - own0.ru_utime - own0.ru_stime,
        "workers_cpu": kids1.ru_utime
        + kids1.ru_stime
        - kids0.ru_utime
        - kids0.ru_stime,
        "records": len(records),
        "digest": digest,
        "load": os.getloadavg()[0],
    }


def bench_dask(n: int, rounds: int = 3) -> tuple[Result, dict[str, float]]:
    """Target 9 (issue 14): the Dask example over *n* rows on two cores, the
    ``processes`` scheduler (two forked workers, two partitions each)
    against ``synchronous`` (the same four partitions in this process), each
    run a fresh process, *rounds* rounds interleaved; medians of the wall
    times, with each side's CPU time and the load average: on a shared
    machine, other processes take cores from the parallel run."""

    def job(scheduler: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, __file__, "--dask-child", scheduler, str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        out: dict[str, Any] = json.loads(done.stdout)
        return out

    syncs, pars = [], []
    for _ in range(rounds):
        syncs.append(job("synchronous"))
        pars.append(job("processes"))
    if len({(r["records"], r["digest"]) for r in syncs + pars}) != 1:
        print("!! the processes scheduler gave other records than synchronous")
        raise SystemExit(1)

    def med(runs: list[dict[str, Any]], key: str) -> float:
        return float(statistics.median(r[key] for r in runs))

    sync_s, par_s = med(syncs, "seconds"), med(pars, "seconds")
    ratio = sync_s / par_s
    loads = ", ".join(f"{r['load']:.2f}" for r in syncs + pars)
    # What two otherwise idle cores would give: the driver's own CPU time
    # (packing, unpacking: not overlapped) plus half the workers'.  A bound
    # read off CPU times, printed beside the measured ratio, never instead.
    free = med(syncs, "driver_cpu") / (
        med(pars, "driver_cpu") + med(pars, "workers_cpu") / DASK_WORKERS
    )
    parts = DASK_WORKERS * DASK_PER_WORKER
    return (
        Result(
            f"Dask processes ({DASK_WORKERS} forked workers, {parts} partitions) "
            f"/ synchronous ({parts} partitions), speed-up, wall time",
            f"{par_s:.2f} s vs {sync_s:.2f} s over {n:,} rows, medians of "
            f"{rounds} interleaved rounds (examples/dask_partitions.py run(), "
            "worker start-up included); CPU: "
            f"driver {med(pars, 'driver_cpu'):.2f} s + workers "
            f"{med(pars, 'workers_cpu'):.2f} s vs {med(syncs, 'driver_cpu'):.2f} s "
            f"(on two idle cores at most {free:.2f}x); 1-min load average per run {loads}",
            ratio,
            "≥ 1.5",
            ratio >= 1.5,
        ),
        {
            "dask_processes_s": par_s,
            "dask_synchronous_s": sync_s,
            "dask_processes_driver_cpu_s": med(pars, "driver_cpu"),
            "dask_processes_workers_cpu_s": med(pars, "workers_cpu"),
            "dask_synchronous_cpu_s": med(syncs, "driver_cpu"),
            "dask_two_idle_cores_bound": free,
        },
    )


# -- reporting -----------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return (
        f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}; "
        f"{platform.python_implementation()} {platform.python_version()}; "
        f"attrs {version('attrs')}, cattrs {version('cattrs')}, simexit {simexit.__version__}"
    )


def table(results: list[Result]) -> str:
    lines = [
        "| target | measured | ratio | limit | met |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}"
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        lines.append(f"| {r.target} | {r.figure} | {ratio} | {r.limit} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--quick", action="store_true", help="few repetitions: check that it works"
    )
    ap.add_argument(
        "--markdown", action="store_true", help="print the Markdown table too"
    )
    ap.add_argument(
        "--batch-child", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS
    )
    ap.add_argument("--budget", type=int, help=argparse.SUPPRESS)
    ap.add_argument(
        "--dask-child", nargs=2, metavar=("SCHEDULER", "N"), help=argparse.SUPPRESS
    )
    args = ap.parse_args(argv)
    if args.dask_child:
        scheduler, n = args.dask_child
        print(json.dumps(dask_child(scheduler, int(n))))
        return 0
    if args.batch_child:
        kind, n = args.batch_child
        print(json.dumps(batch_child(kind, int(n), args.budget)))
        return 0
    quick = args.quick

    print(f"machine: {machine()}")
    print(f"mode: {'quick (figures are not meaningful)' if quick else 'full'}")
    sits = typical_situations(200 if quick else 2_000)

    results: list[Result] = []
    r1, r2, _ = bench_warm(sits, repeats=3 if quick else 15)
    results += [r1, r2]
    j1, j2, _ = bench_json(sits, repeats=3 if quick else 15)
    results += [j1, j2]
    peer, _ = bench_peers(sits, repeats=3 if quick else 15)
    results.append(peer)
    r3, _ = bench_processes(runs=3 if quick else 40)
    r4, r6, r_cli, _ = bench_installed(runs=3 if quick else 40)
    results += [r3, r4, r6, r_cli]
    r5, r7, _ = bench_batch(5_000 if quick else 100_000, repeats=1 if quick else 5)
    host, _ = bench_host(runs=5 if quick else 40)
    results += [r5, host, r7]
    cold, _ = bench_cold(200 if quick else 2_000, rounds=2 if quick else 7)
    results += [cold]
    r8, _ = bench_dask(5_000 if quick else 200_000, rounds=1 if quick else 3)
    results.append(r8)

    width = max(len(r.target) for r in results)
    for r in results:
        ratio = "" if r.ratio is None else f"ratio {r.ratio:5.2f} "
        met = "" if r.met is None else ("met" if r.met else "NOT MET")
        print(
            f"{r.target:<{width}}  {ratio}(limit {r.limit}) {met}\n{'':<{width}}  {r.figure}"
        )
    if args.markdown:
        print()
        print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
