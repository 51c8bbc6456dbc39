"""How long the standard charts take on scenarios that are costly to draw.

    .venv/bin/python benchmarks/bench_charts.py

Before the marks were bounded, 7,000 events over 20 years took 95 s to draw (of 99 s),
and a state name of 500 kB 175 s. Prints the run and drawing time of each.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import long_scenarios

import sim
from sim.reports.run_figures import write_figures


def main() -> None:
    for name, data in (("7,000 events over 20 years", long_scenarios.many_events()),
                       ("a state name of 500 kB", long_scenarios.huge_name())):
        started = time.perf_counter()
        result = sim.run(data)
        ran = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            written = write_figures(result, Path(folder))
        drawn = time.perf_counter()
        print(f"{name}: run {ran - started:.1f} s, charts {drawn - ran:.1f} s "
              f"({', '.join(written)})")


if __name__ == "__main__":
    main()
