"""Expected utilities, the waiting threshold and the choice, by hand and by property."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.game.decision import Choice, assess, choose, expected_utilities, wait_threshold


def test_expected_utilities_by_hand():
    # p=0.5, N=1, S=4, phi=0.5, A(1-j)=0.1
    r, w, g = expected_utilities(0.5, 1.0, 4.0, 0.5, 0.1)
    assert r == pytest.approx(1 - 0.5 * 4)  # -1
    assert w == pytest.approx(0.5 * 0.5 * 1 - 0.1)  # 0.15
    assert g == pytest.approx(-0.1)
    assert choose(r, w, g) == Choice.WAIT


def test_threshold_by_hand():
    # (N (1 - phi) + A) / (S - N phi) = (0.5 + 0.1) / 3.5
    assert wait_threshold(1.0, 4.0, 0.5, 0.1) == pytest.approx(0.6 / 3.5)


def test_no_reset_in_prospect_means_never_wait():
    assert math.isinf(wait_threshold(1.0, 0.0, 0.9, 0.0))
    r, w, g = expected_utilities(0.0, 1.0, 0.0, 0.9, 0.0)
    assert choose(r, w, g) == Choice.RETALIATE


def test_let_go_when_retaliation_costs_more_than_it_is_worth():
    r, w, g = expected_utilities(0.0, -0.5, 0.0, 0.9, 0.0)
    assert choose(r, w, g) == Choice.LET_GO


def test_a_leader_threat_can_make_a_costly_reprisal_worth_it():
    # N = -0.2 but letting go costs the full audience cost 1.0: retaliating is better
    r, w, g = expected_utilities(0.0, -0.2, 0.0, 0.9, 1.0)
    assert choose(r, w, g) == Choice.RETALIATE


def test_assess_composes_the_terms_by_hand():
    a = assess(p_reset=0.3, reciprocity_value=1.0, reply_probability=1.0, cost_of_reply=0.5,
               reset_value=5.0, spoil_share=0.8, daily_discount=0.5, days_to_resolution=1,
               late_loss=0.1, threat_cost=0.3, excuse_share=0.5)
    # N = 0.5, S = 4, phi = 0.45, A = 0.15
    assert a.net_value == pytest.approx(0.5)
    assert a.spoil == pytest.approx(4.0)
    assert a.continuation == pytest.approx(0.45)
    assert a.audience == pytest.approx(0.15)
    assert a.eu_retaliate == pytest.approx(0.5 - 1.2)
    assert a.eu_wait == pytest.approx(0.7 * 0.45 * 0.5 - 0.15)
    assert a.threshold == pytest.approx((0.5 * 0.55 + 0.15) / (4 - 0.225))
    assert a.choice == Choice.WAIT


def test_choose_works_on_arrays():
    r = np.array([1.0, -1.0, -2.0])
    w = np.array([0.5, 0.0, -3.0])
    g = np.array([0.0, -0.5, -1.0])
    np.testing.assert_array_equal(choose(r, w, g), [Choice.RETALIATE, Choice.WAIT, Choice.LET_GO])


unit = st.floats(0.0, 1.0)


@given(p=unit, n=st.floats(0.01, 3.0), s=st.floats(0.0, 10.0), phi=unit, a=st.floats(0.0, 2.0))
def test_choice_and_threshold_agree(p, n, s, phi, a):
    """Waiting is chosen exactly when the belief exceeds the closed-form threshold."""
    p_star = wait_threshold(n, s, phi, a)
    if np.isfinite(p_star) and abs(p - p_star) < 1e-9:
        return  # on the boundary, rounding decides
    chosen = Choice(int(choose(*expected_utilities(p, n, s, phi, a))))
    assert (chosen == Choice.WAIT) == (p > p_star)
    assert chosen != Choice.LET_GO  # with N > 0, waiting always beats letting go
