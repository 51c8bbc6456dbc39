"""Shares, intervals and the retaliation curve, against values worked by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.analysis.stats import retaliation_curve, summarise, wilson


def test_wilson_interval_by_hand():
    # z = 1.959964, z^2 / n = 0.384146 for n = 10, denominator 1.384146.
    # k = 5: centre 0.5, half-width 1.959964 * sqrt(0.025 + 0.0096036) / 1.384146 = 0.263406
    lo, hi = wilson(5, 10)
    assert (lo, hi) == pytest.approx((0.236594, 0.763406), abs=1e-6)
    # k = 0: centre = half-width = 0.192073 / 1.384146 = 0.138766: (0, 0.277533)
    lo, hi = wilson(0, 10)
    assert lo == 0.0 and hi == pytest.approx(0.277533, abs=1e-6)
    lo, hi = wilson(10, 10)
    assert hi == 1.0 and lo == pytest.approx(1 - 0.277533, abs=1e-6)


def test_wilson_broadcasts_and_narrows_with_more_runs():
    lo, hi = wilson(np.array([10, 100, 1000]), np.array([20, 200, 2000]))
    widths = hi - lo
    assert np.all(np.diff(widths) < 0)
    assert widths[-1] == pytest.approx(2 * 1.959964 * np.sqrt(0.25 / 2000), rel=1e-3)


def test_retaliation_curve_counts_runs_by_each_day():
    dates = ["2017-01-03", None, "2017-01-01", "2017-01-03"]
    curve = retaliation_curve(dates, dt.date(2016, 12, 31), dt.date(2017, 1, 4))
    assert list(curve["date"]) == ["2016-12-31", "2017-01-01", "2017-01-02", "2017-01-03",
                                   "2017-01-04"]
    assert list(curve["retaliated"]) == [0, 1, 1, 3, 3]
    assert list(curve["p"]) == [0.0, 0.25, 0.25, 0.75, 0.75]
    assert (curve["lo"] <= curve["p"]).all() and (curve["p"] <= curve["hi"]).all()


def test_summary_of_four_runs():
    runs = pd.DataFrame({
        "category": ["none", "larger", "same", "larger"],
        "first_choice": ["wait", "wait", "retaliate", "wait"],
        "persons": [0, 755, 35, 755],
        "facilities": [0, 2, 2, 2],
        "delay_days": [None, 211, 1, 209],
    })
    s = summarise(runs)
    assert s["runs"] == 4
    assert s["p_retaliated"] == 0.75 and s["p_none"] == 0.25 and s["p_waited"] == 0.75
    assert s["persons_mean"] == (755 + 35 + 755) / 4
    assert s["delay_median"] == 209.0
    assert (s["share_larger"], s["share_same"], s["share_smaller"]) == (0.5, 0.25, 0.0)
    assert s["p_none_lo"] == pytest.approx(1 - s["p_retaliated_hi"])
