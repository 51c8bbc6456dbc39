"""sim: a game-theory simulator of diplomatic retaliation.

The public API, for notebooks and scripts::

    import sim
    scenario = sim.load("scenarios/2016.yaml", {"behaviour.reset_value": 3})
    result = sim.run(scenario)              # a RunResult: DataFrames of what happened
    result.events, result.timeseries, result.decisions
    sim.compare(result)                     # against the recorded history, if any
    sim.run_many(scenario, runs=100)        # one outcome row per seeded replicate
    sim.sweep(scenario, {"behaviour.reset_value": [1, 3, 5]}, runs=20)   # a tidy table

Charts live in `sim.outputs.charts` (each ``draw_x(ax, result)``).

Also part of the API: `sim.charts` (the same chart functions, imported on first use so
that ``import sim`` does not load matplotlib), `sim.compare_frame` (the comparison as a
DataFrame), `sim.parameters` (the behaviour parameters and their ranges as a DataFrame),
`LoadedScenario.to_dict` (a scenario as plain data to edit and load again) and `sim.game`
(the pure game maths the agents call), `sim.scorecard` and `sim.shares` (the validation
against recorded history over a library of episodes), `sim.sweep` and `sim.sensitivity`
(many runs over a grid of values, or each behaviour parameter over its range). The README
lists them all.
"""

from typing import Any

from sim import game
from sim.frames import compare_frame, parameters
from sim.history import Comparison, compare
from sim.outcomes import outcome, run_many
from sim.results import RunResult, run
from sim.scenario import LoadedScenario, ScenarioError, load
from sim.studies.sensitivity import one_at_a_time as sensitivity
from sim.studies.sweep import sweep
from sim.validation import scorecard, shares

__version__ = "0.1.0"
__all__ = ["LoadedScenario", "RunResult", "ScenarioError", "compare", "load", "outcome", "run",
           "run_many"]
__all__ += ["Comparison", "charts", "compare_frame", "game", "parameters"]
__all__ += ["scorecard", "sensitivity", "shares", "sweep"]


def __getattr__(name: str) -> Any:
    """`sim.charts`, imported when first used: matplotlib stays out of ``import sim``."""
    if name == "charts":
        from sim.outputs import charts

        return charts
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
