"""`python -m sim app [SCENARIO]`: the interactive page (`sim.viz.page`) in the browser.

It runs ``solara run sim.viz.page`` in this Python, telling the page which scenario to
open and where to look for the others through the environment (a Solara page is a
module, not a function with arguments). The page needs the ``app`` extra
(``pip install -e '.[app]'``): solara pinned to the versions whose front end is bundled,
so the page works without reaching any CDN.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from sim.scenario import ScenarioError

PAGE_MODULE = "sim.viz.page"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, nargs="?", default=None,
                        help="scenario to open (default scenarios/2016.yaml); the page's "
                             "picker also lists scenarios/ and the data set's episodes")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to serve on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument("--no-open", action="store_true",
                        help="do not open a browser window (for servers and tests)")


def command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The ``solara run`` command line and environment for `args` (tested without a
    server)."""
    scenario = args.scenario
    if scenario is None:
        scenario = Path("scenarios/2016.yaml")
    if not scenario.is_file():
        raise ScenarioError(f"{scenario}: no such scenario file")
    env = dict(os.environ)
    env["SIM_APP_SCENARIO"] = str(scenario.resolve())
    roots = [Path.cwd().resolve()]
    parent = scenario.resolve().parent.parent  # the folder holding scenarios/
    if parent not in roots:
        roots.append(parent)
    env["SIM_APP_ROOTS"] = os.pathsep.join(str(r) for r in roots)
    env.setdefault("MPLBACKEND", "Agg")
    argv = [sys.executable, "-m", "solara", "run", PAGE_MODULE, "--host", args.host,
            "--port", str(args.port), "--production",
            "--no-open" if args.no_open else "--open"]
    return argv, env


def main(args: argparse.Namespace) -> int:
    if importlib.util.find_spec("solara") is None:
        print("error: the page needs the app extra: pip install -e '.[app]'", file=sys.stderr)
        return 2
    argv, env = command(args)
    print(f"serving {env['SIM_APP_SCENARIO']} on http://{args.host}:{args.port}/ "
          "(Ctrl-C to stop)", flush=True)
    return subprocess.call(argv, env=env)
