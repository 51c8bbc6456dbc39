"""The maximum-likelihood fit on the data set's full train split: time and memory.

Run: `.venv/bin/python benchmarks/bench_fit.py [--bootstrap N]`. Prints, measured in this
process:

1. the baseline: one likelihood evaluation over every train row for 20 parameter
   vectors at once (one engine pass, the unit every step of the fit is made of), the
   median of 5, after the rows are prepared;
2. the full fit as `python -m sim fit` makes it (start, L-BFGS-B, profiles, standard
   errors and a cluster bootstrap of `--bootstrap` replicates, default 20), its rows
   shared among every core as the command shares them (`sim.analysis.row_workers`): wall
   time, the ratio to the baseline, and the peak resident memory of the process and of
   the largest row worker;
3. the estimates, the log-likelihood and category accuracy on train against the
   defaults. Target: the full fit under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from timing import TreeMemory, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", type=int, default=20)
    args = parser.parse_args()

    from sim.analysis.estimation import accuracy, fit, predict
    from sim.analysis.likelihood import prepare
    from sim.analysis.row_workers import planned_workers
    from sim.scenario.dataset import load_first_responses

    train = [r for r in load_first_responses() if r.split == "train"]
    start = time.perf_counter()
    lik = prepare(train)
    prepared = time.perf_counter() - start
    settings = {"precision": np.linspace(0.5, 20.0, 20)}
    one = timed(lambda: lik.evaluate(settings), repeat=5)
    print(f"train rows: {len(train)}; usable {len(lik.prepared)} "
          f"({len(lik.skipped)} skipped); prepared in {prepared:.2f} s")
    print(f"baseline: one likelihood evaluation, 20 parameter vectors: {one:.3f} s")

    workers = planned_workers(lik, None)
    start = time.perf_counter()
    with TreeMemory() as workers_memory:
        result = fit(train, bootstrap=args.bootstrap, seed=0)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = workers_memory.largest
    verdict = "met" if wall < 60 else "MISSED"
    print(f"full fit ({len(result.free)} free, bootstrap {args.bootstrap}, {workers} "
          f"process(es) for the rows): {wall:.1f} s = {wall / one:.0f} x the baseline; "
          f"peak memory {peak:.0f} MB, largest row worker {worker:.0f} MB "
          f"(every process together at most {peak + workers_memory.together:.0f} MB); "
          f"target < 60 s: {verdict}")
    for name in result.free:
        lo, hi = result.intervals[name]
        print(f"  {name:26s} {result.estimates[name]:9.4g}  se {result.std_errors[name]:8.3g}"
              f"  [{lo:.4g}, {hi:.4g}]  identified {result.identified[name]}")
    observed = lik.observed
    before, _, _ = predict(train, {})
    after, _, _ = predict(train, result.overrides())
    print(f"log-likelihood on train {result.log_likelihood:.2f} (defaults "
          f"{result.log_likelihood_defaults:.2f}); category accuracy "
          f"{accuracy(after, observed):.1%} (defaults {accuracy(before, observed):.1%})")


if __name__ == "__main__":
    main()
