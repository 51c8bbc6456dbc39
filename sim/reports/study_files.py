"""Files and figures of studies over many runs: ensembles, sweeps, sensitivity analyses.

An ensemble's or a sensitivity study's folder is written whole, like a run's
(`files.write_folder`). A sweep's folder already holds its chunks (`sim.execution.chunkstore`);
its final files are each written to a temporary name and renamed, so none is ever
half-written. Output is deterministic: the same study gives the same bytes.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis import stats
from sim.io.folders import FLOAT_FORMAT, umask, write_folder
from sim.reports.run_files import versions
from sim.scenario import LoadedScenario
from sim.scenario.schema import Expel


def scenario_block(loaded: LoadedScenario) -> dict[str, Any]:
    """Where the scenario came from, as in a run's summary.json."""
    spec, origin = loaded.spec, loaded.origin
    return {"name": spec.name, "title": spec.title, "file": origin.file,
            "files": list(origin.files), "sha256": origin.sha256,
            "overrides": list(origin.overrides), "start": spec.start.isoformat(),
            "end": spec.end.isoformat()}


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _json(data: dict[str, Any]) -> str:
    return json.dumps(_clean(data), indent=2, sort_keys=True, allow_nan=False,
                      default=str) + "\n"


def _csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, float_format=FLOAT_FORMAT, lineterminator="\n")


def parquet_available() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _replace_into(path: Path, write: Callable[[Path], object]) -> None:
    """Write with `write(tmp)` beside `path`, then rename over it: whole or not at all."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o666 & ~umask())  # mkstemp makes files private: the user's umask
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _save(fig: Any, path: Path) -> str:
    import matplotlib.pyplot as plt

    from sim.reports.run_figures import PNG_METADATA

    fig.savefig(path, metadata=PNG_METADATA, format="png")
    plt.close(fig)
    return path.name


# --- ensembles -----------------------------------------------------------------------

def ensemble_marks(loaded: LoadedScenario) -> list[tuple[Any, str]]:
    """The scenario's expulsions, to mark on the retaliation curve."""
    marks: list[tuple[Any, str]] = []
    for event in loaded.spec.events:
        if isinstance(event, Expel):
            marks.append((event.date, f"{event.actor} expels {event.persons}"))
    return marks[:3]


def ensemble_figures(runs: pd.DataFrame, loaded: LoadedScenario, folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.viz import charts

    written = []
    with charts.style():
        fig, ax = plt.subplots(figsize=(7.5, 4.0), layout="constrained")
        charts.draw_retaliation_probability(ax, runs, loaded.spec.start, loaded.spec.end,
                                            ensemble_marks(loaded))
        written.append(_save(fig, folder / "retaliation.png"))
        fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.6), layout="constrained")
        charts.draw_retaliation_size(left, runs, "persons")
        charts.draw_retaliation_size(right, runs, "facilities")
        written.append(_save(fig, folder / "size.png"))
    return written


def write_ensemble(runs: pd.DataFrame, loaded: LoadedScenario, out: Path, *, seed: int,
                   runner: str, charts: bool = True, force: bool = False) -> Path:
    """runs.csv, summary.json and the two figures, into `out`, whole."""

    def fill(folder: Path) -> None:
        _csv(runs, folder / "runs.csv")
        outputs = ["runs.csv", "summary.json"]
        if charts:
            outputs += ensemble_figures(runs, loaded, folder)
        summary = {
            "kind": "ensemble", "scenario": scenario_block(loaded), "seed": seed,
            "seeds": "numpy SeedSequence(seed).spawn(runs), first 32 bits of each",
            "runs": len(runs), "runner": runner, "versions": versions(),
            "outcome": stats.summarise(runs), "outputs": sorted(outputs),
        }
        (folder / "summary.json").write_text(_json(summary))

    return write_folder(out, loaded.spec.name, fill, force=force)


# --- sweeps --------------------------------------------------------------------------

HEATMAP_OUTCOMES = ("p_waited", "p_none", "persons_mean")


def sweep_figure(points: pd.DataFrame, paths: Sequence[str], folder: Path,
                 marks: dict[str, Any], axes: Sequence[str] | None = None) -> list[str]:
    """heatmap.png over two swept values (the first two, or `axes`), or sweep.png along
    one; three panels: probability of waiting, of no answer, expected size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.viz import charts

    varied = [p for p in paths if points[p].nunique() > 1] or list(paths)
    chosen = list(axes) if axes else varied[:2]
    with charts.style():
        fig, panels = plt.subplots(1, 3, figsize=(13, 4.0), layout="constrained")
        if len(chosen) >= 2:
            x, y = chosen[0], chosen[1]
            for ax, value in zip(panels, HEATMAP_OUTCOMES, strict=True):
                charts.draw_sweep_heatmap(ax, points, x, y, value, (marks.get(x), marks.get(y)))
            name = "heatmap.png"
        else:
            for ax, value in zip(panels, HEATMAP_OUTCOMES, strict=True):
                charts.draw_sweep_line(ax, points, chosen[0], value, marks.get(chosen[0]))
            name = "sweep.png"
        others = [p for p in varied if p not in chosen]
        runs = int(points["runs"].iloc[0]) if len(points) else 0
        fig.suptitle(f"Sweep of {len(points):,} points x {runs:,} run{'s' * (runs != 1)}"
                     + (f"; averaged over {', '.join(others)}" if others else ""),
                     fontsize=9)
        return [_save(fig, folder / name)]


def write_sweep_outputs(table: pd.DataFrame, points: pd.DataFrame, paths: Sequence[str],
                        loaded: LoadedScenario, folder: Path, *, manifest: dict[str, Any],
                        marks: dict[str, Any], charts: bool = True,
                        axes: Sequence[str] | None = None) -> list[str]:
    """sweep.csv (and sweep.parquet with pyarrow), points.csv, the figure, summary.json."""
    outputs = ["sweep.csv", "points.csv", "summary.json"]
    _replace_into(folder / "sweep.csv", lambda p: _csv(table, p))
    _replace_into(folder / "points.csv", lambda p: _csv(points, p))
    if parquet_available():
        _replace_into(folder / "sweep.parquet",
                      lambda p: table.to_parquet(p, index=False, engine="pyarrow"))
        outputs.append("sweep.parquet")
    if charts:
        outputs += sweep_figure(points, paths, folder, marks, axes)
    summary = {"kind": "sweep", "scenario": scenario_block(loaded), "sweep": manifest,
               "scenario_values": marks, "versions": versions(), "outputs": sorted(outputs)}
    _replace_into(folder / "summary.json", lambda p: p.write_text(_json(summary)))
    return outputs


# --- sensitivity ---------------------------------------------------------------------

def sensitivity_figures(oat: pd.DataFrame, sobol: pd.DataFrame | None, outcome: str,
                        folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.viz import charts

    written = []
    with charts.style():
        fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5.0), layout="constrained",
                                          width_ratios=(3, 2))
        charts.draw_tornado(left, oat, outcome)
        charts.draw_elasticities(right, oat, outcome)
        written.append(_save(fig, folder / "tornado.png"))
        if sobol is not None:
            fig, ax = plt.subplots(figsize=(7.5, 5.0), layout="constrained")
            charts.draw_sobol(ax, sobol, outcome)
            written.append(_save(fig, folder / "sobol.png"))
    return written


def write_sensitivity(oat: pd.DataFrame, sobol: pd.DataFrame | None, loaded: LoadedScenario,
                      out: Path, *, outcome: str, settings: dict[str, Any],
                      charts: bool = True, force: bool = False) -> Path:
    """sensitivity.csv (one at a time), sobol.csv, the charts and summary.json, whole."""

    def fill(folder: Path) -> None:
        _csv(oat, folder / "sensitivity.csv")
        outputs = ["sensitivity.csv", "summary.json"]
        if sobol is not None:
            _csv(sobol, folder / "sobol.csv")
            outputs.append("sobol.csv")
        if charts:
            outputs += sensitivity_figures(oat, sobol, outcome, folder)
        summary = {"kind": "sensitivity", "scenario": scenario_block(loaded),
                   "settings": settings, "versions": versions(), "outputs": sorted(outputs)}
        (folder / "summary.json").write_text(_json(summary))

    return write_folder(out, loaded.spec.name, fill, force=force)


# --- the flip search -----------------------------------------------------------------


def write_flips(result: Any, loaded: LoadedScenario, out: Path, *, charts: bool = True,
                force: bool = False) -> Path:
    """flips.csv (parameter, default, lower, upper: relative changes, empty where no flip
    within the searched range), flip_details.csv (what was searched, the value at each
    flip, what changed there), flips.png and summary.json, whole.

    `result` is `sim.experiments.flips.Result` (typed loosely: reports sit above
    experiments only through what they are handed)."""

    def fill(folder: Path) -> None:
        _csv(result.table(), folder / "flips.csv")
        _csv(result.details(), folder / "flip_details.csv")
        outputs = ["flips.csv", "flip_details.csv", "summary.json"]
        if charts:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt

            from sim.viz import charts as draw

            n = len(result.inputs)
            with draw.style():
                fig, ax = plt.subplots(figsize=(9.0, 1.6 + 0.24 * n), layout="constrained")
                draw.draw_flips(ax, result.details(), band=result.settings["range"])
                outputs.append(_save(fig, folder / "flips.png"))
        inside = result.within(result.settings["range"])
        summary = {"kind": "flips", "scenario": scenario_block(loaded),
                   "settings": result.settings, "versions": versions(),
                   "story": [{"response": label, "model": _story_json(s)} for label, s
                             in zip(result.labels, result.base_story, strict=True)],
                   "evaluations": result.evaluations, "batches": result.batches,
                   "within_range": list(inside["parameter"]),
                   "outputs": sorted(outputs)}
        (folder / "summary.json").write_text(_json(summary))

    return write_folder(out, loaded.spec.name, fill, force=force)


def _story_json(response: Any) -> dict[str, Any] | None:
    if response is None:
        return None
    date, action, persons, facilities, category = response
    return {"date": date, "action": action, "persons": persons, "facilities": facilities,
            "category": category}
