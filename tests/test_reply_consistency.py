"""The reply a state expects is the reply it gets: for every pair of policies.

A state that answers expects its counterpart to answer back with some probability q (the
`reply_probability` of its decision): from the counterpart's rule, or, for a strategic
counterpart, from its quantal response in the exchange game, both applied to the state
the answer creates (`sim.engine.day.reply_to`, `sim.game.qre`). Here the runs play it
out: BBB expels 10 staff and a site of AAA; AAA answers by its policy; BBB then answers
AAA's measure, or not, by its own. Over sampled runs (decisions drawn from their quantal
response, misreadings and forgiveness from their noise), the number of runs in which BBB
answers must be the sum of the q AAA expected, within four standard errors of that sum
(sqrt of the sum of q (1 - q)), for all 64 pairs of policies; exactly so where every q
is 0 or 1.

The missions leave AAA a parity gap (BBB has 60 staff and 4 sites in AAA, AAA 40 and 3
in BBB), so some answers go beyond what was owed, and each side misreads an answer as a
fresh offence one time in four, so that even an answer in kind may be answered. The
precision is low (3 per unit of R), so strategic states take every course of their menu.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.engine.batch import BatchEngine
from sim.engine.day import Decisions
from sim.game.decision import Choice
from sim.rules.policies import POLICIES
from sim.scenario import load

RUNS = 600
NAMES = sorted(POLICIES)


def scenario(mine: str, theirs: str) -> dict:
    return {
        "name": "replies", "title": "expected against realised replies",
        "start": "2020-01-01", "end": "2020-03-31", "seed": 7,
        "behaviour": {"perception_noise": 0.25, "precision": 3.0},
        "states": {
            "AAA": {"name": "Alpha", "missions": {"BBB": 40}, "facilities": {"BBB": 3},
                    "policy": mine},
            "BBB": {"name": "Beta", "missions": {"AAA": 60}, "facilities": {"AAA": 4},
                    "policy": theirs},
        },
        "events": [{"date": "2020-01-02", "type": "expel", "actor": "BBB", "target": "AAA",
                    "persons": 10, "facilities": 1}],
    }


def expected_and_realised(mine: str, theirs: str) -> tuple[np.ndarray, np.ndarray]:
    """Per run in which AAA answered: the q of its first answer, and whether BBB answered
    after it."""
    engine = BatchEngine(load(scenario(mine, theirs)), range(RUNS), sample=True)
    aaa = engine.world.index[("AAA", "BBB")]
    q = np.full(RUNS, np.nan)
    decided = engine.log.decided

    def keep(d: Decisions) -> None:
        decided(d)
        if d.pair == aaa:
            runs = d.evaluation.runs
            hit = (d.choice == Choice.RETALIATE) & np.isnan(q[runs])
            q[runs[hit]] = d.evaluation.reply_probability[hit]

    engine.log.decided = keep  # type: ignore[method-assign]
    frame = engine.run()
    model = frame[frame["source"] == "model"]
    answered = np.zeros(RUNS, dtype=bool)
    answered[model.loc[model["actor"] == "BBB", "run"].to_numpy()] = True
    took = ~np.isnan(q)
    return q[took], answered[took]


@pytest.mark.slow  # 64 pairs, about 25 s: `make test-slow` and CI
@pytest.mark.parametrize("theirs", NAMES)
@pytest.mark.parametrize("mine", NAMES)
def test_expected_reply_is_realised_reply(mine, theirs):
    q, answered = expected_and_realised(mine, theirs)
    if mine == "never":
        assert q.size == 0
        return
    assert q.size > RUNS // 4, "AAA answered too rarely to compare"
    assert np.all((q >= 0) & (q <= 1))
    variance = float(np.sum(q * (1 - q)))
    gap = float(answered.sum() - q.sum())
    if variance == 0:
        assert gap == 0, (mine, theirs)
    else:
        assert abs(gap) <= 4 * math.sqrt(variance) + 1e-9, (mine, theirs, gap, variance)


def test_the_pairs_are_not_trivial():
    """The comparison has teeth: some pairs expect replies in most runs, others in few,
    and the strategic counterpart's expected reply is neither 0 nor 1."""
    means = {}
    for mine, theirs in [("in_kind", "in_kind"), ("best_response", "best_response"),
                         ("grim", "best_response"), ("in_kind", "never")]:
        q, answered = expected_and_realised(mine, theirs)
        means[(mine, theirs)] = (float(q.mean()), float(answered.mean()))
    assert means[("in_kind", "never")] == (0.0, 0.0)
    assert 0.1 < means[("in_kind", "in_kind")][0] < 0.5  # misreadings only: 1 in 4
    assert 0.0 < means[("best_response", "best_response")][0] < 1.0
    assert means[("grim", "best_response")][0] > means[("in_kind", "in_kind")][0]
