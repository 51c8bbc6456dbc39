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
    # 28 Jul 2017: EU of the cap to parity +1.707, wait +1.288, let go 0 (in units of R),
    # and the default precision 20: exp(20 x) normalised, worked by hand from the printed
    # utilities (the other sizes of the menu, worth 0.4 R or more less, add under 1e-3).
    # The cap cuts only the US surplus over parity, which a claim of equal standing does
    # not count as a cost (sizes.claimed_surplus): 0.5 x 775 / 1270 = 0.305 R less than
    # before that rule, which printed +1.410.
    row = decisions.loc["2017-07-28"]
    assert "EU retaliate +1.707, wait +1.288, let go -0.000" in row["reason"]
    weights = [math.exp(20 * (u - 1.707)) for u in (1.707, 1.288, 0.0)]
    expected = [w / sum(weights) for w in weights]  # 0.99977, 0.00023, 1e-15
    got = [row["p_retaliate"], row["p_wait"], row["p_let_go"]]
    assert got == pytest.approx(expected, abs=1e-4)
    assert sum(got) == pytest.approx(1.0)


def test_the_expected_reply_is_recorded_with_each_decision(decisions):
    # the cut to parity goes 720 staff beyond what was owed: the US banks it as a cap and
    # answers it (with closures to parity); waiting in December, the answer expected at
    # the close of the wait is in kind, which settles the account
    assert decisions.loc["2017-07-28", "reply_probability"] == pytest.approx(1.0)
    assert decisions.loc["2016-12-30", "reply_probability"] < 0.01
    # the US closures bring sites to parity: parity answered by parity, nothing to answer
    us = decisions[decisions["actor"] == "USA"].iloc[0]
    assert (us["persons"], us["facilities"], us["basis"]) == (0, 3, "parity")
    assert us["reply_probability"] == 0.0


def test_a_single_run_follows_the_most_likely_course():
    # the most likely course is the one of highest utility; the precision moves the
    # utilities only through the counterpart's response further down the exchange, so a
    # sharp and a sharper state tell the same story, a blunt one the same measures
    moves = ["date", "actor", "target", "action", "persons", "facilities"]
    sharp = sim.run(sim.load(SCENARIO, {"behaviour.precision": 1000})).events[moves]
    sharper = sim.run(sim.load(SCENARIO, {"behaviour.precision": 100})).events[moves]
    blunt = sim.run(sim.load(SCENARIO, {"behaviour.precision": 2})).events[moves]
    assert sharp.equals(sharper)
    assert list(sharp["persons"]) == list(blunt["persons"]) == [35, 755, 0]
    assert list(sharp["facilities"]) == [2, 2, 3]


def test_sampled_runs_draw_each_grievance_once_and_keep_its_disposition():
    # Waiting 211 days with a daily chance of letting go near 0.001: drawn afresh every day
    # about one run in five would let go; drawn once per grievance, almost none does, and
    # the cap to parity (larger) is what nearly every run ends with.
    runs = sim.run_many(SCENARIO, 300, workers=1)
    assert (runs["category"] == "none").mean() < 0.02
    assert (runs["category"] == "larger").mean() > 0.95
    assert set(runs["category"]) <= {"none", "larger", "same"}


def test_first_response_probabilities_sum_to_one_and_match_the_sampled_runs():
    loaded = sim.load(SCENARIO)
    probabilities = first_response_probabilities(loaded, runs=400)
    assert [p["recorded"] for p in probabilities] == ["none", "larger", "smaller", "none"]
    for p in probabilities:
        assert sum(p["probabilities"].values()) == pytest.approx(1.0)
        assert set(p["probabilities"]) == set(CATEGORIES)
    july = probabilities[1]
    # July's cap on 28 Jul has 0.999 (test above): nearly every run caps, within 3 days
    assert july["probabilities"]["larger"] > 0.97
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
