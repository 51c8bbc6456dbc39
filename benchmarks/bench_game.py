"""Wall time of the solved game: the tree, the many-day policy, the decision map and the
tournament, each against a baseline measured here, in the same process; and the figures
of the many-day problem over the full menu at the 2016 scenario's first decision
(docs/model.md section 13, "The full menu"), which `--figures` prints alone.

Run: `make bench` or `.venv/bin/python benchmarks/bench_game.py [--repeat N] [--quick]
[--figures]`.

Baselines: the closed form (`decision.assess`) for the tree; the daily rule on the same
grid and window for the dynamic programme; one Mesa run of the 2016 scenario for the
decision map; one Mesa run of one tournament episode for the tournament.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from timing import timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))



def first_menu(path: Path) -> tuple[Any, ...]:
    """The first decision of a scenario weighed by the exchange game, as the day solved it:
    (date, actor, counterpart, the courses' names, G_k of each available answer, the
    window's Terms, the belief p, the reply cost C, the days to the successor's first
    day in office).

    G_k = util_k + p S: the exchange game's utility of answer k with the spoiling term
    put back (`qre` subtracts the same p S from every answer). The Terms carry what the
    day used: V and Delta from the actor's behaviour, delta = 1 - its discount rate, the
    days to the close of the window, rho, and the audience cost A(1-j) (as threat_cost,
    with no excuse); R = 1, q = 1 and C the reply cost make N = R - q C the one-size
    game's net value of section 9."""
    import numpy as np

    import sim
    from sim.engine.mesa import RetaliationModel
    from sim.game.qre import ACTIONS, N_SIZES
    from sim.game.transition_game import Terms

    model = RetaliationModel(sim.load(path))
    found: list[Any] = []
    decided = model.recorder.decided

    def keep(d: Any) -> None:
        if not found and d.evaluation.utilities is not None:
            found.append(d)
        decided(d)

    model.recorder.decided = keep  # type: ignore[method-assign]
    while model.running and not found:
        model.step()
    if not found:
        raise SystemExit(f"{path}: no decision weighed by the exchange game")
    d = found[0]
    e, a = d.evaluation, d.evaluation.assessment
    actor, counterpart = model.pairs[d.pair]
    date = model.spec.start + dt.timedelta(days=d.day)
    prospect = model.prospect(actor, counterpart, date)
    if prospect is None:
        raise SystemExit(f"{path}: no reset in prospect at the first decision")
    beh = model.world.beh[actor]
    p, spoil = float(a.p_reset[0]), float(a.spoil[0])
    util = e.utilities[0, :N_SIZES]
    names = [ACTIONS[k] for k in range(N_SIZES) if np.isfinite(util[k])]
    gains = [float(u) + p * spoil for u in util if np.isfinite(u)]
    cost = float(e.cost_of_reply[0])
    terms = Terms(1.0, 1.0, cost, float(beh["reset_value"][0]), float(beh["spoil_share"][0]),
                  1.0 - float(beh["discount_rate"][0]), (prospect.window_end - date).days,
                  float(beh["late_loss"][0]), float(a.audience[0]), 0.0)
    return date, actor, counterpart, names, gains, terms, p, cost, (prospect.start - date).days


def menu_figures(grid: int = 2001) -> None:
    """The many-day problem over the full menu at the 2016 scenario's first decision,
    with section 13's news: the optimum's and the daily rule's wait thresholds on day 0
    and day 200, and the daily rule's loss (largest, and at the decision's belief);
    the same for one size, N = R - C."""
    from sim.game.waiting import (
        Information,
        evaluate_daily_rule,
        evaluate_menu_daily_rule,
        solve_menu_waiting,
        solve_waiting,
    )

    date, actor, counterpart, names, gains, terms, p, cost, office = first_menu(
        ROOT / "scenarios" / "2016.yaml")
    news = Information(hazard=0.003, signal_rate=0.02, good_if_reset=0.7, good_if_not=0.4,
                       office_day=office)
    print(f"the many-day problem over the menu: {actor} on {date} about {counterpart}, "
          f"p = {p:.3f}, grid of {grid} beliefs")
    print("  G_k = util_k + p S: " + ", ".join(
        f"{n} {g:.3f}" for n, g in zip(names, gains, strict=True)))
    print(f"  V = {terms.reset_value:g}, Delta = {terms.spoil_share:g}, "
          f"delta = {terms.daily_discount:g}, T = {terms.days_to_resolution}, "
          f"rho = {terms.late_loss:g}, A(1-j) = {terms.threat_cost:.3f}; news: hazard "
          f"{news.hazard} from day {news.office_day}, signals on {news.signal_rate:.0%} "
          f"of days, {news.good_if_reset} against {news.good_if_not}")
    cases = [(f"full menu, G* = {max(gains):.3f}",
              solve_menu_waiting(terms, news, gains, grid=grid),
              evaluate_menu_daily_rule(terms, news, gains, grid=grid)),
             (f"one size, N = R - C = {1.0 - cost:.3f}",
              solve_waiting(terms, news, grid), evaluate_daily_rule(terms, news, grid))]
    at = round(p * (grid - 1))
    for label, dp, rule in cases:
        loss = dp.value0 - rule.value0
        worst = int(loss.argmax())
        print(f"  {label}:")
        print(f"    waits from p = {dp.threshold(0):.4f} on day 0 (daily rule "
              f"{rule.threshold(0):.4f}), {dp.threshold(200):.4f} on day 200 "
              f"({rule.threshold(200):.4f})")
        print(f"    daily rule's loss: at most {loss[worst]:.4f} R (at p = "
              f"{dp.grid[worst]:.4f}), {loss[at]:.4f} R at p = {dp.grid[at]:.3f}")


def row(label: str, seconds: float, base: float, unit: str = "ms") -> str:
    scale = {"ms": 1e3, "us": 1e6, "s": 1.0}[unit]
    return f"  {label:52s} {seconds * scale:10.1f} {unit:2s}  x{seconds / base:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="smaller grids and tournament (a smoke run)")
    parser.add_argument("--figures", action="store_true",
                        help="print the menu's figures of docs/model.md section 13 only")
    args = parser.parse_args()
    if args.figures:
        menu_figures()
        return

    import numpy as np

    import sim
    from sim.analysis.decision_map import compute
    from sim.engine.mesa import RetaliationModel
    from sim.experiments.tournament import ENTRANTS, generate_episodes, play, seated
    from sim.game import beliefs
    from sim.game.decision import assess
    from sim.game.transition_game import Terms, solve_game, threshold
    from sim.game.waiting import Information, daily_rule, solve_menu_waiting, solve_waiting

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
    menu_gains = first_menu(ROOT / "scenarios" / "2016.yaml")[4]
    print(f"the many-day policy, window of {terms.days_to_resolution} days:")
    for grid in grids:
        base = timed(lambda g=grid: daily_rule(terms, g), args.repeat)
        dp = timed(lambda g=grid: solve_waiting(terms, news, g), args.repeat)
        menu = timed(lambda g=grid: solve_menu_waiting(terms, news, menu_gains, grid=g),
                     args.repeat)
        print(row(f"daily rule on {grid} beliefs x 387 days (baseline)", base, base))
        print(row(f"value iteration on {grid} beliefs x 387 days", dp, base))
        print(row(f"  the same over a menu of {len(menu_gains)} answers", menu, base))

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
    menu_figures()
    del np


if __name__ == "__main__":
    main()
