"""The profile-likelihood chart of a maximum-likelihood fit (`python -m sim fit`)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

Profile = tuple[NDArray[np.float64], NDArray[np.float64]]


def draw_profiles(fig: Figure, profiles: Mapping[str, Profile],
                  estimates: Mapping[str, float], identified: Mapping[str, bool],
                  cut: float, log_scale: Mapping[str, bool]) -> None:
    """One panel per parameter: its profile log-likelihood relative to the maximum over
    its range, the estimate marked, and the 95% line (`cut` below the maximum): values
    whose curve stays above the line are not rejected by the data. A panel whose curve
    never falls below the line says "not identified"."""
    names = list(profiles)
    cols = min(3, len(names)) or 1
    rows = math.ceil(len(names) / cols) or 1
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names, strict=False):
        x, ll = profiles[name]
        order = np.argsort(x)
        ax.plot(x[order], ll[order] - ll.max(), color="tab:blue", marker=".", lw=1.2)
        ax.axhline(-cut, color="tab:red", ls="--", lw=1, label="95%")
        ax.axvline(estimates[name], color="0.3", lw=0.8)
        if log_scale.get(name):
            ax.set_xscale("log")
        title = name if identified.get(name) else f"{name}\n(not identified)"
        ax.set_title(title, fontsize=9)
        ax.set_ylim(bottom=max(-4 * cut, float(ll.min() - ll.max()) - 0.2), top=0.3)
        ax.set_ylabel("log-likelihood - max", fontsize=8)
    axes.flat[0].legend(fontsize=8, loc="lower left")
