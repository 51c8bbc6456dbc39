"""Throughput of ensembles and sweeps with the Mesa runner (or `--runner`), and what each
way of running them costs: chunking, saving chunks, a local process pool, a Dask cluster;
with one line for the batch engine, the default runner, for comparison.

Run: `.venv/bin/python benchmarks/bench_studies.py [--runs N] [--workers N] [--no-dask]`.
Every figure is measured here, in one process, against a plain loop of
`sim.outcome(sim.run(...))` over the same seeds (the baseline); ratios are baseline time
over the measured time (above 1: faster than the loop). A pool's and a cluster's figures
include starting them, as a user pays it. With cores shared with other work, the pool
and cluster figures are the ones that move.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "2016.yaml"
NOISE = {"behaviour.perception_noise": 0.1}


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200, help="runs per measurement")
    parser.add_argument("--workers", type=int, default=2, help="pool and cluster processes")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask cluster")
    parser.add_argument("--runner", default="mesa",
                        help="runner of the measured studies (default mesa: what the pool, "
                             "chunks and cluster cost around the reference model)")
    args = parser.parse_args()

    import sim
    from sim.analysis.outcomes import derive_seeds
    from sim.execution.executors import cores
    from sim.experiments.ensemble import ensemble

    n, w = args.runs, args.workers
    load_before = os.getloadavg()[0]
    loaded = sim.load(SCENARIO, NOISE)
    seeds = derive_seeds(loaded.spec.seed, n)
    sim.run(loaded)  # warm up imports and caches

    t_loop, _ = timed(lambda: [sim.outcome(sim.run(loaded, seed=s)) for s in seeds])
    rows: list[tuple[str, float, int]] = [("plain loop of sim.run + sim.outcome (baseline)",
                                           t_loop, n)]

    def add(label: str, fn: Callable[[], object], count: int = n) -> object:
        t, out = timed(fn)
        rows.append((label, t, count))
        return out

    add("ensemble, in process, the batch engine (for comparison)",
        lambda: ensemble(loaded, n, workers=1, runner="batch"))
    serial = add("ensemble, in process, chunks of 25",
                 lambda: ensemble(loaded, n, runner=args.runner, workers=1))
    add("ensemble, in process, chunks of 1",
        lambda: ensemble(loaded, n, runner=args.runner, workers=1, chunk_size=1))
    pooled = add(f"ensemble, local pool of {w} (incl. start-up)",
                 lambda: ensemble(loaded, n, runner=args.runner, workers=w))
    add(f"ensemble, local pool of {w}, chunks of 1",
        lambda: ensemble(loaded, n, runner=args.runner, workers=w, chunk_size=1))
    assert pooled.equals(serial), "the pool changed the rows"  # type: ignore[union-attr]

    side = max(2, round((n / 2) ** 0.5))
    grid = {"behaviour.reset_value": [round(1 + 9 * k / (side - 1), 6) for k in range(side)],
            "behaviour.reply_cost": [round(0.1 + 0.8 * k / (side - 1), 6)
                                     for k in range(side)]}
    points = side * side
    memory = add(f"sweep {side}x{side} points x 2 runs, in memory, in process",
                 lambda: sim.sweep(loaded, grid, runs=2, runner=args.runner, workers=1), points * 2)
    with tempfile.TemporaryDirectory() as tmp:
        saved = add(f"sweep {side}x{side} x 2, chunks saved to disk, in process",
                    lambda: sim.sweep(loaded, grid, runs=2, runner=args.runner, workers=1,
                                      out=Path(tmp) / "s"), points * 2)
        add(f"sweep {side}x{side} x 2, chunks of 1 saved to disk, in process",
            lambda: sim.sweep(loaded, grid, runs=2, runner=args.runner, workers=1, chunk_size=1,
                              out=Path(tmp) / "s1"), points * 2)
    assert saved.equals(memory), "saving chunks changed the rows"  # type: ignore[union-attr]

    if not args.no_dask:
        from distributed import LocalCluster

        start = time.perf_counter()
        with LocalCluster(n_workers=w, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:
            t_up = time.perf_counter() - start
            address = cluster.scheduler_address
            remote = add(f"ensemble on a Dask LocalCluster of {w} processes (running)",
                         lambda: ensemble(loaded, n, runner=args.runner, scheduler=address))
            add("ensemble on the Dask cluster, chunks of 1",
                lambda: ensemble(loaded, n, runner=args.runner, scheduler=address, chunk_size=1))
        rows.append((f"  (starting that cluster took {t_up:.1f} s, not counted above)",
                     float("nan"), 0))
        assert remote.equals(serial), "the cluster changed the rows"  # type: ignore[union-attr]

    print(f"2016 scenario with perception_noise 0.1, {n} runs; {cores()} cores available; "
          f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
          "(above the core count, other work shares them)\n")
    print(f"{'what':64s} {'time':>8s} {'runs/s':>8s} {'ms/run':>8s} {'vs loop':>8s}")
    for label, t, count in rows:
        if count == 0:
            print(label)
            continue
        per = t / count
        base = t_loop / n
        print(f"{label:64s} {t:7.2f}s {count / t:8.1f} {per * 1000:8.1f} {base / per:7.2f}x")


if __name__ == "__main__":
    main()
