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
"""

from sim.history import compare
from sim.outcomes import outcome, run_many
from sim.results import RunResult, run
from sim.scenario import LoadedScenario, ScenarioError, load
from sim.studies.sweep import sweep

__version__ = "0.1.0"
__all__ = ["LoadedScenario", "RunResult", "ScenarioError", "compare", "load", "outcome", "run",
           "run_many", "sweep"]
