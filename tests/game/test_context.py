"""The circumstances of a move (`sim.game.context`) against values computed by hand."""

import math

import numpy as np
import pytest

from sim.game import context
from sim.game.qre import LET_GO, N_SIZES, WAIT, ResponseProbabilities, Side

SEVERITY = {"severity_recall": 0.0, "severity_downgrade": 2.0,
            "severity_accreditation_refused": 1.0, "severity_visa_ban": 1.4,
            "severity_local_hire_ban": 2.5}


def test_staff_free_moves_are_weighed_as_their_severity_or_the_staff_they_touch():
    assert context.staff_equivalents("expel", 23, SEVERITY) == 23
    assert context.staff_equivalents("cap", 755, SEVERITY) == 755
    assert context.staff_equivalents("close", 0, SEVERITY) == 0  # sites count apart
    assert context.staff_equivalents("downgrade", 0, SEVERITY) == 2
    assert context.staff_equivalents("downgrade", 5, SEVERITY) == 5  # more staff than rung
    assert context.staff_equivalents("visa_ban", 0, SEVERITY) == 1  # 1.4 rounds to 1
    assert context.staff_equivalents("local_hire_ban", 0, SEVERITY) == 3  # 2.5 half up
    assert context.staff_equivalents("recall", 0, SEVERITY) == 0


def test_value_share_multiplies_the_status_and_the_divided_discounts():
    kw = {"divided_discount": 0.5, "non_accredited_discount": 0.4, "disputed_discount": 0.2}
    assert context.value_share("accredited", False, **kw) == pytest.approx(1.0)
    assert context.value_share("non_accredited", False, **kw) == pytest.approx(0.6)
    assert context.value_share("disputed", True, **kw) == pytest.approx(0.8 * 0.5)


def test_cost_factor_grows_with_leverage_and_the_log_of_the_coalition():
    kw = {"leverage_weight": 2.0, "coalition_cost": 0.3}
    assert context.cost_factor(0.0, 1, **kw) == pytest.approx(1.0)
    # leverage 0.25 -> 1 + 2 * 0.25 = 1.5; 29 states -> 1 + 0.3 ln 29 = 2.0102
    assert context.cost_factor(0.25, 29, **kw) == pytest.approx(1.5 * (1 + 0.3 * math.log(29)))
    assert context.cost_factor(0.25, 29, **kw) == pytest.approx(3.01528, abs=1e-5)
    with pytest.raises(ValueError, match="at least its one initiator"):
        context.cost_factor(0.0, 0, **kw)


def test_summit_and_leadership_terms_are_neutral_without_the_fact():
    assert context.summit_terms(False, summit_stake=0.5, summit_share=0.4) == (0.0, 1.0)
    assert context.summit_terms(True, summit_stake=0.5, summit_share=0.4) == (0.5, 0.4)
    assert context.leadership_terms(False, False, excuse_share=0.5,
                                    relationship_value=1.0) == (0.0, 0.0)
    assert context.leadership_terms(True, True, excuse_share=0.5,
                                    relationship_value=1.0) == (0.5, 1.0)


def test_neutral_terms_are_neutral_and_others_are_not():
    assert context.Terms(1.0, 1.0, 0.0, 1.0, 0.0, 0.0).neutral
    assert not context.Terms(1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.9).neutral
    assert not context.Terms(np.array([1.0, 0.5]), 1.0, 0.0, 1.0, 0.0, 0.0).neutral


def test_in_game_scales_the_value_the_reply_cost_the_menu_and_the_audience_cost():
    me = Side(reciprocity_value=1.0, reply_cost=0.3, share=0.75)
    terms = context.Terms(0.5, 2.0, 0.0, 0.5, 0.4, 0.0)
    side, audience = context.in_game(me, 0.3, terms)
    assert float(side.reciprocity_value) == pytest.approx(0.5)
    assert float(side.reply_cost) == pytest.approx(0.6)
    assert float(side.share) == pytest.approx(0.375)  # reassured 0.75 x summit 0.5
    assert float(audience) == pytest.approx(0.3 * 0.6)
    # the answer's own cost, R x answer_cost = 0.5, keeps its size: 0.5 x 1.0
    assert float(side.answer_cost) == pytest.approx(1.0)
    assert float(side.reciprocity_value * side.answer_cost) == pytest.approx(0.5)
    assert side.precision == me.precision


def test_a_summit_lets_the_state_wait_for_it_at_the_discount_of_the_days_to_it():
    # 30 days at a daily rate of 0.001 with rho = 0.1: 0.999^30 x 0.9 = 0.873388
    phi = context.summit_wait(30, 0.001, 0.1)
    assert float(phi) == pytest.approx(0.999 ** 30 * 0.9)
    assert float(phi) == pytest.approx(0.873388, abs=1e-6)
    assert float(context.summit_wait(-1, 0.001, 0.1)) == 1.0  # none pending
    terms = context.Terms(1.0, 1.0, 0.5, 1.0, 0.0, 0.0, phi)
    wait, late = context.waiting(0.9, True, terms)
    assert (float(wait), late) == (pytest.approx(0.873388, abs=1e-6), False)
    # a longer wait already in prospect (a reset window) keeps its own, smaller phi
    assert float(context.waiting(0.5, False, terms)[0]) == 0.5
    neutral = context.Terms(1.0, 1.0, 0.0, 1.0, 0.0, 0.0)
    assert context.waiting(0.9, True, neutral) == (0.9, True)


def response(utilities):
    u = np.asarray(utilities, dtype=float)
    n = u.shape[-1]
    return ResponseProbabilities(np.full(n, 1.0 / n), u, np.zeros(N_SIZES, dtype=np.int64),
                                 np.zeros(N_SIZES, dtype=np.int64), np.full(n, 0.5), 0.5,
                                 0, 0.0)


def test_at_decision_takes_the_stake_from_answers_and_gives_letting_go_its_value():
    # courses: same, smaller, larger, parity, wait, let go
    r = response([0.875, 0.6, -np.inf, 0.875, 0.787, 0.0])
    terms = context.Terms(1.0, 1.0, 0.5, 1.0, 0.0, 1.0)
    out = context.at_decision(r, terms, np.inf)
    np.testing.assert_allclose(out.utilities, [0.375, 0.1, -np.inf, 0.375, 0.787, 1.0])
    assert int(out.choice) == LET_GO  # 1.0 beats waiting (0.787) and answering (0.375)
    np.testing.assert_allclose(out.probabilities, [0, 0, 0, 0, 0, 1])
    assert float(out.value) == pytest.approx(1.0)
    # a finite precision: logit over the available courses, by hand for lambda = 2
    soft = context.at_decision(r, context.Terms(1.0, 1.0, 0.5, 1.0, 0.0, 0.0), 2.0)
    z = np.exp(2.0 * np.array([0.375, 0.1, 0.375, 0.787, 0.0]))
    np.testing.assert_allclose(soft.probabilities[[0, 1, 3, 4, 5]], z / z.sum())
    assert soft.probabilities[2] == 0.0 and int(soft.choice) == WAIT
    assert float(soft.expected_reply) == pytest.approx(0.5)
    # no stake and no value: the response itself
    assert context.at_decision(r, context.Terms(1.0, 1.0, 0.0, 1.0, 0.0, 0.0), 2.0) is r
