"""A sweep: the scenario at every point of a grid of its values, times seeded replicates.

Every point runs with the same seeds (common random numbers: the model draws the same
random numbers whatever the parameters, docs/model.md "Randomness"), so differences
between points come from the parameters, not from luck. The result is one tidy table,
one row per run: point, the swept values (a column per dotted path), run, then the
outcome columns. Given a folder, the sweep saves each chunk of rows there as it finishes
and can resume after an interruption (`chunkstore`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import stats
from sim.analysis.outcomes import OUTCOME_COLUMNS, derive_seeds
from sim.execution.chunkstore import MANIFEST, ChunkStore
from sim.execution.executors import (
    Chunk,
    Rows,
    chunked,
    execute,
    make_executor,
    plan_workers,
)
from sim.execution.tasks import Runner, ScenarioSource, Task
from sim.experiments.ensemble import (
    base_seed,
    check_runs,
    identical,
    loaded_from,
    outcome_frame,
)
from sim.experiments.grid import Axis, axes_from, cell, points, value_at
from sim.experiments.runners import DEFAULT_RUNNER, BatchRunner, behaviour_items, get_runner
from sim.game.params import DEFAULTS, parameter_names
from sim.io.folders import check_destination, destination_lock, mark, probe
from sim.scenario import LoadedScenario, ScenarioError
from sim.scenario.overrides import split_path


def check_axes(source: ScenarioSource, axes: Sequence[Axis]) -> None:
    """Load the scenario with the swept values, so that a bad value stops the sweep at once
    with the usual one-line error, not in a worker an hour later.

    A numeric axis is checked at its representatives (`representatives`), not at each of
    its values: a 1000 x 1000 grid would otherwise spend half a minute loading before the
    sweep even says how large it is."""
    for axis in axes:
        for value in representatives(axis.values):
            try:
                source.load(((axis.path, value),))
            except ScenarioError:
                _blame_fraction(source, axis, value)
                raise


def representatives(values: Sequence[Any]) -> list[Any]:
    """The values of an axis that stand for all of them, in the axis's order.

    The scenario's constraints on a number are intervals (a range, finiteness) and
    whole-number kinds, so for an axis of numbers its smallest and largest values, its
    first whole value and its first fractional one fail whenever any value fails. Other
    axes (text, mappings) are checked value by value."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != len(values) or not numbers:
        return list(values)
    chosen = {min(numbers), max(numbers)}
    whole = [v for v in numbers if float(v).is_integer()]
    fraction = [v for v in numbers if not float(v).is_integer()]
    chosen |= {*whole[:1], *fraction[:1]}
    return [v for v in dict.fromkeys(values) if v in chosen]


def _blame_fraction(source: ScenarioSource, axis: Axis, value: Any) -> None:
    """A range such as 0:1:3 gives 0.0, 0.5, 1.0; for a whole-number field every one of
    them fails, and blaming 0.0 (which is whole) misleads. When the whole value would do
    as an int, raise the error of the first value that is not whole instead."""
    if not (isinstance(value, float) and value.is_integer()):
        return
    try:
        source.load(((axis.path, int(value)),))
    except ScenarioError:
        return
    for other in axis.values:
        if isinstance(other, float) and not other.is_integer():
            source.load(((axis.path, other),))


def columns(axes: Sequence[Axis]) -> list[str]:
    return ["point", *(a.path for a in axes), "run", *OUTCOME_COLUMNS]


def tidy_rows(chunk: Chunk, rows: Rows, runs: int, axes: Sequence[Axis]) -> Rows:
    """A runner's rows with the point, the swept values and the replicate in front."""
    out = []
    for k, (task, row) in enumerate(zip(chunk.tasks, rows, strict=True)):
        number = chunk.first + k
        tidy: dict[str, Any] = {"point": number // runs}
        tidy.update({path: cell(value) for path, value in task.point})
        tidy["run"] = number % runs
        tidy.update({c: row.get(c) for c in OUTCOME_COLUMNS})
        out.append(tidy)
    return out


@dataclass(frozen=True)
class Plan:
    """A sweep, checked and laid out: the scenario, its grid, its seeds, its tasks."""

    source: ScenarioSource
    axes: tuple[Axis, ...]
    runs: int
    seed: int
    runner: Runner
    tasks: tuple[Task, ...]

    def manifest(self, chunk_size: int, chunks: int) -> dict[str, Any]:
        """What the sweep is, in full: two sweeps with equal manifests give equal tables."""
        return {
            "format": 1,
            "kind": "sweep",
            "scenario": {"name": str(self.source.data.get("name")), "file": self.source.name,
                         "data_sha256": hashlib.sha256(
                             self.source.fingerprint().encode()).hexdigest()},
            "params": [{"path": a.path, "values": list(a.values)} for a in self.axes],
            "runs": self.runs,
            "seed": self.seed,
            "runner": self.runner.name,
            "chunk_size": chunk_size,
            "chunks": chunks,
            "tasks": len(self.tasks),
        }


def plan(loaded: LoadedScenario, params: Mapping[str, Sequence[Any]] | Iterable[str],
         runs: int, seed: int | None, runner: str) -> Plan:
    """Check everything that can be checked before running, and lay the sweep out."""
    check_runs(runs, loaded.origin.file)
    try:
        axes = axes_from(params)
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=loaded.origin.file) from None
    for axis in axes:
        if axis.path in ("point", "run", *OUTCOME_COLUMNS):
            raise ScenarioError(f"--param {axis.path}: not a value to sweep (it names a "
                                "column of the table; the seed of each run is --seed's)",
                                file=loaded.origin.file)
    source = ScenarioSource.of(loaded)
    check_axes(source, axes)
    base = base_seed(loaded, seed)
    seeds = derive_seeds(base, runs)
    tasks = tuple(Task(point, s) for point in points(axes) for s in seeds)
    return Plan(source, tuple(axes), runs, base, get_runner(runner), tasks)


def natural_chunk_size(the_plan: Plan) -> int:
    """Runs per chunk: the runner's own, unless the batch runner cannot put a chunk's
    points side by side (an axis changes the scenario's structure, not only behaviour):
    then chunks of a few points, so that progress moves every few seconds."""
    size = the_plan.runner.chunk_size
    if the_plan.runner.name != "batch" or not the_plan.tasks:
        return size
    structural, _ = behaviour_items(the_plan.tasks[0].point)
    if not structural:
        return size
    return max(25, the_plan.runs * BatchRunner.min_batch)


def held_chunk_size(folder: Path) -> int | None:
    """The chunk size of the sweep saved in `folder`, to resume it with the same chunks."""
    try:
        size = json.loads((folder / MANIFEST).read_text()).get("chunk_size")
    except (OSError, ValueError, AttributeError):
        return None
    return size if isinstance(size, int) and size > 0 else None


def sweep(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    params: Mapping[str, Sequence[Any]] | Iterable[str],
    *,
    runs: int = 1,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    out: str | Path | None = None,
    resume: bool = False,
    force: bool = False,
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str = DEFAULT_RUNNER,
    chunk_size: int | None = None,
    progress: bool = False,
    notify: Callable[[str], Any] | None = None,
) -> pd.DataFrame:
    """Run the scenario at every point of the grid `params`, `runs` times each.

    `params` maps dotted paths to values, e.g. ``{"behaviour.reset_value": [1, 3, 5]}``,
    or is a list of ``"PATH=START:STOP:COUNT"`` / ``"PATH=V1,V2"`` strings. With `out`,
    chunks are saved there as they finish and `resume` continues an interrupted sweep.
    `notify` receives a line about what is being resumed. `workers`, `scheduler` and
    `runner` as for `sim.experiments.ensemble.ensemble`. Returns the tidy table (see the
    module docstring).
    """
    the_plan = plan(loaded_from(scenario, overrides), params, runs, seed, runner)
    folder = Path(out) if out is not None else None
    if chunk_size is None and resume and folder is not None:
        chunk_size = held_chunk_size(folder)
    size = chunk_size or natural_chunk_size(the_plan)
    chunks = chunked(the_plan.tasks, size)
    if notify is not None:
        notify(f"sweep of {len(the_plan.tasks) // runs:,} points x {runs:,} runs = "
               f"{len(the_plan.tasks):,} runs, in {len(chunks):,} chunks of up to {size:,}")
    # Connect to a cluster before touching the folder: a wrong address changes nothing.
    remote = make_executor(1, scheduler, the_plan.source.name) if scheduler else None
    try:
        store = None
        done: set[int] = set()
        if folder is not None:
            store = ChunkStore(folder, the_plan.manifest(size, len(chunks)))
            name = str(the_plan.source.data.get("name"))
            # A folder sim did not write is refused whatever the flags, before the store
            # clears anything in it; the check and the opening are one step under its lock.
            probe(folder, name, force=force or resume)
            with destination_lock(folder):
                check_destination(folder, name, force=force or resume)
                done = store.open(resume=resume, force=force)
                mark(folder, name)
            if notify is not None and resume:
                notify(f"resuming: {len(done)} of {len(chunks)} chunks already done in "
                       f"{folder}/" if done else f"nothing to resume in {folder}/: starting")
        todo = [c for c in chunks if c.index not in done]

        def save(chunk: Chunk, rows: Rows) -> None:
            if store is not None:
                store.write(chunk.index, tidy_rows(chunk, rows, runs, the_plan.axes))

        executor = remote or make_executor(plan_workers(workers, len(todo),
                                                        the_plan.source.name))
        try:
            by_index = execute(the_plan.runner, the_plan.source, todo, executor,
                               progress=progress, total=len(the_plan.tasks),
                               done=sum(len(chunks[i].tasks) for i in done), on_chunk=save)
        finally:
            if executor is not remote:
                executor.close()
    finally:
        if remote is not None:
            remote.close()
    if store is not None:
        rows = store.read()
    else:
        rows = [r for c in chunks
                for r in tidy_rows(c, by_index[c.index], runs, the_plan.axes)]
    return outcome_frame(rows, columns(the_plan.axes))


def point_table(table: pd.DataFrame, paths: Sequence[str]) -> pd.DataFrame:
    """One row per point: the swept values, `stats.summarise` of its runs, and whether its
    runs all came out the same (`identical`: one run, or no randomness; no interval then)."""
    rows = []
    for point, runs in table.groupby("point", sort=True):
        first = runs.iloc[0]
        rows.append({"point": point, **{p: first[p] for p in paths}, **stats.summarise(runs),
                     "identical": identical(runs)})
    return pd.DataFrame(rows)


def scenario_value(loaded: LoadedScenario, path: str) -> Any:
    """The value the scenario itself has at `path` (a behaviour parameter it leaves unset
    has its effective value: the state's, the scenario's, or the default)."""
    value = value_at(loaded.spec.model_dump(mode="json"), path)
    if value is not None:
        return cell(value)
    parts = split_path(path)
    name = str(parts[-1])
    if name not in parameter_names():
        return None
    if parts[:-1] == ["behaviour"]:
        return getattr(DEFAULTS, name)
    if len(parts) == 4 and parts[0] == "states" and parts[2] == "behaviour" \
            and str(parts[1]) in loaded.spec.states:
        return getattr(loaded.spec.behaviour_of(str(parts[1])), name)
    return None
