"""`python -m sim tournament`: a round robin of the retaliation policies over generated
episodes, scored by realised payoffs; prints the ranking (bootstrap intervals, a paired
test between neighbours, the classifier) and the ecological run's end shares, and writes
tables and charts (docs/model.md section 14)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2
KIND = "tournament"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--episodes", type=int, default=24,
                        help="episodes to generate (default 24: three of each of the eight "
                             "combinations of transition, asymmetry and noise)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the episodes (default 1)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="worker processes (default: 2, or 1 on a one-core machine)")
    parser.add_argument("--policies", default=None,
                        help="comma-separated subset of the policies (default: all eight)")
    parser.add_argument("--exclude-inspecting", action="store_true",
                        help="leave out the policies that read the opponent's policy "
                             "(classifier inspects_opponent: best_response)")
    parser.add_argument("--generations", type=int, default=200,
                        help="generations of the ecological run (default 200)")
    parser.add_argument("--out", type=Path, default=Path("results") / "tournament",
                        help="results folder (default results/tournament/)")
    parser.add_argument("--no-charts", action="store_true",
                        help="skip tournament.png and ecology.png")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds something other than a tournament")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar; print only where the results went")


def _entrants(text: str | None, exclude_inspecting: bool = False
              ) -> dict[str, dict[str, float]] | str:
    from sim.experiments.tournament import ENTRANTS, inspects_opponent

    if text is None:
        names = list(ENTRANTS)
    else:
        names = [n.strip() for n in text.split(",") if n.strip()]
        unknown = [n for n in names if n not in ENTRANTS]
        if unknown or len(names) < 2 or len(set(names)) != len(names):
            return (f"--policies: give two or more distinct names from {', '.join(ENTRANTS)}"
                    + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
    if exclude_inspecting:
        names = [n for n in names if not inspects_opponent(n)]
        if len(names) < 2:
            return "--exclude-inspecting leaves fewer than two policies to play"
    return {n: ENTRANTS[n] for n in names}


def _fmt(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:+.2f}"


def _flag(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "inf" if value == float("inf") else f"{value:g}"


CLASSIFIER_HEADS = (("uses_beliefs", "beliefs"), ("stochastic", "stochastic"),
                    ("escalates", "escalates"), ("memory_depth", "memory"),
                    ("inspects_opponent", "inspects"), ("retaliates", "retaliates"))


def ranking_lines(ranking: Any) -> list[str]:
    """The ranking: mean and its interval, the rank's interval, by seat, the classifier."""
    heads = " ".join(f"{h:>{max(len(h), 3)}}" for _, h in CLASSIFIER_HEADS)
    out = [f"{'rank':>4}  {'policy':14s} {'mean':>6}  {'95% interval':15s} {'ranks':>5} "
           f"{'target':>7} {'initiator':>9}  {heads}"]
    for _, r in ranking.iterrows():
        flags = " ".join(f"{_flag(r[k]):>{max(len(h), 3)}}" for k, h in CLASSIFIER_HEADS)
        ranks = f"{int(r['rank_low'])}-{int(r['rank_high'])}"
        out.append(f"{int(r['rank']):>4}  {r['policy']:14s} {_fmt(r['mean']):>6}  "
                   f"[{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}] {ranks:>5} "
                   f"{_fmt(r['as_target']):>7} {_fmt(r['as_initiator']):>9}  {flags}")
    return out


def neighbour_lines(ranking: Any) -> list[str]:
    """Each policy against the next one down: mean difference, interval, p-values."""
    rows = ranking.reset_index(drop=True)
    out = [f"{'':31s} {'difference':>10}  {'95% interval':15s} {'p':>7} {'Holm p':>7} "
           f"{'Wilcoxon p':>10}"]
    for i in range(len(rows) - 1):
        a, b = rows.loc[i], rows.loc[i + 1]
        out.append(f"{a['policy']:>14s} - {b['policy']:14s} {_fmt(a['vs_next_diff']):>10}  "
                   f"[{_fmt(a['vs_next_low'])}, {_fmt(a['vs_next_high'])}] "
                   f"{a['vs_next_p']:7.3f} {a['vs_next_p_holm']:7.3f} "
                   f"{a['vs_next_p_wilcoxon']:10.3f}")
    return out


def ecology_line(shares: Any) -> str:
    last = shares.drop(columns="generation").iloc[-1].sort_values(ascending=False)
    return ", ".join(f"{p} {v:.3f}" for p, v in last.items())


def condition_lines(conditions: Any) -> list[str]:
    cols = list(conditions.columns)
    head = f"{'policy':14s} " + " ".join(f"{c:>16s}" for c in cols)
    rows = [f"{p:14s} " + " ".join(f"{_fmt(v):>16s}" for v in conditions.loc[p])
            for p in conditions.index]
    return [head, *rows]


def main(args: argparse.Namespace) -> int:
    entrants = _entrants(args.policies, args.exclude_inspecting)
    if isinstance(entrants, str):
        print(f"error: {entrants}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.episodes < 1 or args.seed < 0 or args.jobs < 1 or args.generations < 1:
        print("error: --episodes, --jobs and --generations must be at least 1, --seed zero "
              "or more", file=sys.stderr)
        return EXIT_BAD_INPUT
    from sim.cli.options import destination_ok

    if not destination_ok(args.out, KIND, args.force):
        return EXIT_BAD_INPUT

    from tqdm import tqdm

    from sim.experiments.tournament import (
        ENTRANTS,
        ecology,
        episodes_frame,
        generate_episodes,
        play,
        summarise,
    )
    from sim.io.folders import FLOAT_FORMAT, atomic_folder
    from sim.reports.run_files import versions

    started = time.perf_counter()
    episodes = generate_episodes(args.episodes, args.seed)
    n_runs = args.episodes * len(entrants) ** 2

    def progress(items: Any, total: int) -> Any:
        return tqdm(items, total=total, desc=f"tournament ({n_runs} runs)", unit="episode",
                    disable=args.quiet, file=sys.stderr)

    runs = play(episodes, entrants, jobs=min(args.jobs, args.episodes), progress=progress)
    summary = summarise(runs, args.seed)
    shares = ecology(summary.pairwise, args.generations)
    elapsed = time.perf_counter() - started
    asked = _entrants(args.policies)  # what was asked for, before any exclusion
    excluded = [n for n in asked if n not in entrants]
    subtitle = (f"{len(entrants)} policies, {args.episodes} episodes (seed {args.seed}), "
                f"{n_runs} runs of the model, realised payoffs"
                + (f"; excluded (read the opponent): {', '.join(excluded)}" if excluded else ""))
    files = {"ranking.csv": summary.ranking, "pairwise.csv": summary.pairwise,
             "conditions.csv": summary.conditions, "runs.csv": runs,
             "episodes.csv": episodes_frame(episodes, runs), "ecology.csv": shares}
    with atomic_folder(args.out, name=KIND, force=args.force) as tmp:
        for name, frame in files.items():
            frame.to_csv(tmp / name, index=name in ("pairwise.csv", "conditions.csv"),
                         float_format=FLOAT_FORMAT, lineterminator="\n")
        outputs = list(files)
        if not args.no_charts:
            from sim.viz.game_charts import ecology_png, tournament_png

            (tmp / "tournament.png").write_bytes(
                tournament_png(summary.ranking, summary.pairwise, subtitle))
            (tmp / "ecology.png").write_bytes(ecology_png(shares, subtitle))
            outputs += ["tournament.png", "ecology.png"]
        meta = {"kind": KIND, "seed": args.seed, "episodes": args.episodes,
                "policies": {n: ENTRANTS[n] for n in entrants}, "runs": n_runs,
                "scoring": "realised", "exclude_inspecting": args.exclude_inspecting,
                "excluded": excluded, "neighbour_test": "sign-flip permutation test of the "
                "mean difference, paired by episode, two-sided (Holm-adjusted over neighbours); "
                "Wilcoxon signed-rank for contrast",
                "generations": args.generations,
                "ecology_end": {p: float(v) for p, v in
                                shares.drop(columns="generation").iloc[-1].items()},
                "versions": versions(), "outputs": sorted([*outputs, "summary.json"]),
                "ranking": json.loads(summary.ranking.to_json(orient="records"))}
        (tmp / "summary.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    if not args.quiet:
        print(f"Tournament: {subtitle}, in {elapsed:.1f} s")
        print("realised payoff per episode in units of R (mean over opponents and both "
              "seats); intervals of the mean and of the rank: bootstrap over episodes")
        if excluded:
            print(f"excluded (classifier inspects_opponent): {', '.join(excluded)}")
        print()
        print("\n".join(ranking_lines(summary.ranking)))
        print()
        print("each policy against the next, paired by episode (interval: paired bootstrap; "
              "p: sign-flip permutation test of the mean difference):")
        print("\n".join(neighbour_lines(summary.ranking)))
        print()
        print(f"ecology after {args.generations} generations (replicator dynamics from equal "
              f"shares): {ecology_line(shares)}")
        print()
        print("mean payoff by condition:")
        print("\n".join(condition_lines(summary.conditions)))
        print()
    print(f"wrote {args.out}/")
    return 0
