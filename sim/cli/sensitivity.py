"""`python -m sim sensitivity SCENARIO`: which behaviour parameters move the outcome.

One at a time by default: each parameter of sim/game/params.py at the ends of its
documented range (a tornado chart) and its local elasticity at the scenario's value.
--sobol N adds variance-based Sobol indices (SALib), at N x (parameters + 2) points.
--flip instead searches, by bisection, how far each behaviour parameter and each
judgement input of the scenario can move alone before any first response changes
(`sim.experiments.flips`): flips.csv and flips.png.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.cli.options import (
    add_execution_arguments,
    default_out,
    destination_ok,
    execution,
    positive_int,
    where_line,
)
from sim.cli.run import add_set_argument
from sim.experiments import sensitivity as sens
from sim.io.folders import OutputError
from sim.scenario import LoadedScenario, ScenarioError, load

EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, help="scenario file (YAML)")
    parser.add_argument("--outcome", choices=sorted(sens.OUTCOMES), default="delay",
                        help="the outcome to rank by and chart (all are in the table): "
                             + "; ".join(f"{k}: {v}" for k, v in sens.OUTCOMES.items()))
    parser.add_argument("--params", default=None, metavar="NAME,NAME",
                        help="only these behaviour parameters (default: all)")
    parser.add_argument("--runs", type=positive_int, default=10, metavar="N",
                        help="seeded replicates at each point, the same seeds everywhere "
                             "(default 10)")
    parser.add_argument("--step", type=float, default=sens.STEP,
                        help="relative step of the elasticities (default 0.1: ±10%%)")
    parser.add_argument("--sobol", type=positive_int, default=None, metavar="N",
                        help="also Sobol indices from N base samples (a power of 2; costs "
                             "N x (parameters + 2) points x --runs; needs SALib)")
    flip = parser.add_argument_group("the flip search (--flip)")
    flip.add_argument("--flip", action="store_true",
                      help="find, for every behaviour parameter and judgement input (priors, "
                           "freedom, likelihoods, uncertainty), the nearest relative change "
                           "below and above the default at which any first response changes "
                           "(category, day or size); writes flips.csv and flips.png")
    flip.add_argument("--range", type=float, default=None, metavar="R",
                      help="the band the story should survive, as a relative change "
                           "(default 0.2: ±20%%); inputs that flip within it are listed")
    flip.add_argument("--tolerance", type=float, default=None, metavar="T",
                      help="bisect each flip to within this relative change (default 0.005)")
    flip.add_argument("--limit", type=float, default=None, metavar="M",
                      help="search each side out to this relative change, or the end of the "
                           "input's valid range (default 1.0: ±100%%)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed the replicates' seeds derive from (default: the scenario's)")
    add_set_argument(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<scenario name>_sensitivity/, "
                             "with --flip results/<scenario name>_flips/)")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder holding another scenario's results")
    parser.add_argument("--quiet", action="store_true", help="print only where results went")
    parser.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    add_execution_arguments(parser)


def main(args: argparse.Namespace) -> int:
    from sim.reports.study_files import write_sensitivity

    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    if args.flip:
        return flip_main(args, loaded, started)
    for option in ("range", "tolerance", "limit"):
        if getattr(args, option) is not None:
            raise ScenarioError(f"--{option} belongs to the flip search: add --flip",
                                file=str(args.scenario))
    names = [n.strip() for n in args.params.split(",") if n.strip()] if args.params else None
    params = sens.parameters(loaded, names)
    if not 0 < args.step < 1:
        raise ScenarioError(f"--step {args.step}: must lie between 0 and 1",
                            file=str(args.scenario))
    if args.sobol is not None and not sens.sobol_available():
        raise ScenarioError("--sobol needs SALib: pip install 'retaliation-sim[sensitivity]'",
                            file=str(args.scenario))
    out = args.out if args.out is not None else default_out(loaded, "_sensitivity")
    if args.seed is not None:
        from sim.cli.run import check_cli_seed

        check_cli_seed(args.seed, args.scenario)
    if not destination_ok(out, loaded.name, args.force):
        return EXIT_BAD_INPUT
    kept = sens.state_overrides(loaded, params)
    common = {"runs": args.runs, "seed": args.seed, "names": [p.name for p in params],
              "chunk_size": args.chunk_size, "progress": not args.quiet, **execution(args)}
    if not args.quiet:
        print(f"{loaded.spec.title}\none at a time: {len(params)} parameters, up to "
              f"{1 + 4 * len(params)} points x {args.runs} runs")
    oat = sens.one_at_a_time(loaded, step=args.step, **common)
    sobol = None
    if args.sobol is not None:
        if not args.quiet:
            print(f"Sobol: {args.sobol} samples x {len(params) + 2} = "
                  f"{args.sobol * (len(params) + 2):,} points x {args.runs} runs")
        sobol = sens.sobol(loaded, samples=args.sobol, **common)
    settings = {"outcome": args.outcome, "runs": args.runs, "step": args.step,
                "sobol_samples": args.sobol, "parameters": [p.name for p in params],
                "seed": args.seed if args.seed is not None else loaded.spec.seed,
                "runner": args.runner, "not_varied_for": kept}
    try:
        write_sensitivity(oat, sobol, loaded, out, outcome=args.outcome, settings=settings,
                          charts=not args.no_charts, force=args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print()
        print(ranking_text(oat, sobol, args.outcome))
        if kept:
            print(f"\nnot varied where a state sets its own value: {', '.join(kept)}")
        print()
    print(where_line(out, loaded, args.out is not None, time.perf_counter() - started))
    return 0


def ranking_text(oat: pd.DataFrame, sobol: pd.DataFrame | None, outcome: str) -> str:
    """The parameters, largest effect first, as printed."""
    rows = sens.ranking(oat, outcome)
    shown = rows[["parameter", "x_base", "x_low", "x_high", "y_low", "y_base", "y_high",
                  "elasticity"]].copy()
    if sobol is not None:
        s = sobol[sobol["outcome"] == outcome].set_index("parameter")
        shown["sobol_S1"] = shown["parameter"].map(s["S1"])
        shown["sobol_ST"] = shown["parameter"].map(s["ST"])
    title = f"{sens.OUTCOMES[outcome]} ({outcome}), largest swing over the range first:"
    return title + "\n" + shown.to_string(index=False, float_format=lambda v: f"{v:.3g}",
                                          na_rep="-")


def flip_main(args: argparse.Namespace, loaded: LoadedScenario, started: float) -> int:
    """`sensitivity --flip`: the flip search, flips.csv and flips.png, the printed table."""
    from sim.experiments import flips
    from sim.reports.study_files import write_flips

    where = str(args.scenario)
    if args.sobol is not None:
        raise ScenarioError("--sobol and --flip are two studies: run them one at a time",
                            file=where)
    band = flips.BAND if args.range is None else args.range
    limit = flips.LIMIT if args.limit is None else args.limit
    tolerance = flips.TOLERANCE if args.tolerance is None else args.tolerance
    for option, value in (("--range", band), ("--limit", limit), ("--tolerance", tolerance)):
        if not math.isfinite(value) or value <= 0:
            raise ScenarioError(f"{option} {value}: must be a number above 0", file=where)
    if limit < band:
        raise ScenarioError(f"--limit {limit}: must be at least --range {band}", file=where)
    if args.seed is not None:
        from sim.cli.run import check_cli_seed

        check_cli_seed(args.seed, args.scenario)
    names = [n.strip() for n in args.params.split(",") if n.strip()] if args.params else None
    chosen = flips.inputs(loaded, names)
    out = args.out if args.out is not None else default_out(loaded, "_flips")
    if not destination_ok(out, loaded.name, args.force):
        return EXIT_BAD_INPUT
    if not args.quiet:
        print(f"{loaded.spec.title}\nflip search: {len(chosen)} inputs, each side out to "
              f"±{limit:.0%} (or its valid range), bisected to {tolerance:g}")
    result = flips.search(loaded, band=band, limit=limit, tolerance=tolerance, names=names,
                          seed=args.seed, progress=not args.quiet)
    try:
        write_flips(result, loaded, out, charts=not args.no_charts, force=args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        print()
        print(flips_text(result, band))
        print()
    print(where_line(out, loaded, args.out is not None, time.perf_counter() - started))
    return 0


def flips_text(result: Any, band: float) -> str:
    """The flips table as printed: nearest flip first, then the inputs within ±band."""
    d = result.details().sort_values("distance", kind="stable", na_position="last")

    def pct(v: Any) -> str:
        return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:+.1%}"

    lines = [f"{'parameter':52s} {'default':>9s} {'lower':>8s} {'upper':>8s}  searched"]
    for _, r in d.iterrows():
        lines.append(f"{r['parameter']:52s} {r['default']:9.4g} {pct(r['lower']):>8s} "
                     f"{pct(r['upper']):>8s}  [{r['searched_below']:+.0%}, "
                     f"{r['searched_above']:+.0%}]")
    head = (f"distance to the nearest change of any first response ({result.evaluations} "
            f"runs in {result.batches} batches, {result.seconds:.1f} s); '-': none within "
            "the searched range")
    inside = result.within(band)
    if len(inside):
        tail = [f"\nflip within ±{band:.0%} ({len(inside)}):"]
        for _, r in inside.iterrows():
            for side in ("below", "above"):
                v = r["lower" if side == "below" else "upper"]
                if v is not None and not math.isnan(v) and abs(v) <= band + 1e-12:
                    tail.append(f"  {r['parameter']} {v:+.1%} ({r['what']}): "
                                f"{r['change_' + side]}")
    else:
        tail = [f"\nno input flips within ±{band:.0%}: every first response holds"]
    return "\n".join([head, *lines, *tail])
