"""Run a scenario and hold what came out of it, as pandas DataFrames.

`run` is the one entry point used by the command line, the notebooks and the tests: it
builds the Mesa model, steps it to the end and turns the DataCollector's tables into
frames. Everything downstream (files, charts, the timeline, the comparison with history)
reads a `RunResult`, never the model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.engine.mesa import RetaliationModel
from sim.engine.plan import Plan
from sim.scenario import LoadedScenario, load
from sim.scenario.schema import check_seed

EVENT_COLUMNS = ["date", "actor", "target", "action", "persons", "facilities", "basis",
                 "source", "effective", "reason"]


@dataclass
class RunResult:
    """The records of one run: events (measures), time series, decisions, information."""

    scenario: LoadedScenario
    seed: int
    events: pd.DataFrame
    timeseries: pd.DataFrame
    decisions: pd.DataFrame
    information: pd.DataFrame
    statements: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.spec.name

    def model_actions(self) -> pd.DataFrame:
        """Measures the model's agents took (not the scenario's initiating moves)."""
        return self.events[self.events["source"] == "model"].reset_index(drop=True)

    def main_dyad(self) -> tuple[str, str]:
        """(actor, counterpart) of most interest: the target of the first expulsion and its
        initiator (`sim.engine.plan.Plan.main_dyad`)."""
        return Plan(self.scenario.spec).main_dyad


def run(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    *,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    sample: bool = False,
) -> RunResult:
    """Run a scenario (a loaded one, a path or a mapping) and return its records.

    `overrides` are dotted-path assignments as for ``--set``; `seed` replaces the
    scenario's default seed. A run follows the most likely course of every decision; with
    `sample` it draws each from its quantal response instead, as an ensemble's runs do.
    """
    loaded = scenario if isinstance(scenario, LoadedScenario) else load(scenario, overrides)
    if overrides and isinstance(scenario, LoadedScenario):
        raise ValueError("pass overrides when loading: sim.load(path, overrides)")
    if seed is not None:  # 1.5 was silently run as 1
        check_seed(seed, loaded.origin.file)
    return collect(RetaliationModel(loaded, seed=seed, sample=sample).run(), loaded)


def collect(model: RetaliationModel, loaded: LoadedScenario) -> RunResult:
    """The records of `model` so far, as a RunResult.

    `run` calls it once at the end; the interactive page (`sim.viz.page`) calls it after
    every step, so that its charts are the same `draw_x(ax, result)` as the files'.
    """
    dc = model.datacollector
    tables = {name: _typed(dc.get_table_dataframe(name)) for name in dc.tables}
    events = tables["actions"].reindex(columns=EVENT_COLUMNS)
    return RunResult(
        scenario=loaded,
        seed=model.seed,
        events=events,
        timeseries=tables["dyads"],
        decisions=tables["decisions"],
        information=tables["information"],
        statements=tables["statements"],
    )


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """An empty DataCollector table comes back with float columns, so comparing its dates
    with strings (the history comparison) raised TypeError on a run in which nobody
    acted. Without rows, columns hold objects, as they do with rows of text."""
    return frame.astype(object) if frame.empty else frame
