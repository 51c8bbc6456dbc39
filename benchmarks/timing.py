"""Timing helpers shared by the benchmark scripts (run them as scripts: this folder is then
on the import path)."""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `repeat` calls of `fn`, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class TreeMemory:
    """Peak resident memory of this process's descendants (pool workers, which a
    forkserver starts, so `RUSAGE_CHILDREN` never sees them), sampled from /proc every
    `interval` seconds in a background thread while the block runs (Linux only; zeros
    elsewhere). `largest` is the largest single descendant, `together` the largest sum
    seen at one sample, in MB."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.largest = 0.0
        self.together = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            sizes = [_rss_mb(pid) for pid in _descendants(os.getpid())]
            if sizes:
                self.largest = max(self.largest, *sizes)
                self.together = max(self.together, sum(sizes))


def _descendants(root: int) -> list[int]:
    parent: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry.name)] = int(fields[1])
    out, frontier = [], [root]
    while frontier:
        kids = [pid for pid, ppid in parent.items() if ppid in frontier]
        out += kids
        frontier = kids
    return out


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
