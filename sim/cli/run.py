"""`python -m sim SCENARIO.yaml`: run one scenario, print its timeline, write its results."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sim.scenario import ScenarioError
from sim.scenario.schema import check_seed

EXIT_BAD_INPUT = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, help="scenario file (YAML), see docs/scenarios.md")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<scenario name>/)")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (default: the scenario's seed)")
    add_set_argument(parser)
    parser.add_argument("--quiet", action="store_true",
                        help="print only where the results were written")
    parser.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    parser.add_argument("--force", action="store_true",
                        help="replace a results folder that holds another scenario's results")
    add_ensemble_arguments(parser)


def add_ensemble_arguments(parser: argparse.ArgumentParser) -> None:
    """--runs N: an ensemble of seeded replicates instead of one run (commands/ensemble.py)."""
    from sim.cli.options import add_execution_arguments, positive_int

    parser.add_argument("--runs", type=positive_int, default=None, metavar="N",
                        help="run N seeded replicates (seeds derived from --seed or the "
                             "scenario's): runs.csv and charts with uncertainty, in "
                             "results/<scenario name>_ensemble/ by default")
    add_execution_arguments(parser)


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """The `--set KEY=VALUE` option shared by every command that loads a scenario."""
    parser.add_argument("--set", dest="assignments", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a scenario value by dotted path, e.g. "
                             "behaviour.reset_value=3 (repeatable; values are YAML)")


def main(args: argparse.Namespace) -> int:
    if getattr(args, "runs", None) is not None:
        from sim.cli import ensemble

        return ensemble.main(args)
    from sim.analysis.comparison import compare
    from sim.cli.options import default_out, destination_ok, where_line
    from sim.engine.one_run import run
    from sim.io.folders import OutputError
    from sim.reports.run_files import write_all
    from sim.scenario import load
    from sim.viz.timeline import comparison_lines, lines

    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    check_cli_seed(args.seed, args.scenario)
    out = args.out if args.out is not None else default_out(loaded)
    if not destination_ok(out, loaded.name, args.force):
        return EXIT_BAD_INPUT
    result = run(loaded, seed=args.seed)
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
        table = comparison_lines(compare(result),
                                 result.meta.get("first_response_probabilities"))
        if table:
            print()
            print("\n".join(table))
        print()
        if not args.no_charts:
            from sim.reports.run_figures import skipped_charts

            for chart, why in skipped_charts(result).items():
                print(f"note: no {chart}: {why}")
    print(where_line(out, loaded, args.out is not None, time.perf_counter() - started))
    return 0


def check_cli_seed(seed: int | None, scenario: Path) -> None:
    """--seed within what a scenario's seed may be (`sim.scenario.schema.check_seed`)."""
    if seed is not None:
        try:
            check_seed(seed)
        except ScenarioError as exc:
            raise ScenarioError(f"--{exc.message}", file=str(scenario)) from None
