"""`python -m sim tournament`: a round robin of the retaliation policies over generated
episodes; prints the ranking and writes tables and a chart (docs/model.md section 14)."""

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
    parser.add_argument("--out", type=Path, default=Path("results") / "tournament",
                        help="results folder (default results/tournament/)")
    parser.add_argument("--no-charts", action="store_true", help="skip tournament.png")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds something other than a tournament")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar; print only where the results went")


def _entrants(text: str | None) -> dict[str, dict[str, float]] | str:
    from sim.experiments.tournament import ENTRANTS

    if text is None:
        return dict(ENTRANTS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENTRANTS]
    if unknown or len(names) < 2 or len(set(names)) != len(names):
        return (f"--policies: give two or more distinct names from {', '.join(ENTRANTS)}"
                + (f"; unknown: {', '.join(unknown)}" if unknown else ""))
    return {n: ENTRANTS[n] for n in names}


def _fmt(x: float | None) -> str:
    return "n/a" if x is None or x != x else f"{x:+.2f}"


def ranking_lines(ranking: Any) -> list[str]:
    out = [f"{'rank':>4}  {'policy':14s} {'mean':>6}  {'95% interval':15s} "
           f"{'target':>7} {'initiator':>9}  beliefs stochastic escalates"]
    for _, r in ranking.iterrows():
        flags = "  ".join(f"{'yes' if r[f] else 'no':>{w}}" for f, w in (
            ("uses_beliefs", 7), ("stochastic", 10), ("escalates", 9)))
        out.append(f"{int(r['rank']):>4}  {r['policy']:14s} {_fmt(r['mean']):>6}  "
                   f"[{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]  {_fmt(r['as_target']):>7} "
                   f"{_fmt(r['as_initiator']):>9}  {flags}")
    return out


def condition_lines(conditions: Any) -> list[str]:
    cols = list(conditions.columns)
    head = f"{'policy':14s} " + " ".join(f"{c:>16s}" for c in cols)
    rows = [f"{p:14s} " + " ".join(f"{_fmt(v):>16s}" for v in conditions.loc[p])
            for p in conditions.index]
    return [head, *rows]


def main(args: argparse.Namespace) -> int:
    entrants = _entrants(args.policies)
    if isinstance(entrants, str):
        print(f"error: {entrants}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.episodes < 1 or args.seed < 0 or args.jobs < 1:
        print("error: --episodes and --jobs must be at least 1, --seed zero or more",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    from sim.cli.options import destination_ok

    if not destination_ok(args.out, KIND, args.force):
        return EXIT_BAD_INPUT

    from tqdm import tqdm

    from sim.experiments.tournament import (
        ENTRANTS,
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
    elapsed = time.perf_counter() - started
    subtitle = (f"{len(entrants)} policies, {args.episodes} episodes (seed {args.seed}), "
                f"{n_runs} runs of the model")
    files = {"ranking.csv": summary.ranking, "pairwise.csv": summary.pairwise,
             "conditions.csv": summary.conditions, "runs.csv": runs,
             "episodes.csv": episodes_frame(episodes)}
    with atomic_folder(args.out, name=KIND, force=args.force) as tmp:
        for name, frame in files.items():
            frame.to_csv(tmp / name, index=name in ("pairwise.csv", "conditions.csv"),
                         float_format=FLOAT_FORMAT, lineterminator="\n")
        outputs = list(files)
        if not args.no_charts:
            from sim.viz.game_charts import tournament_png

            (tmp / "tournament.png").write_bytes(
                tournament_png(summary.ranking, summary.pairwise, subtitle))
            outputs.append("tournament.png")
        meta = {"kind": KIND, "seed": args.seed, "episodes": args.episodes,
                "policies": {n: ENTRANTS[n] for n in entrants}, "runs": n_runs,
                "versions": versions(), "outputs": sorted([*outputs, "summary.json"]),
                "ranking": json.loads(summary.ranking.to_json(orient="records"))}
        (tmp / "summary.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    if not args.quiet:
        print(f"Tournament: {subtitle}, in {elapsed:.1f} s")
        print("payoff per episode in units of R (mean over opponents and both seats); "
              "interval: bootstrap over episodes")
        print()
        print("\n".join(ranking_lines(summary.ranking)))
        print()
        print("mean payoff by condition:")
        print("\n".join(condition_lines(summary.conditions)))
        print()
    print(f"wrote {args.out}/")
    return 0
