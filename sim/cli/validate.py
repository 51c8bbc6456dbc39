"""`python -m sim validate [PATHS...]`: the scorecard against recorded history.

`python -m sim validate --events episodes.csv` scores "answered" and "delay" on the
skeletons of `python -m sim import events` instead (sim/analysis/skeleton_scores.py).

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
    parser.add_argument("--events", type=Path, default=None, metavar="EPISODES_CSV",
                        help="score 'answered' and 'delay' on the skeletons of an "
                             "episodes.csv written by `python -m sim import events`, "
                             "instead of the scenarios")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for scorecard.csv and scorecard.png "
                             "(default: results/validate/; with --events, "
                             "results/validate-events/)")
    add_set_argument(parser)
    parser.add_argument("--quiet", action="store_true", help="print only the shares")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds other results")


def main(args: argparse.Namespace) -> int:
    if args.events is not None:
        if args.paths:
            print("error: --events scores skeletons, not scenarios: give one or the other",
                  file=sys.stderr)
            return 2
        return _events(args)
    args.out = args.out or Path("results") / "validate"
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


EVENTS_NAME = "validate-events"


def _window_of(episodes: Path) -> int:
    """The window the skeletons were made with, from the summary.json beside them (the
    default when there is none)."""
    from sim.scenario.events import DEFAULT_WINDOW

    try:
        value = json.loads((episodes.parent / "summary.json").read_text())["window_days"]
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_WINDOW
    return value if isinstance(value, int) and value >= 0 else DEFAULT_WINDOW


def _events(args: argparse.Namespace) -> int:
    """Score the model and the baseline on event-data skeletons (see the module's
    docstring); the model makes one prediction for all of them until facts are joined."""
    from sim.analysis.skeleton_scores import score_skeletons, skeleton_shares
    from sim.io.folders import OutputError, atomic_folder, check_destination
    from sim.reports.run_files import versions
    from sim.scenario.events import read_skeletons

    out = args.out or Path("results") / "validate-events"
    try:
        check_destination(out, EVENTS_NAME, args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    skeletons = read_skeletons(args.events)
    window = _window_of(args.events)
    frame = score_skeletons(skeletons, window, args.assignments)
    model, base = skeleton_shares(frame), skeleton_shares(frame, "baseline")
    answered = int(frame["recorded_answered"].sum()) if len(frame) else 0
    lines = [
        f"skeletons: {len(frame)} from {args.events} (window {window} days); "
        f"recorded as answered: {answered}",
        f"{'':12s} {'answered':>9s} {'delay within 3 days':>20s}",
        f"{'model':12s} {model.answered:>9.0%} {model.delay:>20.0%}",
        f"{'tit-for-tat':12s} {base.answered:>9.0%} {base.delay:>20.0%}",
    ]
    if not args.quiet:
        lines.append("note: skeletons carry no facts, so the model makes one prediction for "
                     "every pair; these shares measure base rates (docs/data.md, Event data)")
    print("\n".join(lines))
    summary = {
        "scenario": {"name": EVENTS_NAME},
        "episodes": str(args.events), "window_days": window,
        "overrides": list(args.assignments),
        "model": vars(model), "baseline": vars(base),
        "versions": versions(),
        "outputs": ["skeleton_scorecard.csv", "summary.json"],
    }
    try:
        with atomic_folder(out, name=EVENTS_NAME, force=args.force) as tmp:
            frame.to_csv(tmp / "skeleton_scorecard.csv", index=False, lineterminator="\n")
            (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True)
                                              + "\n")
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}/")
    return 0
