"""The founding case: the three historical moves of 2016-17 and the counterfactual.

Nothing in the code names a country, a date or a count: these facts live in the scenario
file, and the outcomes below must emerge from them and the default behaviour parameters.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

import sim

INAUGURATION = "2017-01-20"
SCENARIO_2016 = Path(__file__).resolve().parent.parent / "scenarios" / "2016.yaml"


def actions(result: sim.RunResult, actor: str, target: str) -> pd.DataFrame:
    ev = result.model_actions()
    return ev[(ev["actor"] == actor) & (ev["target"] == target)].reset_index(drop=True)


def days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def test_russia_waits_on_30_december_and_until_the_inauguration(run_2016):
    dec30 = run_2016.decisions
    dec30 = dec30[(dec30["date"] == "2016-12-30") & (dec30["actor"] == "RUS")]
    assert list(dec30["choice"]) == ["wait"]
    assert dec30.iloc[0]["p_reset"] > dec30.iloc[0]["threshold"]
    ru = actions(run_2016, "RUS", "USA")
    assert not (ru["date"] <= INAUGURATION).any()


def test_after_the_sanctions_bill_russia_caps_the_us_mission_to_parity(run_2016):
    ru = actions(run_2016, "RUS", "USA")
    first = ru.iloc[0]
    assert first["action"] == "cap"
    assert "2017-07-27" <= first["date"] <= "2017-08-10"  # by early August
    assert first["persons"] == 755
    assert first["facilities"] >= 1  # plus property
    after = run_2016.timeseries
    after = after[(after["actor"] == "RUS") & (after["counterpart"] == "USA")].iloc[-1]
    assert after["staff_counterpart_in_actor"] == 455
    assert after["staff_actor_in_counterpart"] == 455


def test_the_us_answers_smaller_without_expelling_and_the_spiral_stops(run_2016):
    cap = actions(run_2016, "RUS", "USA").iloc[0]
    us = actions(run_2016, "USA", "RUS")
    assert len(us) == 1
    answer = us.iloc[0]
    assert 0 < days(cap["date"], answer["date"]) <= 38  # within about five weeks
    assert answer["persons"] == 0 and answer["facilities"] > 0
    assert answer["action"] == "close"
    later = run_2016.model_actions()
    assert (later["date"] > answer["date"]).sum() == 0
    # the closures bring sites to parity: a cap answering a cap settles the account, so
    # Russia banks nothing and has nothing left to decide
    last = run_2016.decisions[run_2016.decisions["actor"] == "RUS"].iloc[-1]
    assert last["date"] < answer["date"] and last["choice"] == "retaliate"
    assert answer["basis"] == "parity"


def test_the_comparison_with_history_matches_every_category(run_2016):
    rows = sim.compare(run_2016)
    assert [r.recorded for r in rows] == ["none", "larger", "smaller", "none"]
    assert all(r.category_match for r in rows)


def test_a_hawkish_successor_is_answered_in_kind_within_days(run_hawkish):
    ru = actions(run_hawkish, "RUS", "USA")
    first = ru.iloc[0]
    assert first["action"] == "expel"
    assert first["persons"] == 35 and first["facilities"] == 2
    assert days("2016-12-29", first["date"]) <= 3
    assert (ru["action"] != "cap").all()
    # an answer in kind settles the account: the US does not answer it
    assert actions(run_hawkish, "USA", "RUS").empty


def test_the_waiting_threshold_separates_the_two_priors(run_2016, run_hawkish):
    def first_decision(result):
        d = result.decisions
        return d[d["actor"] == "RUS"].iloc[0]

    real, hawk = first_decision(run_2016), first_decision(run_hawkish)
    assert real["threshold"] == hawk["threshold"]  # same facts, same threshold
    assert real["p_reset"] > real["threshold"] > hawk["p_reset"]


# The estimates `python -m sim fit` gave on the data set's train split (2026-11-28, 155
# rows, docs/model.md 8b). They are not the defaults (the library scorecard falls with
# them, docs/model.md 8b), but the 2016 story must stay the most likely path under them.
FITTED = {"precision": 1000.0, "tremble": 0.3549, "late_loss": 6.144e-06,
          "audience_cost_spokesman": 2.0, "audience_cost_minister": 0.0965,
          "answer_cost": 2.24}


def test_the_story_holds_with_the_values_fitted_on_the_data_set():
    result = sim.run(sim.load(SCENARIO_2016, {f"behaviour.{k}": v for k, v in FITTED.items()}))
    rows = sim.compare(result)
    assert [r.recorded for r in rows] == ["none", "larger", "smaller", "none"]
    assert all(r.category_match for r in rows)
    cap = actions(result, "RUS", "USA").iloc[0]
    assert (cap["action"], cap["persons"], cap["date"]) == ("cap", 755, "2017-07-28")
