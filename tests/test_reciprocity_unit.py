"""R (`reciprocity_value`) is the unit of utility: every payoff term is measured in it.

Scaling R alone must change no decision in any scenario, nor the utilities recorded, which
are in units of R, and no score's ranking in the tournament.
"""

from __future__ import annotations

import pytest

import sim
from tests.conftest import SCENARIOS

MOVES = ["date", "actor", "target", "action", "persons", "facilities", "basis", "effective"]


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
@pytest.mark.parametrize("scale", [0.25, 4.0])
def test_scaling_r_changes_no_decision(path, scale):
    base = sim.run(sim.load(path))
    r = base.scenario.spec.behaviour_of(base.main_dyad()[0]).reciprocity_value
    scaled = sim.run(sim.load(path, {"behaviour.reciprocity_value": r * scale}))
    assert scaled.events[MOVES].equals(base.events[MOVES])
    assert scaled.decisions["choice"].tolist() == base.decisions["choice"].tolist()
    assert scaled.decisions["threshold"].equals(base.decisions["threshold"])


def test_utilities_are_in_units_of_r():
    path = SCENARIOS / "2016.yaml"
    base = sim.run(sim.load(path)).timeseries
    scaled = sim.run(sim.load(path, {"behaviour.reciprocity_value": 4.0})).timeseries
    both = base["eu_retaliate"].notna()
    assert both.sum() > 100
    assert scaled["eu_retaliate"][both].equals(base["eu_retaliate"][both])
