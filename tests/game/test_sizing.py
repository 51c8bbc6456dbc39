"""Sizing rules against the 2016-17 arithmetic worked by hand (counts from the scenario)."""

from sim.rules.sizing import (
    Basis,
    Exposure,
    Grievance,
    Measure,
    excess,
    feasible,
    in_kind,
    ladder,
    parity_gap,
    round_half_up,
)

# the deciding state's view: their 1210 staff and 6 sites here, my 455 staff and 7 sites there
UNEQUAL = Exposure(their_staff_here=1210, my_staff_there=455, their_facilities_here=6,
                   my_facilities_there=7)


def test_round_half_up():
    assert [round_half_up(x) for x in (0.5, 1.5, 2.5, 2.4999)] == [1, 2, 3, 2]


def test_in_kind_and_proportional():
    g = Grievance().add(35, 2, False)
    assert in_kind(g) == (35, 2)
    assert in_kind(g, 0.5) == (18, 1)  # 17.5 -> 18, 1.0 -> 1


def test_parity_gap_never_negative():
    assert parity_gap(UNEQUAL) == (755, 0)


def test_first_offence_is_answered_in_kind():
    assert ladder(Grievance().add(35, 2, False), UNEQUAL) == Measure(35, 2, Basis.IN_KIND)


def test_re_provoked_state_escalates_to_parity():
    g = Grievance().add(35, 2, False).add(0, 0, False)  # expulsion, then hostile law
    assert ladder(g, UNEQUAL) == Measure(755, 2, Basis.PARITY)


def test_a_cap_is_answered_by_a_cap_which_may_be_empty():
    capped = Exposure(their_staff_here=455, my_staff_there=455, their_facilities_here=7,
                      my_facilities_there=4)
    assert ladder(Grievance().add(720, 0, True), capped) == Measure(0, 3, Basis.PARITY)
    level = Exposure(455, 455, 4, 4)
    assert ladder(Grievance().add(0, 3, True), level).empty


def test_nobody_expels_more_than_the_other_side_has():
    small = Exposure(their_staff_here=10, my_staff_there=50, their_facilities_here=1,
                     my_facilities_there=1)
    assert feasible(Measure(35, 2, Basis.IN_KIND), small) == Measure(10, 1, Basis.IN_KIND)


def test_only_the_excess_over_what_was_owed_is_a_new_grievance():
    owed = Grievance().add(35, 2, False).add(0, 0, False)
    assert excess(Measure(755, 2, Basis.PARITY), owed) == (720, 0)
    assert excess(Measure(35, 2, Basis.IN_KIND), Grievance().add(35, 2, False)) == (0, 0)
    assert excess(Measure(35, 2, Basis.SCENARIO), Grievance()) == (35, 2)
