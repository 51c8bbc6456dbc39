"""Local process pools, started one way everywhere.

Workers start from a forkserver: a clean process forked once, so each worker starts in
milliseconds and none inherits the parent's threads (a progress bar's monitor, a Dask
client, pytest's). Forking a threaded parent directly can deadlock, and Python 3.14 stops
defaulting to it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor


def process_pool(workers: int, *, initializer: Callable[[], None] | None = None,
                 preload: Sequence[str] = ()) -> ProcessPoolExecutor:
    """A pool of `workers` processes; `preload` names modules the forkserver imports once."""
    context = multiprocessing.get_context("forkserver")
    if preload:
        context.set_forkserver_preload(list(preload))
    return ProcessPoolExecutor(workers, mp_context=context, initializer=initializer)
