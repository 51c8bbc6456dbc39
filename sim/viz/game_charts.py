"""Figures of the solved game: the tournament's two panels, its ecology and the
decision map.

Like `figures.py`, this only arranges charts from `charts.py` and returns PNG bytes
without timestamps, so the same inputs give the same file.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sim.game.decision_regions import DecisionMap
from sim.viz import charts

if TYPE_CHECKING:  # for annotations only
    from matplotlib.figure import Figure


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata=charts.PNG_METADATA)
    plt.close(fig)
    return buffer.getvalue()


def tournament_png(ranking: pd.DataFrame, pairwise: pd.DataFrame, subtitle: str) -> bytes:
    """Mean payoff per policy with intervals (left), policy against policy (right)."""
    with charts.style():
        fig, (left, right) = plt.subplots(1, 2, figsize=(12.0, 4.8), layout="constrained",
                                          width_ratios=(1, 1.25))
        charts.draw_policy_ranking(left, ranking)
        charts.draw_policy_matrix(right, pairwise)
        fig.suptitle(subtitle, fontsize=9)
        return _png(fig)


def ecology_png(shares: pd.DataFrame, subtitle: str) -> bytes:
    """Shares of each policy over the generations of the ecological run."""
    with charts.style():
        fig, ax = plt.subplots(figsize=(9.0, 4.6), layout="constrained")
        charts.draw_ecology(ax, shares)
        fig.suptitle(subtitle, fontsize=8)
        return _png(fig)


def decision_map_png(dmap: DecisionMap, *, point: tuple[float, float] | None,
                     point_label: str, boundary: np.ndarray | None, actor: str,
                     subtitle: str) -> bytes:
    with charts.style():
        fig, ax = plt.subplots(figsize=(8.0, 4.6), layout="constrained")
        charts.draw_decision_map(ax, dmap, point=point, point_label=point_label,
                                 boundary=boundary, actor=actor)
        fig.suptitle(subtitle, fontsize=8)
        return _png(fig)
