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
    achieved = sizes.achieves_parity([755, 35, 0, 0, 800], [2, 2, 3, 6, 2],
                                     [755, 755, 0, 0, 755], [0, 0, 3, 3, 0],
                                     [35, 35, 720, 720, 35], [2, 2, 0, 0, 2])
    # beyond parity (6 sites against a gap of 3, 800 staff against 755) is not parity
    np.testing.assert_array_equal(achieved, [True, False, True, False, False])
    assert sizes.standing(True, 1.0, value=2.0, parity_value=0.5) == pytest.approx(1.0)
    assert sizes.standing(True, 0.0, parity_value=0.5) == 0.0


def test_menu_of_russia_in_2017():
    # Russia owes the US 35 staff and 2 sites; 1210 US staff and 6 sites in Russia against
    # 455 and 4 Russian ones in the US.
    m = sizes.menu(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                   their_sites=6, my_sites=4)
    np.testing.assert_array_equal(m.persons, [35, 9, 70, 755])
    # parity: the gap in staff (1210 - 455), and in sites what is owed (no gap: 6 < 4 + 2)
    np.testing.assert_array_equal(m.facilities, [2, 1, 4, 2])
    np.testing.assert_array_equal(m.available, [True, True, True, True])
    np.testing.assert_array_equal(m.parity, [False, False, False, True])


def test_menu_of_the_us_answering_the_cap():
    # The US banks 720 staff as a cap: in kind to a cap is a cap. Parity holds in staff
    # (455 each), the gap in sites is 7 - 4 = 3: in kind closes 3 sites, a token 1,
    # larger 6 (clipped to the 7 there), parity repeats in kind.
    m = sizes.menu(owed_persons=720, owed_facilities=0, their_staff=455, my_staff=455,
                   their_sites=7, my_sites=4, parity_owed=True)
    np.testing.assert_array_equal(m.persons, [0, 0, 0, 0])
    np.testing.assert_array_equal(m.facilities, [3, 1, 6, 3])
    np.testing.assert_array_equal(m.available, [True, True, True, False])
    # the same bank not held as a cap: in kind is the 720, clipped to the 455 there
    n = sizes.menu(owed_persons=720, owed_facilities=0, their_staff=455, my_staff=455,
                   their_sites=7, my_sites=4)
    # and parity closes the 3 sites of the gap besides
    np.testing.assert_array_equal(n.persons, [455, 180, 455, 455])
    np.testing.assert_array_equal(n.facilities, [0, 0, 0, 3])
    np.testing.assert_array_equal(n.available, [True, True, False, True])


def test_menu_scales_with_share_and_excess_settles_parity():
    m = sizes.menu(owed_persons=8, owed_facilities=0, their_staff=20, my_staff=20,
                   their_sites=0, my_sites=0, share=0.75)
    np.testing.assert_array_equal(m.persons, [6, 2, 12, 6])  # 0.75 x (8, 2, 16, 8)
    assert [int(x) for x in sizes.excess(10, 3, 4, 3)] == [6, 0]
    assert [int(x) for x in sizes.excess(0, 3, 720, 0, parity=True, owed_parity=True)] == [0, 0]
    assert [int(x) for x in sizes.excess(0, 3, 720, 0, parity=True)] == [0, 3]


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


def test_a_claimed_surplus_is_not_counted_as_a_cost():
    # 1210 + 6 sites of theirs against 455 + 3 of mine: a gap of 755 staff and 3 sites
    # (z = 785); a cap of 755 staff and 2 sites (z = 775) lies within it, so where equal
    # standing is claimed it cuts nothing the state counts
    surplus = sizes.claimed_surplus(755, 3, [0.0, 1.0])
    np.testing.assert_allclose(surplus, [0.0, 785.0])
    cost = sizes.answer_cost(775.0, 1270.0, cost=0.5, surplus=surplus)
    np.testing.assert_allclose(cost, [0.5 * 775 / 1270, 0.0])
    # a cut beyond the surplus pays for what it takes below parity: 1000 - 785 = 215
    assert sizes.answer_cost(1000.0, 1270.0, cost=0.5, surplus=785.0) == \
        pytest.approx(0.5 * 215 / 1270)


def test_a_tremble_spreads_a_share_evenly_and_keeps_the_most_likely():
    p = np.array([[0.1, 0.0, 0.9, 0.0], [0.25, 0.25, 0.25, 0.25]])
    out = sizes.trembled(p, 0.2)
    np.testing.assert_allclose(out[0], [0.8 * 0.1 + 0.05, 0.05, 0.8 * 0.9 + 0.05, 0.05])
    np.testing.assert_allclose(out[1], p[1])
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    np.testing.assert_allclose(sizes.trembled(p, 0.0), p)
    per_run = sizes.trembled(np.stack([p[0], p[0]]), np.array([0.0, 0.4]))
    np.testing.assert_allclose(per_run[1], 0.6 * p[0] + 0.1)
    assert per_run.argmax(axis=1).tolist() == [2, 2]
