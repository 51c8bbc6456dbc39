"""Wall time of the 2016 scenario: loading, the model alone, and the CLI with charts.

Run: `make bench` or `.venv/bin/python benchmarks/bench_2016.py [--repeat N]`.
Prints medians over repeats and ratios against the model-only run, measured here, in one
process (the CLI in a subprocess, as a user runs it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "2016.yaml"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import sim
    from sim.engine.mesa import RetaliationModel
    from sim.reports.run_files import write_all

    loaded = sim.load(SCENARIO)
    t_load = timed(lambda: sim.load(SCENARIO), args.repeat)
    t_model = timed(lambda: RetaliationModel(loaded).run(), args.repeat)
    t_run = timed(lambda: sim.run(loaded), args.repeat)
    days = (loaded.spec.end - loaded.spec.start).days + 1

    with tempfile.TemporaryDirectory() as tmp:
        result = sim.run(loaded)
        t_files = timed(lambda: write_all(result, Path(tmp) / "r", charts=False, force=True),
                        args.repeat)
        t_charts = timed(lambda: write_all(result, Path(tmp) / "r", force=True), args.repeat)
        cli = [sys.executable, "-m", "sim", str(SCENARIO), "--out", str(Path(tmp) / "c"),
               "--quiet", "--force"]
        t_cli = timed(lambda: subprocess.run(cli, check=True, capture_output=True),
                      max(1, args.repeat // 2))

    rows = [
        ("load and validate the scenario", t_load),
        (f"model only ({days} days, 2 states)", t_model),
        ("model + tables as DataFrames (sim.run)", t_run),
        ("write CSV and JSON files", t_files),
        ("write files and the three charts", t_charts),
        ("CLI with charts, new process", t_cli),
    ]
    print(f"2016 scenario, median of {args.repeat} runs (Python {sys.version.split()[0]})")
    for label, seconds in rows:
        print(f"  {label:42s} {seconds * 1000:9.1f} ms   x{seconds / t_model:6.1f} model")
    print(f"  per simulated day (model only)            {t_model / days * 1e6:9.1f} us")


if __name__ == "__main__":
    main()
