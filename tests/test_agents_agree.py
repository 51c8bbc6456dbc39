"""The Mesa agent's first decision equals the backward-induction solution of the game.

For a grid of priors, audience costs, reset values and spoil shares, discounting and late
losses, a small two-state scenario is built as a dict (the shape of the minimal template
in tests/bad_scenarios): BBB expels AAA's staff, AAA's foreign minister threatens
reciprocity, and BBB has an incoming administration AAA holds a prior about. The tree of
`sim.game.transition_game` is built from the same facts, worked out here from the
scenario (powers, dependence, dates), and solved; the agent's decision on its first
decision day must be the tree's equilibrium action, on both sides of p*.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any

import pytest

import sim
from sim.game import beliefs, payoffs
from sim.game.params import DEFAULTS
from sim.game.transition_game import Terms, solve_game, threshold

START = dt.date(2020, 1, 1)
EXPEL = dt.date(2020, 1, 2)
DECISION = EXPEL + dt.timedelta(days=DEFAULTS.deliberation_days)
TAKES_OFFICE = dt.date(2020, 2, 1)


def scenario(acc: float, free: float, behaviour: dict[str, float], power_b: float = 1.0,
             dependence: float = 0.0) -> dict[str, Any]:
    return {
        "name": "agree", "title": "first decision against the solved game",
        "start": START.isoformat(), "end": (DECISION + dt.timedelta(days=1)).isoformat(),
        "seed": 1, "behaviour": behaviour,
        "states": {
            "AAA": {"name": "Alpha", "power": 1.0, "dependence": {"BBB": dependence},
                    "missions": {"BBB": 100}, "facilities": {"BBB": 3}},
            "BBB": {"name": "Beta", "power": power_b,
                    "missions": {"AAA": 80}, "facilities": {"AAA": 2},
                    "administrations": {
                        "old": {"leader": "B One", "start": "2019-01-01",
                                "end": TAKES_OFFICE.isoformat()},
                        "new": {"leader": "B Two", "start": TAKES_OFFICE.isoformat(),
                                "end": "2024-02-01",
                                "prior": {"accommodating": acc, "hawkish": 1 - acc},
                                "freedom": free}}},
        },
        "events": [
            {"date": EXPEL.isoformat(), "type": "expel", "actor": "BBB", "target": "AAA",
             "persons": 10, "facilities": 1},
            {"date": EXPEL.isoformat(), "type": "statement", "actor": "AAA", "target": "BBB",
             "level": "minister"},
        ],
    }


def terms(behaviour: dict[str, float], power_b: float = 1.0, dependence: float = 0.0) -> Terms:
    """The game's terms for AAA's first decision, from the scenario's facts by hand.

    q: AAA's answer in kind settles what BBB's expulsion started, so BBB banks nothing and
    does not reply, unless it misreads the answer as a fresh offence (its perception
    noise), when its best responder answers in kind: q = the noise.
    """
    b = DEFAULTS.updated(behaviour)
    window_end = TAKES_OFFICE + dt.timedelta(days=b.honeymoon_days)
    return Terms(
        reciprocity_value=b.reciprocity_value,
        reply_probability=b.perception_noise,
        cost_of_reply=b.reciprocity_value * float(payoffs.reply_cost(
            b.reply_cost, 1.0, power_b, b.power_elasticity, dependence, b.dependence_weight)),
        reset_value=b.reciprocity_value * b.reset_value, spoil_share=b.spoil_share,
        daily_discount=b.daily_discount,
        days_to_resolution=(window_end - DECISION).days, late_loss=b.late_loss,
        threat_cost=b.audience_cost_minister, excuse_share=b.excuse_share,
    )


def first_decision(acc: float, free: float, behaviour: dict[str, float], **facts: float
                   ) -> dict[str, Any]:
    result = sim.run(scenario(acc, free, behaviour, **facts))
    rows = result.decisions[result.decisions["actor"] == "AAA"]
    assert len(rows), "AAA took no decision"
    row = rows.iloc[0]
    assert row["date"] == DECISION.isoformat()
    return row.to_dict()


AUDIENCE = [0.0, 0.3, 1.5]
RESET = [(5.0, 0.8), (1.5, 0.5), (10.0, 0.2)]
TIME = [(0.999, 0.1), (0.99, 0.3), (1.0, 0.0)]
GRID = [
    {"audience_cost_minister": a, "reset_value": v, "spoil_share": s, "daily_discount": d,
     "late_loss": r, "honeymoon_days": h}
    for (a, (v, s), (d, r)), h in zip(itertools.product(AUDIENCE, RESET, TIME),
                                      itertools.cycle([365, 60, 200]))
]
PRIORS = [(0.1, 1.0), (0.5, 0.6), (0.9, 0.9)]


def check(acc: float, free: float, behaviour: dict[str, float], **facts: float) -> str:
    t = terms(behaviour, **facts)
    eq = solve_game(beliefs.prior(acc, free), t)
    row = first_decision(acc, free, behaviour, **facts)
    assert row["p_reset"] == pytest.approx(acc * free)
    p_star = threshold(t)
    if math.isfinite(p_star):
        assert row["threshold"] == pytest.approx(p_star, rel=1e-9)
    else:
        assert math.isinf(row["threshold"])
    assert row["choice"] == eq.action, (behaviour, acc, free, eq.relative)
    return eq.action


@pytest.mark.parametrize("behaviour", GRID, ids=lambda b: "A{audience_cost_minister}-V"
                         "{reset_value}-D{spoil_share}-d{daily_discount}-r{late_loss}-h"
                         "{honeymoon_days}".format(**b))
def test_first_decision_is_the_solved_equilibrium(behaviour):
    p_star = threshold(terms(behaviour))
    for acc, free in PRIORS:
        # between equals N = 0.7 > 0, so never "let go": wait exactly above p*
        assert check(acc, free, behaviour) == by_threshold(acc * free, p_star), (acc, free)
    if 0.02 < p_star < 0.9:  # both sides of p*, close to it
        free = 0.9
        below = check(p_star * 0.97 / free, free, behaviour)
        above = check(min(1.0, p_star * 1.03 / free), free, behaviour)
        assert (below, above) == ("retaliate", "wait")


def by_threshold(p: float, p_star: float) -> str:
    """The action section 4 derives for N > 0: wait iff the belief exceeds p* (ties go to
    retaliating, the earlier action)."""
    return "wait" if p > p_star else "retaliate"


def test_the_grid_covers_both_sides_of_p_star():
    sides = set()
    for behaviour in GRID:
        p_star = threshold(terms(behaviour))
        sides |= {acc * free > p_star for acc, free in PRIORS}
    assert sides == {True, False}


@pytest.mark.parametrize("power_b, dependence, expected", [
    (1.0, 0.0, None),      # equals: N = 1 - 0.5 * 0.3 = 0.85
    (16.0, 0.5, "let go"),  # a strong counterpart one depends on: N = 1 - 0.5*0.3*4*2 < 0
    (0.05, 0.0, None),     # a weak counterpart: cheap reprisal
])
def test_asymmetry_enters_through_the_reply_cost(power_b, dependence, expected):
    # a reply is expected only if BBB may misread the answer: noise 0.5 gives q = 0.5
    behaviour = {"audience_cost_minister": 0.3, "perception_noise": 0.5}
    p_star = threshold(terms(behaviour, power_b=power_b, dependence=dependence))
    for acc, free in PRIORS:
        action = check(acc, free, behaviour, power_b=power_b, dependence=dependence)
        # N > 0 (equals, or a weak counterpart): the threshold decides; N < 0: let go
        assert action == (expected or by_threshold(acc * free, p_star)), (acc, free)


def test_every_2016_decision_is_the_solved_game(run_2016):
    """Not only the first day: each of Russia's decisions on the US while a reset is in
    prospect is the tree solved with that day's belief and window (by hand: an answer in
    kind settles the account, so the US would not reply, q = 0; a cut to parity goes 720
    beyond what is owed, which the US best responder answers, q = 1; the minister's threat
    stands on the first day only)."""
    window_end = dt.date(2017, 1, 20) + dt.timedelta(days=DEFAULTS.honeymoon_days)
    states = run_2016.scenario.spec.states
    cost = float(payoffs.reply_cost(0.3, states["RUS"].power, states["USA"].power, 0.5,
                                    states["RUS"].dependence["USA"], 2.0))
    d = run_2016.decisions
    rows = d[(d["actor"] == "RUS") & (d["counterpart"] == "USA")]
    seen = []
    for k, (_, row) in enumerate(rows.iterrows()):
        date = dt.date.fromisoformat(row["date"])
        q = 1.0 if row["basis"] == "parity" else 0.0
        t = Terms(1.0, q, cost, 5.0, 0.8, 0.999, (window_end - date).days, 0.1,
                  0.3 if k == 0 else 0.0, 0.5)
        p = float(row["p_reset"])
        if row["persons"] == 0 and row["facilities"] == 0:  # parity holds: nothing to weigh
            assert row["choice"] == "let go" and date > dt.date(2017, 8, 1)
            continue
        eq = solve_game([p, 1 - p, 0.0, 0.0], t)
        assert row["choice"] == eq.action, row["date"]
        assert row["threshold"] == pytest.approx(threshold(t), rel=1e-9)
        seen.append(eq.action)
    assert seen[0] == "wait" and seen[-1] == "retaliate" and len(seen) > 200
