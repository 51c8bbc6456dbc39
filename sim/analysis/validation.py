"""The validation scorecard: the model's first responses against recorded history, over a
library of episodes, next to a plain tit-for-tat baseline.

One row per recorded dyadic first response. A prediction counts as right on category when
the categories agree; on size when the staff counts are within 10% of the recorded one
(exactly equal when none were recorded); on delay when both are absent (no response) or
within 3 days. The baseline answers every move with the same number the next day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.comparison import compare
from sim.engine.one_run import run
from sim.scenario import LoadedScenario, load
from sim.scenario.schema import Expel

SIZE_WITHIN = 0.10
DELAY_WITHIN = 3
COLUMNS = [
    "scenario", "actor", "target", "predicted", "recorded",
    "predicted_persons", "recorded_persons", "predicted_delay_days", "recorded_delay_days",
    "trigger_date", "predicted_facilities", "recorded_facilities",
    "baseline", "baseline_persons", "baseline_delay_days",
    "category_ok", "size_ok", "delay_ok", "baseline_category_ok", "baseline_size_ok",
    "baseline_delay_ok",
]


def size_ok(predicted: int, recorded: int) -> bool:
    """Within 10% of the recorded staff count (exact when it is zero)."""
    return abs(predicted - recorded) <= SIZE_WITHIN * recorded


def delay_ok(predicted: float | None, recorded: float | None) -> bool:
    """Both absent, or within 3 days."""
    if _missing(predicted) or _missing(recorded):
        return _missing(predicted) and _missing(recorded)
    return abs(float(predicted) - float(recorded)) <= DELAY_WITHIN  # type: ignore[arg-type]


def _missing(value: float | None) -> bool:
    return value is None or value != value  # None or NaN


def with_history(paths: Iterable[str | Path]) -> list[Path]:
    """The scenario files among `paths` (files or folders) that record a history."""
    found: list[Path] = []
    for p in map(Path, paths):
        files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
        for f in files:
            if load(f).spec.history is not None:
                found.append(f)
    return found


def trigger_persons(loaded: LoadedScenario, actor: str, target: str, date: str,
                    given: int | None) -> int:
    """Staff the answered move removed: as recorded, else the scenario's expulsions by the
    target of the actor on that day."""
    if given is not None:
        return given
    return sum(ev.persons for ev in loaded.spec.events
               if isinstance(ev, Expel) and ev.actor == target and ev.target == actor
               and ev.date.isoformat() == date)


def score(loaded: LoadedScenario, seed: int | None = None) -> list[dict[str, Any]]:
    """Scorecard rows for one scenario."""
    result = run(loaded, seed=seed)
    recorded = {(r.actor, r.target, r.trigger_date.isoformat()): r
                for r in (loaded.spec.history.responses if loaded.spec.history else [])}
    rows = []
    for c in compare(result):
        rec = recorded[(c.actor, c.target, c.trigger_date)]
        base_persons = trigger_persons(loaded, c.actor, c.target, c.trigger_date,
                                       rec.trigger_persons)
        rows.append({
            "scenario": loaded.name, "actor": c.actor, "target": c.target,
            "trigger_date": c.trigger_date, "predicted": c.predicted, "recorded": c.recorded,
            "predicted_persons": c.predicted_persons, "recorded_persons": c.recorded_persons,
            "predicted_delay_days": c.predicted_delay_days,
            "recorded_delay_days": c.recorded_delay_days,
            "predicted_facilities": c.predicted_facilities,
            "recorded_facilities": c.recorded_facilities,
            "baseline": "same", "baseline_persons": base_persons, "baseline_delay_days": 1,
            "category_ok": c.predicted == c.recorded,
            "size_ok": size_ok(c.predicted_persons, c.recorded_persons),
            "delay_ok": delay_ok(c.predicted_delay_days, c.recorded_delay_days),
            "baseline_category_ok": c.recorded == "same",
            "baseline_size_ok": size_ok(base_persons, c.recorded_persons),
            "baseline_delay_ok": delay_ok(1, c.recorded_delay_days),
        })
    return rows


def scorecard(paths: Iterable[str | Path],
              overrides: Mapping[str, Any] | Iterable[str] = ()) -> pd.DataFrame:
    """Rows for every recorded first response of every scenario in `paths` (files, or
    folders of them; scenarios without a history are skipped)."""
    assignments = dict(overrides) if isinstance(overrides, Mapping) else list(overrides)
    rows: list[dict[str, Any]] = []
    for path in with_history(paths):
        rows += score(load(path, assignments))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("predicted_delay_days", "recorded_delay_days"):
        frame[col] = frame[col].astype("Int64")
    return frame


@dataclass(frozen=True)
class Shares:
    """The three shares of the scorecard, for the model or the baseline."""

    n: int
    category: float
    size: float
    delay: float

    @property
    def mean(self) -> float:
        return (self.category + self.size + self.delay) / 3


def shares(frame: pd.DataFrame, who: str = "model") -> Shares:
    """Accuracy of category, share of sizes within 10%, share of delays within 3 days."""
    prefix = "" if who == "model" else "baseline_"
    n = len(frame)
    if n == 0:
        return Shares(0, float("nan"), float("nan"), float("nan"))
    return Shares(n, float(frame[f"{prefix}category_ok"].mean()),
               float(frame[f"{prefix}size_ok"].mean()), float(frame[f"{prefix}delay_ok"].mean()))
