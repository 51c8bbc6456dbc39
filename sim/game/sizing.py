"""How big an answer is: in kind, proportional, cap to parity, and the escalation ladder.

Sizes are counts of persons (staff expelled or made to leave) and facilities (closed or
seized). The counts a state can touch are the counterpart's staff and facilities in its
own territory; what the counterpart can touch in return are mine in its territory. The
difference between the two is the *parity gap*: a state with fewer staff abroad than its
counterpart keeps at home can cut the counterpart's mission down to its own size, the
"cap to parity" that turns a small grievance into a large answer.

Rules, written once here and shared by every policy:

- in kind: k times what is owed (k = 1 is tit for tat), rounded half up;
- parity: the gap, staff and facilities (zero when already at parity or below);
- the ladder of the default policy:
    * a first offence is answered in kind;
    * a state re-provoked while an earlier offence is still unanswered (two or more
      offences banked) escalates to the larger of in kind and parity;
    * a cut to parity is answered in kind by a cut to parity: the parity gap, which is
      often zero for the state that was just capped, so spirals end at parity.
- nobody can expel more than the counterpart has in its territory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Basis(StrEnum):
    """Which rule sized a measure; the target's in-kind answer depends on it."""

    SCENARIO = "scenario"  # an initiating move given as a fact in the scenario
    IN_KIND = "in_kind"
    PROPORTIONAL = "proportional"
    PARITY = "parity"
    TOKEN = "token"
    ESCALATION = "escalation"


@dataclass(frozen=True)
class Grievance:
    """What a state holds unanswered against one counterpart (its bank of retaliation)."""

    persons: int = 0
    facilities: int = 0
    offences: int = 0
    parity: bool = False  # at least one banked offence was a cut to parity

    @property
    def open(self) -> bool:
        return self.offences > 0

    def add(self, persons: int, facilities: int, parity: bool) -> Grievance:
        """The bank after one more offence."""
        return Grievance(
            self.persons + persons,
            self.facilities + facilities,
            self.offences + 1,
            self.parity or parity,
        )


@dataclass(frozen=True)
class Exposure:
    """Mission facts of one dyad, as seen by the state that decides."""

    their_staff_here: int
    my_staff_there: int
    their_facilities_here: int
    my_facilities_there: int


@dataclass(frozen=True)
class Measure:
    """An answer: persons made to leave, facilities closed, and the rule that sized it."""

    persons: int
    facilities: int
    basis: Basis

    @property
    def empty(self) -> bool:
        return self.persons == 0 and self.facilities == 0


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves up (not Python's round-half-even)."""
    return math.floor(x + 0.5)


def in_kind(grievance: Grievance, ratio: float = 1.0) -> tuple[int, int]:
    """k times what is owed, staff and facilities."""
    return round_half_up(ratio * grievance.persons), round_half_up(ratio * grievance.facilities)


def parity_gap(exposure: Exposure) -> tuple[int, int]:
    """Staff and facilities to remove to bring the counterpart down to my own presence."""
    return (
        max(0, exposure.their_staff_here - exposure.my_staff_there),
        max(0, exposure.their_facilities_here - exposure.my_facilities_there),
    )


def feasible(measure: Measure, exposure: Exposure) -> Measure:
    """The measure clipped to what the counterpart actually has in my territory."""
    return Measure(
        min(measure.persons, exposure.their_staff_here),
        min(measure.facilities, exposure.their_facilities_here),
        measure.basis,
    )


def ladder(grievance: Grievance, exposure: Exposure, ratio: float = 1.0) -> Measure:
    """The default sizing rule: in kind, escalating to parity when re-provoked."""
    gap_p, gap_f = parity_gap(exposure)
    if grievance.parity:
        return feasible(Measure(gap_p, gap_f, Basis.PARITY), exposure)
    persons, facilities = in_kind(grievance, ratio)
    if grievance.offences >= 2 and (gap_p > persons or gap_f > facilities):
        return feasible(
            Measure(max(persons, gap_p), max(facilities, gap_f), Basis.PARITY), exposure
        )
    return feasible(Measure(persons, facilities, Basis.IN_KIND), exposure)


def excess(measure: Measure, answered: Grievance) -> tuple[int, int]:
    """What a measure adds beyond the grievance it answers: the target's new grievance.

    Reciprocity settles accounts: an answer in kind (or smaller) to my own move is the
    expected price of that move, not a new offence. Only the part that goes beyond what
    was owed, as when a small expulsion is answered by a cut to parity, is a new grievance.
    An initiating move answers nothing, so all of it counts.
    """
    return (
        max(0, measure.persons - answered.persons),
        max(0, measure.facilities - answered.facilities),
    )


def soften(measure: Measure, share: float) -> Measure:
    """A smaller answer: `share` of the measure, rounded half up (for an initiator that
    said it wants channels kept open)."""
    return Measure(round_half_up(share * measure.persons),
                   round_half_up(share * measure.facilities), measure.basis)
