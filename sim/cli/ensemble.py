"""`python -m sim SCENARIO --runs N`: seeded replicates, their outcomes and uncertainty.

Not a command of its own: `sim.cli.run` hands over to it when --runs is given.
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

from sim.analysis import stats
from sim.cli.options import default_out, destination_ok, execution, percent, where_line
from sim.experiments.ensemble import base_seed, ensemble, identical
from sim.io.folders import OutputError
from sim.reports.study_files import write_ensemble
from sim.scenario import ScenarioError, load

EXIT_BAD_INPUT = 2


def main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    if args.runs < 1:
        raise ScenarioError("--runs must be 1 or more", file=str(args.scenario))
    if args.seed is not None:
        from sim.cli.run import check_cli_seed

        check_cli_seed(args.seed, args.scenario)
    seed = base_seed(loaded, args.seed)
    out = args.out if args.out is not None else default_out(loaded, "_ensemble")
    if not destination_ok(out, loaded.name, args.force):
        return EXIT_BAD_INPUT
    runs = ensemble(loaded, args.runs, seed=seed, chunk_size=args.chunk_size,
                    progress=not args.quiet, **execution(args))  # type: ignore[arg-type]
    try:
        write_ensemble(runs, loaded, out, seed=seed, runner=args.runner,
                       charts=not args.no_charts, force=args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        spec = loaded.spec
        print(spec.title)
        print(f"scenario {spec.name} ({loaded.origin.file}), {spec.start} to {spec.end}: "
              f"{len(runs):,} runs, seeds derived from {seed}")
        for extra in loaded.origin.overrides:
            print(f"  --set {extra}")
        print()
        for line in summary_lines(runs, stats.summarise(runs)):
            print(line)
        print()
    print(where_line(out, loaded, args.out is not None, time.perf_counter() - started))
    return 0


def summary_lines(runs: pd.DataFrame, s: dict[str, float | int]) -> list[str]:
    """What an ensemble found, in a few printed lines."""
    actor, target = (runs["actor"].iloc[0], runs["target"].iloc[0])
    same = identical(runs)
    if same:
        # One outcome repeated: a Wilson interval over "n independent runs" would claim
        # a certainty (93% to 100% at n = 50) that the runs do not hold.
        answered, waited = f"{s['p_retaliated']:.0%}", f"{s['p_waited']:.0%}"
    else:
        answered = percent(s["p_retaliated"], s["p_retaliated_lo"], s["p_retaliated_hi"])
        waited = percent(s["p_waited"], s["p_waited_lo"], s["p_waited_hi"])
    lines = [f"all {len(runs):,} runs are identical: the scenario declares no randomness "
             "(docs/model.md, \"Randomness\"), so they are one result, with no interval"
             ] if same and len(runs) > 1 else []
    lines += [
        f"{actor} answers {target} in {answered} of runs",
        f"{actor} waits at first in {waited}",
        "first answer: " + ", ".join(
            f"{c} {s.get(f'share_{c}', s['p_none'] if c == 'none' else 0):.0%}"
            for c in ("none", "smaller", "same", "larger")),
        f"staff expelled in the first answer: mean {s['persons_mean']:.1f}, "
        f"sites closed: mean {s['facilities_mean']:.2f}",
    ]
    if s["delay_median"] == s["delay_median"]:  # not NaN: some run answered
        lines.append(f"median delay of an answer: {s['delay_median']:.0f} days after the "
                     "first move")
    return lines
