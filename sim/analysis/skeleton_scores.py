"""Scoring "answered" and "delay" on episode skeletons from event data.

A skeleton (`sim.scenario.events.Skeleton`) knows only who expelled whom first, and
whether and when the target expelled in return. To put the model to it, each skeleton is
made into the smallest scenario that holds it: two states, the initiator's expulsion on the
first date, and every fact event data do not record left at a neutral default - equal
power, no dependence, missions of `MISSION_STAFF` on each side, `EXPELLED_PERSONS`
expelled, no leadership transition, no statements. The run covers the import's window.

With no facts, every skeleton gives the same scenario up to its dates and names, so the
model makes the same prediction for every pair: the scores then measure how often the
base rate the model implies is right, not whether the model explains any pair. This is the
scaffolding for facts joined to the skeletons later (power, missions, transitions), at
which point the same scoring says something about the model.

The tit-for-tat baseline answers every expulsion the next day, as in
`sim.analysis.validation`. "Answered" is right when prediction and record agree on whether
the target answered within the window; "delay" as in the scorecard: both absent, or
within 3 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.analysis.validation import delay_ok
from sim.engine.one_run import run
from sim.scenario import load
from sim.scenario.events import DEFAULT_WINDOW, Skeleton

# Neutral defaults for what event data do not record. 2 is the median of move_persons over
# the expulsions of data/first_responses.csv (169 rows with a count); 10 staff a side is a
# small embassy, the same on both sides so that neither has more to lose.
EXPELLED_PERSONS = 2
MISSION_STAFF = 10
BASELINE_DELAY = 1

COLUMNS = [
    "initiator", "target", "first_date", "recorded_answered", "recorded_delay_days",
    "predicted_answered", "predicted_delay_days", "baseline_answered", "baseline_delay_days",
    "answered_ok", "delay_ok", "baseline_answered_ok", "baseline_delay_ok",
]


def skeleton_scenario(skeleton: Skeleton, window: int = DEFAULT_WINDOW) -> dict[str, Any]:
    """The minimal two-state scenario of a skeleton, as a dict for `sim.load`."""
    i, t = skeleton.initiator, skeleton.target
    start = skeleton.first_date
    return {
        "name": f"events-{i}-{t}-{start.isoformat()}",
        "title": f"{i} expels diplomats of {t} ({start.isoformat()}), from event data",
        "description": "A skeleton from event data: no facts beyond the pair and the date.",
        "start": start.isoformat(),
        "end": (start + dt.timedelta(days=max(window, 1))).isoformat(),
        "states": {
            i: {"name": i, "missions": {t: MISSION_STAFF}},
            t: {"name": t, "missions": {i: MISSION_STAFF}},
        },
        "events": [{"date": start.isoformat(), "type": "expel", "actor": i, "target": t,
                    "persons": EXPELLED_PERSONS, "note": "from event data"}],
    }


def predicted_delay(skeleton: Skeleton, window: int = DEFAULT_WINDOW,
                    overrides: Mapping[str, Any] | Iterable[str] = ()) -> int | None:
    """Days from the first expulsion to the model target's first measure against the
    initiator within the window, or None if it took none."""
    result = run(load(skeleton_scenario(skeleton, window), overrides))
    actions = result.model_actions()
    last = (skeleton.first_date + dt.timedelta(days=window)).isoformat()
    mine = actions[(actions["actor"] == skeleton.target)
                   & (actions["target"] == skeleton.initiator)
                   & (actions["date"] >= skeleton.first_date.isoformat())
                   & (actions["date"] <= last)]
    if not len(mine):
        return None
    return (dt.date.fromisoformat(str(mine.iloc[0]["date"])) - skeleton.first_date).days


def score_skeletons(skeletons: Iterable[Skeleton], window: int = DEFAULT_WINDOW,
                    overrides: Mapping[str, Any] | Iterable[str] = ()) -> pd.DataFrame:
    """One row per skeleton: recorded, model and baseline answers and delays, and whether
    each prediction is right."""
    assignments = dict(overrides) if isinstance(overrides, Mapping) else list(overrides)
    rows = []
    for sk in skeletons:
        predicted = predicted_delay(sk, window, assignments)
        recorded = sk.delay_days
        rows.append({
            "initiator": sk.initiator, "target": sk.target,
            "first_date": sk.first_date.isoformat(),
            "recorded_answered": sk.answered, "recorded_delay_days": recorded,
            "predicted_answered": predicted is not None, "predicted_delay_days": predicted,
            "baseline_answered": True, "baseline_delay_days": BASELINE_DELAY,
            "answered_ok": (predicted is not None) == sk.answered,
            "delay_ok": delay_ok(predicted, recorded),
            "baseline_answered_ok": sk.answered,
            "baseline_delay_ok": delay_ok(BASELINE_DELAY, recorded),
        })
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("recorded_delay_days", "predicted_delay_days", "baseline_delay_days"):
        frame[col] = frame[col].astype("Int64")
    return frame


@dataclass(frozen=True)
class SkeletonShares:
    """Share of skeletons where "answered" is right, and where the delay is (both absent,
    or within 3 days), for the model or the baseline."""

    n: int
    answered: float
    delay: float


def skeleton_shares(frame: pd.DataFrame, who: str = "model") -> SkeletonShares:
    """The two shares of a `score_skeletons` frame, for "model" or "baseline"."""
    prefix = "" if who == "model" else "baseline_"
    if len(frame) == 0:
        return SkeletonShares(0, float("nan"), float("nan"))
    return SkeletonShares(len(frame), float(frame[f"{prefix}answered_ok"].mean()),
                          float(frame[f"{prefix}delay_ok"].mean()))
