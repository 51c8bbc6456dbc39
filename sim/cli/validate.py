"""`python -m sim validate [PATHS...]`: the scorecard against recorded history.

Exits 0 when the scenarios load: missed predictions are findings, not errors. With no
recorded response to score (no scenario with a history: block) it says so and exits 2:
shares of nothing ("nan%") are no finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.cli.run import add_set_argument

DEFAULT_PATHS = ["scenarios"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path,
                        help="scenario files or folders (default: every scenario in "
                             "scenarios/ with a history: block)")
    parser.add_argument("--out", type=Path, default=Path("results") / "validate",
                        help="folder for scorecard.csv and scorecard.png "
                             "(default: results/validate/)")
    add_set_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="print only the shares")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds other results")


def main(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.analysis.validation import scorecard, shares, with_history
    from sim.cli.options import destination_ok
    from sim.io.folders import atomic_folder
    from sim.reports.run_figures import PNG_METADATA
    from sim.reports.run_files import versions
    from sim.reports.scorecard import share_lines, table_lines
    from sim.viz.charts import draw_scorecard, style

    if not destination_ok(args.out, "validate", args.force):
        return 2
    given = args.paths or DEFAULT_PATHS
    paths = with_history(given)
    if not paths:
        print(f"error: {', '.join(map(str, given))}: no scenario with a history: block; "
              "nothing to score (docs/scenarios.md, \"history\")", file=sys.stderr)
        return 2
    frame = scorecard(paths, args.assignments)
    lines = table_lines(frame)
    if args.quiet:
        lines = share_lines(shares(frame), shares(frame, "baseline"))
    print("\n".join(lines))
    with atomic_folder(args.out, name="validate", force=args.force) as tmp:
        frame.to_csv(tmp / "scorecard.csv", index=False, lineterminator="\n")
        with style():
            fig, ax = plt.subplots(figsize=(6.5, 4.0), layout="constrained")
            draw_scorecard(ax, frame)
            fig.savefig(tmp / "scorecard.png", metadata=PNG_METADATA)
            plt.close(fig)
        model, base = shares(frame), shares(frame, "baseline")
        summary = {
            "scenario": {"name": "validate"},
            "scenarios": [str(p) for p in paths],
            "overrides": list(args.assignments),
            "model": vars(model), "baseline": vars(base),
            "versions": versions(),
            "outputs": ["scorecard.csv", "scorecard.png", "summary.json"],
        }
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out}/")
    return 0
