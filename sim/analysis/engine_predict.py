"""The model's predictions for data-set rows from sampled engine runs (no likelihood needed).

Stand-in for `sim.analysis.estimation.predict` while that module is absent, and the
source of the model's predicted sizes in any case (the likelihood gives categories and
timing, not persons). For each row the data set can express as a scenario
(`sim.scenario.from_data.scenario_of`):

1. load the row's scenario with the behaviour `overrides` (``{name: value}``, applied as
   ``behaviour.NAME``);
2. run it `runs` times, every decision drawn from its quantal response
   (`sim.analysis.probabilities.first_response_probabilities`, the same seeds for every
   row: common random numbers, so two parameter sets differ by their effect, not by luck);
3. read the share of runs in each category, the share answering within 3 days, and the
   median persons of the runs in each category.

Rows the scenario format cannot express, and rows without a recorded category, are not
kept; the caller scores every predictor on the kept rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.analysis.metrics import CATEGORIES
from sim.analysis.probabilities import first_response_probabilities
from sim.scenario import load
from sim.scenario.dataset import FirstResponse
from sim.scenario.from_data import scenario_of, why_not

RUNS = 400  # standard error of a share at most 0.025


@dataclass(frozen=True)
class EnginePrediction:
    """Per kept row: probabilities over `CATEGORIES`, P(answer within 3 days), and the
    median persons of the sampled answers in each category ((n, 4), NaN where no run)."""

    probabilities: NDArray[np.float64]
    within_3_days: NDArray[np.float64]
    median_persons: NDArray[np.float64]
    kept_rows: list[FirstResponse]


def assignments(overrides: Mapping[str, float] | None) -> dict[str, float]:
    """Behaviour overrides as scenario assignments (a bare name means behaviour.NAME)."""
    return {(k if "." in k else f"behaviour.{k}"): v for k, v in (overrides or {}).items()}


def scorable(row: FirstResponse) -> bool:
    """A row the model can be put to: a recorded category and a scenario to run."""
    return row.response_category is not None and why_not(row) is None


def predict(rows: Sequence[FirstResponse], overrides: Mapping[str, float] | None = None,
            runs: int = RUNS, seed: int = 0,
            progress: Callable[[int], None] | None = None) -> EnginePrediction:
    """The model's predictions for the scorable `rows` (see the module docstring);
    `progress(1)` is called after each row."""
    assign = assignments(overrides)
    probs, within, persons, kept = [], [], [], []
    for row in rows:
        if scorable(row):
            loaded = load(scenario_of(row), assign)
            (p,) = first_response_probabilities(loaded, runs=runs, seed=seed)
            probs.append([p["probabilities"][c] for c in CATEGORIES])
            within.append(p["within_3_days"])
            persons.append([p["median_persons"].get(c, np.nan) for c in CATEGORIES])
            kept.append(row)
        if progress is not None:
            progress(1)
    shape = (len(kept), len(CATEGORIES))
    return EnginePrediction(np.asarray(probs, dtype=np.float64).reshape(shape),
                            np.asarray(within, dtype=np.float64),
                            np.asarray(persons, dtype=np.float64).reshape(shape), kept)
