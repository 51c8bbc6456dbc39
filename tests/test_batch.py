"""The batch engine against the Mesa model, run by run, for the same seeds.

Noise is declared so that runs differ: misread signals and answers, signal strength
within a stated uncertainty, and a generous (randomly forgiving) policy.
"""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim.analysis.outcomes import batch_outcome_frame, derive_seeds
from sim.engine.batch import BatchEngine
from tests.conftest import SCENARIOS

COLUMNS = ["date", "actor", "target", "action", "persons", "facilities", "source"]

CASES = {
    "2016": ("2016.yaml", 16, {
        "behaviour.perception_noise": 0.25,
        "events.3.uncertainty": 0.3,
        "events.7.uncertainty": 0.04,  # the House vote (the Senate's veto-proof bill binds)
        "states.USA.policy": {"name": "generous", "forgiveness": 0.5},
    }),
    "2018_wave": ("2018_skripal.yaml", 5, {"behaviour.perception_noise": 0.3}),
    "2022_war": ("2022_war_wave.yaml", 5, {"behaviour.perception_noise": 0.3}),
}


def mesa_measures(loaded: sim.LoadedScenario, seeds: list[int]) -> tuple[pd.DataFrame,
                                                                         pd.DataFrame]:
    frames, outcomes = [], []
    for run, seed in enumerate(seeds):
        result = sim.run(loaded, seed=seed, sample=True)
        frames.append(result.events[COLUMNS].assign(run=run))
        outcomes.append(sim.outcome(result))
    measures = pd.concat(frames, ignore_index=True)
    return measures[["run", *COLUMNS]], pd.DataFrame(outcomes)


@pytest.mark.parametrize("case", sorted(CASES))
def test_batch_runs_equal_mesa_runs(case: str):
    file, n, overrides = CASES[case]
    loaded = sim.load(SCENARIOS / file, overrides)
    seeds = derive_seeds(loaded.spec.seed, n)
    engine = BatchEngine(loaded, seeds)
    batch = engine.run()
    mesa, mesa_outcomes = mesa_measures(loaded, seeds)
    assert len(batch) == len(mesa) > n  # something happens in every run, and more
    pd.testing.assert_frame_equal(batch[["run", *COLUMNS]].reset_index(drop=True),
                                  mesa.reset_index(drop=True), check_dtype=False)
    outcomes = batch_outcome_frame(engine)
    pd.testing.assert_frame_equal(outcomes, mesa_outcomes[outcomes.columns],
                                  check_dtype=False)


def test_noise_makes_runs_differ():
    loaded = sim.load(SCENARIOS / "2016.yaml", CASES["2016"][2])
    engine = BatchEngine(loaded, derive_seeds(1, 40))
    engine.run()
    outcomes = batch_outcome_frame(engine)
    assert outcomes["category"].nunique() >= 2


def test_without_noise_every_run_is_the_historical_one():
    # no perception noise, and a precise quantal response: every draw lands on the argmax
    loaded = sim.load(SCENARIOS / "2016.yaml", {"behaviour.precision": 1000})
    engine = BatchEngine(loaded, derive_seeds(7, 50))
    engine.run()
    outcomes = batch_outcome_frame(engine)
    assert set(outcomes["first_response_date"]) == {"2017-07-28"}
    assert set(outcomes["persons"]) == {755}
