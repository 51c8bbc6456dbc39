"""The validation scorecard as a chart and as text."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from sim.outputs.charts import COLORS
from sim.validation import Fit, fit

MEASURES = (("category", "category right"), ("size", "size within 10%"),
            ("delay", "delay within 3 days"))


def draw_scorecard(ax: Axes, frame: pd.DataFrame) -> Axes:
    """Model against the tit-for-tat baseline: the three shares, side by side."""
    model, base = fit(frame, "model"), fit(frame, "baseline")
    xs = range(len(MEASURES))
    width = 0.38
    for shift, f, label, color in ((-width / 2, model, "model", COLORS["blue"]),
                                   (width / 2, base, "tit for tat (same number, next day)",
                                    COLORS["orange"])):
        values = [getattr(f, key) for key, _ in MEASURES]
        bars = ax.bar([x + shift for x in xs], values, width, label=label, color=color)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=8, padding=2)
    ax.set_xticks(list(xs), [text for _, text in MEASURES])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("share of recorded first responses")
    ax.set_title(f"Validation on {model.n} recorded first responses "
                 f"({frame['scenario'].nunique()} episodes)")
    ax.legend(frameon=False, loc="upper right")
    ax.grid(axis="x", visible=False)
    return ax


def table_lines(frame: pd.DataFrame) -> list[str]:
    """The scorecard as aligned text, one row per first response, then the shares."""
    head = (f"{'scenario':24} {'actor':5} {'target':6} {'trigger':10} {'recorded':>16} "
            f"{'model':>16} {'delay rec/mod':>13}  cat size delay")
    out = [head]
    for r in frame.itertuples():
        rec = f"{r.recorded} {r.recorded_persons}"
        pre = f"{r.predicted} {r.predicted_persons}"
        delays = f"{_d(r.recorded_delay_days)}/{_d(r.predicted_delay_days)}"
        marks = " ".join("ok " if ok else "-- " for ok in (r.category_ok, r.size_ok,
                                                           r.delay_ok))
        out.append(f"{r.scenario:24.24} {r.actor:5} {r.target:6} {r.trigger_date:10} "
                   f"{rec:>16} {pre:>16} {delays:>13}  {marks}")
    out.append("")
    out += fit_lines(fit(frame, "model"), fit(frame, "baseline"))
    return out


def fit_lines(model: Fit, base: Fit) -> list[str]:
    return [
        f"{'':28}{'model':>8}{'tit for tat':>14}",
        f"{'category right':28}{model.category:8.0%}{base.category:14.0%}",
        f"{'size within 10%':28}{model.size:8.0%}{base.size:14.0%}",
        f"{'delay within 3 days':28}{model.delay:8.0%}{base.delay:14.0%}",
        f"{'first responses':28}{model.n:8d}",
    ]


def _d(value: object) -> str:
    return "-" if value is None or value is pd.NA or value != value else str(value)
