"""The command line: ``python -m sim SCENARIO.yaml [--out DIR] [--seed N] [--set K=V]...``.

Exit codes: 0 success; 2 bad input (a scenario error, a bad option, a results folder that
may not be replaced), always as one line on stderr without a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sim.scenario import ScenarioError

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m sim",
        description="Simulate how states answer diplomatic expulsions, from a scenario file.",
        epilog="Example: python -m sim scenarios/2016.yaml "
               "--set states.USA.administrations.trump.prior.accommodating=0.1 "
               "--set states.USA.administrations.trump.prior.hawkish=0.9",
    )
    parser.add_argument("scenario", type=Path, help="scenario file (YAML), see docs/scenarios.md")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<scenario name>/)")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (default: the scenario's seed)")
    parser.add_argument("--set", dest="assignments", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a scenario value by dotted path, e.g. "
                             "behaviour.reset_value=3 (repeatable; values are YAML)")
    parser.add_argument("--quiet", action="store_true",
                        help="print only where the results were written")
    parser.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    parser.add_argument("--force", action="store_true",
                        help="replace a results folder that holds another scenario's results")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run_command(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; no results were written", file=sys.stderr)
        return 130


def run_command(args: argparse.Namespace) -> int:
    from sim.history import compare
    from sim.outputs.files import OutputError, write_all
    from sim.outputs.timeline import comparison_lines, lines
    from sim.results import run
    from sim.scenario import load

    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    if args.seed is not None and args.seed < 0:
        raise ScenarioError("--seed must be zero or positive", file=str(args.scenario))
    result = run(loaded, seed=args.seed)
    out = args.out if args.out is not None else Path("results") / loaded.name
    try:
        write_all(result, out, charts=not args.no_charts, force=args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not args.quiet:
        spec = loaded.spec
        print(f"{spec.title}")
        print(f"scenario {spec.name} ({loaded.origin.file}), {spec.start} to {spec.end}, "
              f"seed {result.seed}")
        for extra in loaded.origin.overrides:
            print(f"  --set {extra}")
        print()
        for line in lines(result):
            print(line)
        table = comparison_lines(compare(result))
        if table:
            print()
            print("\n".join(table))
        print()
    elapsed = time.perf_counter() - started
    print(f"wrote {out}/ in {elapsed:.1f} s")
    return 0
