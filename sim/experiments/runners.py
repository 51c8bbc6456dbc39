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
  ``sim.outcome(sim.run(source.load(point), seed=seed, sample=True))`` holds: each run
  draws its decisions from their quantal response.

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
from sim.engine.world import BEHAVIOUR_FIELDS, INTEGER_FIELDS, STRUCTURAL_FIELDS
from sim.execution.tasks import Point, Runner, ScenarioSource, Task
from sim.game.params import Behaviour
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
            rows.append(outcome(run(loaded[key], seed=task.seed, sample=True)))
        return rows


class BatchRunner:
    """The batch engine (`sim.engine.batch`): many runs side by side, as arrays.

    Runs of one scenario *structure* go into one `BatchEngine`, whatever their seeds and
    their behaviour values: a point that sets only behaviour parameters (``behaviour.X``
    or ``states.S.behaviour.X``, except the structural ``honeymoon_days``) shares the
    structure of the scenario, and each of its runs gets its own values. So a sweep of
    10,000 points x 1 run costs about what 10,000 seeds of one point cost. Points that
    change anything else (missions, events, policies, powers) are grouped by those values.
    A group of fewer than `min_batch` runs goes to the Mesa model (nothing to gain). Either
    way the rows are those of `sim.outcome(sim.run(...))`: tests/test_batch.py and
    tests/studies/test_runners.py check it run by run.
    """

    name = "batch"
    chunk_size = 2000
    min_batch = 4

    def run(self, source: ScenarioSource, tasks: Sequence[Task]) -> list[dict[str, Any]]:
        from sim.engine.batch import BatchEngine

        groups: dict[str, list[int]] = {}
        split = [behaviour_items(task.point) for task in tasks]
        for i, (structure, _) in enumerate(split):
            groups.setdefault(repr(structure), []).append(i)
        rows: list[dict[str, Any]] = [{} for _ in tasks]
        for members in groups.values():
            structure = split[members[0]][0]
            if len(members) < self.min_batch:
                for i in members:
                    rows[i] = outcome(run(source.load(tasks[i].point), seed=tasks[i].seed,
                                             sample=True))
                continue
            loaded = source.load(structure)
            behaviours = ([behaviours_with(loaded, split[i][1]) for i in members]
                          if any(split[i][1] for i in members) else None)
            engine = BatchEngine(loaded, [tasks[i].seed for i in members], behaviours)
            engine.run()
            for i, row in zip(members, batch_outcomes(engine), strict=True):
                rows[i] = row
        return rows


def behaviour_items(point: Point) -> tuple[Point, tuple[tuple[str, str | None, Any], ...]]:
    """Split a point into what changes the scenario's structure and the behaviour values
    a batch can vary run by run: (structural items, ((field, state or None, value), ...))."""
    structure, values = [], []
    for path, value in point:
        parts = path.split(".")
        field = parts[-1]
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if (numeric and field in BEHAVIOUR_FIELDS and field not in STRUCTURAL_FIELDS
                and (parts[:-1] == ["behaviour"]
                     or (len(parts) == 4 and parts[0] == "states" and parts[2] == "behaviour"))):
            values.append((field, parts[1] if len(parts) == 4 else None, value))
        else:
            structure.append((path, value))
    return tuple(structure), tuple(values)


def behaviours_with(loaded: LoadedScenario, values: Sequence[tuple[str, str | None, Any]]
                    ) -> dict[str, Behaviour]:
    """Each state's behaviour once `values` are set as ``--set`` would set them: a
    state's own value wins over the scenario-wide one, whichever of them the point sets."""
    spec = loaded.spec
    out = {}
    for sid, st in spec.states.items():
        own = {k for k, v in st.behaviour.model_dump().items()  # type: ignore[attr-defined]
               if v is not None}  # (a pydantic model built at import: see schema.py)
        changes: dict[str, Any] = {}
        for field, state, value in values:  # scenario-wide first, then the state's own
            if state is None and field not in own:
                changes[field] = value
        for field, state, value in values:
            if state == sid:
                changes[field] = value
        base = spec.behaviour_of(sid)
        out[sid] = base.updated({k: _typed(k, v) for k, v in changes.items()}) if changes \
            else base
    return out


def _typed(field: str, value: Any) -> Any:
    """Values as the schema would hold them: whole numbers for integer parameters."""
    return int(value) if field in INTEGER_FIELDS else float(value)


RUNNERS: dict[str, Runner] = {"mesa": MesaRunner(), "batch": BatchRunner()}
DEFAULT_RUNNER = "batch"  # same rows as "mesa", run by run; much faster for many seeds


def get_runner(name: str) -> Runner:
    """The registered runner called `name`; a one-line error listing the others."""
    try:
        return RUNNERS[name]
    except KeyError:
        raise ScenarioError(f"--runner {name}: unknown runner; known: "
                            f"{', '.join(sorted(RUNNERS))}") from None
