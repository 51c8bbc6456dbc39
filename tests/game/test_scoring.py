"""Episode scores from the payoff terms, against values worked by hand."""

import pytest

from sim.game.scoring import (
    Reprisal,
    answered_share,
    episode_score,
    measure_size,
    presence_share,
    reprisal_value,
)


def test_answered_share():
    assert answered_share(35, 2, 35, 2) == 1.0
    assert answered_share(9, 1, 35, 2) == pytest.approx(10 / 37)
    assert answered_share(755, 2, 35, 2) == 1.0  # over-answering earns nothing extra
    assert answered_share(0, 3, 0, 0) == 1.0  # answering hostile legislation
    assert answered_share(0, 0, 0, 0) == 0.0


def test_reprisal_value_discounts_and_loses_when_late():
    at_once = Reprisal(35, 2, 35, 2, delay_days=1, waited=False, reset_in_prospect=False)
    assert reprisal_value(at_once, 1.0, 0.999, 0.1) == pytest.approx(0.999)
    late = Reprisal(35, 2, 35, 2, delay_days=211, waited=True, reset_in_prospect=False)
    assert reprisal_value(late, 1.0, 0.999, 0.1) == pytest.approx(0.999**211 * 0.9)


def test_sizes_in_shares_of_the_mission():
    assert presence_share(35, 2, 490, 9) == pytest.approx((35 / 490 + 2 / 9) / 2)
    assert presence_share(0, 3, 0, 6) == pytest.approx(0.5)  # no staff to count
    opening = presence_share(10, 1, 100, 4)  # (0.1 + 0.25) / 2 = 0.175
    assert measure_size(10, 1, 100, 4, opening) == pytest.approx(1.0)
    assert measure_size(50, 4, 100, 4, opening) == pytest.approx(0.75 / 0.175)
    with pytest.raises(ValueError):
        measure_size(1, 0, 10, 1, 0.0)


def test_episode_score_by_hand():
    r1 = Reprisal(10, 1, 10, 1, 1, False, True)
    r2 = Reprisal(5, 0, 10, 0, 3, True, True)
    s = episode_score(
        [r1, r2], [1.0, 2.5], [0.3], excuse_shares=[0.5], reciprocity_value=1.0,
        daily_discount=0.5, late_loss=0.2, cost_of_reply=0.4, reset_value=5.0,
        spoil_share=0.8, p_reset_prior=0.25)
    # 0.5 + 0.5 * 0.5^3 * 0.8 = 0.55; replies -0.4 * 3.5; spoiling once -0.25 * 4; -0.15
    assert s.reciprocity == pytest.approx(0.55)
    assert s.replies == pytest.approx(-1.4)
    assert s.spoiling == pytest.approx(-1.0)
    assert s.audience == pytest.approx(-0.15)
    assert s.total == pytest.approx(0.55 - 1.4 - 1.0 - 0.15)


def test_no_reprisal_in_a_window_no_spoiling():
    s = episode_score([Reprisal(1, 0, 1, 0, 1, False, False)], [], [], reciprocity_value=1,
                      daily_discount=1, late_loss=0, cost_of_reply=0, reset_value=5,
                      spoil_share=1, p_reset_prior=0.9)
    assert s.spoiling == 0.0 and s.total == 1.0
    with pytest.raises(ValueError, match="one excuse share"):
        episode_score([], [], [0.3], excuse_shares=[], reciprocity_value=1, daily_discount=1,
                      late_loss=0, cost_of_reply=0, reset_value=0, spoil_share=0,
                      p_reset_prior=0)
