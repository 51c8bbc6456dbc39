"""Write a run's files: events.csv, timeseries.csv, decisions.csv, summary.json, charts.

All or nothing, through `sim.io.folders.atomic_folder` (whose docstring says how an
interrupted run is tidied and what may be replaced). Output is deterministic: same
scenario and seed, same bytes.
"""

from __future__ import annotations

import json
import math
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

from sim.analysis.comparison import compare
from sim.engine.one_run import RunResult
from sim.game.params import Behaviour
from sim.io.folders import FLOAT_FORMAT, _test_pause, atomic_folder
from sim.version import __version__

# The packages whose versions every summary records, under these keys. sim's own comes from
# sim/version.py, not from the metadata of its distribution (named retaliation-sim), so
# the key stays "sim" and a source tree that was never installed still says which sim ran.
PACKAGES = ("sim", "mesa", "numpy", "pandas", "matplotlib", "pydantic", "pyyaml")


def versions() -> dict[str, str]:
    """Python and package versions, recorded in every summary."""
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        if pkg == "sim":
            out[pkg] = __version__
            continue
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
        "history": _history(result) if spec.history else None,
        "outputs": sorted(outputs),
    }


def _history(result: RunResult) -> list[dict[str, Any]]:
    """Each recorded first response beside the model's most likely one and, when they were
    estimated (`sim.analysis.probabilities`), the model's probabilities of each category
    and of answering within 3 days."""
    rows = [c.as_row() for c in compare(result)]
    estimated = result.meta.get("first_response_probabilities") or []
    for row, p in zip(rows, estimated, strict=False):
        row["probabilities"] = p["probabilities"]
        row["probability_within_3_days"] = p["within_3_days"]
        row["probability_of_recorded"] = p["probabilities"][p["recorded"]]
        row["sampled_runs"] = p["runs"]
    return rows


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


def write_all(result: RunResult, out: Path, *, charts: bool = True, force: bool = False) -> Path:
    """Write every output into `out`, atomically. Returns `out`.

    A scenario with a recorded history also gets the model's probabilities of each recorded
    first response (`sim.analysis.probabilities`, kept in `result.meta`), in summary.json
    and, with charts, in responses.png."""
    if result.scenario.spec.history is not None and \
            "first_response_probabilities" not in result.meta:
        from sim.analysis.probabilities import first_response_probabilities

        result.meta["first_response_probabilities"] = first_response_probabilities(
            result.scenario, seed=result.seed)
    with atomic_folder(out, name=result.name, force=force) as tmp:
        outputs = write_tables(result, tmp)
        _test_pause("tables")
        skipped: dict[str, str] = {}
        if charts:
            from sim.reports.run_figures import skipped_charts, write_figures

            outputs += write_figures(result, tmp)
            skipped = skipped_charts(result)
        outputs.append("summary.json")
        data = summary(result, outputs)
        if skipped:
            data["charts_not_drawn"] = skipped
        text = json.dumps(data, indent=2, sort_keys=True, allow_nan=False)
        (tmp / "summary.json").write_text(text + "\n")
    return out


