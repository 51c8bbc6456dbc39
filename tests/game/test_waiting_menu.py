"""The many-day waiting problem over a menu of answers (`waiting.solve_menu_waiting`).

Two claims: with one spoil share for every answer (the exchange game's case) the menu is
its best answer, G* = max_k G_k, on every day and belief (the proposition of the module
docstring and docs/model.md section 13, "The full menu"); with spoil shares that differ,
the menu matters, checked against values worked by hand.
"""

import numpy as np
import pytest

from sim.game.decision import Choice
from sim.game.transition_game import Terms
from sim.game.waiting import (
    Information,
    daily_rule,
    evaluate_daily_rule,
    evaluate_menu_daily_rule,
    menu_daily_rule,
    solve_menu_waiting,
    solve_waiting,
)

GRID = 201


def _random_case(seed: int, news: bool) -> tuple[Terms, Information, list[float]]:
    rng = np.random.default_rng(seed)
    days = int(rng.choice([0, 1, 2, 7, 40]))
    t = Terms(1.0, 1.0, 0.5, float(rng.uniform(0.2, 6.0)), float(rng.uniform(0.0, 1.0)),
              float(rng.uniform(0.98, 1.0)), days, float(rng.uniform(0.0, 0.5)),
              float(rng.uniform(0.0, 0.6)), float(rng.uniform(0.0, 1.0)))
    info = Information()
    if news:
        info = Information(hazard=float(rng.uniform(0.0, 0.1)),
                           signal_rate=float(rng.uniform(0.0, 0.5)),
                           good_if_reset=float(rng.uniform(0.3, 0.9)),
                           good_if_not=float(rng.uniform(0.1, 0.7)),
                           office_day=int(rng.integers(0, days + 1)))
    k = int(rng.integers(1, 6))
    # answers worth more and less than nothing, as the exchange game's can be
    answers = [float(x) for x in rng.normal(0.4, 0.8, size=k)]
    return t, info, answers


def _one_size(t: Terms, n: float) -> Terms:
    """The same terms with N = R - q C = n exactly (q = 0)."""
    return Terms(n, 0.0, 0.0, t.reset_value, t.spoil_share, t.daily_discount,
                 t.days_to_resolution, t.late_loss, t.threat_cost, t.excuse_share)


@pytest.mark.parametrize("news", [False, True], ids=["no news", "news"])
@pytest.mark.parametrize("seed", range(25))
def test_one_spoil_share_the_menu_is_its_best_answer(seed, news):
    t, info, answers = _random_case(seed, news)
    best = float(max(answers))
    k_star = int(np.argmax(answers))
    k = len(answers)
    one = _one_size(t, best)

    menu = solve_menu_waiting(t, info, answers, grid=GRID)
    single = solve_waiting(one, info, GRID)
    np.testing.assert_array_equal(menu.action, single.action)
    np.testing.assert_allclose(menu.value0, single.value0, rtol=0, atol=1e-12)
    answering = menu.action == Choice.RETALIATE
    assert np.all(menu.answer[answering] == k_star)
    assert np.all(menu.answer[~answering] == -1)

    # the daily rule: the same courses (answer k* where the one-size rule retaliates)
    rule = menu_daily_rule(t, answers, grid=GRID)
    expected = np.choose(daily_rule(one, GRID), [k_star, k, k + 1])
    np.testing.assert_array_equal(rule, expected)
    # and the same value in the same world, so the same loss against the optimum
    ev_menu = evaluate_menu_daily_rule(t, info, answers, grid=GRID)
    ev_one = evaluate_daily_rule(one, info, GRID)
    np.testing.assert_array_equal(ev_menu.action, ev_one.action)
    np.testing.assert_allclose(ev_menu.value0, ev_one.value0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ev_menu.course, rule)


def test_explicit_equal_shares_are_the_default():
    t, info, answers = _random_case(3, True)
    a = solve_menu_waiting(t, info, answers, grid=GRID)
    b = solve_menu_waiting(t, info, answers, [t.spoil_share] * len(answers), grid=GRID)
    np.testing.assert_array_equal(a.course, b.course)
    np.testing.assert_array_equal(a.value0, b.value0)


# A menu where the spoil shares differ: in kind (G = 1, spoils a coming reset for sure,
# Delta = 1) and a token (G = 0.2, spoils nothing, Delta = 0); V = 2, delta = 0.5,
# rho = 0.5, no threat, nothing to learn; beliefs p = 0, 0.5, 1.
MENU = (1.0, 0.2)
SHARES = (1.0, 0.0)
IN_KIND, TOKEN, WAIT, LET_GO = 0, 1, 2, 3


def _tiny(days: int) -> Terms:
    return Terms(1.0, 0.0, 0.0, 2.0, 0.5, 0.5, days, 0.5, 0.0, 0.0)


def test_tiny_window_of_one_day_by_hand():
    # T = 0: day 0 is the close. The best answer late is worth delta^0 (1 - rho) G* = 0.5.
    #   in kind  1 + p (1 - 1) 2 = 1         :  1,    1,    1
    #   token    0.2 + p (1 - 0) 2 = 0.2 + 2p:  0.2,  1.2,  2.2
    #   wait     2p + (1 - p) 0.5            :  0.5,  1.25, 2
    #   let go   2p                          :  0,    1,    2
    # p = 0: in kind (1); p = 0.5: wait (1.25); p = 1: token (2.2).
    dp = solve_menu_waiting(_tiny(0), Information(), MENU, SHARES, grid=3)
    assert dp.course.tolist() == [[IN_KIND, WAIT, TOKEN]]
    assert dp.answer.tolist() == [[IN_KIND, -1, TOKEN]]
    np.testing.assert_allclose(dp.value0, [1.0, 1.25, 2.2])


def test_tiny_window_of_two_days_by_hand():
    # T = 1. Day 1 (the close): late answer delta^1 (1 - rho) G* = 0.5 x 0.5 x 1 = 0.25.
    #   in kind  0.5 x 1 + 0 = 0.5           :  0.5,   0.5,   0.5
    #   token    0.5 x 0.2 + 2p = 0.1 + 2p   :  0.1,   1.1,   2.1
    #   wait     2p + (1 - p) 0.25           :  0.25,  1.125, 2
    #   let go   2p                          :  0,     1,     2
    # day 1: in kind (0.5), wait (1.125), token (2.1).
    # Day 0: wait is worth day 1's value (no news): 0.5, 1.125, 2.1
    #   in kind  1                           :  1,     1,     1
    #   token    0.2 + 2p                    :  0.2,   1.2,   2.2
    #   let go   2p                          :  0,     1,     2
    # day 0: in kind (1), token (1.2 > 1.125), token (2.2).
    t = _tiny(1)
    dp = solve_menu_waiting(t, Information(), MENU, SHARES, grid=3)
    assert dp.course.tolist() == [[IN_KIND, TOKEN, TOKEN], [IN_KIND, WAIT, TOKEN]]
    np.testing.assert_allclose(dp.value0, [1.0, 1.2, 2.2])
    # the daily rule, phi_t = delta^(1 - t) (1 - rho): 0.25 on day 0, 0.5 on day 1
    #   day 1: in kind 1 - 2p (1, 0, -1); token 0.2; wait (1 - p) 0.5 (0.5, 0.25, 0); let go 0
    #          -> in kind, wait, token
    #   day 0: in kind (1, 0, -1); token 0.2; wait (1 - p) 0.25 (0.25, 0.125, 0); let go 0
    #          -> in kind, token, token
    rule = menu_daily_rule(t, MENU, SHARES, grid=3)
    assert rule.tolist() == [[IN_KIND, TOKEN, TOKEN], [IN_KIND, WAIT, TOKEN]]
    ev = evaluate_menu_daily_rule(t, Information(), MENU, SHARES, grid=3)
    np.testing.assert_allclose(ev.value0, [1.0, 1.2, 2.2])


def test_with_different_shares_no_one_answer_is_the_menu():
    # T = 0 as above. In kind alone: at p = 1 it lets go (1 < 2 = wait = let go): 2.
    # The token alone: at p = 0, 0.2 now against a late 0.5 x 0.2 = 0.1: 0.2.
    # The menu: 1, 1.25, 2.2 (test_tiny_window_of_one_day_by_hand).
    menu = solve_menu_waiting(_tiny(0), Information(), MENU, SHARES, grid=3).value0
    kind = solve_menu_waiting(_tiny(0), Information(), [1.0], [1.0], grid=3).value0
    token = solve_menu_waiting(_tiny(0), Information(), [0.2], [0.0], grid=3).value0
    np.testing.assert_allclose(kind, [1.0, 1.25, 2.0])
    np.testing.assert_allclose(token, [0.2, 1.2, 2.2])
    # no one size does: in kind is short by 0.2 at p = 1, the token by 0.8 at p = 0
    np.testing.assert_allclose(menu, np.maximum(kind, token))
    assert np.any(menu > kind) and np.any(menu > token)


@pytest.mark.parametrize("answers, shares, message", [
    ([], None, "at least one"),
    ([1.0, float("nan")], None, "finite"),
    ([1.0, 0.5], [0.5], "one share"),
    ([1.0], [1.5], "probability"),
])
def test_menu_is_checked(answers, shares, message):
    with pytest.raises(ValueError, match=message):
        solve_menu_waiting(_tiny(1), Information(), answers, shares, grid=3)
