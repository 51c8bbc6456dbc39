"""What a run came to, in a few numbers: the first response of the target of a scenario's
first move, for ensembles, sweeps and notebooks.

`categorise` is the one definition of none / smaller / same / larger, used here and by the
comparison with recorded history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.results import RunResult
from sim.scenario import LoadedScenario

SAME_WITHIN = 0.10
OUTCOME_COLUMNS = ["seed", "actor", "target", "first_response_date", "delay_days",
                   "action", "persons", "facilities", "category", "measures", "first_choice"]


def categorise(persons: int, facilities: int, owed_persons: int, owed_facilities: int) -> str:
    """none / smaller / same (within 10%) / larger, comparing staff first, facilities when
    no staff was owed."""
    if persons == 0 and facilities == 0:
        return "none"
    size, owed = (persons, owed_persons) if owed_persons > 0 else (facilities, owed_facilities)
    if owed == 0:
        return "larger"
    if abs(size - owed) <= SAME_WITHIN * owed:
        return "same"
    return "larger" if size > owed else "smaller"


def owed_when(result: RunResult, actor: str, target: str, date: str) -> tuple[int, int]:
    """What `actor` owed `target` when it retaliated on `date` (staff, facilities)."""
    d = result.decisions
    row = d[(d["actor"] == actor) & (d["counterpart"] == target) & (d["date"] == date)
            & (d["choice"] == "retaliate")]
    if not len(row):
        return 0, 0
    return int(row.iloc[0]["owed_persons"]), int(row.iloc[0]["owed_facilities"])


def outcome(result: RunResult) -> dict[str, Any]:
    """The first response of the main dyad (`RunResult.main_dyad`) in one row."""
    actor, target = result.main_dyad()
    moves = result.events[result.events["source"] == "scenario"]
    start = str(moves.iloc[0]["date"]) if len(moves) else result.scenario.spec.start.isoformat()
    mine = result.model_actions()
    mine = mine[(mine["actor"] == actor) & (mine["target"] == target)]
    row: dict[str, Any] = {"seed": result.seed, "actor": actor, "target": target,
                           "measures": len(result.model_actions()),
                           "first_choice": first_choice(result, actor, target)}
    if len(mine):
        first = mine.iloc[0]
        persons, facilities = int(first["persons"]), int(first["facilities"])
        row.update(
            first_response_date=str(first["date"]),
            delay_days=(dt.date.fromisoformat(first["date"]) - dt.date.fromisoformat(start)).days,
            action=str(first["action"]), persons=persons, facilities=facilities,
            category=categorise(persons, facilities,
                                *owed_when(result, actor, target, str(first["date"]))),
        )
    else:
        row.update(first_response_date=None, delay_days=None, action="none", persons=0,
                   facilities=0, category="none")
    return row


def first_choice(result: RunResult, actor: str, target: str) -> str | None:
    """What `actor` first chose about its grievance against `target` (retaliate, wait,
    let go), None if it never had to decide. "wait" is the outcome the model is about: an
    answer held back, whatever came of it later."""
    d = result.decisions
    mine = d[(d["actor"] == actor) & (d["counterpart"] == target)]
    return str(mine.iloc[0]["choice"]) if len(mine) else None


def derive_seeds(seed: int, n: int) -> list[int]:
    """`n` seeds derived from a scenario's seed: the same seed always gives the same list."""
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(c.generate_state(1, np.uint32)[0]) for c in children]


def run_many(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    runs: int,
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str = "mesa",
) -> pd.DataFrame:
    """`runs` seeded replicates (seeds derived from `seed`, default the scenario's), one
    outcome row each. Replicates differ only where the scenario declares randomness.

    `workers`, `scheduler` and `runner` choose how they run, as for
    `sim.studies.ensemble.ensemble` (default: here, in this process); the rows are the
    same however they ran.
    """
    from sim.studies.ensemble import ensemble

    table = ensemble(scenario, runs, seed=seed, overrides=overrides, workers=workers,
                     scheduler=scheduler, runner=runner)
    return table.drop(columns="run")
