"""Arrange the charts into the figures a run writes: timeline, belief, utilities.

A chart is drawn only when the run has something for it to show; otherwise it is not
written, and `skipped_charts` says why (printed by the command line, recorded in
summary.json). An empty chart with a 1970 axis, or one day of utilities with hourly ticks,
told the reader nothing and looked like a result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only; notebooks draw with `charts` directly

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.engine.one_run import RunResult
from sim.viz import charts

if TYPE_CHECKING:  # for annotations only
    from matplotlib.figure import Figure

PNG_METADATA = charts.PNG_METADATA
UTILITY_COLUMNS = ("eu_retaliate", "eu_wait", "eu_let_go")


def _rows(result: RunResult, actor: str, counterpart: str) -> pd.DataFrame:
    ts = result.timeseries
    if ts.empty:
        return ts
    return ts[(ts["actor"] == actor) & (ts["counterpart"] == counterpart)]


def skipped_charts(result: RunResult) -> dict[str, str]:
    """The standard charts this run has nothing to draw in, each with the reason."""
    actor, counterpart = result.main_dyad()
    rows = _rows(result, actor, counterpart)
    if rows.empty:
        why = ("no pair of states is in play (no event between two states, no signal one "
               "sees about the other): nothing happens to draw")
        return {"timeline.png": why, "belief.png": why, "utilities.png": why}
    skipped = {}
    p = rows["p_reset"].to_numpy(dtype=float)
    if not np.isfinite(p).any():
        skipped["belief.png"] = (f"{actor} holds no belief in a reset with {counterpart}: "
                                 f"no administration of {counterpart} has a prior")
    eu = rows[list(UTILITY_COLUMNS)].to_numpy(dtype=float)
    days = int(np.isfinite(eu).any(axis=1).sum())
    if days < 2:
        skipped["utilities.png"] = (
            f"{actor} weighed retaliating against {counterpart} on {days} day"
            f"{'s' if days != 1 else ''} only (a grievance open for less than two days): "
            "no curve to draw; decisions.csv has the numbers")
    return skipped


def _facilities_shown(result: RunResult, actor: str, counterpart: str) -> bool:
    """Whether either side holds or loses any facility: else the panel would be empty."""
    rows = _rows(result, actor, counterpart)
    columns = ["facilities_counterpart_in_actor", "facilities_actor_in_counterpart"]
    return bool(rows[columns].to_numpy(dtype=float).max(initial=0) > 0)


def write_figures(result: RunResult, folder: Path) -> list[str]:
    """Draw and save the standard figures that have something to show; returns their
    file names (`skipped_charts` says why the others are absent)."""
    actor, counterpart = result.main_dyad()
    skipped = skipped_charts(result)
    written = []
    with charts.style():
        if "timeline.png" not in skipped:
            if _facilities_shown(result, actor, counterpart):
                fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True,
                                                  height_ratios=(3, 1.2),
                                                  layout="constrained")
                charts.draw_missions(top, result, actor, counterpart)
                charts.draw_facilities(bottom, result, actor, counterpart)
            else:  # no site on either side: no empty panel
                fig, top = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
                charts.draw_missions(top, result, actor, counterpart)
            written.append(_save(fig, folder / "timeline.png"))
        for name, draw in (("belief.png", charts.draw_belief),
                           ("utilities.png", charts.draw_utilities)):
            if name in skipped:
                continue
            fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
            draw(ax, result, actor, counterpart)
            written.append(_save(fig, folder / name))
        probabilities = result.meta.get("first_response_probabilities")
        if probabilities:
            fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.32 * min(len(probabilities), 24)),
                                   layout="constrained")
            charts.draw_first_responses(ax, probabilities)
            written.append(_save(fig, folder / "responses.png"))
    return written


def _save(fig: Figure, path: Path) -> str:
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)
    return path.name
