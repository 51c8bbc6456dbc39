"""The command line, `python -m sim`: one scenario by default, or a named command.

    python -m sim SCENARIO.yaml [--out DIR] [--seed N] [--set KEY=VALUE]... [--quiet]
    python -m sim COMMAND [options]          (see COMMANDS; `python -m sim COMMAND -h`)
    python -m sim --version                  (`sim 0.2.0`: sim/version.py)

Exit codes: 0 success; 2 bad input (a scenario error, a bad option, a results folder that
may not be replaced or written), always one line on stderr without a traceback; 130
interrupted; 141 the reader of the output went away (`python -m sim ... | head -1`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from sim.io.folders import OutputError
from sim.scenario import ScenarioError
from sim.scenario.overrides import option_name
from sim.version import __version__

EXIT_BAD_INPUT = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe

# name -> (module in sim.cli, one-line help). Each module has add_arguments and main.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "scorecard of first responses against recorded history"),
    "calibrate": ("calibrate", "fit default behaviour parameters to the episode library"),
    "tournament": ("tournament", "round robin of the retaliation policies over generated episodes"),
    "decision-map": ("decision_map", "first response over prior belief and audience cost"),
}
COMMANDS["sweep"] = ("sweep", "run a grid of scenario values, each point --runs times")
COMMANDS["sensitivity"] = ("sensitivity",
                           "rank the behaviour parameters by their effect on the outcome")
COMMANDS["app"] = ("app", "open the interactive page (Mesa SolaraViz) in the browser")
COMMANDS["fit"] = ("fit", "maximum-likelihood estimates of behaviour parameters on the data "
                   "set's train split")
# A command of two words names what is imported and from what: `import events FILE`.
COMMANDS["import events"] = ("import_events",
                             "read ICEWS, GDELT or POLECAT event data into episode skeletons")
COMMANDS["scenario from-data"] = ("from_data", "a row of the first-response data set as a "
                                  "scenario file")


def _parser(name: str | None, module: object) -> argparse.ArgumentParser:
    if name is None:
        listing = "".join(f"\n  {n:14s} {h}" for n, (_, h) in sorted(COMMANDS.items()))
        parser = argparse.ArgumentParser(
            prog="python -m sim",
            description="Simulate how states answer diplomatic expulsions, from a scenario.",
            formatter_class=argparse.RawDescriptionHelpFormatter,
            epilog=("commands (python -m sim COMMAND -h):" + listing + "\n\n" if listing
                    else "") +
            "example:\n  python -m sim scenarios/2016.yaml "
            "--set 'states.USA.administrations.trump.prior={accommodating: 0.1, hawkish: 0.9}'",
        )
        # Handled before the scenario argument is required: `python -m sim --version`.
        parser.add_argument("--version", action="version", version=f"sim {__version__}",
                            help="print the version of sim and exit")
    else:
        parser = argparse.ArgumentParser(prog=f"python -m sim {name}",
                                         description=COMMANDS[name][1])
    module.add_arguments(parser)  # type: ignore[attr-defined]
    return parser


def _command(argv: Sequence[str]) -> tuple[str | None, int]:
    """The command `argv` starts with and how many words it takes (two words first), or
    (None, 0) for a scenario run."""
    for words in (2, 1):
        name = " ".join(argv[:words])
        if len(argv) >= words and name in COMMANDS:
            return name, words
    return None, 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name, words = _command(argv)
    groups = {n.split()[0]: n for n in COMMANDS if " " in n}
    if name is None and argv and argv[0] in groups:  # `import` alone, or `import nonsense`
        choices = sorted(n.split()[1] for n in COMMANDS if n.split()[0] == argv[0])
        print(f"error: python -m sim {argv[0]} needs what to import: "
              f"{' or '.join(choices)} (python -m sim {groups[argv[0]]} -h)", file=sys.stderr)
        return EXIT_BAD_INPUT
    module = importlib.import_module(f"sim.cli.{COMMANDS[name][0] if name else 'run'}")
    try:
        args = _parser(name, module).parse_args(argv[words:])
        with option_name("--set"):  # overrides came from --set: errors name it
            return int(module.main(args))
    except (ScenarioError, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; no results were written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _pipe_closed()


def _pipe_closed() -> int:
    """The reader of standard output went away (`| head -1`): stop quietly. Output still
    buffered would raise again when Python flushes it at exit, so standard output is
    pointed at /dev/null first (the recipe of Python's `signal` documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_BROKEN_PIPE
