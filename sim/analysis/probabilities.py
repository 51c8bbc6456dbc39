"""Probabilities of each recorded first response, not only the most likely one.

A single run follows the most likely course of every decision; the model itself says more:
each decision weighed by utilities has logit probabilities (quantal response, section 4a
of docs/model.md). What they imply for a first response (none, smaller, same, larger, and
how soon) depends on the whole path, so it is estimated the plain way: `runs` seeded runs
of the batch engine, each drawing its decisions, and for every response the scenario's
history records, the share of runs whose first response falls in each category. The same
rule as `sim.analysis.comparison.compare` finds a run's first response: the first measure
the actor takes against the target from the trigger date until the next recorded trigger
of that pair (or the end). The actor's `tremble` share (none at the defaults) is spread
evenly over the categories (`sim.game.sizes.trembled`), as in the likelihood.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.outcomes import categorise, derive_seeds
from sim.engine.batch import BatchEngine
from sim.game.sizes import trembled
from sim.scenario import LoadedScenario

CATEGORIES = ("none", "smaller", "same", "larger")
RUNS = 400  # standard error of a share at most 0.025
WITHIN_DAYS = 3


def first_response_probabilities(loaded: LoadedScenario, runs: int = RUNS,
                                 seed: int | None = None) -> list[dict[str, Any]]:
    """For each recorded response, in history order: its key (actor, target, trigger),
    `probabilities` over `CATEGORIES` (summing to 1), the probability of answering within
    `WITHIN_DAYS` days of the trigger, the median persons of the runs' answers in each
    category (`median_persons`, only for the categories some run drew), and `runs`. Empty
    without a history."""
    spec = loaded.spec
    if spec.history is None:
        return []
    seeds = derive_seeds(spec.seed if seed is None else seed, runs)
    engine = BatchEngine(loaded, seeds, sample=True)
    frame = engine.run()
    model = frame[frame["source"] == "model"]
    out = []
    for r in spec.history.responses:
        later = [x.trigger_date for x in spec.history.responses
                 if (x.actor, x.target) == (r.actor, r.target) and x.trigger_date > r.trigger_date]
        until = min(later) if later else spec.end + dt.timedelta(days=1)
        mine = model[(model["actor"] == r.actor) & (model["target"] == r.target)
                     & (model["date"] >= r.trigger_date.isoformat())
                     & (model["date"] < until.isoformat())]
        first = mine.groupby("run", sort=True).head(1)
        counts = dict.fromkeys(CATEGORIES, 0)
        staff: dict[str, list[int]] = {c: [] for c in CATEGORIES}
        soon = 0
        columns = [first[c].to_numpy() for c in ("persons", "facilities", "owed_persons",
                                                  "owed_facilities", "date")]
        for persons, facilities, owed_p, owed_f, date in zip(*columns, strict=True):
            category = categorise(int(persons), int(facilities), int(owed_p), int(owed_f))
            counts[category] += 1
            staff[category].append(int(persons))
            delay = (dt.date.fromisoformat(str(date)) - r.trigger_date).days
            soon += delay <= WITHIN_DAYS
        counts["none"] += runs - len(first)
        staff["none"] += [0] * (runs - len(first))
        shares = trembled(np.array([counts[c] / runs for c in CATEGORIES]),
                          spec.behaviour_of(r.actor).tremble)
        out.append({
            "actor": r.actor, "target": r.target, "trigger_date": r.trigger_date.isoformat(),
            "recorded": r.category,
            "probabilities": {c: float(x) for c, x in zip(CATEGORIES, shares, strict=True)},
            "within_3_days": soon / runs,
            "median_persons": {c: float(np.median(staff[c])) for c in CATEGORIES
                               if staff[c]},
            "runs": runs,
        })
    return out


def probability_of_recorded(p: dict[str, Any]) -> float:
    """The model's probability of the category history recorded."""
    return float(p["probabilities"][p["recorded"]])


def as_frame(probabilities: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per recorded response: key, recorded category, a column per category."""
    rows = [{"actor": p["actor"], "target": p["target"], "trigger_date": p["trigger_date"],
             "recorded": p["recorded"], **p["probabilities"],
             "within_3_days": p["within_3_days"]} for p in probabilities]
    columns = ["actor", "target", "trigger_date", "recorded", *CATEGORIES, "within_3_days"]
    return pd.DataFrame(rows, columns=columns).astype(
        {c: np.float64 for c in (*CATEGORIES, "within_3_days")})
