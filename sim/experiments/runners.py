"""The runner interface: what turns scenario points and seeds into outcome rows.

Ensembles, sweeps and sensitivity analyses, on one core, in a local process pool or on a
Dask cluster, all run the model through one call::

    runner.run(source, tasks) -> [outcome row, ...]     # one row per task, in task order

- `source` is a `ScenarioSource`: the validated scenario as plain data (JSON types), small
  and picklable, so that it travels to worker processes and to cluster machines that do
  not have the scenario file. ``source.load(point)`` gives the `LoadedScenario` of a
  point: the point's values go through `sim.load`'s overrides, with the same validation
  and the same one-line errors as ``--set``.
- each `Task` is ``(point, seed)``; a point is a tuple of ``(dotted path, value)`` pairs,
  empty for the scenario as it is.
- each row is a dict with the keys of `sim.analysis.outcomes.OUTCOME_COLUMNS` holding exactly what
  ``sim.outcome(sim.run(source.load(point), seed=seed))`` holds.

`MesaRunner` does just that. `BatchRunner` gives the same rows from the vectorised batch
engine (`sim.engine.batch`), many seeds of a point at once; it is the default. Any other engine
is a class with the same three members (`name`, `chunk_size`, `run`), registered in
`RUNNERS`; the sweep, ensemble and Dask code never change, and
`tests/studies/test_runners.py` checks every registered runner against the Mesa one, row
by row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.analysis.outcomes import batch_outcomes, outcome
from sim.engine.one_run import run
from sim.execution.tasks import Runner, ScenarioSource, Task
from sim.scenario import LoadedScenario, ScenarioError


class MesaRunner:
    """The reference runner: the Mesa model, one run at a time (`sim.run`, `sim.outcome`).

    A run of 2016 takes about 80 ms, so chunks of 25 runs keep progress and resume
    fine-grained (about 2 s each) while the overhead of a chunk stays small.
    """

    name = "mesa"
    chunk_size = 25

    def run(self, source: ScenarioSource, tasks: Sequence[Task]) -> list[dict[str, Any]]:
        loaded: dict[str, LoadedScenario] = {}  # one load per point in the chunk
        rows = []
        for task in tasks:
            key = repr(task.point)
            if key not in loaded:
                loaded[key] = source.load(task.point)
            rows.append(outcome(run(loaded[key], seed=task.seed)))
        return rows


class BatchRunner:
    """The batch engine (`sim.engine.batch`): all seeds of one scenario point at once, as arrays.

    Tasks are grouped by point; a point with at least `min_batch` seeds in the chunk runs
    in one `BatchEngine`, a point with fewer goes to the Mesa model (one batched run costs
    about as much as a Mesa run, so nothing is gained). Either way the rows are those of
    `sim.outcome(sim.run(...))`: tests/test_batch.py and tests/studies/test_runners.py
    check it run by run.
    """

    name = "batch"
    chunk_size = 2000
    min_batch = 4

    def run(self, source: ScenarioSource, tasks: Sequence[Task]) -> list[dict[str, Any]]:
        from sim.engine.batch import BatchEngine

        groups: dict[str, list[int]] = {}
        for i, task in enumerate(tasks):
            groups.setdefault(repr(task.point), []).append(i)
        rows: list[dict[str, Any]] = [{} for _ in tasks]
        for members in groups.values():
            point = tasks[members[0]].point
            loaded = source.load(point)
            if len(members) < self.min_batch:
                for i in members:
                    rows[i] = outcome(run(loaded, seed=tasks[i].seed))
                continue
            engine = BatchEngine(loaded, [tasks[i].seed for i in members])
            engine.run()
            for i, row in zip(members, batch_outcomes(engine), strict=True):
                rows[i] = row
        return rows


RUNNERS: dict[str, Runner] = {"mesa": MesaRunner(), "batch": BatchRunner()}
DEFAULT_RUNNER = "batch"  # same rows as "mesa", run by run; much faster for many seeds


def get_runner(name: str) -> Runner:
    """The registered runner called `name`; a one-line error listing the others."""
    try:
        return RUNNERS[name]
    except KeyError:
        raise ScenarioError(f"--runner {name}: unknown runner; known: "
                            f"{', '.join(sorted(RUNNERS))}") from None
