"""Quantal response: probabilities of each course, a single run's most likely path, sampled
runs in ensembles, and the probabilities of each recorded first response."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import sim
from sim.analysis.probabilities import CATEGORIES, first_response_probabilities
from tests.conftest import SCENARIOS, run_cli

SCENARIO = SCENARIOS / "2016.yaml"


@pytest.fixture(scope="module")
def decisions():
    return sim.run(sim.load(SCENARIO)).decisions.set_index("date")


def test_the_probabilities_are_the_logit_of_the_utilities(decisions):
    # 28 Jul 2017: EU retaliate +0.386, wait +0.291, let go 0 (in units of R = 1), and the
    # default precision 20: exp(20 x) normalised, worked by hand from the printed utilities
    row = decisions.loc["2017-07-28"]
    assert "EU retaliate +0.386, wait +0.291, let go +0.000" in row["reason"]
    weights = [math.exp(20 * (u - 0.386)) for u in (0.386, 0.291, 0.0)]
    expected = [w / sum(weights) for w in weights]  # 0.8696, 0.1300, 0.0004
    got = [row["p_retaliate"], row["p_wait"], row["p_let_go"]]
    assert got == pytest.approx(expected, abs=2e-3)
    assert sum(got) == pytest.approx(1.0)


def test_the_expected_reply_is_recorded_with_each_decision(decisions):
    # an answer in kind settles the account (no reply expected); the cut to parity goes
    # 720 beyond it, which the US best responder would answer
    assert decisions.loc["2016-12-30", "reply_probability"] == 0.0
    assert decisions.loc["2017-07-28", "reply_probability"] == 1.0
    # nothing to answer: letting go is certain
    row = decisions[decisions["reason"] == "parity already holds"].iloc[0]
    assert (row["p_retaliate"], row["p_wait"], row["p_let_go"]) == (0.0, 0.0, 1.0)


def test_a_single_run_follows_the_most_likely_course_whatever_the_precision():
    sharp = sim.run(sim.load(SCENARIO, {"behaviour.precision": 1000})).events
    blunt = sim.run(sim.load(SCENARIO, {"behaviour.precision": 2})).events
    assert sharp.equals(blunt)
    assert list(sharp["persons"]) == [35, 755, 0]


def test_sampled_runs_draw_each_grievance_once_and_keep_its_disposition():
    # Waiting 211 days with a daily chance of letting go near 0.007: drawn afresh every day
    # about 3 runs in 4 would let go; drawn once per grievance, the share of runs that never
    # answer stays near the chance of not answering on 28 July (0.13).
    runs = sim.run_many(SCENARIO, 300, workers=1)
    never = (runs["category"] == "none").mean()
    assert 0.05 < never < 0.25
    assert set(runs["category"]) <= {"none", "larger", "same"}


def test_first_response_probabilities_sum_to_one_and_match_the_sampled_runs():
    loaded = sim.load(SCENARIO)
    probabilities = first_response_probabilities(loaded, runs=400)
    assert [p["recorded"] for p in probabilities] == ["none", "larger", "smaller", "none"]
    for p in probabilities:
        assert sum(p["probabilities"].values()) == pytest.approx(1.0)
        assert set(p["probabilities"]) == set(CATEGORIES)
    july = probabilities[1]
    # July's cap on 28 Jul has 0.87; 400 runs: within 3 standard errors (0.05)
    assert abs(july["probabilities"]["larger"] - 0.87) < 3 * math.sqrt(0.87 * 0.13 / 400)
    assert july["within_3_days"] == pytest.approx(july["probabilities"]["larger"], abs=0.02)
    assert first_response_probabilities(loaded, runs=400) == probabilities  # seeded


def test_the_run_command_prints_and_writes_the_probabilities(tmp_path):
    done = run_cli(SCENARIO, "--out", tmp_path / "r")
    assert done.returncode == 0, done.stderr
    assert "P(recorded)" in done.stdout
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    rows = summary["history"]
    assert all(abs(sum(r["probabilities"].values()) - 1) < 1e-9 for r in rows)
    assert np.isclose(rows[1]["probability_of_recorded"],
                      rows[1]["probabilities"]["larger"])
    assert "responses.png" in summary["outputs"]
    assert (tmp_path / "r" / "responses.png").stat().st_size > 10_000
