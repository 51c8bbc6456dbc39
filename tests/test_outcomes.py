"""Run outcomes and seeded replicates."""

import sim
from sim.analysis.outcomes import categorise, derive_seeds
from tests.conftest import SCENARIOS


def test_categories():
    assert categorise(0, 0, 35, 2) == "none"
    assert categorise(35, 2, 35, 2) == "same"
    assert categorise(32, 0, 35, 2) == "same"  # within 10%
    assert categorise(24, 0, 30, 0) == "smaller"
    assert categorise(755, 2, 35, 2) == "larger"
    assert categorise(0, 3, 720, 0) == "smaller"  # facilities only, staff owed
    assert categorise(0, 3, 0, 3) == "same"  # facilities compared when no staff owed


def test_outcome_of_the_counterfactual(run_hawkish):
    row = sim.outcome(run_hawkish)
    assert (row["actor"], row["target"], row["delay_days"], row["persons"], row["category"]) \
        == ("RUS", "USA", 1, 35, "same")


def test_seeds_are_derived_reproducibly():
    assert derive_seeds(2016, 5) == derive_seeds(2016, 5)
    assert derive_seeds(2016, 5)[:3] == derive_seeds(2016, 3)
    assert len(set(derive_seeds(2016, 1000))) == 1000


def test_run_many_is_reproducible_and_varies_only_with_declared_noise():
    noisy = {"behaviour.perception_noise": 0.3, "behaviour.precision": 3.0}
    # 12 runs, noisy and blunt: the categories vary
    a = sim.run_many(SCENARIOS / "2016.yaml", 12, overrides=noisy)
    b = sim.run_many(SCENARIOS / "2016.yaml", 12, overrides=noisy)
    assert a.equals(b)
    assert a["category"].nunique() > 1
    quiet = sim.run_many(SCENARIOS / "2016.yaml", 3, overrides={"behaviour.precision": 1000})
    assert set(quiet["persons"]) == {755}
