"""The decision map replays one traced run for every prior; it must match real runs."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim.analysis.decision_map import compute, first_day_boundary, trace
from sim.analysis.outcomes import outcome
from sim.game.decision import wait_threshold
from sim.game.decision_regions import DecisionDays, Outcome, decision_map
from tests.conftest import SCENARIOS


def test_pure_replay_by_hand():
    # two decision days; day 0: N = 1, S = 4, phi = 0.5, threat cost from the axis, j = 0.5;
    # day 1: the evidence halves the odds of cell 0, the measure would be a cut to parity
    days = DecisionDays(
        likelihood=np.array([[1.0, 1, 1, 1], [0.5, 1, 1, 1]]),
        net_value=np.array([1.0, 1.0]), spoil=np.array([4.0, 4.0]),
        continuation=np.array([0.5, 0.5]), audience=np.array([0.0, 0.0]),
        outcome_if_acting=np.array([Outcome.IN_KIND, Outcome.PARITY]), excuse_first_day=0.5)
    m = decision_map(days, [0.05, 0.2, 0.9], 1.0, [0.0, 2.0])
    # p* day 0 with A = 0: 0.5 / 3.5 = 0.143; with A = 2 (A(1-j) = 1): 1.5 / 3.5 = 0.429
    # prior 0.2 waits at A = 0; day 1: p = 0.1/0.9 = 0.111 < 0.143: parity
    # prior 0.9: day 1 p = 0.45/0.55 = 0.82: waits throughout
    assert m.outcome.tolist() == [
        [Outcome.IN_KIND, Outcome.PARITY, Outcome.WAITS],
        [Outcome.IN_KIND, Outcome.IN_KIND, Outcome.WAITS],
    ]
    assert m.day.tolist() == [[0, 1, -1], [0, 0, -1]]


@pytest.fixture(scope="module")
def traced_2016():
    loaded = sim.load(SCENARIOS / "2016.yaml")
    return loaded, *compute(loaded, resolution=41)


def test_the_2016_point_is_the_2016_run(traced_2016, run_2016):
    _, tr, m = traced_2016
    assert (tr.actor, tr.counterpart, tr.threat_level) == ("RUS", "USA", "minister")
    i = int(np.argmin(abs(m.prior_accommodating - tr.prior_accommodating)))
    j = int(np.argmin(abs(m.threat_cost - tr.threat_cost)))
    assert m.prior_accommodating[i] == pytest.approx(0.6)
    assert m.threat_cost[j] == pytest.approx(0.3)
    assert m.outcome[j, i] == Outcome.PARITY
    assert tr.dates[m.day[j, i]] == "2017-07-28"
    assert outcome(run_2016)["first_response_date"] == "2017-07-28"


@pytest.mark.parametrize("prior, cost", [(0.05, 0.3), (0.6, 0.3), (0.6, 1.8), (0.3, 0.0),
                                         (0.95, 0.1), (0.2, 1.0)])
def test_map_equals_the_mesa_run_at_grid_points(traced_2016, prior, cost):
    _, tr, m = traced_2016
    i = int(np.argmin(abs(m.prior_accommodating - prior)))
    j = int(np.argmin(abs(m.threat_cost - cost)))
    x, y = float(m.prior_accommodating[i]), float(m.threat_cost[j])
    run = sim.run(sim.load(SCENARIOS / "2016.yaml", {
        "states.USA.administrations.trump.prior": {"accommodating": x, "hawkish": 1 - x},
        "behaviour.audience_cost_minister": y}))
    first = outcome(run)
    basis = run.model_actions()
    basis = basis[(basis["actor"] == "RUS") & (basis["target"] == "USA")]
    expected = {"in_kind": Outcome.IN_KIND, "parity": Outcome.PARITY}[basis.iloc[0]["basis"]] \
        if len(basis) else Outcome.WAITS
    assert m.outcome[j, i] == expected
    if len(basis):
        assert tr.dates[m.day[j, i]] == first["first_response_date"]


def test_the_map_shows_more_than_one_outcome(traced_2016):
    _, _, m = traced_2016
    assert {Outcome.IN_KIND, Outcome.PARITY} <= set(np.unique(m.outcome).tolist())


def test_first_day_boundary_is_p_star_over_freedom(traced_2016):
    _, tr, _ = traced_2016
    d = tr.days
    x = first_day_boundary(tr, np.array([0.3]))
    p_star = wait_threshold(d.net_value[0], d.spoil[0], d.continuation[0], 0.15)
    assert x[0] == pytest.approx(float(p_star) / 0.7)


def test_a_policy_without_beliefs_has_no_map():
    loaded = sim.load(SCENARIOS / "2016.yaml", ["states.RUS.policy=in_kind"])
    with pytest.raises(sim.ScenarioError, match="in_kind does not weigh beliefs"):
        trace(loaded)


def test_the_command_writes_the_map_and_refuses_a_policy_without_beliefs(tmp_path):
    from tests.conftest import run_cli

    done = run_cli("decision-map", SCENARIOS / "2016.yaml", "--resolution", "21",
                   "--out", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "at the scenario's point (prior 0.60, audience cost 0.30): caps to parity on " \
           "2017-07-28" in done.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == [".sim-results", "2016.csv",
                                                          "2016.png"]
    assert len((tmp_path / "2016.csv").read_text().splitlines()) == 1 + 21 * 21
    bad = run_cli("decision-map", SCENARIOS / "2016.yaml", "--set", "states.RUS.policy=grim",
                  "--out", tmp_path / "bad")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "states.RUS.policy: grim does not weigh beliefs" in bad.stderr
    assert not (tmp_path / "bad").exists()
