"""Scores of probabilistic predictions of first responses, and the exact McNemar test.

A predictor gives, for each recorded first response, a probability over the four
categories `CATEGORIES` (none, smaller, same, larger), a probability of answering within
3 days of the move, and the persons of its most likely answer. The scores:

1. ``accuracy``: share of rows whose most likely category (``argmax``; a tie goes to the
   earlier category of `CATEGORIES`) is the recorded one.
2. ``log_loss``: mean of ``-ln p(recorded)``, with ``p`` clipped below at `LOG_EPS`, so
   that one category a predictor called impossible costs ``ln(1/LOG_EPS)`` (9.2), not
   infinity (Gneiting and Raftery 2007, the logarithmic score).
3. ``brier``: the multi-class Brier score, mean over rows of ``sum_k (p_k - y_k)^2``
   (0 is perfect, 2 the worst; Brier 1950).
4. ``size_within_10pct``: over rows whose move and response persons are both recorded,
   the share where the predicted persons lie within 10% of the recorded ones (exactly
   equal when none were recorded), as `sim.analysis.validation.size_ok`.
5. ``delay_within_3d``: the event "answered within 3 days of the move" (a recorded
   category other than none with ``delay_days <= 3``; a recorded none is "not answered
   within 3 days"; an answer without a date is left out). Predicted when the predictor's
   probability of it is at least 1/2; the score is the share of rows predicted right.

The McNemar test compares two predictors on the same rows by their category correctness:
only the discordant rows count (``b``: the first right and the second wrong, ``c`` the
reverse); under the null both are equally likely, so ``b ~ Binomial(b + c, 1/2)`` and the
exact two-sided p-value is `scipy.stats.binomtest` (McNemar 1947; the exact form, as
Fagerland, Lydersen and Laake 2013 recommend for small counts).

Pure numpy and scipy; the inputs are arrays, so tests can use hand-made ones.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import binomtest

CATEGORIES = ("none", "smaller", "same", "larger")
LOG_EPS = 1e-4  # probabilities below this are raised to it in the log loss
SIZE_WITHIN = 0.10
DELAY_WITHIN = 3
METRIC_COLUMNS = ("predictor", "split", "n", "accuracy", "log_loss", "brier",
                  "size_within_10pct", "delay_within_3d")


def category_index(recorded: ArrayLike) -> NDArray[np.int64]:
    """Indices into `CATEGORIES` of recorded category names; an unknown name raises."""
    names = list(np.asarray(recorded, dtype=object))
    bad = sorted({str(c) for c in names if c not in CATEGORIES})
    if bad:
        raise ValueError(f"unknown categories {bad}: expected one of {', '.join(CATEGORIES)}")
    return np.array([CATEGORIES.index(c) for c in names], dtype=np.int64)


def _checked(probabilities: ArrayLike, n: int) -> NDArray[np.float64]:
    p = np.asarray(probabilities, dtype=np.float64)
    if p.shape != (n, len(CATEGORIES)):
        raise ValueError(f"probabilities have shape {p.shape}, expected ({n}, 4)")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0,
                                                                       atol=1e-6):
        raise ValueError("each row of probabilities must be non-negative and sum to 1")
    return p


def predicted_categories(probabilities: ArrayLike) -> NDArray[np.int64]:
    """The most likely category of each row (a tie goes to the earlier category)."""
    return np.asarray(np.argmax(np.asarray(probabilities, dtype=np.float64), axis=1),
                      dtype=np.int64)


def accuracy(probabilities: ArrayLike, recorded: ArrayLike) -> float:
    y = category_index(recorded)
    p = _checked(probabilities, len(y))
    return float(np.mean(predicted_categories(p) == y)) if len(y) else float("nan")


def log_loss(probabilities: ArrayLike, recorded: ArrayLike, eps: float = LOG_EPS) -> float:
    """Mean of -ln max(p(recorded), eps)."""
    y = category_index(recorded)
    p = _checked(probabilities, len(y))
    if not len(y):
        return float("nan")
    return float(np.mean(-np.log(np.maximum(p[np.arange(len(y)), y], eps))))


def brier(probabilities: ArrayLike, recorded: ArrayLike) -> float:
    """Mean over rows of the squared distance to the one-hot recorded category."""
    y = category_index(recorded)
    p = _checked(probabilities, len(y))
    if not len(y):
        return float("nan")
    onehot = np.zeros_like(p)
    onehot[np.arange(len(y)), y] = 1.0
    return float(np.mean(np.sum((p - onehot) ** 2, axis=1)))


def size_within(predicted_persons: ArrayLike, recorded_persons: ArrayLike,
                within: float = SIZE_WITHIN) -> float:
    """Share of rows with a recorded size (not NaN) whose prediction is within `within`
    of it; a missing prediction (NaN) on such a row counts as wrong."""
    pred = np.asarray(predicted_persons, dtype=np.float64)
    rec = np.asarray(recorded_persons, dtype=np.float64)
    known = ~np.isnan(rec)
    if not known.any():
        return float("nan")
    ok = np.abs(pred[known] - rec[known]) <= within * rec[known] + 1e-9
    return float(np.mean(ok & ~np.isnan(pred[known])))


def answered_within(recorded: ArrayLike, delay_days: ArrayLike,
                    days: int = DELAY_WITHIN) -> NDArray[np.float64]:
    """1.0 where the recorded answer came within `days` of the move, 0.0 where it did not
    (or there was none), NaN where an answer's date is unknown."""
    y = category_index(recorded)
    delay = np.asarray(delay_days, dtype=np.float64)
    out = np.where(delay <= days, 1.0, 0.0)
    out[np.isnan(delay)] = np.nan
    out[y == CATEGORIES.index("none")] = 0.0
    return out


def delay_within(within_probability: ArrayLike, recorded: ArrayLike,
                 delay_days: ArrayLike, days: int = DELAY_WITHIN) -> float:
    """Share of rows with a known answer date (or none) where "answered within `days`"
    is predicted right (predicted when its probability is at least 1/2)."""
    truth = answered_within(recorded, delay_days, days)
    known = ~np.isnan(truth)
    if not known.any():
        return float("nan")
    predicted = np.asarray(within_probability, dtype=np.float64)[known] >= 0.5
    return float(np.mean(predicted == (truth[known] == 1.0)))


@dataclass(frozen=True)
class Scores:
    """One row of metrics.csv."""

    predictor: str
    split: str
    n: int
    accuracy: float
    log_loss: float
    brier: float
    size_within_10pct: float
    delay_within_3d: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def score(predictor: str, split: str, probabilities: ArrayLike, recorded: ArrayLike, *,
          predicted_persons: ArrayLike, recorded_persons: ArrayLike,
          within_probability: ArrayLike, delay_days: ArrayLike) -> Scores:
    """Every score of one predictor on one set of rows."""
    p = np.asarray(probabilities, dtype=np.float64).reshape(-1, len(CATEGORIES))
    return Scores(predictor, split, len(p), accuracy(p, recorded), log_loss(p, recorded),
                  brier(p, recorded), size_within(predicted_persons, recorded_persons),
                  delay_within(within_probability, recorded, delay_days))


@dataclass(frozen=True)
class McNemar:
    """The exact McNemar test of two predictors' category correctness on the same rows."""

    n: int
    first_only: int  # b: rows the first predictor gets right and the second wrong
    second_only: int  # c: the reverse
    p_value: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def mcnemar(first_correct: ArrayLike, second_correct: ArrayLike) -> McNemar:
    """Exact two-sided McNemar test: b ~ Binomial(b + c, 1/2) (p = 1 with no discordant
    row: nothing tells the two apart)."""
    a = np.asarray(first_correct, dtype=bool)
    b = np.asarray(second_correct, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} and {b.shape}")
    first_only, second_only = int(np.sum(a & ~b)), int(np.sum(~a & b))
    discordant = first_only + second_only
    p = 1.0 if discordant == 0 else float(binomtest(first_only, discordant, 0.5).pvalue)
    return McNemar(len(a), first_only, second_only, p)
