"""What a study is made of: tasks (a scenario point and a seed), the scenario they share as
plain data, and the runner interface that turns them into outcome rows.

Kept apart from the runners themselves so that the execution layer (chunks, pools, Dask,
the chunk store) depends only on this contract, never on the engine or the analysis.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sim.scenario import LoadedScenario, ScenarioError, load

Point = tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Task:
    """One run: the scenario at `point` with random seed `seed`."""

    point: Point
    seed: int


@dataclass(frozen=True)
class ScenarioSource:
    """A validated scenario as plain data, and the name of the file it came from.

    Plain data rather than a path, so that workers on other machines need no copy of the
    file; the file's name is kept for error messages.
    """

    name: str
    data: dict[str, Any]

    @classmethod
    def of(cls, loaded: LoadedScenario) -> ScenarioSource:
        data = loaded.spec.model_dump(mode="json", exclude_unset=True)
        data.setdefault("name", loaded.spec.name)
        return cls(loaded.origin.file, data)

    def load(self, point: Point = ()) -> LoadedScenario:
        """The scenario with the point's values set; errors name the scenario's file."""
        try:
            return load(self.data, dict(point))
        except ScenarioError as exc:
            raise ScenarioError(exc.message, file=self.name, field=exc.field) from None

    def fingerprint(self) -> str:
        """The data as canonical JSON: equal fingerprints, equal runs."""
        return json.dumps(self.data, sort_keys=True, separators=(",", ":"), default=str)


@runtime_checkable
class Runner(Protocol):
    """Turns tasks into outcome rows (see the module's docstring for the contract)."""

    name: str
    chunk_size: int  # tasks per chunk it works best with

    def run(self, source: ScenarioSource, tasks: Sequence[Task]) -> list[dict[str, Any]]:
        ...
