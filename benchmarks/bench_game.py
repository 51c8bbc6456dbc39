"""Wall time of the solved game: the tree, the many-day policy, the decision map and the
tournament, each against a baseline measured here, in the same process.

Run: `make bench` or `.venv/bin/python benchmarks/bench_game.py [--repeat N] [--quick]`.

Baselines: the closed form (`decision.assess`) for the tree; the daily rule on the same
grid and window for the dynamic programme; one Mesa run of the 2016 scenario for the
decision map; one Mesa run of one tournament episode for the tournament.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))



def row(label: str, seconds: float, base: float, unit: str = "ms") -> str:
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    return f"  {label:52s} {seconds * scale:10.1f} {unit:2s}  x{seconds / base:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="smaller grids and tournament (a smoke run)")
    args = parser.parse_args()

    import numpy as np

    import sim
    from sim.analysis.decision_map import compute
    from sim.engine.mesa import RetaliationModel
    from sim.experiments.tournament import ENTRANTS, generate_episodes, play, seated
    from sim.game import beliefs
    from sim.game.decision import assess
    from sim.game.transition_game import Terms, solve_game, threshold
    from sim.game.waiting import Information, daily_rule, solve_waiting

    terms = Terms(1.0, 1.0, 0.63, 5.0, 0.8, 0.999, 386, 0.1, 0.3, 0.5)
    kwargs = dict(reciprocity_value=1.0, reply_probability=1.0, cost_of_reply=0.63,
                  reset_value=5.0, spoil_share=0.8, daily_discount=0.999,
                  days_to_resolution=386, late_loss=0.1, threat_cost=0.3, excuse_share=0.5)
    b = beliefs.prior(0.6, 0.7)
    print(f"solved game, median of {args.repeat} (Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores)")

    print("the one-shot game, one belief:")
    base = timed(lambda: [assess(p_reset=0.42, **kwargs) for _ in range(100)], args.repeat) / 100
    print(row("closed form, decision.assess (baseline)", base, base, "us"))
    t_tree = timed(lambda: solve_game(b, terms), args.repeat)
    print(row("tree built and solved by backward induction", t_tree, base, "us"))
    print(row("p* read off the solved tree", timed(lambda: threshold(terms), args.repeat),
              base, "us"))

    news = Information(hazard=0.003, signal_rate=0.02, good_if_reset=0.7, good_if_not=0.4,
                       office_day=21)
    grids = (1001, 10001) if args.quick else (1001, 10001, 100001)
    print(f"the many-day policy, window of {terms.days_to_resolution} days:")
    for grid in grids:
        base = timed(lambda g=grid: daily_rule(terms, g), args.repeat)
        dp = timed(lambda g=grid: solve_waiting(terms, news, g), args.repeat)
        print(row(f"daily rule on {grid} beliefs x 387 days (baseline)", base, base))
        print(row(f"value iteration on {grid} beliefs x 387 days", dp, base))

    loaded = sim.load(ROOT / "scenarios" / "2016.yaml")
    print("the decision map of the 2016 scenario:")
    base = timed(lambda: RetaliationModel(loaded).run(), args.repeat)
    print(row("one Mesa run of 2016 (baseline)", base, base))
    for res in (51, 201) if args.quick else (51, 201, 501):
        print(row(f"trace and map on {res} x {res} grid",
                  timed(lambda r=res: compute(loaded, r), args.repeat), base))

    n_episodes = 8 if args.quick else 24
    episodes = generate_episodes(n_episodes, 1)
    one = sim.load(episodes[0].scenario())
    base = timed(lambda: RetaliationModel(seated(one, "best_response", "in_kind", ENTRANTS),
                                          seed=episodes[0].seed).run(), args.repeat * 3)
    runs = n_episodes * len(ENTRANTS) ** 2
    print(f"the tournament: {len(ENTRANTS)} policies, {n_episodes} episodes, {runs} runs:")
    print(row("one Mesa run of one episode, 60 days (baseline)", base, base))
    jobs = [1, 2] if (os.cpu_count() or 1) >= 2 else [1]
    for j in jobs:
        t = timed(lambda j=j: play(episodes, jobs=j), 1)
        print(row(f"round robin, {j} process{'es' if j > 1 else ''}", t, base, "s"))
        print(f"  {'':52s} {t / runs * 1e3:10.1f} ms per run")
    print(f"  grid sizes: {grids}; tournament ran once per process count")
    del np


if __name__ == "__main__":
    main()
