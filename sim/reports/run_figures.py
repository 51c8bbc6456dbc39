"""Arrange the charts into the figures a run writes: timeline, belief, utilities."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only; notebooks draw with `charts` directly

import matplotlib.pyplot as plt

from sim.engine.one_run import RunResult
from sim.viz import charts

if TYPE_CHECKING:  # for annotations only
    from matplotlib.figure import Figure

PNG_METADATA = charts.PNG_METADATA


def write_figures(result: RunResult, folder: Path) -> list[str]:
    """Draw and save the three standard figures; returns their file names."""
    actor, counterpart = result.main_dyad()
    written = []
    with charts.style():
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 5.2), sharex=True,
                                          height_ratios=(3, 1.2), layout="constrained")
        charts.draw_missions(top, result, actor, counterpart)
        charts.draw_facilities(bottom, result, actor, counterpart)
        written.append(_save(fig, folder / "timeline.png"))
        for name, draw in (("belief.png", charts.draw_belief),
                           ("utilities.png", charts.draw_utilities)):
            fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
            draw(ax, result, actor, counterpart)
            written.append(_save(fig, folder / name))
    return written


def _save(fig: Figure, path: Path) -> str:
    fig.savefig(path, metadata=PNG_METADATA)
    plt.close(fig)
    return path.name
