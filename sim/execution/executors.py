"""Run tasks in chunks: in this process, in a local process pool, or on a Dask cluster.

A chunk is a run of consecutive tasks, the unit of work sent to a worker and the unit of
saving (`chunkstore`). Whatever executes them, and in whatever order they finish, the
rows are put back in task order, and every row depends only on its task (scenario point
and seed): the same study gives the same table in process, in a pool or on a cluster.

The embedded default needs nothing running: small studies run in this process, larger
ones in a pool of local processes (one per core). ``--scheduler ADDRESS`` sends chunks to
an existing `dask.distributed` cluster instead (README, "Beyond one machine").
"""

from __future__ import annotations

import math
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any, Protocol

from tqdm import tqdm

from sim.execution.pools import process_pool
from sim.execution.tasks import Runner, ScenarioSource, Task
from sim.scenario import ScenarioError

Rows = list[dict[str, Any]]
AUTO_POOL_MIN_CHUNKS = 4  # fewer chunks than this run in process: a pool costs ~2 s to start
PROGRESS_DELAY_S = 2.0  # the progress bar appears once a study has run this long


@dataclass(frozen=True)
class Chunk:
    """Tasks `first` to `first + len(tasks) - 1` of a study, numbered `index`."""

    index: int
    first: int
    tasks: tuple[Task, ...]


def chunked(tasks: Sequence[Task], size: int) -> list[Chunk]:
    """Consecutive chunks of `size` tasks (the last may be shorter)."""
    if size < 1:
        raise ValueError("chunk size must be 1 or more")
    return [Chunk(i, start, tuple(tasks[start:start + size]))
            for i, start in enumerate(range(0, len(tasks), size))]


def run_chunk(runner: Runner, source: ScenarioSource, chunk: Chunk) -> Rows:
    """Run one chunk (in whichever process or machine receives it)."""
    rows = runner.run(source, chunk.tasks)
    if len(rows) != len(chunk.tasks):
        raise RuntimeError(f"runner {runner.name!r} returned {len(rows)} rows for "
                           f"{len(chunk.tasks)} tasks")
    return rows


class Executor(Protocol):
    """Runs chunks and yields each with its rows as it finishes (any order)."""

    description: str
    slots: int  # chunks it runs at once

    def map(self, runner: Runner, source: ScenarioSource,
            chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Rows]]: ...

    def close(self) -> None: ...


class InProcess:
    """One chunk after another, here: no start-up cost, nothing to install."""

    description = "in process"
    slots = 1

    def map(self, runner: Runner, source: ScenarioSource,
            chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Rows]]:
        for chunk in chunks:
            yield chunk, run_chunk(runner, source, chunk)

    def close(self) -> None:
        pass


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and says what was kept."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalPool:
    """A pool of local processes. Workers are forked from a server that has imported sim
    once (forkserver), so each starts in milliseconds and none inherits the parent's
    threads (a progress bar's monitor, a Dask client)."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.slots = workers
        self.description = f"{workers} local processes"
        self.pool = process_pool(workers, initializer=_ignore_interrupts,
                                 preload=["sim.experiments.runners"])

    def map(self, runner: Runner, source: ScenarioSource,
            chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Rows]]:
        # Keep at most two chunks per worker in flight: memory stays flat on big studies.
        pending = iter(chunks)
        running: dict[Future[Rows], Chunk] = {}

        def top_up() -> None:
            for chunk in pending:
                running[self.pool.submit(run_chunk, runner, source, chunk)] = chunk
                if len(running) >= 2 * self.workers:
                    break

        top_up()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f].index):
                chunk = running.pop(future)
                yield chunk, future.result()
            top_up()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _sim_version() -> str:
    from sim.version import __version__

    return __version__


class DaskCluster:
    """Chunks sent to an existing dask.distributed scheduler. Every worker needs `sim`
    installed (the same version); the scenario travels with the chunks as data."""

    def __init__(self, address: str, name: str = "", timeout: float = 10.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ScenarioError("--scheduler needs dask.distributed: "
                                "pip install 'retaliation-sim[dask]'", file=name or None) from None
        try:
            self.client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ScenarioError(f"--scheduler {address}: cannot connect to a Dask scheduler "
                                f"({' '.join(str(exc).split())[:120]})",
                                file=name or None) from None
        self.description = f"Dask cluster at {address}"
        self._check_workers(address, name)
        self.slots = max(1, sum(self.client.nthreads().values()))

    def _check_workers(self, address: str, name: str) -> None:
        version = _sim_version()

        try:
            found = self.client.run(_sim_version)
        except Exception as exc:  # a worker without sim cannot even unpickle the call
            self.close()
            raise ScenarioError(f"--scheduler {address}: the workers cannot run sim "
                                f"({type(exc).__name__}); install sim on every worker",
                                file=name or None) from None
        if not found:
            self.close()
            raise ScenarioError(f"--scheduler {address}: the cluster has no workers",
                                file=name or None)
        other = {v for v in found.values() if v != version}
        if other:
            self.close()
            raise ScenarioError(f"--scheduler {address}: workers run sim {', '.join(other)}, "
                                f"this is sim {version}", file=name or None)

    def map(self, runner: Runner, source: ScenarioSource,
            chunks: Sequence[Chunk]) -> Iterator[tuple[Chunk, Rows]]:
        from distributed import as_completed

        shared = self.client.scatter(source, broadcast=True)
        futures = {self.client.submit(run_chunk, runner, shared, chunk, pure=False): chunk
                   for chunk in chunks}
        try:
            for future in as_completed(futures, loop=self.client.loop):
                yield futures[future], future.result()
        finally:
            self.client.cancel(list(futures))

    def close(self) -> None:
        self.client.close()


def cores() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def plan_workers(workers: int | None, chunks: int, name: str = "") -> int:
    """How many local processes: `workers` if given (1: this process), else one per core
    when there are enough chunks to repay a pool's start-up, never more than the chunks."""
    if workers is not None and workers < 0:
        raise ScenarioError("--workers must be 0 (automatic) or more", file=name or None)
    if not workers:
        workers = cores() if chunks >= AUTO_POOL_MIN_CHUNKS else 1
    return max(1, min(workers, chunks))


def make_executor(workers: int, scheduler: str | None = None, name: str = "") -> Executor:
    """A Dask cluster if a scheduler is given, else `workers` local processes (see
    `plan_workers`), else this process."""
    if scheduler:
        return DaskCluster(scheduler, name)
    return LocalPool(workers) if workers > 1 else InProcess()


def execute(
    runner: Runner,
    source: ScenarioSource,
    chunks: Sequence[Chunk],
    executor: Executor,
    *,
    progress: bool = False,
    total: int | None = None,
    done: int = 0,
    on_chunk: Callable[[Chunk, Rows], None] | None = None,
) -> dict[int, Rows]:
    """Run `chunks`; returns their rows by chunk index. `on_chunk` sees each chunk as it
    finishes (to save it). `total` and `done` count tasks for the progress bar, which a
    resumed study starts part-filled."""
    todo = sum(len(c.tasks) for c in chunks)
    bar = tqdm(total=total if total is not None else todo, initial=done, unit="run",
               desc=f"{runner.name}, {executor.description}", delay=PROGRESS_DELAY_S,
               disable=not progress, file=sys.stderr, smoothing=0.05, dynamic_ncols=True)
    out: dict[int, Rows] = {}
    try:
        for chunk, rows in executor.map(runner, source, chunks):
            if on_chunk is not None:
                on_chunk(chunk, rows)
            out[chunk.index] = rows
            bar.update(len(chunk.tasks))
    finally:
        bar.close()
    return out


def run_tasks(
    runner: Runner,
    source: ScenarioSource,
    tasks: Sequence[Task],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    progress: bool = False,
) -> Rows:
    """Every task's outcome row, in task order, however the chunks were executed.

    Without a chunk size, a pool or a cluster gets chunks small enough for about four per
    worker, so that no worker is left with the last long chunk while the others idle.
    (A sweep keeps the runner's chunk size whatever runs it: its chunks are saved, and a
    resumed sweep must cut the same ones.)"""
    size = chunk_size or runner.chunk_size
    # Asked for N processes, a study gets them even if it is smaller than N default chunks.
    n = plan_workers(workers, len(tasks) if chunk_size is None and workers else
                     math.ceil(len(tasks) / size), source.name)
    executor = make_executor(n, scheduler, source.name)
    if chunk_size is None and executor.slots > 1:
        size = max(1, min(size, math.ceil(len(tasks) / (4 * executor.slots))))
    chunks = chunked(tasks, size)
    try:
        by_index = execute(runner, source, chunks, executor, progress=progress)
    finally:
        executor.close()
    return [row for chunk in chunks for row in by_index[chunk.index]]
