"""Wave batching, by hand."""

import numpy as np

from sim.rules.timing import hold_for_wave, hold_for_wave_counts

RULE = {"initiators": 3, "window_days": 7, "quiet_days": 3, "war_quiet_days": 14}


def test_a_single_initiator_is_answered_without_holding():
    assert not hold_for_wave([0], **RULE, at_war=False)


def test_a_wave_is_held_until_quiet():
    # three initiators, the latest two days ago: hold; three days ago: answer
    assert hold_for_wave([2, 2, 3], **RULE, at_war=False)
    assert not hold_for_wave([3, 3, 4], **RULE, at_war=False)


def test_at_war_any_offence_is_held_for_longer():
    assert hold_for_wave([10], **RULE, at_war=True)
    assert not hold_for_wave([14], **RULE, at_war=True)
    assert not hold_for_wave([], **RULE, at_war=True)


def test_many_runs_at_once():
    days = np.array([[2, 2, 3], [3, 3, 4], [0, -1, -1]])
    np.testing.assert_array_equal(hold_for_wave_counts(days, **RULE, at_war=False),
                                  [True, False, False])
