"""The Mesa agent's first decision is the solved exchange game, worked out by hand.

For a grid of priors, audience costs, reset values and spoil shares, discounting and late
losses, a small two-state scenario is built as a dict (the shape of the minimal template
in tests/bad_scenarios): BBB expels AAA's staff, AAA's foreign minister threatens
reciprocity, and BBB has an incoming administration AAA holds a prior about. The exchange
game (`sim.game.qre.respond`) is set up here from the same facts, worked out from the
scenario by hand (powers, dependence, missions, dates), and solved; the agent's first
decision must carry the game's logit probabilities and take its most likely course, on
both sides of the belief at which waiting starts to be the more likely.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import numpy as np
import pytest

import sim
from sim.game import payoffs
from sim.game.params import DEFAULTS
from sim.game.qre import ACTIONS, N_SIZES, Side, respond

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


def solved(acc: float, free: float, behaviour: dict[str, float], power_b: float = 1.0,
           dependence: float = 0.0) -> Any:
    """The exchange game of AAA's first decision, from the scenario's facts by hand.

    AAA owes 10 staff and 1 site; BBB has 80 staff and 2 sites in AAA, AAA 100 - 10 and
    3 - 1 in BBB once the expulsion has taken effect (no parity gap). Its belief in a reset is the prior, acc x free (no day of the new
    administration has passed). Waiting lasts to the window's close, `honeymoon_days`
    after BBB's new leader takes office; the minister's threat costs A (1 - j). Each side's
    reply cost comes from its power and dependence against the other; the opening
    expulsion (10 + 10 x 1 = 20 staff equivalents) is the scale of every measure's cost.
    """
    b = DEFAULTS.updated(behaviour)
    days = (TAKES_OFFICE + dt.timedelta(days=b.honeymoon_days) - DECISION).days

    def side(power_self: float, power_other: float, dep: float) -> Side:
        return Side(
            reply_cost=float(payoffs.reply_cost(b.reply_cost, power_self, power_other,
                                                b.power_elasticity, dep, b.dependence_weight)),
            answer_cost=b.answer_cost, curvature=b.size_curvature, beyond=b.beyond_value,
            parity_value=b.parity_value, precision=b.precision,
            continuation=1.0 - b.late_loss, misread=b.perception_noise,
            token_share=b.token_share, larger_ratio=b.larger_ratio, site_weight=b.site_weight)

    return respond(
        owed_persons=10, owed_facilities=1, their_staff=80, my_staff=90, their_sites=2,
        my_sites=2, me=side(1.0, power_b, dependence), them=side(power_b, 1.0, 0.0),
        p_reset=acc * free, spoil=b.reset_value * b.spoil_share,
        continuation=(1.0 - b.discount_rate) ** days * (1.0 - b.late_loss),
        audience=b.audience_cost_minister * (1.0 - b.excuse_share),
        unit=10 + b.site_weight * 1, depth=2)


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
TIME = [(0.001, 0.1), (0.01, 0.3), (0.0, 0.0)]
GRID = [
    {"audience_cost_minister": a, "reset_value": v, "spoil_share": s, "discount_rate": d,
     "late_loss": r, "honeymoon_days": h}
    for (a, (v, s), (d, r)), h in zip(itertools.product(AUDIENCE, RESET, TIME),
                                      itertools.cycle([365, 60, 200]))
]
PRIORS = [(0.1, 1.0), (0.5, 0.6), (0.9, 0.9)]


def check(acc: float, free: float, behaviour: dict[str, float], **facts: float) -> str:
    game = solved(acc, free, behaviour, **facts)
    row = first_decision(acc, free, behaviour, **facts)
    assert row["p_reset"] == pytest.approx(acc * free)
    three = [float(game.probabilities[:N_SIZES].sum()), float(game.probabilities[N_SIZES]),
             float(game.probabilities[N_SIZES + 1])]
    assert [row["p_retaliate"], row["p_wait"], row["p_let_go"]] == pytest.approx(three,
                                                                              abs=1e-9)
    course = ["retaliate", "wait", "let go"][int(np.argmax(three))]
    assert row["choice"] == course, (behaviour, acc, free, three)
    # the answer named is the game's most likely size
    size = int(np.argmax(np.where(np.isfinite(game.utilities[:N_SIZES]),
                                  game.probabilities[:N_SIZES], -1.0)))
    assert (row["persons"], row["facilities"]) == (int(game.persons[size]),
                                                   int(game.facilities[size])), ACTIONS[size]
    return course


@pytest.mark.parametrize("behaviour", GRID, ids=lambda b: "A{audience_cost_minister}-V"
                         "{reset_value}-D{spoil_share}-d{discount_rate}-r{late_loss}-h"
                         "{honeymoon_days}".format(**b))
def test_first_decision_is_the_solved_game(behaviour):
    for acc, free in PRIORS:
        check(acc, free, behaviour)


def test_the_grid_covers_answering_and_waiting():
    courses = {check(acc, free, behaviour) for behaviour in GRID[::4] for acc, free in PRIORS}
    assert {"retaliate", "wait"} <= courses


@pytest.mark.parametrize("power_b, dependence", [(1.0, 0.0), (16.0, 0.5), (0.05, 0.0)])
def test_asymmetry_enters_through_the_reply_cost(power_b, dependence):
    # a strong counterpart one depends on makes answering dearer: a reply is expected
    # only if BBB may misread the answer (noise 0.5)
    behaviour = {"audience_cost_minister": 0.3, "perception_noise": 0.5}
    for acc, free in PRIORS:
        check(acc, free, behaviour, power_b=power_b, dependence=dependence)
    strong = solved(0.1, 1.0, behaviour, power_b=16.0, dependence=0.5)
    equal = solved(0.1, 1.0, behaviour)
    assert strong.probabilities[:N_SIZES].sum() < equal.probabilities[:N_SIZES].sum()


def test_every_2016_decision_is_its_most_likely_course(run_2016):
    """Each of Russia's decisions on the US takes the most likely of its three courses,
    waits while a reset is in prospect, and caps to parity (755 staff and the 2 sites
    owed) once the veto-proof bill has removed the prospect."""
    d = run_2016.decisions
    rows = d[(d["actor"] == "RUS") & (d["counterpart"] == "USA")]
    probs = rows[["p_retaliate", "p_wait", "p_let_go"]].to_numpy()
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    courses = np.array(["retaliate", "wait", "let go"])[probs.argmax(axis=1)]
    assert list(rows["choice"]) == list(courses)
    assert set(rows["choice"].iloc[:-1]) == {"wait"} and len(rows) > 200
    last = rows.iloc[-1]
    assert (last["choice"], last["persons"], last["facilities"], last["basis"]) == (
        "retaliate", 755, 2, "parity")
