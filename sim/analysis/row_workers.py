"""The likelihood's rows shared out among local processes: one engine pass on every core.

Why: a pass of the likelihood (every data row, for a batch of parameter vectors) is a
loop over rows, each its own small scenario stepped by the engine; the numpy work of each
call is small, so one process keeps one core busy however many runs the batch holds. The
rows are independent of one another, so the fit, its profiles, its bootstrap and the
cross-validation's refits can give each core a share of them:

1. each worker process prepares the rows once, at its start (`likelihood.prepare` of the
   same rows gives the same prepared list in the same order);
2. each pass sends every worker only the indices of its rows and the behaviour arrays,
   and the parent puts the answers back in row order; rows that share a scenario are
   evaluated once and copied, as in the serial loop;
3. every value is computed by the same code on the same row as the serial loop, so the
   likelihood is exactly the same, whichever worker computes which row
   (`tests/test_row_workers.py` compares the bytes).

Workers start from the project's forkserver pool (`sim.execution.pools`), never by forking
a parent whose optimiser threads are running.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

import numpy as np
from numpy.typing import NDArray

from sim.analysis.likelihood import Likelihood, prepare
from sim.execution.executors import cores
from sim.execution.pools import process_pool
from sim.scenario.dataset import FirstResponse

Floats = NDArray[np.float64]
MIN_ROWS = 40  # fewer distinct rows: a pass is too short to repay sending it out
TASKS_PER_WORKER = 3  # smaller shares even out rows of unequal cost (waves cost more)

_ROWS: Likelihood | None = None  # in a worker: the rows it was started with
_AT_MOST: int | None = None  # set by `at_most`: a cap on the processes `shared` starts


def _start(rows: Sequence[FirstResponse]) -> None:
    """A worker's start: it prepares the rows, and leaves Ctrl-C to the parent, which
    stops the fit and closes the pool (a worker that took it would print a traceback)."""
    global _ROWS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ROWS = prepare(rows)


def _part(indices: list[int], settings: Mapping[str, Floats]) -> tuple[Floats, Floats]:
    assert _ROWS is not None, "a row worker was not started with its rows"
    return _ROWS.evaluate_rows(indices, settings)


class RowWorkers:
    """A pool of processes holding the rows of one `Likelihood`."""

    def __init__(self, lik: Likelihood, workers: int) -> None:
        self.workers = workers
        rows = [p.row for p in lik.prepared]
        self.pool: ProcessPoolExecutor = process_pool(
            workers, initializer=partial(_start, rows), preload=("sim.analysis.likelihood",))

    def evaluate(self, indices: Sequence[int], settings: Mapping[str, Floats]
                 ) -> list[tuple[list[int], tuple[Floats, Floats]]]:
        """The rows `indices`, in shares, each with its (dist, soon) as `evaluate_rows`
        gives them."""
        count = min(len(indices), self.workers * TASKS_PER_WORKER)
        shares = [list(indices[i::count]) for i in range(count)]
        futures = [self.pool.submit(_part, share, dict(settings)) for share in shares]
        return [(share, future.result()) for share, future in zip(shares, futures,
                                                                   strict=True)]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def planned_workers(lik: Likelihood, workers: int | None) -> int:
    """How many processes a likelihood's passes use: `workers` if given, else every core
    this process may use (at most the cap of `at_most`, if one is set) once there are at
    least `MIN_ROWS` distinct rows, else one."""
    if workers is not None:
        _check(workers)
        return workers
    if len(lik.distinct_rows()) < MIN_ROWS:
        return 1
    return cores() if _AT_MOST is None else min(cores(), _AT_MOST)


def _check(workers: int) -> None:
    if workers < 1:
        raise ValueError(f"workers must be 1 or more, got {workers}")


@contextmanager
def at_most(workers: int | None) -> Iterator[None]:
    """Within the block, rows shared by default use at most `workers` processes (None:
    every core). Why: a command (`fit --workers`, `validate --workers`) reaches the
    likelihood through several layers; the cap is its one setting, not an argument of
    each of them."""
    global _AT_MOST
    if workers is not None:
        _check(workers)
    before, _AT_MOST = _AT_MOST, workers
    try:
        yield
    finally:
        _AT_MOST = before


@contextmanager
def shared(lik: Likelihood, workers: int | None = None) -> Iterator[Likelihood]:
    """Within the block, `lik.evaluate` shares its rows among `planned_workers` processes
    (none started for one); the pool is closed on leaving, whatever happens."""
    count = planned_workers(lik, workers)
    if count <= 1 or lik.workers is not None:
        yield lik
        return
    pool = RowWorkers(lik, count)
    lik.workers = pool
    try:
        yield lik
    finally:
        lik.workers = None
        pool.close()
