"""`python -m sim scenario from-data TABLE --id RESPONSE_ID [--out FILE]`: a data-set row
as a scenario file.

The row's facts, the library's conventions for what it does not record (stated in the
scenario's description) and its recorded first response as `history`
(`sim.scenario.from_data`). Prints the YAML, or writes it to `--out`, a new file: an
existing file is never overwritten. Bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from sim.io.folders import OutputError, atomic_write_bytes
from sim.scenario import ScenarioError, load


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("table", type=Path, help="the data set, e.g. data/first_responses.csv")
    parser.add_argument("--id", required=True, dest="response_id",
                        help="the row's response_id (first column)")
    parser.add_argument("--out", type=Path, default=None,
                        help="write the scenario to this new file instead of printing it")


def main(args: argparse.Namespace) -> int:
    from sim.scenario.dataset import load_first_responses
    from sim.scenario.from_data import scenario_of

    rows = {r.response_id: r for r in load_first_responses(args.table)}
    row = rows.get(args.response_id)
    if row is None:
        raise ScenarioError(f"no row with response_id {args.response_id!r}",
                            file=str(args.table), field="response_id")
    doc = scenario_of(row)
    load(doc)  # the scenario is checked as any file is, before anything is written
    text = (f"# {doc['title']}\n# {doc['description']}\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=88))
    if args.out is None:
        sys.stdout.write(text)
        return 0
    if args.out.exists():
        raise OutputError(f"{args.out}: exists; sim never overwrites a file it did not "
                          "write: choose another --out")
    atomic_write_bytes(args.out, text.encode("utf-8"))
    print(f"wrote {args.out}")
    return 0
