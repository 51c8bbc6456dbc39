"""Compare a run's first responses with the responses recorded in the scenario's history.

The history block is read here and only here: the model never sees it. For each recorded
response (actor, target, trigger date) the predicted response is the first measure the
model's actor took against the target from the trigger date until the next recorded
trigger for the same pair (or the end of the run); none if it took none. Each is put in a
category relative to what was owed (`sim.analysis.outcomes.categorise`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sim.analysis.outcomes import categorise, owed_when
from sim.engine.one_run import RunResult


@dataclass(frozen=True)
class Comparison:
    """One recorded first response next to the model's."""

    actor: str
    target: str
    trigger_date: str
    recorded: str
    predicted: str
    recorded_persons: int
    predicted_persons: int
    recorded_facilities: int
    predicted_facilities: int
    recorded_delay_days: int | None
    predicted_delay_days: int | None
    predicted_action: str
    predicted_date: str | None

    @property
    def category_match(self) -> bool:
        """True when the model's response falls in the recorded category."""
        return self.recorded == self.predicted

    def as_row(self) -> dict[str, object]:
        """Every field and `category_match`, for a table (see `sim.compare_frame`)."""
        return {**asdict(self), "category_match": self.category_match}


def compare(result: RunResult) -> list[Comparison]:
    """Recorded against predicted first responses; empty when there is no history."""
    history = result.scenario.spec.history
    if history is None:
        return []
    actions = result.model_actions()
    out = []
    for r in history.responses:
        later = [x.trigger_date for x in history.responses
                 if (x.actor, x.target) == (r.actor, r.target) and x.trigger_date > r.trigger_date]
        until = min(later) if later else result.scenario.spec.end + dt.timedelta(days=1)
        mine = actions[(actions["actor"] == r.actor) & (actions["target"] == r.target)
                       & (actions["date"] >= r.trigger_date.isoformat())
                       & (actions["date"] < until.isoformat())]
        if len(mine):
            first = mine.iloc[0]
            owed = owed_when(result, r.actor, r.target, str(first["date"]))
            persons, facilities = int(first["persons"]), int(first["facilities"])
            predicted = categorise(persons, facilities, *owed)
            date = str(first["date"])
            delay = (dt.date.fromisoformat(date) - r.trigger_date).days
            action = str(first["action"])
        else:
            persons = facilities = 0
            predicted, date, delay, action = "none", None, None, "none"
        out.append(Comparison(
            actor=r.actor, target=r.target, trigger_date=r.trigger_date.isoformat(),
            recorded=r.category, predicted=predicted,
            recorded_persons=r.persons, predicted_persons=persons,
            recorded_facilities=r.facilities, predicted_facilities=facilities,
            recorded_delay_days=(r.date - r.trigger_date).days if r.date else None,
            predicted_delay_days=delay, predicted_action=action, predicted_date=date,
        ))
    return out
