"""Which behaviour parameters matter: one-at-a-time swings and elasticities, Sobol indices.

The parameters are those of `sim/game/params.py`, each varied within its documented range
(its field metadata), through the scenario-wide `behaviour.NAME` path. A state that sets
its own value keeps it (the command says which). Every point runs the same seeds (common
random numbers), so differences come from the parameters.

Outcomes of a set of runs (`metrics`), for the main dyad's target:

- ``delay``: mean days to the first answer, a run with no answer counting as the whole
  scenario (so that never answering is the longest wait, not a missing value);
- ``p_retaliated``: share of runs with an answer;
- ``p_waited``: share of runs whose first decision was to wait;
- ``persons``: mean staff expelled in the first answer (0 when none).

One at a time (`one_at_a_time`): each parameter at the low and high ends of its range,
the others as in the scenario (the tornado chart), and the local elasticity at the
scenario's value, ((y+ - y-) / y0) / ((x+ - x-) / x0) with x± = x0 (1 ± step), clipped to
the range (whole-number parameters move by at least 1). Sobol (`sobol`, needs SALib):
first-order and total indices (Saltelli 2010 estimators as implemented in SALib) with
every parameter drawn uniformly over its range; it costs samples × (parameters + 2)
points, and ignores interactions' second-order terms.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.outcomes import OUTCOME_COLUMNS, derive_seeds
from sim.execution.executors import run_tasks
from sim.execution.tasks import Point, ScenarioSource, Task
from sim.experiments.ensemble import base_seed, check_runs, loaded_from
from sim.experiments.grid import tidy_number
from sim.experiments.runners import DEFAULT_RUNNER, get_runner
from sim.game.params import DEFAULTS, parameter_table
from sim.scenario import LoadedScenario, ScenarioError

OUTCOMES = {
    "delay": "mean days to the first answer (no answer: the whole scenario)",
    "p_retaliated": "probability of an answer",
    "p_waited": "probability of waiting at first",
    "persons": "mean staff expelled in the first answer",
}
STEP = 0.1


@dataclass(frozen=True)
class Parameter:
    """A behaviour parameter: its value in the scenario and its documented range."""

    name: str
    base: float
    lo: float
    hi: float
    integer: bool

    @property
    def path(self) -> str:
        return f"behaviour.{self.name}"

    def value(self, x: float) -> float | int:
        x = min(max(x, self.lo), self.hi)
        return round(x) if self.integer else tidy_number(x)


def parameters(loaded: LoadedScenario, names: Sequence[str] | None = None) -> list[Parameter]:
    """The behaviour parameters to study (all, or `names`), at the scenario's values."""
    table = {row["name"]: row for row in parameter_table()}
    unknown = [n for n in names or () if n not in table]
    if unknown:
        raise ScenarioError(f"--params: unknown parameter {unknown[0]!r}; known: "
                            f"{', '.join(table)}", file=loaded.origin.file)
    chosen = list(names) if names else list(table)
    out = []
    for name in chosen:
        row = table[name]
        own = getattr(loaded.spec.behaviour, name)
        base = own if own is not None else getattr(DEFAULTS, name)
        lo, hi = row["range"]
        out.append(Parameter(name, base, lo, hi, isinstance(row["default"], int)))
    return out


def state_overrides(loaded: LoadedScenario, params: Sequence[Parameter]) -> list[str]:
    """'STATE.NAME' for each studied parameter a state sets for itself (not varied there)."""
    return [f"{sid}.{p.name}" for sid, state in sorted(loaded.spec.states.items())
            for p in params if getattr(state.behaviour, p.name) is not None]


def horizon(loaded: LoadedScenario) -> int:
    return (loaded.spec.end - loaded.spec.start).days


def metrics(runs: pd.DataFrame, censor_days: int) -> dict[str, float]:
    """The outcomes of a set of runs (see the module docstring)."""
    answered = runs["category"].to_numpy() != "none"
    delay = pd.to_numeric(runs["delay_days"], errors="coerce").to_numpy(dtype=float)
    delay = np.where(answered & np.isfinite(delay), delay, float(censor_days))
    return {
        "delay": float(delay.mean()),
        "p_retaliated": float(answered.mean()),
        "p_waited": float(np.mean(runs["first_choice"].to_numpy() == "wait")),
        "persons": float(runs["persons"].to_numpy(dtype=float).mean()),
    }


class _Points:
    """Distinct points and the runs of each, evaluated in one batch of tasks."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.points: list[Point] = []

    def add(self, point: Point) -> int:
        key = repr(point)
        if key not in self.index:
            self.index[key] = len(self.points)
            self.points.append(point)
        return self.index[key]

    def evaluate(self, loaded: LoadedScenario, seeds: list[int], options: dict[str, Any]
                 ) -> list[dict[str, float]]:
        source = ScenarioSource.of(loaded)
        tasks = [Task(p, s) for p in self.points for s in seeds]
        runner = get_runner(options.pop("runner", DEFAULT_RUNNER))
        rows = run_tasks(runner, source, tasks, **options)
        table = pd.DataFrame(rows, columns=OUTCOME_COLUMNS)
        r, days = len(seeds), horizon(loaded)
        return [metrics(table.iloc[i * r:(i + 1) * r], days) for i in range(len(self.points))]


def _prepare(scenario: Any, overrides: Any, runs: int, seed: int | None,
             names: Sequence[str] | None) -> tuple[LoadedScenario, list[Parameter], list[int]]:
    loaded = loaded_from(scenario, overrides)
    check_runs(runs, loaded.origin.file)
    return loaded, parameters(loaded, names), derive_seeds(base_seed(loaded, seed), runs)


def one_at_a_time(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    *,
    runs: int = 10,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    names: Sequence[str] | None = None,
    step: float = STEP,
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str = DEFAULT_RUNNER,
    chunk_size: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Swings over the documented ranges and local elasticities, one row per (parameter,
    outcome): parameter, outcome, x_base, x_low, x_high, y_base, y_low, y_high, swing
    (y_high - y_low), x_minus, x_plus, y_minus, y_plus, elasticity (NaN where the
    parameter or the outcome is 0 in the scenario, or the parameter cannot move)."""
    loaded, params, seeds = _prepare(scenario, overrides, runs, seed, names)
    grid = _Points()
    base = grid.add(())
    plan = []
    for p in params:
        nudge = step * min(abs(p.base), p.hi - p.lo)
        nudge = max(round(nudge), 1) if p.integer else nudge
        xs = {"low": p.value(p.lo), "high": p.value(p.hi),
              "minus": p.value(p.base - nudge), "plus": p.value(p.base + nudge)}
        plan.append((p, xs, {k: grid.add(((p.path, x),)) for k, x in xs.items()}))
    ys = grid.evaluate(loaded, seeds, {"workers": workers, "scheduler": scheduler,
                                       "runner": runner, "chunk_size": chunk_size,
                                       "progress": progress})
    rows = []
    for p, xs, at in plan:
        for outcome in OUTCOMES:
            y0 = ys[base][outcome]
            y = {k: ys[i][outcome] for k, i in at.items()}
            dx = float(xs["plus"]) - float(xs["minus"])
            elastic = (((y["plus"] - y["minus"]) / y0) / (dx / p.base)
                       if p.base != 0 and y0 != 0 and dx != 0 else float("nan"))
            rows.append({"parameter": p.name, "outcome": outcome, "x_base": p.base,
                         "x_low": xs["low"], "x_high": xs["high"], "y_base": y0,
                         "y_low": y["low"], "y_high": y["high"],
                         "swing": y["high"] - y["low"], "x_minus": xs["minus"],
                         "x_plus": xs["plus"], "y_minus": y["minus"], "y_plus": y["plus"],
                         "elasticity": elastic})
    return pd.DataFrame(rows)


def ranking(table: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Rows of one outcome, largest effect first: by |swing|, then by |elasticity|."""
    rows = table[table["outcome"] == outcome].copy()
    rows["_swing"] = rows["swing"].abs()
    rows["_elastic"] = rows["elasticity"].abs().fillna(0.0)
    rows = rows.sort_values(["_swing", "_elastic", "parameter"],
                            ascending=[False, False, True], kind="stable")
    return rows.drop(columns=["_swing", "_elastic"]).reset_index(drop=True)


def sobol_available() -> bool:
    try:
        import SALib  # noqa: F401
    except ImportError:
        return False
    return True


def sobol(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    *,
    samples: int = 64,
    runs: int = 1,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    names: Sequence[str] | None = None,
    workers: int | None = 1,
    scheduler: str | None = None,
    runner: str = DEFAULT_RUNNER,
    chunk_size: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Sobol first-order and total indices of every outcome, one row per (parameter,
    outcome): parameter, outcome, S1, S1_conf, ST, ST_conf (95% bootstrap half-widths).
    `samples` (a power of 2) base samples cost samples × (parameters + 2) points, each
    run `runs` times. An outcome that never varies gets indices of 0."""
    if not sobol_available():
        raise ScenarioError("Sobol indices need SALib: pip install 'retaliation-sim[sensitivity]'")
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    loaded, params, seeds = _prepare(scenario, overrides, runs, seed, names)
    if samples < 2 or samples & (samples - 1):
        raise ScenarioError("--sobol: the number of samples must be a power of 2 (8, 16, "
                            "32, 64...)", file=loaded.origin.file)
    problem = {"num_vars": len(params), "names": [p.name for p in params],
               "bounds": [[p.lo, p.hi] for p in params]}
    draw_seed = base_seed(loaded, seed)
    x = sample.sample(problem, samples, calc_second_order=False, seed=draw_seed)
    grid = _Points()
    at = [grid.add(tuple((p.path, p.value(v)) for p, v in zip(params, row, strict=True)))
          for row in x]
    ys = grid.evaluate(loaded, seeds, {"workers": workers, "scheduler": scheduler,
                                       "runner": runner, "chunk_size": chunk_size,
                                       "progress": progress})
    rows = []
    for outcome in OUTCOMES:
        y = np.array([ys[i][outcome] for i in at])
        if np.ptp(y) == 0:
            result = {k: np.zeros(len(params)) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            with warnings.catch_warnings():
                # SALib warns when a parameter's swaps leave the outcome unchanged: for a
                # model whose outcomes are few discrete values that is common, and the
                # indices it then reports (0) are the answer, not a fault.
                warnings.filterwarnings("ignore", message="Constant values encountered")
                result = analyze.analyze(problem, y, calc_second_order=False,
                                         print_to_console=False, seed=draw_seed)
        for k, p in enumerate(params):
            rows.append({"parameter": p.name, "outcome": outcome,
                         **{key: float(result[key][k])
                            for key in ("S1", "S1_conf", "ST", "ST_conf")}})
    return pd.DataFrame(rows)
