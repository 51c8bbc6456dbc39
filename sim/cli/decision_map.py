"""`python -m sim decision-map SCENARIO`: the target's first response over a plane of
prior belief and audience cost, with the scenario's own point marked (docs/model.md
section 15)."""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

from sim.cli.run import add_set_argument
from sim.scenario import ScenarioError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", type=Path, help="scenario file (YAML)")
    parser.add_argument("--out", type=Path, default=Path("results") / "decision-map",
                        help="folder for <scenario name>.png and .csv "
                             "(default results/decision-map/)")
    parser.add_argument("--resolution", type=int, default=101,
                        help="grid points on each axis (default 101)")
    parser.add_argument("--max-cost", type=float, default=2.0,
                        help="top of the audience-cost axis, in units of R (default 2)")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (default: the scenario's seed)")
    add_set_argument(parser)
    parser.add_argument("--no-charts", action="store_true", help="write only the CSV")
    parser.add_argument("--quiet", action="store_true",
                        help="print only where the results were written")


def main(args: argparse.Namespace) -> int:
    import numpy as np
    import pandas as pd

    from sim.analysis.decision_map import compute, first_day_boundary
    from sim.game.decision_regions import Outcome
    from sim.io.folders import FLOAT_FORMAT, probe, write_files
    from sim.scenario import load

    started = time.perf_counter()
    loaded = load(args.scenario, args.assignments)
    if not 2 <= args.resolution <= 1001:
        raise ScenarioError("--resolution must be between 2 and 1001", file=str(args.scenario))
    if not 0 < args.max_cost <= 100:
        raise ScenarioError("--max-cost must be above 0 and at most 100",
                            file=str(args.scenario))
    from sim.cli.run import check_cli_seed

    check_cli_seed(args.seed, args.scenario)
    probe(args.out, "decision-map", force=False)
    tr, dmap = compute(loaded, args.resolution, args.max_cost, args.seed)
    xx, yy = np.meshgrid(dmap.prior_accommodating, dmap.threat_cost)
    dates = np.array([*tr.dates, ""])[dmap.day]  # day -1 -> ""
    table = pd.DataFrame({
        "prior_accommodating": xx.ravel(), "threat_cost": yy.ravel(),
        "outcome": [Outcome(int(c)).label for c in dmap.outcome.ravel()],
        "first_response_date": dates.ravel(),
    })
    name = loaded.name
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")
    files = {f"{name}.csv": buffer.getvalue().encode()}
    point = (tr.prior_accommodating, tr.threat_cost)
    i = int(np.argmin(abs(dmap.prior_accommodating - point[0])))
    j = int(np.argmin(abs(dmap.threat_cost - point[1])))
    at_point = Outcome(int(dmap.outcome[j, i]))
    when = tr.dates[dmap.day[j, i]] if dmap.day[j, i] >= 0 else None
    written = [f"{name}.csv"]
    if not args.no_charts:
        from sim.viz.game_charts import decision_map_png

        threat = f"{tr.threat_level}'s threat" if tr.threat_level else "no threat standing"
        png = decision_map_png(
            dmap, point=point, point_label=f"{name}: prior {point[0]:.2f}, A {point[1]:.2f}",
            boundary=first_day_boundary(tr, dmap.threat_cost), actor=tr.actor,
            subtitle=f"{loaded.spec.title}\n{tr.actor} against {tr.counterpart}; successor "
                     f"free to act with probability {tr.freedom:.2f}; y: audience cost of "
                     f"the {threat} at the first decision ({tr.dates[0]})")
        files[f"{name}.png"] = png
        written.append(f"{name}.png")
    write_files(args.out, "decision-map", files)
    if not args.quiet:
        print(f"{tr.actor}'s first response to {tr.counterpart} over prior belief (0-1) and "
              f"audience cost (0-{args.max_cost:g}), {args.resolution}x{args.resolution} grid")
        if tr.threat_level is None:
            print("note: no threat stands at the first decision; the audience-cost axis "
                  "has no effect")
        print(f"at the scenario's point (prior {point[0]:.2f}, audience cost "
              f"{point[1]:.2f}): {at_point.label}" + (f" on {when}" if when else ""))
        for code in np.unique(dmap.outcome):
            share = float(np.mean(dmap.outcome == code))
            print(f"  {Outcome(int(code)).label:20s} {share:6.1%} of the plane")
    elapsed = time.perf_counter() - started
    print(f"wrote {', '.join(str(args.out / w) for w in written)} in {elapsed:.1f} s")
    return 0
