"""The flip search on 2016 (`python -m sim sensitivity scenarios/2016.yaml --flip`).

Run: `.venv/bin/python benchmarks/bench_flips.py [--repeat K]`. Prints, measured here, the
search in this process (median of K: inputs, runs, batches, seconds) and the whole
command in a fresh process, charts included (median of K).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.experiments import flips

ROOT = Path.cwd()
SCENARIO = ROOT / "scenarios" / "2016.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times, result = [], None
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = flips.search(SCENARIO)
        times.append(time.perf_counter() - start)
    assert result is not None
    print(f"flip search, 2016, in this process: {len(result.inputs)} inputs, "
          f"{result.evaluations} runs in {result.batches} batches, "
          f"{statistics.median(times):.2f} s (median of {args.repeat})")
    command = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "sim", "sensitivity", str(SCENARIO), "--flip",
                            "--quiet", "--out", str(Path(tmp) / f"f{k}")], check=True,
                           capture_output=True, cwd=ROOT)
            command.append(time.perf_counter() - start)
    print(f"python -m sim sensitivity 2016.yaml --flip (fresh process, charts): "
          f"{statistics.median(command):.2f} s (median of {args.repeat})")


if __name__ == "__main__":
    main()
