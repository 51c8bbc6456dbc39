"""The many-day waiting problem: value iteration against hand values and the daily rule."""

import numpy as np
import pytest

from sim.game.decision import Choice, wait_threshold
from sim.game.transition_game import Terms
from sim.game.waiting import Information, daily_rule, evaluate_daily_rule, solve_waiting

# terms of the size of the 2016 first decision, rounded: N = 0.37 (the code gives 0.386 for
# 2016, docs/model.md sections 9 and 13), S = 4, W = 386, A(1-j) = 0.15
CASE = Terms(1.0, 1.0, 0.63, 5.0, 0.8, 0.999, 386, 0.1, 0.3, 0.5)
NEWS = Information(hazard=0.003, signal_rate=0.02, good_if_reset=0.7, good_if_not=0.4,
                   office_day=21)
GRID = 801


def test_two_days_by_hand():
    # N = 1, V = 2, Delta = 0.5, delta = 0.5, rho = 0, no threat, T = 1, nothing to learn.
    # Day 1 (the window closes): retaliate 0.5 + p, let go 2p, wait 2p + 0.5 (1 - p): wait
    # for 0 < p < 1. Day 0: retaliate 1 + p against waiting's 0.5 + 1.5 p: retaliate
    # (at p = 1 retaliating, waiting and letting go tie at 2: ties go to stopping).
    t = Terms(1.0, 0.0, 0.0, 2.0, 0.5, 0.5, 1, 0.0, 0.0, 0.0)
    dp = solve_waiting(t, Information(), grid=5)  # p = 0, .25, .5, .75, 1
    assert dp.action[1].tolist() == [Choice.RETALIATE, Choice.WAIT, Choice.WAIT, Choice.WAIT,
                                     Choice.LET_GO]
    assert dp.action[0].tolist() == [Choice.RETALIATE] * 5  # at p = 1 all three tie at 2
    np.testing.assert_allclose(dp.value0, 1 + dp.grid)
    # the daily rule on day 1 weighs N = 1 now against phi N = 1 later: a tie, so it
    # retaliates where the day-0 plan would wait (see time consistency in docs/model.md)
    assert daily_rule(t, grid=5)[1, 1] == Choice.RETALIATE


def test_nothing_to_learn_day_zero_is_the_one_shot_game():
    dp = solve_waiting(CASE, Information(), GRID)
    rule = daily_rule(CASE, GRID)
    inner = dp.grid < 1  # at p = 1 waiting and letting go tie: the DP stops, the rule waits
    np.testing.assert_array_equal(dp.action[0][inner], rule[0][inner])
    p_star = float(wait_threshold(0.37, 4.0, 0.999**386 * 0.9, 0.15))
    assert dp.threshold(0) == pytest.approx(p_star, abs=1 / (GRID - 1))


def test_without_discounting_the_daily_rule_is_optimal_every_day():
    t = Terms(1.0, 1.0, 0.63, 5.0, 0.8, 1.0, 60, 0.1, 0.3, 0.5)
    dp = solve_waiting(t, Information(), GRID)
    rule = daily_rule(t, GRID)
    inner = dp.grid < 1
    np.testing.assert_array_equal(dp.action[:, inner], rule[:, inner])


def test_with_discounting_later_days_follow_the_day_zero_plan():
    # measured from day 0, a reprisal on day t is worth delta^t N but the reset is still V:
    # the plan waits on day t iff p > N (1 - phi_t) / (S / delta^t - N phi_t)
    dp = solve_waiting(CASE, Information(), 4001)
    n, s = 0.37, 4.0
    for day in (1, 100, 200, 386):
        phi = 0.999 ** (386 - day) * 0.9
        expected = n * (1 - phi) / (s / 0.999**day - n * phi)
        assert dp.threshold(day) == pytest.approx(expected, abs=1 / 4000)
        assert dp.threshold(day) <= float(wait_threshold(n, s, phi, 0.0))


def test_news_adds_value_of_information():
    dp = solve_waiting(CASE, NEWS, GRID)
    rule = evaluate_daily_rule(CASE, NEWS, GRID)
    # the optimum is worth at least the daily rule everywhere, and more somewhere
    assert np.all(dp.value0 >= rule.value0 - 1e-9)
    assert np.max(dp.value0 - rule.value0) > 1e-3
    # it waits on day 0 wherever the one-shot game does, and at some lower beliefs too
    p_star = float(wait_threshold(0.37, 4.0, 0.999**386 * 0.9, 0.15))
    assert dp.threshold(0) < p_star - 2 / (GRID - 1)
    waits = dp.waits(0)
    assert np.all(waits[(dp.grid > p_star) & (dp.grid < 1)])


def test_uninformative_signals_change_nothing():
    flat = solve_waiting(CASE, Information(signal_rate=0.5, good_if_reset=0.6,
                                           good_if_not=0.6), GRID)
    none = solve_waiting(CASE, Information(), GRID)
    np.testing.assert_array_equal(flat.action, none.action)
    np.testing.assert_allclose(flat.value0, none.value0, atol=1e-12)


@pytest.mark.parametrize("bad", [dict(hazard=1.5), dict(signal_rate=-0.1), dict(office_day=-1)])
def test_information_is_checked(bad):
    with pytest.raises(ValueError):
        Information(**bad)


def test_window_must_be_whole_days():
    with pytest.raises(ValueError, match="whole number"):
        solve_waiting(Terms(1, 1, 0.5, 5, 0.8, 0.999, 2.5, 0.1, 0, 0), Information(), 11)
