"""Seeded replicates of one scenario: the distribution of its outcome.

The seeds are derived from the scenario's seed (or the one given) with numpy's
SeedSequence (`sim.analysis.outcomes.derive_seeds`), so an ensemble is reproducible and its first
runs are those of a smaller ensemble. Replicates differ where the scenario declares
randomness (docs/model.md, "Randomness") and where a decision is drawn from its quantal
response (section 4a); with no noise and a very high precision every run is the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.outcomes import OUTCOME_COLUMNS, derive_seeds
from sim.execution.executors import run_tasks
from sim.execution.tasks import Point, ScenarioSource, Task
from sim.experiments.runners import DEFAULT_RUNNER, get_runner
from sim.scenario import LoadedScenario, ScenarioError, load
from sim.scenario.schema import check_seed


def loaded_from(scenario: LoadedScenario | str | Path | Mapping[str, Any],
                overrides: Mapping[str, Any] | Iterable[str] = ()) -> LoadedScenario:
    """A loaded scenario from whatever the caller has (overrides only when loading)."""
    if isinstance(scenario, LoadedScenario):
        if overrides:
            raise ValueError("pass overrides when loading: sim.load(path, overrides)")
        return scenario
    return load(scenario, overrides)


def base_seed(loaded: LoadedScenario, seed: int | None) -> int:
    """The seed replicates derive from: `seed` (a whole number, checked, never truncated),
    else the scenario's."""
    return loaded.spec.seed if seed is None else check_seed(seed, loaded.origin.file)


def check_runs(runs: object, where: str) -> int:
    """A number of runs: a whole number, 1 or more (2.5 is refused, not truncated)."""
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ScenarioError(f"runs must be a whole number, 1 or more, got {runs!r}", file=where)
    return runs


def replicate_tasks(seeds: list[int], point: Point = ()) -> list[Task]:
    return [Task(point, s) for s in seeds]


def ensemble(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    runs: int,
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str = DEFAULT_RUNNER,
    chunk_size: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """`runs` seeded replicates, one row each: run, seed, then the outcome columns
    (`sim.analysis.outcomes.OUTCOME_COLUMNS`). `workers` 1 (the default) runs here, N > 1 in a pool
    of N local processes, 0 or None picks a pool when the ensemble is large (in a script,
    a pool needs Python's ``if __name__ == "__main__":`` guard); `scheduler` sends it to
    a Dask cluster. The rows are the same however they ran."""
    loaded = loaded_from(scenario, overrides)
    check_runs(runs, loaded.origin.file)
    seeds = derive_seeds(base_seed(loaded, seed), runs)
    rows = run_tasks(get_runner(runner), ScenarioSource.of(loaded), replicate_tasks(seeds),
                     workers=workers, scheduler=scheduler, chunk_size=chunk_size,
                     progress=progress)
    table = outcome_frame(rows, OUTCOME_COLUMNS)
    table.insert(0, "run", range(runs))
    return table


# What differs between two runs' outcomes (the seed always does).
VARYING = [c for c in OUTCOME_COLUMNS if c != "seed"]


def identical(runs: pd.DataFrame) -> bool:
    """Whether every run came to the same outcome: then the runs are one result repeated
    (the scenario declares no randomness, docs/model.md "Randomness"), and an interval
    computed as if they were independent draws would claim a certainty they do not hold."""
    if len(runs) < 2:
        return True
    columns = [c for c in VARYING if c in runs]
    return bool((runs[columns].astype(str).nunique() <= 1).all())


def outcome_frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Outcome rows as a DataFrame; the delay stays a whole number of days, missing (<NA>)
    when there was no answer."""
    table = pd.DataFrame(rows, columns=columns)
    table["delay_days"] = table["delay_days"].astype("Int64")
    return table


def run_many(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    runs: int,
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str | None = None,
) -> pd.DataFrame:
    """`runs` seeded replicates (seeds derived from `seed`, default the scenario's), one
    outcome row each. Replicates differ where the scenario declares randomness and where
    a decision is drawn from its quantal response.

    `workers`, `scheduler` and `runner` choose how they run, as for
    `sim.experiments.ensemble.ensemble` (default: here, in this process); the rows are the
    same however they ran.
    """
    table = ensemble(scenario, runs, seed=seed, overrides=overrides, workers=workers,
                     scheduler=scheduler, runner=DEFAULT_RUNNER if runner is None else runner)
    return table.drop(columns="run")
