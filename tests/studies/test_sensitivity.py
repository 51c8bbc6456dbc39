"""Sensitivity: which behaviour parameters move the 2016 outcome, and by how much."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.experiments import sensitivity as sens
from sim.game.params import parameter_names
from sim.scenario import ScenarioError
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "2016.yaml"
NAMES = ["reset_value", "reply_cost", "late_loss"]
SCENARIO_DAYS = 289  # 2016-12-15 to 2017-09-30: a run with no answer counts this long
# A precise quantal response: one run per value lands on the most likely course, so the
# swings below are those of the most likely runs.
PRECISE = {"behaviour.precision": 1000}


@pytest.fixture(scope="module")
def oat() -> pd.DataFrame:
    return sens.one_at_a_time(SCENARIO, runs=1, names=NAMES, workers=1, overrides=PRECISE)


def test_swings_over_the_documented_ranges(oat):
    delay = oat[oat["outcome"] == "delay"].set_index("parameter")
    # as written, Russia waits 211 days, until the veto-proof sanctions bill
    assert (delay["y_base"] == 211).all()
    # no value in a reset: it answers the day after the expulsions
    assert delay.loc["reset_value", ["x_low", "y_low"]].tolist() == [0.0, 1.0]
    # a reset worth 20: it still answers after the bill, which binds the successor (p = 0,
    # docs/model.md section 2); before the binding rule it waited to the end
    assert delay.loc["reset_value", ["x_high", "y_high"]].tolist() == [20.0, 211.0]
    # a reply 5 times the reciprocity value: the US's answer to a cap would cost more than
    # the cap is worth, so after the bill Russia answers in kind (35) instead of capping
    assert delay.loc["reply_cost", "y_high"] == 211
    persons = oat[oat["outcome"] == "persons"].set_index("parameter")
    assert persons.loc["reply_cost", ["y_base", "y_high"]].tolist() == [755.0, 35.0]
    # a reprisal worth nothing once late: in kind and waiting come near a tie in late July
    # (p 0.18 against (N + A(1-j)) / S), and the drawn disposition of this run waits on
    # past the scenario's end: late loss moves the outcome
    assert delay.loc["late_loss", ["x_high", "y_high"]].tolist() == [1.0, SCENARIO_DAYS]


def test_elasticities_are_local_and_undefined_at_zero(oat):
    delay = oat[oat["outcome"] == "delay"].set_index("parameter")
    assert delay.loc["reset_value", ["x_minus", "x_plus"]].tolist() == [4.5, 5.5]
    # 10% less value in a reset and Russia answers one day sooner (27 July, 210 days);
    # 10% more and on 28 July as written: a central difference of 1 day in 211 over a
    # change of 1 in 5, ((211 - 210) / 211) / ((5.5 - 4.5) / 5) = 0.0237
    assert delay.loc["reset_value", ["y_minus", "y_plus"]].tolist() == [210.0, 211.0]
    assert delay.loc["reset_value", "elasticity"] == pytest.approx(5 / 211)
    noise = sens.one_at_a_time(SCENARIO, runs=1, names=["perception_noise"], workers=1,
                               overrides=PRECISE)
    assert noise["elasticity"].isna().all()  # the scenario has no noise: no % change


def test_the_ranking_puts_the_widest_swing_first(oat):
    ranked = sens.ranking(oat, "delay")
    assert next(iter(ranked["parameter"])) == "reset_value"  # swing 288 days
    assert set(ranked["parameter"][1:]) == {"reply_cost", "late_loss"}  # 78 each


def test_parameters_start_from_the_scenarios_values():
    loaded = sim.load(SCENARIO, {"behaviour.reset_value": 3,
                                 "states.RUS.behaviour.honeymoon_days": 100})
    params = {p.name: p for p in sens.parameters(loaded)}
    assert list(params) == list(parameter_names())  # every behaviour parameter
    assert params["reset_value"].base == 3 and params["reset_value"].hi == 20
    assert params["honeymoon_days"].integer and params["honeymoon_days"].value(99.6) == 100
    assert sens.state_overrides(loaded, list(params.values())) == ["RUS.honeymoon_days"]
    with pytest.raises(ScenarioError, match="unknown parameter 'reset'"):
        sens.parameters(loaded, ["reset"])


def test_sobol_gives_nothing_to_a_parameter_without_effect():
    # 2016 has one initiator: no number of initiators makes a wave of it
    names = ["reset_value", "reply_cost", "wave_initiators"]
    table = sens.sobol(SCENARIO, samples=8, names=names, workers=1)
    assert set(table["outcome"]) == set(sens.OUTCOMES)
    inert = table[table["parameter"] == "wave_initiators"]
    assert (inert[["S1", "ST"]].to_numpy() == 0).all()
    delay = table[(table["outcome"] == "delay")].set_index("parameter")
    assert delay.loc["reset_value", "ST"] > 0.1
    assert np.isfinite(table[["S1", "ST"]].to_numpy()).all()
    with pytest.raises(ScenarioError, match="power of 2"):
        sens.sobol(SCENARIO, samples=12, names=names)


def test_the_command_line_ranks_and_charts(tmp_path: Path, cli):
    out = tmp_path / "sens"
    proc = cli("sensitivity", SCENARIO, "--params", "reset_value,reply_cost", "--runs", "1",
               "--out", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    ranking = proc.stdout.split("largest swing over the range first:")[1].splitlines()
    assert ranking[2].split()[0] == "reset_value" and ranking[3].split()[0] == "reply_cost"
    assert {p.name for p in out.iterdir()} == {".sim-results", "sensitivity.csv",
                                               "tornado.png", "summary.json"}
    bad = cli("sensitivity", SCENARIO, "--params", "nonsense", "--out", tmp_path / "bad")
    assert bad.returncode == 2 and "unknown parameter 'nonsense'" in bad.stderr
    assert not (tmp_path / "bad").exists()
