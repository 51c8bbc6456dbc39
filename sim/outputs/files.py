"""Write a run's files: events.csv, timeseries.csv, summary.json, charts; all or nothing.

Files are written into a fresh temporary folder beside the destination and moved into
place only when every one of them is complete, so an interrupted run never leaves a
half-written results folder. A folder holding another scenario's results is not replaced
unless asked (`force`). Output is deterministic: same scenario and seed, same bytes.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.game.params import Behaviour
from sim.history import compare
from sim.results import RunResult

FLOAT_FORMAT = "%.6f"
PACKAGES = ("sim", "mesa", "numpy", "pandas", "matplotlib", "pydantic", "pyyaml")


class OutputError(Exception):
    """The results cannot be written where asked (exit code 2 on the command line)."""


def versions() -> dict[str, str]:
    """Python and package versions, recorded in every summary."""
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def summary(result: RunResult, outputs: list[str]) -> dict[str, Any]:
    """Everything needed to trace and reproduce a run, and what it found."""
    spec = result.scenario.spec
    origin = result.scenario.origin
    behaviour = {sid: _behaviour_dict(spec.behaviour_of(sid)) for sid in sorted(spec.states)}
    return {
        "scenario": {
            "name": spec.name, "title": spec.title, "file": origin.file,
            "files": list(origin.files), "sha256": origin.sha256,
            "overrides": list(origin.overrides),
            "start": spec.start.isoformat(), "end": spec.end.isoformat(),
        },
        "seed": result.seed,
        "versions": versions(),
        "policies": {sid: spec.states[sid].policy_spec().model_dump(exclude_none=True)
                     for sid in sorted(spec.states)},
        "behaviour": behaviour,
        "actions": _records(result.events),
        "history": [c.as_row() for c in compare(result)] if spec.history else None,
        "outputs": sorted(outputs),
    }


def _behaviour_dict(b: Behaviour) -> dict[str, float | int]:
    return {k: v for k, v in vars(b).items()}


def _records(frame: Any) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _clean(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_tables(result: RunResult, folder: Path) -> list[str]:
    result.events.to_csv(folder / "events.csv", index=False, float_format=FLOAT_FORMAT,
                         lineterminator="\n")
    result.timeseries.to_csv(folder / "timeseries.csv", index=False, float_format=FLOAT_FORMAT,
                             lineterminator="\n")
    result.decisions.to_csv(folder / "decisions.csv", index=False, float_format=FLOAT_FORMAT,
                            lineterminator="\n")
    return ["events.csv", "timeseries.csv", "decisions.csv"]


def check_destination(out: Path, name: str, force: bool) -> None:
    """Refuse to replace a folder that holds something other than this scenario's results."""
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if force or not any(out.iterdir()):
        return
    previous = out / "summary.json"
    try:
        held = json.loads(previous.read_text())["scenario"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError(f"{out}: exists and does not hold sim results; "
                          "choose another --out or pass --force") from None
    if held != name:
        raise OutputError(f"{out}: holds results of scenario {held!r}, not {name!r}; "
                          "choose another --out or pass --force")


def write_all(result: RunResult, out: Path, *, charts: bool = True, force: bool = False) -> Path:
    """Write every output into `out`, atomically. Returns `out`."""
    check_destination(out, result.name, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        outputs = write_tables(result, tmp)
        if charts:
            from sim.outputs.figures import write_figures

            outputs += write_figures(result, tmp)
        outputs.append("summary.json")
        text = json.dumps(summary(result, outputs), indent=2, sort_keys=True, allow_nan=False)
        (tmp / "summary.json").write_text(text + "\n")
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _replace(new: Path, out: Path) -> None:
    """Swap the finished folder into place; the old one is removed only afterwards."""
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)
        new.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        new.rename(out)


@contextlib.contextmanager
def atomic_folder(out: Path, *, name: str | None = None, force: bool = False) -> Iterator[Path]:
    """Yield a fresh folder beside `out` to fill; it replaces `out` whole when the block
    ends without error and is removed otherwise (the approach of `write_all`).

    With `name` (what the folder will hold, recorded in its summary.json by the caller),
    a folder holding something else is not replaced unless `force`.
    """
    if name is not None:
        check_destination(out, name, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        yield tmp
        _replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def write_folder(out: Path, name: str, fill: Callable[[Path], Any], *,
                 force: bool = False) -> Path:
    """Fill a fresh folder with `fill(folder)` and move it into place whole (`atomic_folder`
    with a callback): for ensembles and sensitivity studies."""
    with atomic_folder(out, name=name, force=force) as tmp:
        fill(tmp)
    return out
