"""`python -m sim sweep SCENARIO --param PATH=START:STOP:COUNT ...`: a grid of scenario
values, each point run --runs times; a tidy table, a points table and a heat map.

Chunks of rows are saved as they finish; an interrupted sweep rerun with --resume runs
only what is missing and ends with exactly the rows of an uninterrupted one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

from sim.cli.options import (
    add_execution_arguments,
    default_out,
    execution,
    positive_int,
    where_line,
)
from sim.cli.run import add_set_argument
from sim.execution.chunkstore import CHUNKS
from sim.experiments.grid import axes_from
from sim.experiments.sweep import point_table, scenario_value, sweep
from sim.io.folders import OutputError
from sim.scenario import ScenarioError, load

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
PRINT_POINTS = 40


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, help="scenario file (YAML)")
    parser.add_argument("--param", dest="params", action="append", default=[], required=True,
                        metavar="PATH=START:STOP:COUNT",
                        help="a scenario value to sweep, by dotted path as for --set: COUNT "
                             "evenly spaced values from START to STOP, or a list "
                             "PATH=V1,V2,... (repeatable; the grid is every combination)")
    parser.add_argument("--runs", type=positive_int, default=1, metavar="N",
                        help="seeded replicates at each point, the same seeds at every "
                             "point (default 1)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed the replicates' seeds derive from (default: the scenario's)")
    add_set_argument(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<scenario name>_sweep/)")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted sweep in --out: skip the chunks on disk")
    parser.add_argument("--force", action="store_true",
                        help="start again in a folder holding an unfinished sweep or "
                             "another scenario's results")
    parser.add_argument("--axes", default=None, metavar="X,Y",
                        help="the two swept paths of the heat map (default: the first two "
                             "that vary); other swept values are averaged over")
    parser.add_argument("--quiet", action="store_true", help="print only where results went")
    parser.add_argument("--no-charts", action="store_true", help="skip the PNG chart")
    add_execution_arguments(parser)


def main(args: argparse.Namespace) -> int:
    from sim.execution.chunkstore import MANIFEST
    from sim.reports.study_files import write_sweep_outputs

    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    try:
        paths = [a.path for a in axes_from(args.params)]
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=str(args.scenario)) from None
    heat_axes = _axes(args, paths)
    out = args.out if args.out is not None else default_out(loaded, "_sweep")
    if args.seed is not None:
        from sim.cli.run import check_cli_seed

        check_cli_seed(args.seed, args.scenario)
    try:
        table = sweep(loaded, args.params, runs=args.runs, seed=args.seed, out=out,
                      resume=args.resume, force=args.force, chunk_size=args.chunk_size,
                      progress=not args.quiet,
                      notify=None if args.quiet else print,
                      **execution(args))  # type: ignore[arg-type]
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        saved = len(list((out / CHUNKS).glob("*.jsonl"))) if (out / MANIFEST).exists() else 0
        print(f"interrupted: {saved} chunks are saved in {out}/; rerun the same command "
              "with --resume to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    points = point_table(table, paths)
    marks = {p: scenario_value(loaded, p) for p in paths}
    manifest = json.loads((out / MANIFEST).read_text())
    write_sweep_outputs(table, points, paths, loaded, out, manifest=manifest, marks=marks,
                        charts=not args.no_charts, axes=heat_axes)
    if not args.quiet:
        print(loaded.spec.title)
        print(f"sweep of {len(points):,} points x {args.runs:,} runs of scenario "
              f"{loaded.name} ({loaded.origin.file}); its own values: "
              + ", ".join(f"{p}={marks[p]}" for p in paths))
        print()
        print(points_text(points, paths))
        print()
    print(where_line(out, loaded, args.out is not None, time.perf_counter() - started))
    return 0


def _axes(args: argparse.Namespace, paths: list[str]) -> list[str] | None:
    if args.axes is None:
        return None
    chosen = [a.strip() for a in args.axes.split(",")]
    if len(chosen) != 2 or any(a not in paths for a in chosen) or chosen[0] == chosen[1]:
        raise ScenarioError(f"--axes {args.axes}: name two different swept paths, from: "
                            f"{', '.join(paths)}", file=str(args.scenario))
    return chosen


def points_text(points: pd.DataFrame, paths: list[str]) -> str:
    """The points table, as printed: each point's values and its outcome."""
    shown = points[[*paths, "runs", "p_waited", "p_none", "persons_mean", "delay_median"]]
    text = shown.head(PRINT_POINTS).to_string(
        index=False, float_format=lambda v: f"{v:.3g}", na_rep="-")
    if len(points) > PRINT_POINTS:
        text += f"\n... {len(points) - PRINT_POINTS:,} more points in points.csv"
    return text
