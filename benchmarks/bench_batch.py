"""The batch engine against the Mesa model, a bare numpy loop, and at scale.

Run: `.venv/bin/python benchmarks/bench_batch.py [--quick]`. Prints, measured in this
process (memory in fresh subprocesses):

1. a 10,000-run ensemble of 2016 (perception noise 0.1, so runs differ): the batch engine
   against a plain loop of the Mesa model on the same seeds, timed on a sample and scaled;
   target: the batch engine at least 50 times faster;
2. the batch engine against a bare numpy loop doing the 2016 arithmetic (beliefs, the
   decision, the first answer) with no bookkeeping; target: within 3 times of it;
3. the decision threshold and choice over 10^6 parameter points; target: under 2 seconds;
4. a synthetic world of 193 states over 365 days with a few hundred expulsions: time and
   peak memory of one Mesa run and of 1,000 batch runs (no noise, as the Mesa run);
5. how the batch time grows with runs, days and states.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

NOISY = {"behaviour.perception_noise": 0.1}


def clock(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bare_2016(loaded, runs: int, seed: int = 0) -> np.ndarray:
    """The 2016 arithmetic of the batch engine with none of its bookkeeping.

    Each day, for Russia's grievance: the beliefs (signals, read or misread, and the
    no-reset evidence), the wave check, Russia's measure by the ladder, the US reply to it
    by the ladder (q), and the decision by `assess`, on arrays over runs, with the same
    sim.game functions. No plan, ledgers, missions that change, effect queue, per-run
    generators (one generator draws all the noise) or record of measures. Returns the day
    each run first retaliates (-1: never).
    """
    from sim.game import beliefs, payoffs
    from sim.game.decision import Choice, assess
    from sim.rules import timing
    from sim.rules.sizing import ladder_counts

    spec = loaded.spec
    b = spec.behaviour_of("RUS")
    adm = spec.states["USA"].administrations["trump"]
    rng = np.random.default_rng(seed)
    belief = np.repeat(beliefs.prior(adm.prior.accommodating, adm.freedom)[None], runs, 0)
    cost = payoffs.reply_cost(b.reply_cost, 0.037, 0.133, b.power_elasticity, 0.04,
                              b.dependence_weight)
    signals = {ev.date: ev.likelihood for ev in spec.events if hasattr(ev, "likelihood")}
    window_end = adm.start + dt.timedelta(days=b.honeymoon_days)
    first = np.full(runs, -1)
    grievance_from = dt.date(2016, 12, 29)
    owed = np.full(runs, 35)
    offences = np.ones(runs, dtype=np.int64)
    staff_us, staff_ru = np.full(runs, 1210), np.full(runs, 455)
    sites_us, sites_ru = np.full(runs, 6), np.full(runs, 7)
    for day in range((spec.end - spec.start).days + 1):
        today = spec.start + dt.timedelta(days=day)
        if today == dt.date(2017, 7, 27):
            offences = offences + 1
        if today > grievance_from:
            held = timing.hold_for_wave_counts(
                np.full((runs, 1), (today - grievance_from).days), initiators=3,
                window_days=7, quiet_days=3, war_quiet_days=10, at_war=False)
            persons, facilities, parity = ladder_counts(
                owed, np.full(runs, 2), offences, np.zeros(runs, dtype=bool),
                staff_us, staff_ru, sites_us, sites_ru)
            reply_p, reply_f, _ = ladder_counts(
                persons, facilities, np.ones(runs), parity, staff_ru, staff_us - persons,
                sites_ru, sites_us - facilities)
            q = np.where((reply_p > 0) | (reply_f > 0), 1.0, 0.0)
            verdict = assess(p_reset=belief[:, 0], reciprocity_value=1.0, reply_probability=q,
                             cost_of_reply=cost, reset_value=b.reset_value,
                             spoil_share=b.spoil_share, daily_discount=1.0 - b.discount_rate,
                             days_to_resolution=(window_end - today).days,
                             late_loss=b.late_loss, threat_cost=0.0, excuse_share=0.5)
            hit = (verdict.choice == Choice.RETALIATE) & (first < 0) & ~held
            first[hit] = day
        if today in signals:
            lk = signals[today]
            if not lk:  # a binding law: no likelihood, the free hypotheses are ruled out
                belief = beliefs.bind(belief)
            else:
                vec = (beliefs.type_likelihood(lk["accommodating"], lk["hawkish"])
                       if "accommodating" in lk else
                       beliefs.freedom_likelihood(lk["free"], lk["bound"]))
                flip = rng.random(runs) < b.perception_noise
                belief = beliefs.update(belief,
                                        np.where(flip[:, None], beliefs.misread(vec), vec))
        if today >= adm.start:
            belief = beliefs.update(belief, beliefs.no_reset_likelihood(b.reset_hazard))
    return first


def in_subprocess(code: str) -> dict:
    """Run `code` (which prints one JSON line) in a fresh interpreter; add its peak RSS."""
    wrapped = (code + "\nimport resource, json as _j\n"
               "print(_j.dumps({'peak_mb': resource.getrusage(resource.RUSAGE_SELF)"
               ".ru_maxrss / 1024}))\n")
    out = subprocess.run([sys.executable, "-c", wrapped], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.strip().splitlines()
    result = json.loads(out[-2])
    result.update(json.loads(out[-1]))
    return result


WORLD_MESA = """
import sys, time, json
sys.path.insert(0, 'benchmarks')
import synthetic, sim
from sim.engine.mesa import RetaliationModel
loaded = sim.load(synthetic.world({states}, {days}, {expulsions}))
t = time.perf_counter(); m = RetaliationModel(loaded).run(); t = time.perf_counter() - t
print(json.dumps({{'seconds': t, 'pairs': len(m.pairs),
                   'measures': len(m.datacollector.tables['actions']['date'])}}))
"""
WORLD_BATCH = """
import sys, time, json
sys.path.insert(0, 'benchmarks')
import synthetic, sim
from sim.engine.batch import BatchEngine
from sim.analysis.outcomes import derive_seeds
loaded = sim.load(synthetic.world({states}, {days}, {expulsions}), {overrides})
t = time.perf_counter(); frame = BatchEngine(loaded, derive_seeds(0, {runs})).run()
t = time.perf_counter() - t
print(json.dumps({{'seconds': t, 'measures': len(frame)}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller samples")
    args = parser.parse_args()

    import sim
    from sim.analysis.outcomes import derive_seeds
    from sim.engine.batch import BatchEngine
    from sim.game.decision import assess

    loaded = sim.load(ROOT / "scenarios" / "2016.yaml", NOISY)
    runs = 2_000 if args.quick else 10_000
    seeds = derive_seeds(loaded.spec.seed, runs)
    sample = 20 if args.quick else 50

    print(f"1. ensemble of 2016, {runs:,} runs (perception noise 0.1)")
    t_batch = clock(lambda: BatchEngine(loaded, seeds).run())
    t_mesa_sample = clock(lambda: [sim.run(loaded, seed=s) for s in seeds[:sample]])
    t_mesa = t_mesa_sample / sample * runs
    print(f"   batch engine                {t_batch:8.2f} s")
    print(f"   Mesa loop ({sample} runs, scaled) {t_mesa:8.1f} s")
    print(f"   batch is {t_mesa / t_batch:,.0f} times faster (target >= 50)")

    print(f"\n2. batch engine against a bare numpy loop, {runs:,} runs of 2016")
    t_bare = clock(lambda: bare_2016(loaded, runs))
    print(f"   bare numpy loop             {t_bare:8.2f} s")
    print(f"   batch engine                {t_batch:8.2f} s   x{t_batch / t_bare:.1f} "
          f"of the bare loop (target <= 3)")

    print(f"\n1b. a sweep of {runs:,} points x 1 run against {runs:,} seeds of one point")
    side = round(runs ** 0.5)
    grid = {"behaviour.reset_value": [round(1 + 9 * k / (side - 1), 6) for k in range(side)],
            "behaviour.reply_cost": [round(0.1 + 0.8 * k / (side - 1), 6)
                                     for k in range(side)]}
    t_seeds = clock(lambda: sim.run_many(loaded, side * side, workers=1))
    t_points = clock(lambda: sim.sweep(loaded, grid, runs=1, workers=1))
    print(f"   {side * side:,} seeds of one point (sim.run_many)  {t_seeds:8.2f} s")
    print(f"   {side}x{side} points x 1 run (sim.sweep)   {t_points:8.2f} s   "
          f"x{t_points / t_seeds:.2f} of the seeds (target <= 3)")

    print("\n3. decision threshold over 10^6 parameter points")
    rng = np.random.default_rng(0)
    n = 1_000_000
    points = {k: rng.uniform(lo, hi, n) for k, lo, hi in (
        ("p_reset", 0, 1), ("cost_of_reply", 0, 2), ("reset_value", 0, 20),
        ("spoil_share", 0, 1), ("discount_rate", 0.0, 0.01), ("late_loss", 0, 0.3),
        ("threat_cost", 0, 1))}
    days = rng.integers(0, 730, n)
    t_sweep = clock(lambda: assess(reciprocity_value=1.0, reply_probability=1.0,
                                   days_to_resolution=days, excuse_share=0.5, **points))
    print(f"   assess (utilities, p*, choice) {t_sweep:6.3f} s (target < 2)")

    print("\n4. synthetic world: 193 states, 365 days, 300 expulsions")
    mesa = in_subprocess(WORLD_MESA.format(states=193, days=365, expulsions=300))
    print(f"   one Mesa run                {mesa['seconds']:8.2f} s   "
          f"peak {mesa['peak_mb']:6.0f} MB   ({mesa['pairs']} pairs in play, "
          f"{mesa['measures']} measures)")
    batch_runs = 200 if args.quick else 1000
    batch = in_subprocess(WORLD_BATCH.format(states=193, days=365, expulsions=300,
                                             runs=batch_runs, overrides={}))
    print(f"   {batch_runs:,} batch runs            {batch['seconds']:8.2f} s   "
          f"peak {batch['peak_mb']:6.0f} MB   ({batch['measures']:,} measures)")

    print("\n5. batch time against runs, days and states (synthetic world)")
    import synthetic

    def world_time(states: int, days: int, n_runs: int) -> float:
        w = sim.load(synthetic.world(states, days, max(10, states * days // 240)), NOISY)
        return clock(lambda: BatchEngine(w, derive_seeds(0, n_runs)).run())

    base = world_time(50, 180, 100)
    print(f"   {'runs':>6} {'days':>5} {'states':>6} {'seconds':>8} {'x base':>7}")
    grid = ([(r, 180, 50) for r in (10, 100, 1000, 10_000)]
            + [(100, d, 50) for d in (90, 365, 730)]
            + [(100, 180, s) for s in (10, 100, 193)])
    for n_runs, n_days, n_states in grid:
        if args.quick and n_runs > 1000:
            continue
        t = world_time(n_states, n_days, n_runs)
        print(f"   {n_runs:6d} {n_days:5d} {n_states:6d} {t:8.2f} {t / base:7.1f}")


if __name__ == "__main__":
    main()
