"""What a run came to, in a few numbers: the first response of the target of a scenario's
first move, for ensembles, sweeps and notebooks.

`categorise` is the one definition of none / smaller / same / larger, used here and by the
comparison with recorded history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from sim.engine.batch import BatchEngine
from sim.engine.one_run import RunResult
from sim.engine.plan import Plan

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


def first_response(actions: pd.DataFrame, actor: str, target: str, start: dt.date,
                   seed: int, choice: str | None) -> dict[str, Any]:
    """The outcome row of one run from its model measures (columns date, actor, target,
    action, persons, facilities, owed_persons, owed_facilities): the first measure of
    `actor` against `target`, its delay from `start`, and its category; and what `actor`
    first chose about its grievance. Shared by the Mesa runs (`outcome`) and the batch
    engine (`batch_outcomes`)."""
    mine = actions[(actions["actor"] == actor) & (actions["target"] == target)]
    row: dict[str, Any] = {"seed": seed, "actor": actor, "target": target,
                           "measures": len(actions), "first_choice": choice}
    if len(mine):
        first = mine.iloc[0]
        persons, facilities = int(first["persons"]), int(first["facilities"])
        row.update(
            first_response_date=str(first["date"]),
            delay_days=(dt.date.fromisoformat(first["date"]) - start).days,
            action=str(first["action"]), persons=persons, facilities=facilities,
            category=categorise(persons, facilities, int(first["owed_persons"]),
                                int(first["owed_facilities"])),
        )
    else:
        row.update(first_response_date=None, delay_days=None, action="none", persons=0,
                   facilities=0, category="none")
    return row


def outcome(result: RunResult) -> dict[str, Any]:
    """The first response of the main dyad (`RunResult.main_dyad`) in one row."""
    plan = Plan(result.scenario.spec)
    actor, target = plan.main_dyad
    actions = result.model_actions()
    owed = [owed_when(result, a, t, d)
            for a, t, d in zip(actions["actor"], actions["target"], actions["date"], strict=True)]
    actions = actions.assign(owed_persons=[o[0] for o in owed],
                             owed_facilities=[o[1] for o in owed])
    return first_response(actions, actor, target, plan.first_move, result.seed,
                          first_choice(result, actor, target))


def first_choice(result: RunResult, actor: str, target: str) -> str | None:
    """What `actor` first chose about its grievance against `target` (retaliate, wait,
    let go), None if it never had to decide. "wait" is the outcome the model is about: an
    answer held back, whatever came of it later."""
    d = result.decisions
    mine = d[(d["actor"] == actor) & (d["counterpart"] == target)]
    return str(mine.iloc[0]["choice"]) if len(mine) else None


def batch_outcome_rows(actions: pd.DataFrame, plan: Plan, seeds: list[int],
                       first_choices: list[str | None]) -> list[dict[str, Any]]:
    """Outcome rows of batch runs (`sim.engine.batch.BatchEngine`), one per seed, in order.

    The rows `first_response` gives run by run, found for all runs at once (one filter and
    one grouping, not one per run: with 10,000 runs the per-run filtering took longer than
    the runs themselves)."""
    model = actions[actions["source"] == "model"]
    measures = model["run"].value_counts().to_dict()
    actor, target = plan.main_dyad
    mine = model[(model["actor"] == actor) & (model["target"] == target)]
    first = {int(row["run"]): row for row in
             mine.groupby("run", sort=False).head(1).to_dict("records")}
    rows = []
    for r, (s, c) in enumerate(zip(seeds, first_choices, strict=True)):
        row: dict[str, Any] = {"seed": s, "actor": actor, "target": target,
                               "measures": int(measures.get(r, 0)), "first_choice": c}
        hit = first.get(r)
        if hit is not None:
            persons, facilities = int(hit["persons"]), int(hit["facilities"])
            row.update(
                first_response_date=str(hit["date"]),
                delay_days=(dt.date.fromisoformat(str(hit["date"])) - plan.first_move).days,
                action=str(hit["action"]), persons=persons, facilities=facilities,
                category=categorise(persons, facilities, int(hit["owed_persons"]),
                                    int(hit["owed_facilities"])))
        else:
            row.update(first_response_date=None, delay_days=None, action="none", persons=0,
                       facilities=0, category="none")
        rows.append(row)
    return rows


def derive_seeds(seed: int, n: int) -> list[int]:
    """`n` seeds derived from a scenario's seed: the same seed always gives the same list."""
    children = np.random.SeedSequence(seed).spawn(n)
    return [int(c.generate_state(1, np.uint32)[0]) for c in children]


def batch_outcomes(engine: BatchEngine) -> list[dict[str, Any]]:
    """One outcome row per run of a batch engine, after `engine.run()`, as `outcome`
    gives it for a Mesa run of the same seed."""
    return batch_outcome_rows(engine.frame(), engine.plan, [int(s) for s in engine.seeds],
                              engine.first_choices())


def batch_outcome_frame(engine: BatchEngine) -> pd.DataFrame:
    """`batch_outcomes` as a DataFrame with the columns `OUTCOME_COLUMNS`."""
    return pd.DataFrame(batch_outcomes(engine), columns=OUTCOME_COLUMNS)
