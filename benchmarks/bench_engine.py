"""The figures the "one engine" work is judged by, through the public API only.

Run: `.venv/bin/python benchmarks/bench_engine.py [--points N] [--repeat K]`. Because it
uses only `import sim`, `python -m sim`, `sim.run_many` and `sim.sweep`, the same script
measures an older checkout too: run it with that checkout's interpreter from its folder
(`cd OLD && OLD/.venv/bin/python NEW/benchmarks/bench_engine.py`) to compare.

Prints, measured here:
1. `import sim` in a fresh interpreter (median of K), and which of Mesa, pandas,
   matplotlib it loads;
2. the 2016 CLI run in a fresh process (median of K), with and without charts;
3. N seeded runs of 2016 (perception noise 0.1) with `sim.run_many`, in this process;
4. a sweep of N points x 1 run (a square grid of reset value x reply cost) with
   `sim.sweep`, in this process, and its ratio to (3) (target: at most 3).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
SCENARIO = ROOT / "scenarios" / "2016.yaml"


def fresh(args: list[str], repeat: int) -> float:
    """Median wall time of a command in a new process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=10_000, help="runs and sweep points")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes to time")
    args = parser.parse_args()
    py = sys.executable

    print(f"checkout {ROOT}")
    t_import = fresh([py, "-c", "import sim"], args.repeat)
    heavy = subprocess.run(
        [py, "-c", "import sys, sim; print(','.join(m for m in ('mesa', 'pandas', "
         "'matplotlib') if m in sys.modules) or 'none')"],
        check=True, capture_output=True, text=True, cwd=ROOT).stdout.strip()
    print(f"1. import sim                          {t_import:8.3f} s   loads: {heavy}")

    with tempfile.TemporaryDirectory() as tmp:
        cli = [py, "-m", "sim", str(SCENARIO), "--quiet", "--force"]
        t_cli = fresh([*cli, "--out", f"{tmp}/a"], args.repeat)
        t_bare = fresh([*cli, "--no-charts", "--out", f"{tmp}/b"], args.repeat)
    print(f"2. python -m sim scenarios/2016.yaml   {t_cli:8.3f} s   "
          f"({t_bare:.3f} s with --no-charts)")

    import sim

    loaded = sim.load(SCENARIO, {"behaviour.perception_noise": 0.1})
    n = args.points
    start = time.perf_counter()
    sim.run_many(loaded, n, workers=1)
    t_seeds = time.perf_counter() - start
    print(f"3. {n:,} seeds of 2016 (sim.run_many)   {t_seeds:8.2f} s")

    side = max(2, round(n ** 0.5))
    grid = {"behaviour.reset_value": [round(1 + 9 * k / (side - 1), 6) for k in range(side)],
            "behaviour.reply_cost": [round(0.1 + 0.8 * k / (side - 1), 6)
                                     for k in range(side)]}
    start = time.perf_counter()
    sim.sweep(loaded, grid, runs=1, workers=1)
    t_sweep = time.perf_counter() - start
    print(f"4. {side}x{side} points x 1 run (sim.sweep) {t_sweep:8.2f} s   "
          f"x{t_sweep / t_seeds:.2f} of (3) (target <= 3)")


if __name__ == "__main__":
    main()
