"""Size-dependent payoff terms and the menu of answers, against numbers worked by hand."""

import math

import numpy as np
import pytest

from sim.game import sizes


def test_reciprocity_by_hand():
    s = np.array([0.0, 0.25, 1.0, 2.0, 1e6])
    v = sizes.reciprocity(s, value=1.0, curvature=0.5, beyond=0.2)
    # 0; sqrt(0.25); 1; 1 + 0.2 (1 - e^-1); saturates at 1.2
    np.testing.assert_allclose(v, [0.0, 0.5, 1.0, 1 + 0.2 * (1 - math.exp(-1)), 1.2])
    assert sizes.reciprocity(2.0, value=3.0) == pytest.approx(3 * 1.126424, rel=1e-6)


def test_reciprocity_is_concave_with_a_kink_at_in_kind():
    s = np.linspace(0.01, 5, 500)
    v = sizes.reciprocity(s)
    slopes = np.diff(v) / np.diff(s)
    assert np.all(np.diff(slopes) <= 1e-9)  # concave when beyond <= curvature
    left = (sizes.reciprocity(1.0) - sizes.reciprocity(1 - 1e-6)) / 1e-6
    right = (sizes.reciprocity(1 + 1e-6) - sizes.reciprocity(1.0)) / 1e-6
    assert left == pytest.approx(0.5, rel=1e-4) and right == pytest.approx(0.2, rel=1e-4)


def test_costs_by_hand():
    # cutting 755 staff and 2 sites (z = 775) of a presence of 1210 + 6 sites (z = 1270)
    assert sizes.answer_cost(sizes.weight(755, 2), sizes.weight(1210, 6), cost=0.5) == \
        pytest.approx(0.5 * 775 / 1270)
    assert sizes.answer_cost(5000, 100, cost=0.5) == pytest.approx(0.5)  # at most all of it
    # a reply of 3 sites (z = 30) to an opening offence of 35 staff and 2 sites (z = 55)
    assert sizes.hit_cost(30, 55, reply_cost=0.614) == pytest.approx(0.614 * 30 / 55)


def test_standing_needs_a_claim_and_parity():
    w = sizes.standing_weight([1, 2, 1], [False, False, True])
    np.testing.assert_array_equal(w, [0, 1, 1])
    achieved = sizes.achieves_parity([755, 35, 0], [2, 2, 3], [755, 755, 0], [0, 0, 3])
    np.testing.assert_array_equal(achieved, [True, False, True])
    assert sizes.standing(True, 1.0, value=2.0, parity_value=0.5) == pytest.approx(1.0)
    assert sizes.standing(True, 0.0, parity_value=0.5) == 0.0


def test_menu_of_russia_in_2017():
    # Russia owes the US 35 staff and 2 sites; 1210 US staff and 6 sites in Russia against
    # 455 and 4 Russian ones in the US.
    m = sizes.menu(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                   their_sites=6, my_sites=4)
    np.testing.assert_array_equal(m.persons, [35, 9, 70, 755])
    np.testing.assert_array_equal(m.facilities, [2, 1, 4, 2])
    np.testing.assert_array_equal(m.available, [True, True, True, True])
    np.testing.assert_array_equal(m.parity, [False, False, False, True])


def test_menu_of_the_us_answering_the_cap():
    # The US banks 720 staff (as a cap); parity holds in staff, the gap in sites is 3;
    # 455 Russians are left in the US, so in kind and larger are clipped to 455 and repeat.
    m = sizes.menu(owed_persons=720, owed_facilities=0, their_staff=455, my_staff=455,
                   their_sites=7, my_sites=4)
    np.testing.assert_array_equal(m.persons, [455, 180, 455, 0])
    np.testing.assert_array_equal(m.facilities, [0, 0, 0, 3])
    np.testing.assert_array_equal(m.available, [True, True, False, True])


def test_menu_marks_empty_entries_and_broadcasts():
    m = sizes.menu(owed_persons=[0, 1], owed_facilities=[0, 0], their_staff=[10, 10],
                   my_staff=[10, 10], their_sites=[1, 1], my_sites=[1, 1])
    assert m.persons.shape == (2, 4)
    np.testing.assert_array_equal(m.available[0], [False, False, False, False])
    # owed 1: in kind 1, token 1 (repeat), larger 2, no gap
    np.testing.assert_array_equal(m.available[1], [True, False, True, False])


def test_category_follows_the_validation_rule():
    got = sizes.category([0, 35, 33, 20, 755, 0, 0], [0, 2, 0, 0, 2, 3, 1],
                         [35, 35, 35, 35, 35, 0, 0], [2, 2, 2, 2, 2, 3, 3])
    np.testing.assert_array_equal(got, [0, 2, 2, 1, 3, 2, 1])
    assert sizes.CATEGORIES[int(sizes.category(5, 0, 0, 0))] == "larger"
