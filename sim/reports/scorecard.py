"""The validation scorecard as text (its chart is `charts.draw_scorecard`)."""

from __future__ import annotations

import pandas as pd

from sim.analysis.validation import Shares, shares


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
    out += share_lines(shares(frame, "model"), shares(frame, "baseline"))
    return out


def share_lines(model: Shares, base: Shares) -> list[str]:
    return [
        f"{'':28}{'model':>8}{'tit for tat':>14}",
        f"{'category right':28}{model.category:8.0%}{base.category:14.0%}",
        f"{'size within 10%':28}{model.size:8.0%}{base.size:14.0%}",
        f"{'delay within 3 days':28}{model.delay:8.0%}{base.delay:14.0%}",
        f"{'first responses':28}{model.n:8d}",
    ]


def _d(value: object) -> str:
    return "-" if value is None or value is pd.NA or value != value else str(value)
