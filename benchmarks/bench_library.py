"""Wall time of the validation over the episode library, and of the 2018 wave.

Run: `.venv/bin/python benchmarks/bench_library.py [--repeat N]`. Prints medians and
ratios against the 2016 run, measured in the same process.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parent.parent



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import sim
    from sim.analysis.validation import scorecard, with_history

    paths = with_history([ROOT / "scenarios"])
    base = timed(lambda: sim.run(ROOT / "scenarios" / "2016.yaml"), args.repeat)
    print(f"episode library, median of {args.repeat} (baseline: the 2016 run, "
          f"{base * 1000:.0f} ms)")
    for path in paths:
        loaded = sim.load(path)
        t = timed(lambda loaded=loaded: sim.run(loaded), args.repeat)
        spec = loaded.spec
        days = (spec.end - spec.start).days + 1
        print(f"  {spec.name:16s} {len(spec.states):3d} states {days:4d} days "
              f"{t * 1000:8.0f} ms   x{t / base:5.1f}")
    t_all = timed(lambda: scorecard(paths), args.repeat)
    rows = len(scorecard(paths))
    print(f"  whole validate scorecard ({rows} first responses) {t_all:6.2f} s   "
          f"x{t_all / base:5.1f}")


if __name__ == "__main__":
    main()
