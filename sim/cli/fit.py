"""`python -m sim fit`: maximum-likelihood estimates of behaviour parameters.

Fits the free parameters (`sim.analysis.estimation.FREE`) to the recorded first-response
categories of the TRAINING split of the data set (docs/data.md; the test split is never
read for fitting), prints a table and writes, into one results folder moved into place
whole:

- fit.csv: parameter, estimate, std_error, interval_low, interval_high, identified;
- fitted.yaml: the values with their provenance (date, data file and its SHA-256, split,
  rows, log-likelihood, method, free parameters);
- profiles.png: each parameter's profile log-likelihood with its 95% line.

With `--write` the identified values go into sim/game/behaviour_defaults.yaml, each with
that provenance and the value it replaces (as `calibrate --write` does). Bad input is one
line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import math
import sys
from pathlib import Path
from typing import Any

# what runs once `estimation.fit` reports a stage done (its `progress` labels)
NEXT_STAGE = {"fit": "profiles (re-optimised at every grid point)",
              "profiles": "standard errors", "standard errors": "bootstrap replicates"}
SOURCE = "fitted by `python -m sim fit` (fit: below; docs/model.md, Estimation)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", type=Path, default=None, metavar="FILE",
                        help="the first-response data set (default: data/first_responses.csv)")
    parser.add_argument("--out", type=Path, default=Path("results") / "fit",
                        help="results folder (default: results/fit/)")
    parser.add_argument("--bootstrap", type=int, default=20, metavar="N",
                        help="cluster-bootstrap replicates over episodes for the intervals "
                             "(default 20; 0: Wald intervals from the standard errors)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the bootstrap's generator (default 0)")
    parser.add_argument("--delay", action="store_true",
                        help="add the within-3-days term to the likelihood (docs/model.md, "
                             "Estimation: why it is off by default)")
    parser.add_argument("--write", action="store_true",
                        help="write the identified estimates, with their provenance, as the "
                             "new defaults in sim/game/behaviour_defaults.yaml")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds other results")
    from sim.cli.options import add_row_workers_argument

    add_row_workers_argument(parser)


def main(args: argparse.Namespace) -> int:
    if args.bootstrap < 0:
        print(f"error: --bootstrap {args.bootstrap}: expected 0 or more replicates",
              file=sys.stderr)
        return 2
    from sim.cli.options import row_workers_ok

    if not row_workers_ok(args):
        return 2
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import yaml
    from tqdm import tqdm

    from sim.analysis.calibration import write_defaults
    from sim.analysis.estimation import CANDIDATES, CUT, FitError, accuracy, fit, predict, stages
    from sim.analysis.likelihood import prepare
    from sim.cli.options import destination_ok
    from sim.io.folders import atomic_folder
    from sim.reports.run_figures import PNG_METADATA
    from sim.scenario.dataset import FIRST_RESPONSES, load_first_responses
    from sim.viz.charts import style
    from sim.viz.fit_charts import draw_profiles

    data = args.data or FIRST_RESPONSES
    if not destination_ok(args.out, "fit", args.force):
        return 2
    if not Path(data).is_file():
        print(f"error: {data}: no such file", file=sys.stderr)
        return 2
    train = [r for r in load_first_responses(data) if r.split == "train"]
    if not prepare(train).prepared:
        print(f"error: {data}: no row with a recorded category that can be a scenario in "
              "the train split; nothing to fit", file=sys.stderr)
        return 2
    # The stages differ in length (the profiles take most of the time), so the bar names
    # the stage under way and the time spent, not a rate or a time left it cannot know.
    bar = tqdm(total=stages(args.bootstrap), file=sys.stderr, leave=False,
               desc="optimising", bar_format="{desc}: stage {n_fmt} of {total_fmt} [{elapsed}]")

    def advance(done: str) -> None:
        bar.update(1)
        bar.set_description(NEXT_STAGE.get(done, "bootstrap replicates"))

    try:
        result = fit(train, seed=args.seed, bootstrap=args.bootstrap, delay=args.delay,
                     progress=advance, workers=args.workers)
    except FitError as exc:
        print(f"error: {data}: {exc}", file=sys.stderr)
        return 2
    finally:  # clears the bar's line, also before Ctrl-C's message
        bar.close()
    observed = prepare(train).observed
    before, _, _ = predict(train, {})
    after, _, _ = predict(train, result.overrides())

    table = [(n, result.estimates[n], result.std_errors[n], *result.intervals[n],
              result.identified[n]) for n in result.free]
    print(f"fitted {len(result.free)} parameters on the train split of {data}: "
          f"{result.n} first responses from {result.episodes} episodes "
          f"({len(result.skipped)} rows skipped: not a scenario yet or no category)")
    print(f"{'parameter':26s}{'estimate':>10s}{'std_error':>11s}{'95% interval':>24s}"
          f"  identified  default")
    for name, estimate, se, lo, hi, identified in table:
        print(f"{name:26s}{_num(estimate):>10s}{_num(se):>11s}"
              f"{'[' + _num(lo) + ', ' + _num(hi) + ']':>24s}"
              f"  {'yes' if identified else 'no':10s}  {_num(CANDIDATES[name].default)}")
    print(f"log-likelihood {result.log_likelihood:.2f} "
          f"(defaults {result.log_likelihood_defaults:.2f}); category accuracy "
          f"{accuracy(after, observed):.1%} (defaults {accuracy(before, observed):.1%}); "
          f"intervals: {result.interval_method}; {result.seconds:.1f} s"
          + ("" if result.converged else f"; NOT CONVERGED: {result.message}"))

    fitted = {"parameters": {name: {
                  "value": _plain(estimate), "std_error": _plain(se),
                  "interval": [_plain(lo), _plain(hi)], "identified": identified,
                  "sets": list(CANDIDATES[name].fields)}
                  for name, estimate, se, lo, hi, identified in table},
              "fit": provenance(Path(data), result)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["parameter", "estimate", "std_error", "interval_low", "interval_high",
                     "identified"])
    for name, estimate, se, lo, hi, identified in table:
        writer.writerow([name, _num(estimate, 6), _num(se, 6), _num(lo, 6), _num(hi, 6),
                         identified])
    with atomic_folder(args.out, name="fit", force=args.force) as tmp:
        (tmp / "fit.csv").write_text(buffer.getvalue(), encoding="utf-8")
        (tmp / "fitted.yaml").write_text(
            yaml.safe_dump(fitted, sort_keys=False, allow_unicode=True, width=88),
            encoding="utf-8")
        with style():
            fig = plt.figure(figsize=(9.0, 2.8 * math.ceil(len(result.free) / 3)),
                             layout="constrained")
            curves = {n: (pr.values, pr.log_likelihood) for n, pr in result.profiles.items()}
            draw_profiles(fig, curves, result.estimates, result.identified, CUT,
                          {n: CANDIDATES[n].scale == "log" for n in result.free})
            fig.savefig(tmp / "profiles.png", metadata=PNG_METADATA)
            plt.close(fig)
    print(f"wrote {args.out}/")
    if args.write:
        values = result.overrides()
        if not values:
            print("no parameter is identified: defaults unchanged, nothing written")
        else:
            path = write_defaults({k: float(np.float64(v)) for k, v in values.items()},
                                  provenance(Path(data), result), source=SOURCE)
            print(f"wrote {', '.join(values)}, with their provenance, into {path}")
    return 0


def provenance(data: Path, result: Any) -> dict[str, Any]:
    """What the fit was made on and how: enough to repeat it and to judge it. The data
    file is named relative to the working folder when it lies within it."""
    try:
        name = data.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        name = data.as_posix()
    return {
        "date": dt.date.today().isoformat(),
        "data": [{"file": name,
                  "sha256": hashlib.sha256(data.read_bytes()).hexdigest()}],
        "split": "train",
        "rows": result.n,
        "episodes": result.episodes,
        "skipped": len(result.skipped),
        "log_likelihood": round(float(result.log_likelihood), 6),
        "log_likelihood_at_defaults": round(float(result.log_likelihood_defaults), 6),
        "method": ("maximum likelihood of the recorded first-response categories under the "
                   "quantal response (sim.analysis.estimation), L-BFGS-B on log/logit "
                   "scales" + (", with the within-3-days term" if result.delay else "")),
        "intervals": result.interval_method,
        "free": list(result.free),
        "identified": [n for n in result.free if result.identified[n]],
        "converged": bool(result.converged),
    }


def _plain(x: float) -> float | None:
    """A YAML-friendly number (None for nan), rounded to 6 significant figures."""
    return None if not math.isfinite(x) else float(f"{x:.6g}")


def _num(x: float, digits: int = 4) -> str:
    return "" if not math.isfinite(x) else f"{x:.{digits}g}"
