"""What many runs say: shares with confidence intervals, and the retaliation curve.

Shares use the Wilson score interval (Wilson 1927; Brown, Cai & DasGupta 2001): unlike the
textbook p ± z sqrt(p(1-p)/n), it stays inside [0, 1] and is not of zero width when no
run, or every run, retaliated, which is common in ensembles of a nearly deterministic
model. Runs with the same seeds at every point of a sweep share their random numbers, so
differences between points are sharper than these per-point intervals suggest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

Z95 = 1.959963984540054  # two-sided 95%


def wilson(k: ArrayLike, n: ArrayLike, z: float = Z95) -> tuple[NDArray[np.float64],
                                                                NDArray[np.float64]]:
    """Wilson score interval for k successes in n trials (broadcasts; n > 0)."""
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    p = k / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2.0 * n)) / denominator
    half = z * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator
    # At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); say so, without rounding.
    lo = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return lo, hi


def retaliation_curve(first_dates: Sequence[str | None], start: dt.date,
                      end: dt.date) -> pd.DataFrame:
    """Share of runs that had retaliated by each day from `start` to `end`, with its
    Wilson interval: date, retaliated (count), runs, p, lo, hi."""
    n = len(first_dates)
    days = pd.date_range(start, end, freq="D")
    when = pd.to_datetime(pd.Series([d for d in first_dates if d]), format="ISO8601")
    counts = np.searchsorted(np.sort(when.to_numpy()), days.to_numpy(), side="right")
    lo, hi = wilson(counts, n)
    return pd.DataFrame({"date": days.date.astype(str), "retaliated": counts, "runs": n,
                         "p": counts / n, "lo": lo, "hi": hi})


def share(flags: ArrayLike) -> tuple[float, float, float]:
    """Share of True among `flags`, with its Wilson interval."""
    flags = np.asarray(flags, dtype=bool)
    lo, hi = wilson(flags.sum(), flags.size)
    return float(flags.mean()), float(lo), float(hi)


CATEGORIES = ("none", "smaller", "same", "larger")


def summarise(runs: pd.DataFrame) -> dict[str, float | int]:
    """The outcome of a set of runs in a few numbers (one row of a sweep's points table).

    p_retaliated: the main dyad's target answered at all (p_none: it did not); p_waited:
    its first decision was to wait; persons/facilities_mean: expected size of the first
    answer (0 when none); delay_median: days to the first answer among runs that answered.
    """
    n = len(runs)
    out: dict[str, float | int] = {"runs": n}
    answered = runs["category"].to_numpy() != "none"
    for name, flags in (("p_retaliated", answered), ("p_none", ~answered),
                        ("p_waited", runs["first_choice"].to_numpy() == "wait")):
        p, lo, hi = share(flags)
        out.update({name: p, f"{name}_lo": lo, f"{name}_hi": hi})
    for column in ("persons", "facilities"):
        values = runs[column].to_numpy(dtype=float)
        out[f"{column}_mean"] = float(values.mean())
        out[f"{column}_se"] = float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    delays = pd.to_numeric(runs["delay_days"], errors="coerce").to_numpy(dtype=float)
    delays = delays[answered & np.isfinite(delays)]
    out["delay_median"] = float(np.median(delays)) if delays.size else float("nan")
    for category in CATEGORIES[1:]:
        out[f"share_{category}"] = float(np.mean(runs["category"].to_numpy() == category))
    return out
