"""`python -m sim calibrate`: fit default behaviour parameters to the episode library."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim.cli.validate import DEFAULT_PATHS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path,
                        help="scenario files or folders (default: scenarios/ with history)")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=V1,V2,...",
                        help="a parameter and its candidate values (repeatable); default: "
                             "deliberation_days, wave_quiet_days, war_quiet_days, "
                             "reassured_share over a small grid")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                        help="processes (default: up to 2)")
    parser.add_argument("--write", action="store_true",
                        help="write the best values, with their provenance, as the new "
                             "defaults in sim/game/behaviour_defaults.yaml")


def main(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sim.analysis.calibration import (
        DEFAULT_GRID,
        MIN_GAIN,
        evaluate,
        parse_grid,
        proposal,
        provenance,
        search,
        write_defaults,
    )
    from sim.analysis.validation import with_history
    from sim.game.params import DEFAULTS

    try:
        grid = parse_grid(args.param) if args.param else DEFAULT_GRID
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = with_history(args.paths or DEFAULT_PATHS)
    if not paths:
        print("error: no scenario with a history: block; nothing to fit", file=sys.stderr)
        return 2
    current = {k: getattr(DEFAULTS, k) for k in grid}
    before = evaluate(paths, current)
    n = 1
    for values in grid.values():
        n *= len(values)
    print(f"fitting {', '.join(grid)} over {n} combinations on {len(paths)} scenarios "
          f"({before.model.n} recorded first responses)")
    trials = search(paths, grid, workers=args.workers,
                    progress=lambda it, total: tqdm(it, total=total, unit="fit",
                                                    file=sys.stderr, leave=False))
    best = trials[0]
    chosen = proposal(before, trials)
    print(f"\nbefore:    {_values(current)}\nbest fit:  {_values(best.values)}\n")
    print(f"{'':24}{'before':>9}{'best':>9}")
    for label, key in (("category right", "category"), ("size within 10%", "size"),
                       ("delay within 3 days", "delay")):
        print(f"{label:24}{getattr(before.model, key):9.0%}{getattr(best.model, key):9.0%}")
    print(f"{'mean of the three':24}{before.score:9.3f}{best.score:9.3f}")
    print("\nrunners-up:")
    for t in trials[1:4]:
        print(f"  {t.score:.3f}  {_values(t.values)}")
    if chosen is None:
        print(f"\nno combination improves the mean of the three shares by {MIN_GAIN} or "
              f"more ({best.score:.3f} against {before.score:.3f}): nothing to propose; "
              "defaults unchanged" + (", nothing written" if args.write else ""))
    elif args.write:
        path = write_defaults(chosen.values, provenance(paths, grid, chosen, before))
        print(f"\nwrote the new defaults, with their provenance, into {path} "
              f"(gain {chosen.score - before.score:+.3f})")
    else:
        print(f"\nproposed: {_values(chosen.values)} (gain {chosen.score - before.score:+.3f}); "
              "defaults unchanged (pass --write to write them into "
              "sim/game/behaviour_defaults.yaml)")
    return 0


def _values(values: dict[str, float | int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())
