"""A sweep's rows on disk, chunk by chunk as they finish, so that no work is lost.

The sweep folder holds ``sweep.json`` (what the sweep is: the scenario's data, the grid,
runs, seed, runner and chunk size), written before any run, and ``chunks/NNNNNN.jsonl``,
one JSON line per row. Each chunk file is written to a temporary name and renamed into
place, so a file is either whole or absent, whenever the sweep is killed. A sweep rerun
with ``--resume`` checks that ``sweep.json`` describes the same sweep, skips the chunks on
disk and runs the others; the table is always assembled from the chunk files in order, so
an interrupted and resumed sweep ends with exactly the rows of an uninterrupted one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sim.io.folders import OutputError, check_destination, umask

MANIFEST = "sweep.json"
CHUNKS = "chunks"
DERIVED = ("chunks", "tasks")
# What a sweep writes besides its chunks: removed when a sweep starts over in its folder.
OUTPUTS = {MANIFEST, "summary.json", "sweep.csv", "sweep.parquet", "points.csv",
           "events.csv", "timeseries.csv", "decisions.csv", "runs.csv"}


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, allow_nan=False)


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all (temporary file in the same folder, then rename)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes files private: the user's umask
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ChunkStore:
    """The chunk files of one sweep in `folder`, described by `manifest`."""

    def __init__(self, folder: Path, manifest: dict[str, Any]) -> None:
        self.folder = folder
        self.manifest = manifest
        self.chunks = folder / CHUNKS

    def path(self, index: int) -> Path:
        return self.chunks / f"{index:06d}.jsonl"

    def done(self) -> set[int]:
        """Indices of the chunks on disk (whole files only: leftovers are removed)."""
        if not self.chunks.is_dir():
            return set()
        found = set()
        for p in self.chunks.iterdir():
            if p.name.startswith("."):
                p.unlink(missing_ok=True)  # a temporary file of a chunk cut short
            elif p.suffix == ".jsonl" and p.stem.isdigit():
                found.add(int(p.stem))
        return {i for i in found if i < self.manifest["chunks"]}

    def open(self, *, resume: bool, force: bool) -> set[int]:
        """Prepare the folder; returns the chunks already done (resume) or none.

        Refuses (OutputError, one line) to resume a different sweep, or to start over on an
        unfinished one without `force` (that would throw its chunks away).
        """
        held = self._held()
        if held is not None and resume:
            differ = sorted(k for k in set(held) | set(self.manifest)
                            if _dump(held.get(k)) != _dump(self.manifest.get(k)))
            # counts that follow from the others are named only when nothing else differs
            differ = [k for k in differ if k not in DERIVED] or differ
            if differ:
                raise OutputError(
                    f"{self.folder}: holds a sweep with other {', '.join(differ)}; "
                    "rerun it as it was, or drop --resume to start a new one in another --out")
            return self.done()
        if held is not None and not force:
            done = len(self.done())
            unfinished = 0 < done < held.get("chunks", 0)  # no chunk done: nothing to lose
            if unfinished or held.get("scenario", {}).get("name") != \
                    self.manifest["scenario"]["name"]:
                raise OutputError(
                    f"{self.folder}: holds an unfinished sweep or one of another scenario; "
                    "pass --resume to continue it, --force to start again, or another --out")
        if held is None and self.folder.exists() and any(self.folder.iterdir()) and not force:
            check_destination(self.folder, self.manifest["scenario"]["name"], force=False)
        self._clear()
        self.chunks.mkdir(parents=True, exist_ok=True)
        write_atomic(self.folder / MANIFEST, json.dumps(self.manifest, indent=2,
                                                        sort_keys=True, default=str) + "\n")
        return set()

    def _held(self) -> dict[str, Any] | None:
        path = self.folder / MANIFEST
        if not path.exists():
            return None
        try:
            held = json.loads(path.read_text())
        except (OSError, ValueError):
            raise OutputError(f"{path}: unreadable; remove the folder or pass --force") \
                from None
        return held if isinstance(held, dict) else None

    def _clear(self) -> None:
        """Remove a previous sweep's chunks and outputs, and nothing else."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for p in self.folder.iterdir():
            if p.name == CHUNKS and p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            elif p.is_file() and (p.name in OUTPUTS or p.suffix == ".png"):
                p.unlink()

    def write(self, index: int, rows: Iterable[dict[str, Any]]) -> None:
        """Save one finished chunk, whole."""
        write_atomic(self.path(index), "".join(_dump(r) + "\n" for r in rows))

    def read(self) -> list[dict[str, Any]]:
        """Every row, in chunk order; an error if a chunk is missing."""
        rows: list[dict[str, Any]] = []
        for index in range(self.manifest["chunks"]):
            path = self.path(index)
            if not path.exists():
                raise OutputError(f"{path}: missing; rerun with --resume")
            rows.extend(json.loads(line) for line in path.read_text().splitlines() if line)
        return rows

