"""`python -m sim validate [PATHS...]`: scores against recorded history.

With no paths, the first-response data set (data/first_responses.csv) is scored: every
predictor (model, tit for tat, base rate, logistic) fitted on the training split and
reported on it and on the held-out test split (`--cv` adds leave-one-episode-out
cross-validation on the training split), into metrics.csv, mcnemar.csv,
predictions.csv and metrics.png; and the scenario library's scorecard as before. Data
files given as paths (`.csv` in the data set's layout) or rows picked with `--rows ID`
are scored with the current parameters, nothing fitted on them (split `given`).
Scenario paths give the library scorecard alone (scorecard.csv, scorecard.png).

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
from typing import Any

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
    parser.add_argument("--rows", nargs="+", default=None, metavar="ID",
                        help="score these response ids of data/first_responses.csv with "
                             "the current parameters (fitting nothing on them)")
    parser.add_argument("--cv", action="store_true",
                        help="add leave-one-episode-out cross-validation on the training "
                             "split (every predictor refitted per fold)")
    parser.add_argument("--runs", type=int, default=None, metavar="N",
                        help="sampled engine runs per data row for the model's "
                             "probabilities (default 400)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the model's sampled runs (default 0)")
    add_set_argument(parser)
    from sim.cli.options import add_row_workers_argument

    add_row_workers_argument(parser)
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
    data_paths = [p for p in args.paths if p.suffix.lower() == ".csv"]
    args.paths = [p for p in args.paths if p.suffix.lower() != ".csv"]
    if args.runs is not None and args.runs < 1:
        print(f"error: --runs: {args.runs} must be at least 1", file=sys.stderr)
        return 2
    from sim.cli.options import row_workers_ok

    if not row_workers_ok(args):
        return 2
    if args.cv and (data_paths or args.rows or args.paths):
        print("error: --cv cross-validates the data set's training split: give no paths "
              "and no --rows with it", file=sys.stderr)
        return 2
    args.out = args.out or Path("results") / "validate"
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.analysis import row_workers
    from sim.analysis.validation import scorecard, shares, with_history
    from sim.cli.options import destination_ok
    from sim.io.folders import atomic_folder
    from sim.reports.run_figures import PNG_METADATA
    from sim.reports.run_files import versions
    from sim.reports.scorecard import share_lines, table_lines
    from sim.viz.charts import draw_scorecard, style

    if not destination_ok(args.out, "validate", args.force):
        return 2
    data_mode = not args.paths  # no scenario paths: the data set (or the rows given)
    with row_workers.at_most(args.workers):
        evaluation = _data(args, data_paths) if data_mode else None
    frame = None
    if not (data_paths or args.rows):
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
    outputs: list[str] = []
    summary: dict[str, object] = {"scenario": {"name": "validate"},
                                  "overrides": list(args.assignments)}
    with atomic_folder(args.out, name="validate", force=args.force) as tmp:
        if frame is not None:
            frame.to_csv(tmp / "scorecard.csv", index=False, lineterminator="\n")
            with style():
                fig, ax = plt.subplots(figsize=(6.5, 4.0), layout="constrained")
                draw_scorecard(ax, frame)
                fig.savefig(tmp / "scorecard.png", metadata=PNG_METADATA)
                plt.close(fig)
            model, base = shares(frame), shares(frame, "baseline")
            summary.update({"scenarios": [str(p) for p in paths],
                            "model": vars(model), "baseline": vars(base)})
            outputs += ["scorecard.csv", "scorecard.png"]
        if evaluation is not None:
            outputs += _write_data(tmp, evaluation, summary, args)
        outputs.append("summary.json")
        summary.update({"versions": versions(), "outputs": outputs})
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    print(f"wrote {args.out}/")
    return 0


def _data(args: argparse.Namespace, data_paths: list[Path]) -> Any:
    """Score the data set (or the rows given) and print the table; see the module's
    docstring. Bad rows or ids raise ScenarioError (one line, exit 2)."""
    from tqdm import tqdm

    from sim.analysis.baselines import Model, overrides_of
    from sim.analysis.engine_predict import RUNS
    from sim.analysis.holdout import evaluate, evaluate_given
    from sim.scenario import ScenarioError
    from sim.scenario.dataset import FIRST_RESPONSES, load_first_responses
    from sim.scenario.overrides import parse_assignment

    values = dict(parse_assignment(a) for a in args.assignments)
    model = Model(overrides=overrides_of(values), runs=args.runs or RUNS, seed=args.seed)
    everything = load_first_responses()
    train = [r for r in everything if r.split == "train"]
    if data_paths or args.rows:
        rows = [r for p in data_paths for r in load_first_responses(p)]
        if args.rows:
            by_id = {r.response_id: r for r in everything}
            unknown = [i for i in args.rows if i not in by_id]
            if unknown:
                raise ScenarioError(f"{unknown[0]!r} is not a response_id of the data set",
                                    file=str(FIRST_RESPONSES), field="--rows")
            rows += [by_id[i] for i in args.rows]
        evaluation = evaluate_given(rows, train, model=model)
        if evaluation.metrics.empty:
            raise ScenarioError("none of the rows given can be scored (a recorded "
                                "category and a move the scenario format can express)",
                                file=str(data_paths[0] if data_paths else FIRST_RESPONSES))
    else:
        def progress(items: Any, total: int, label: str) -> Any:
            return tqdm(items, total=total, desc=f"leave-one-episode-out: {label}",
                        unit="fold",
                        file=sys.stderr, disable=args.quiet)

        if not args.quiet:
            print("fitting every predictor on the training split ...", file=sys.stderr)

        evaluation = evaluate(everything, cv=args.cv, model=model, progress=progress)
    print(_metric_lines(evaluation))
    if not args.quiet:  # times go to the screen, not into the files (same seed, same bytes)
        print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in evaluation.seconds.items()))
    return evaluation


def _metric_lines(evaluation: Any) -> str:
    """metrics.csv and the McNemar tests as text."""
    table = evaluation.metrics
    lines = [f"{'predictor':12s} {'split':6s} {'n':>4s} {'accuracy':>9s} {'log loss':>9s} "
             f"{'Brier':>6s} {'size':>5s} {'delay':>6s}"]
    for r in table.itertuples():
        lines.append(f"{r.predictor:12s} {r.split:6s} {r.n:>4d} {r.accuracy:>9.1%} "
                     f"{r.log_loss:>9.3f} {r.brier:>6.3f} {r.size_within_10pct:>5.0%} "
                     f"{r.delay_within_3d:>6.0%}")
    for t in evaluation.mcnemar.itertuples():
        lines.append(f"McNemar, model vs tit for tat, {t.split}: model alone right on "
                     f"{t.first_only}, tit for tat alone on {t.second_only}, exact p = "
                     f"{t.p_value:.3g}")
    if evaluation.left_out:
        lines.append(f"{len(evaluation.left_out)} rows left out (no recorded category, or a "
                     "move the scenario format cannot express)")
    fitted = "fitted on the training split" if evaluation.model.fitted else \
        "current defaults (no estimation module: nothing fitted)"
    lines.append(f"model parameters: {fitted}")
    return "\n".join(lines)


def _write_data(tmp: Path, evaluation: Any, summary: dict[str, object],
                args: argparse.Namespace) -> list[str]:
    """metrics.csv, mcnemar.csv, predictions.csv and metrics.png into `tmp`."""
    import matplotlib.pyplot as plt

    from sim.reports.run_figures import PNG_METADATA
    from sim.viz.charts import draw_metrics, style

    evaluation.metrics.to_csv(tmp / "metrics.csv", index=False, lineterminator="\n",
                              float_format="%.6g")
    evaluation.mcnemar.to_csv(tmp / "mcnemar.csv", index=False, lineterminator="\n",
                              float_format="%.6g")
    evaluation.predictions.to_csv(tmp / "predictions.csv", index=False,
                                  lineterminator="\n", float_format="%.6g")
    with style():
        fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.6), layout="constrained")
        draw_metrics(axes, evaluation.metrics)
        fig.suptitle("First responses: predictors by split", fontsize=10)
        fig.savefig(tmp / "metrics.png", metadata=PNG_METADATA)
        plt.close(fig)
    model = evaluation.model
    summary.update({
        "data": {"rows_left_out": evaluation.left_out, "cv": bool(args.cv)},
        "model_parameters": {"fitted": model.fitted, "overrides": model.overrides,
                             "log_likelihood": None if model.log_likelihood != model.log_likelihood
                             else model.log_likelihood,
                             "runs": model.runs, "seed": model.seed},
    })
    return ["metrics.csv", "mcnemar.csv", "predictions.csv", "metrics.png"]


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
