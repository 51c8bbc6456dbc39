"""Options shared by several commands: where the runs of a scenario run many times
execute and which runner executes them (--runs, sweep, sensitivity), how many processes
share the data set's rows when the model is fitted (fit, validate), and the checks of a
results folder."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

from sim.experiments.runners import DEFAULT_RUNNER, RUNNERS
from sim.io.folders import OutputError, probe
from sim.scenario import LoadedScenario


def positive_int(text: str) -> int:
    """An argparse type: a whole number, 1 or more (argparse reports a bad one, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not 1 or more")
    return value


def add_execution_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("where the runs execute")
    group.add_argument("--workers", type=int, default=0, metavar="N",
                       help="local processes: 1 runs here, 0 (default) picks one per core "
                            "when there is enough work to repay starting them")
    group.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="send the chunks to a running Dask cluster, e.g. "
                            "tcp://10.0.0.5:8786 (needs retaliation-sim[dask]; see README)")
    group.add_argument("--runner", default=DEFAULT_RUNNER, choices=sorted(RUNNERS),
                       help="what runs the model: batch (default, the vectorised engine) or "
                            "mesa (the reference, one run at a time); the rows are the same")
    group.add_argument("--chunk-size", type=positive_int, default=None, metavar="N",
                       help="runs per chunk, the unit sent to a worker and saved "
                            "(default: the runner's)")


def add_row_workers_argument(parser: argparse.ArgumentParser) -> None:
    """`--workers` of the commands that fit the model on the data set (`fit`, `validate`):
    the processes its rows are shared among (`sim.analysis.row_workers`)."""
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="processes the data rows are shared among when the model is "
                             "fitted (default: every core; 1: this process alone); the "
                             "values do not depend on it")


def row_workers_ok(args: argparse.Namespace) -> bool:
    """False, with the one-line error printed, if `--workers` asks for no process."""
    if args.workers is not None and args.workers < 1:
        print(f"error: --workers {args.workers}: expected 1 or more processes",
              file=sys.stderr)
        return False
    return True


def execution(args: argparse.Namespace) -> dict[str, object]:
    """The keyword arguments of sim.studies functions that these options set."""
    return {"workers": args.workers, "scheduler": args.scheduler, "runner": args.runner}


def destination_ok(out: Path, name: str, force: bool) -> bool:
    """Refuse before running, not after, a results folder that may not be replaced or
    cannot be written: prints the one-line error and returns False."""
    try:
        probe(out, name, force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    return True


def default_out(loaded: LoadedScenario, suffix: str = "") -> Path:
    """The default results folder: ``results/<name><suffix>``, or, for a run with
    overrides, ``results/<name>-set-<hash><suffix>``: a short hash of the overrides, so
    that ``--set`` never replaces the baseline results (of `make run`, say) unasked."""
    name = loaded.name
    if loaded.origin.overrides:
        text = "\n".join(loaded.origin.overrides)
        name += "-set-" + hashlib.sha256(text.encode()).hexdigest()[:8]
    return Path("results") / f"{name}{suffix}"


def where_line(out: Path, loaded: LoadedScenario, chosen: bool, elapsed: float) -> str:
    """The last line every command prints: where the results went, and why there."""
    why = "" if chosen or not loaded.origin.overrides else \
        " (the folder of these --set values; --out to choose another)"
    return f"wrote {out}/{why} in {elapsed:.1f} s"


def percent(p: float, lo: float, hi: float) -> str:
    return f"{p:.0%} (95% interval {lo:.0%} to {hi:.0%})"
