"""sim: a game-theory simulator of diplomatic retaliation.

The public API, for notebooks and scripts::

    import sim
    scenario = sim.load("scenarios/2016.yaml", {"behaviour.reset_value": 3})
    result = sim.run(scenario)              # a RunResult: DataFrames of what happened
    result.events, result.timeseries, result.decisions
    sim.compare(result)                     # against the recorded history, if any
    sim.run_many(scenario, runs=100)        # one outcome row per seeded replicate
    sim.sweep(scenario, {"behaviour.reset_value": [1, 3, 5]}, runs=20)   # a tidy table

Charts live in `sim.viz.charts` (each ``draw_x(ax, result)``).

Also part of the API: `sim.charts` (the same chart functions, imported on first use so
that ``import sim`` does not load matplotlib), `sim.compare_frame` (the comparison as a
DataFrame), `sim.parameters` (the behaviour parameters and their ranges as a DataFrame),
`LoadedScenario.to_dict` (a scenario as plain data to edit and load again) and `sim.game`
(the pure game maths the agents call), `sim.scorecard` and `sim.shares` (the validation
against recorded history over a library of episodes), `sim.sweep` and `sim.sensitivity`
(many runs over a grid of values, or each behaviour parameter over its range). The README
lists them all.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from sim.version import __version__

# Every public name and the module that holds it. Nothing is imported until a name is
# first used, so ``import sim`` (and ``import sim.game``) loads no Mesa, pandas or
# matplotlib: a notebook pays for what it touches.
_PUBLIC: dict[str, tuple[str, str | None]] = {
    "LoadedScenario": ("sim.scenario", "LoadedScenario"),
    "ScenarioError": ("sim.scenario", "ScenarioError"),
    "load": ("sim.scenario", "load"),
    "RunResult": ("sim.engine.one_run", "RunResult"),
    "run": ("sim.engine.one_run", "run"),
    "outcome": ("sim.analysis.outcomes", "outcome"),
    "Comparison": ("sim.analysis.comparison", "Comparison"),
    "compare": ("sim.analysis.comparison", "compare"),
    "compare_frame": ("sim.analysis.tables", "compare_frame"),
    "parameters": ("sim.analysis.tables", "parameters"),
    "scorecard": ("sim.analysis.validation", "scorecard"),
    "shares": ("sim.analysis.validation", "shares"),
    "run_many": ("sim.experiments.ensemble", "run_many"),
    "sweep": ("sim.experiments.sweep", "sweep"),
    "sensitivity": ("sim.experiments.sensitivity", "one_at_a_time"),
    "charts": ("sim.viz.charts", None),
    "game": ("sim.game", None),
}
__all__ = [
    "Comparison",
    "LoadedScenario",
    "RunResult",
    "ScenarioError",
    "__version__",
    "charts",
    "compare",
    "compare_frame",
    "game",
    "load",
    "outcome",
    "parameters",
    "run",
    "run_many",
    "scorecard",
    "sensitivity",
    "shares",
    "sweep",
]  # the keys of _PUBLIC and the version (tests/test_layers.py checks)

if TYPE_CHECKING:  # for type checkers and editors; at run time names load on first use
    from sim import game
    from sim.analysis.comparison import Comparison, compare
    from sim.analysis.outcomes import outcome
    from sim.analysis.tables import compare_frame, parameters
    from sim.analysis.validation import scorecard, shares
    from sim.engine.one_run import RunResult, run
    from sim.experiments.ensemble import run_many
    from sim.experiments.sensitivity import one_at_a_time as sensitivity
    from sim.experiments.sweep import sweep
    from sim.scenario import LoadedScenario, ScenarioError, load
    from sim.viz import charts


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used (PEP 562)."""
    try:
        module, attr = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'sim' has no attribute {name!r}") from None
    value = import_module(module) if attr is None else getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
