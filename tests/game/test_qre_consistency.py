"""Expected replies are realised replies: the exchange simulated with seeded draws.

`respond` says how likely the counterpart is to answer each answer of the decider (its
`reply_probability`), from the counterpart's quantal response inside the decider's game.
Here the exchange is played out instead: the decider's course is drawn from its
probabilities, a misreading from the counterpart's noise, and the counterpart's course
from *its own* `respond`, called from its side on the state the answer created (its bank
after settlement, the missions after the cut), to the remaining depth. The share of runs
in which the counterpart answers must match the expected reply within sampling error
(4 standard errors of a binomial share), for each answer and overall, at finite and
infinite precision (the counterpart's). Waiting is left out: its reply comes at the close of the window.
"""

import numpy as np
import pytest

from sim.game import sizes
from sim.game.qre import LET_GO, N_SIZES, Side, respond

RUNS = 20_000

CASES = [
    # decider's facts, decider's terms, counterpart's terms, prospect (p, S), depth
    (dict(owed_persons=35, owed_facilities=2, offences=2, their_staff=1210, my_staff=455,
          their_sites=6, my_sites=7), dict(reply_cost=0.614, precision=2.0),
     dict(reply_cost=0.16, precision=2.0, misread=0.1), (0.0, 0.0), 3),
    (dict(owed_persons=4, owed_facilities=1, their_staff=12, my_staff=8, their_sites=3,
          my_sites=2, their_owed_persons=2, their_offences=1),
     dict(precision=0.7, answer_cost=0.2), dict(precision=1.5, misread=0.3), (0.2, 1.0), 3),
    (dict(owed_persons=4, owed_facilities=1, their_staff=14, my_staff=8, their_sites=3,
          my_sites=2), dict(precision=8.0, answer_cost=0.2, larger_ratio=3.0),
     dict(precision=np.inf, misread=0.3), (0.0, 0.0), 2),
    (dict(owed_persons=20, owed_facilities=0, their_staff=100, my_staff=40, their_sites=2,
          my_sites=2), dict(precision=5.0, parity_value=0.3),
     dict(precision=np.inf, misread=0.2, reply_cost=0.5), (0.1, 2.0), 4),
]


def _draw(rng, probs):
    """One categorical draw per row of `probs`."""
    u = rng.random(probs.shape[0])[:, None]
    return np.minimum((np.cumsum(probs, axis=-1) < u).sum(axis=-1), probs.shape[-1] - 1)


def _within(freq, q, n):
    if q in (0.0, 1.0):
        return freq == q
    return abs(freq - q) <= 4 * np.sqrt(q * (1 - q) / n)


@pytest.mark.parametrize("case", range(len(CASES)))
def test_the_counterpart_answers_as_often_as_expected(case):
    facts, mine, theirs, (p, s), depth = CASES[case]
    me, them = Side(**mine), Side(**theirs)
    rng = np.random.default_rng(20161229 + case)
    decided = respond(**facts, me=me, them=them, p_reset=p, spoil=s, depth=depth)
    unit = facts["owed_persons"] + 10.0 * facts["owed_facilities"]
    course = _draw(rng, np.broadcast_to(decided.probabilities, (RUNS, LET_GO + 1)))
    answered = course < N_SIZES
    k = course[answered]
    xp, xf = decided.persons[k], decided.facilities[k]
    parity = sizes.achieves_parity(
        xp, xf, max(0, facts["their_staff"] - facts["my_staff"]),
        max(0, facts["their_sites"] - facts["my_sites"]), facts["owed_persons"],
        facts["owed_facilities"])
    misread = rng.random(k.size) < float(theirs.get("misread", 0.0))
    read_p, read_f = sizes.excess(xp, xf, facts["owed_persons"], facts["owed_facilities"])
    add_p = np.where(misread, xp, read_p)
    add_f = np.where(misread, xf, read_f)
    banked = (add_p > 0) | (add_f > 0)
    reply = respond(
        owed_persons=facts.get("their_owed_persons", 0) + add_p,
        owed_facilities=facts.get("their_owed_facilities", 0) + add_f,
        offences=facts.get("their_offences", 0) + 1, parity=parity,
        their_staff=facts["my_staff"], my_staff=facts["their_staff"] - xp,
        their_sites=facts["my_sites"], my_sites=facts["their_sites"] - xf,
        me=them, them=me, unit=unit, depth=depth - 1)
    answers = banked & (_draw(rng, reply.probabilities) != LET_GO)
    # each answer of the menu, and all answers together
    for size in range(N_SIZES):
        n = int((k == size).sum())
        if n < 200:
            continue
        assert _within(answers[k == size].mean(), decided.reply_probability[size], n), size
    expected = float(decided.probabilities[:N_SIZES] @ decided.reply_probability[:N_SIZES])
    realised = answers.sum() / RUNS
    assert _within(realised, expected, RUNS)
    assert 0 < expected < 1  # no case is trivial, the argmax one included (misreadings)
