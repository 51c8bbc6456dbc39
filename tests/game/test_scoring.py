"""Episode scores from the payoff terms, against values worked by hand."""

import dataclasses

import numpy as np
import pytest

from sim.game.scoring import (
    Reprisal,
    Successor,
    answered_share,
    draw_successor,
    episode_score,
    measure_size,
    presence_share,
    realised_score,
    reprisal_value,
    reset_outcome,
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


# --- realised payoffs ---------------------------------------------------------------------


def test_realised_score_by_hand():
    r1 = Reprisal(10, 1, 10, 1, 1, False, True, day=2)
    r2 = Reprisal(5, 0, 10, 0, 3, True, True, day=20)
    terms = dict(daily_discount=0.5, late_loss=0.2, cost_of_reply=0.4, reset_value=5.0,
                 spoil_share=0.8)
    # the reset comes on day 10; r1 (day 2) came before it, and the spoil draw 0.5 < 0.8
    spoiled = realised_score([r1, r2], [1.0, 2.5], [0.3], [0.5],
                             successor=Successor(True, True, 10, 0.5), **terms)
    # reciprocity 1 * 0.5^1 + 0.5 * 0.5^3 * 0.8 = 0.55; replies -0.4 * 3.5 = -1.4;
    # audience -0.3 * (1 - 0.5) = -0.15; the reset is lost: 0
    assert spoiled.reciprocity == pytest.approx(0.55)
    assert spoiled.replies == pytest.approx(-1.4)
    assert spoiled.audience == pytest.approx(-0.15)
    assert spoiled.spoiling == 0.0 and spoiled.reset == 0.0
    assert spoiled.total == pytest.approx(0.55 - 1.4 - 0.15)
    # the same reprisals, but the draw 0.9 >= 0.8 leaves the reset intact: + V = 5
    lucky = realised_score([r1, r2], [1.0, 2.5], [0.3], [0.5],
                           successor=Successor(True, True, 10, 0.9), **terms)
    assert lucky.reset == 5.0 and lucky.total == pytest.approx(0.55 - 1.4 - 0.15 + 5.0)
    # only the reprisal after the reset: it cannot spoil it, whatever the draw
    late = realised_score([r2], [], [], [], successor=Successor(True, True, 10, 0.0), **terms)
    assert late.total == pytest.approx(0.05 + 5.0)
    # a reprisal on the reset day counts as before it
    same_day = dataclasses.replace(r1, day=10)
    assert realised_score([same_day], [], [], [], successor=Successor(True, True, 10, 0.0),
                          **terms).reset == 0.0
    # a hawkish, or a bound, successor never resets; neither does a state without one
    for s in (Successor(False, True, None, 0.9), Successor(True, False, None, 0.9), None):
        assert realised_score([], [], [], [], successor=s, **terms).total == 0.0
    with pytest.raises(ValueError, match="day"):
        realised_score([Reprisal(1, 0, 1, 0, 1, False, False)], [], [], [], successor=None,
                       **terms)


def test_reset_outcome():
    s = Successor(True, True, 30, 0.25)
    assert reset_outcome(s, [], 1.0) == "kept"
    assert reset_outcome(s, [31, 40], 1.0) == "kept"
    assert reset_outcome(s, [12], 0.3) == "spoiled"  # 0.25 < 0.3
    assert reset_outcome(s, [12], 0.25) == "kept"  # the draw must fall below the share
    assert reset_outcome(Successor(False, False, None, 0.0), [1], 1.0) == "none"


def test_draw_successor_follows_the_prior_and_the_hazard():
    rng = np.random.default_rng(11)
    draws = [draw_successor(rng, prior_accommodating=0.6, freedom=0.7, office_day=10,
                            window_days=30, hazard=0.05) for _ in range(20000)]
    acc = np.mean([d.accommodating for d in draws])
    free = np.mean([d.free for d in draws])
    resets = [d.reset_day for d in draws if d.reset_day is not None]
    assert acc == pytest.approx(0.6, abs=0.015) and free == pytest.approx(0.7, abs=0.015)
    assert len(resets) / len(draws) == pytest.approx(0.42, abs=0.015)
    assert all((d.reset_day is not None) == (d.accommodating and d.free) for d in draws)
    assert min(resets) == 10 and max(resets) == 39  # the window is open on days 10-39
    # the delay is geometric, truncated at the window's last day: P(day 10) = 0.05,
    # P(day 39) = P(none on days 10-38) = 0.95^29 = 0.2259
    delays = np.array(resets) - 10
    assert np.mean(delays == 0) == pytest.approx(0.05, abs=0.01)
    assert np.mean(delays == 29) == pytest.approx(0.95**29, abs=0.015)
    # a hazard of 0 puts every reset on the window's last day, of 1 on the first day
    one = draw_successor(np.random.default_rng(0), prior_accommodating=1, freedom=1,
                         office_day=5, window_days=30, hazard=0.0)
    assert one.reset_day == 34
    # no window, no reset
    assert draw_successor(np.random.default_rng(0), prior_accommodating=1, freedom=1,
                          office_day=5, window_days=0, hazard=0.5).reset_day is None
    assert draw_successor(np.random.default_rng(0), prior_accommodating=1, freedom=1,
                          office_day=5, window_days=30, hazard=1.0).reset_day == 5
    # one seed, one world
    again = [draw_successor(np.random.default_rng(7), prior_accommodating=0.5, freedom=0.5,
                            office_day=0, window_days=9, hazard=0.1) for _ in range(2)]
    assert again[0] == again[1]
    with pytest.raises(ValueError):
        draw_successor(rng, prior_accommodating=1.5, freedom=0.5, office_day=0,
                       window_days=1, hazard=0.1)
