"""The game tree solved by backward induction gives the agent's rule and its threshold."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.game import beliefs
from sim.game.decision import Choice, choose, expected_utilities, wait_threshold
from sim.game.transition_game import Terms, build, solve_game, threshold, values_by_hypothesis

# R = 1, q = 1, C = 0.5, V = 5, Delta = 0.8, delta = 0.5, W = 1, rho = 0.1, A = 0.3, j = 0.5:
# N = 0.5, S = 4, phi = 0.45, A(1-j) = 0.15 (the numbers of test_decision's assess case)
HAND = Terms(1.0, 1.0, 0.5, 5.0, 0.8, 0.5, 1, 0.1, 0.3, 0.5)


def closed_form(t: Terms) -> tuple[float, float, float, float]:
    n = t.reciprocity_value - t.reply_probability * t.cost_of_reply
    return n, t.reset_value * t.spoil_share, t.continuation, t.audience


def test_values_by_hand():
    # p = 0.5 * 0.6 = 0.3; absolute values, the baseline p V = 1.5 included:
    # retaliate 0.5 + 0.3 * 0.2 * 5 = 0.8; wait 1.5 + 0.7 * 0.45 * 0.5 - 0.15 = 1.5075;
    # let go 1.5 - 0.15 = 1.35
    eq = solve_game(beliefs.prior(0.5, 0.6), HAND)
    assert eq.values == pytest.approx({"retaliate": 0.8, "wait": 1.5075, "let go": 1.35})
    assert eq.relative == pytest.approx({"retaliate": -0.7, "wait": 0.0075, "let go": -0.15})
    assert eq.action == "wait"
    assert eq.successor == {"successor after retaliate": "reset",
                            "successor after wait": "reset", "successor after let go": "reset"}


def test_threshold_by_hand_from_the_tree():
    # (N (1 - phi) + A(1-j)) / (S - N phi) = (0.275 + 0.15) / (4 - 0.225)
    assert threshold(HAND) == pytest.approx(0.425 / 3.775)
    u = values_by_hypothesis(HAND)
    # accommodating and free: wait gets the reset, V - A(1-j); retaliating keeps 1 - Delta
    assert u["wait"][0] == pytest.approx(5 - 0.15)
    assert u["retaliate"][0] == pytest.approx(0.5 + 0.2 * 5)
    assert u["retaliate"][1:] == pytest.approx((0.5, 0.5, 0.5))


@pytest.mark.parametrize("side, expected", [(-1e-6, "retaliate"), (1e-6, "wait")])
def test_both_sides_of_p_star(side, expected):
    p_star = threshold(HAND)
    eq = solve_game(beliefs.prior(p_star + side, 1.0), HAND)
    assert eq.action == expected


def test_no_reset_in_prospect_means_retaliate():
    t = Terms(1.0, 1.0, 0.5, 0.0, 0.8, 0.999, 0, 0.1, 0.0, 0.0)
    assert math.isinf(threshold(t))
    assert solve_game(beliefs.prior(0.9, 0.9), t).action == "retaliate"


def test_costly_reprisal_is_let_go():
    t = Terms(1.0, 1.0, 1.5, 5.0, 0.8, 0.999, 100, 0.1, 0.3, 0.5)  # N = -0.5
    assert solve_game(beliefs.prior(0.2, 0.5), t).action == "let go"


def test_belief_must_be_a_distribution():
    with pytest.raises(ValueError, match="four non-negative"):
        build([0.5, 0.5, 0.5, 0.0], HAND)


unit = st.floats(0.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(r=st.floats(0.1, 3.0), q=unit, c=st.floats(0.0, 3.0), v=st.floats(0.0, 10.0),
       delta=unit, disc=st.floats(0.99, 1.0), days=st.integers(0, 800), rho=unit,
       a=st.floats(0.0, 2.0), j=unit, acc=unit, free=unit)
def test_tree_equals_the_closed_form(r, q, c, v, delta, disc, days, rho, a, j, acc, free):
    """Over random terms and beliefs: same utilities, same threshold, same choice."""
    t = Terms(r, q, c, v, delta, disc, days, rho, a, j)
    n, s, phi, aud = closed_form(t)
    b = beliefs.prior(acc, free)
    eq = solve_game(b, t)
    eus = expected_utilities(b[0], n, s, phi, aud)
    assert [eq.relative[k] for k in ("retaliate", "wait", "let go")] == pytest.approx(
        [float(x) for x in eus], abs=1e-9)
    p_star = float(wait_threshold(n, s, phi, aud))
    tree_star = threshold(t)
    if p_star > 1 or tree_star > 1:
        # no belief makes waiting pay; a spoil share of 1e-122 may read as +inf in one and
        # as a finite 1e121 in the other, which mean the same
        assert p_star > 1 - 1e-9 and tree_star > 1 - 1e-9
    else:
        assert tree_star == pytest.approx(p_star, rel=1e-9, abs=1e-12)
    values = np.array([eq.relative[k] for k in ("retaliate", "wait", "let go")])
    if np.sort(values)[-1] - np.sort(values)[-2] > 1e-9:  # no near-tie: the choice is sharp
        assert Choice[eq.action.upper().replace(" ", "_")] == int(choose(*eus))
