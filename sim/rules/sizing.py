"""How big an answer is: in kind, proportional, cap to parity, and the escalation ladder.

Sizes are counts of persons (staff expelled or made to leave) and facilities (closed or
seized). The counts a state can touch are the counterpart's staff and facilities in its
own territory; what the counterpart can touch in return are mine in its territory. The
difference between the two is the *parity gap*: a state with fewer staff abroad than its
counterpart keeps at home can cut the counterpart's mission down to its own size, the
"cap to parity" that turns a small grievance into a large answer.

Rules, written once here (the `*_counts` functions, which take numbers or numpy arrays
over many runs) and shared by every policy, the Mesa agents and the batch engine:

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

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from sim.game import sizes

Pair = tuple[Any, Any]  # (staff, facilities): numbers, or arrays over many runs


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


def round_half_up(x: ArrayLike) -> Any:
    """Round to the nearest integer, halves up (not Python's round-half-even); broadcasts."""
    rounded = np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)
    return int(rounded) if rounded.ndim == 0 else rounded


# --- counts: the rules themselves, on numbers or arrays (many runs at once) ---------------


def in_kind_counts(persons: ArrayLike, facilities: ArrayLike, ratio: ArrayLike = 1.0) -> Pair:
    """k times what is owed, staff and facilities."""
    ratio = np.asarray(ratio, dtype=float)
    return round_half_up(ratio * persons), round_half_up(ratio * facilities)


def parity_counts(their_staff: ArrayLike, my_staff: ArrayLike, their_sites: ArrayLike,
                  my_sites: ArrayLike) -> Pair:
    """Staff and facilities to remove to bring the counterpart down to my own presence."""
    return (np.maximum(0, np.subtract(their_staff, my_staff)),
            np.maximum(0, np.subtract(their_sites, my_sites)))


def feasible_counts(persons: ArrayLike, facilities: ArrayLike, their_staff: ArrayLike,
                    their_sites: ArrayLike) -> Pair:
    """Nobody expels more than the counterpart has in its territory."""
    return np.minimum(persons, their_staff), np.minimum(facilities, their_sites)


def ladder_counts(persons: ArrayLike, facilities: ArrayLike, offences: ArrayLike,
                  parity: ArrayLike, their_staff: ArrayLike, my_staff: ArrayLike,
                  their_sites: ArrayLike, my_sites: ArrayLike,
                  ratio: ArrayLike = 1.0) -> tuple[Any, Any, Any]:
    """The default sizing rule: (staff, facilities, is a cut to parity).

    A first offence is answered in kind; two or more banked offences escalate to the
    larger of in kind and parity; a cut to parity is answered by a cut to parity; never
    more than the counterpart has here.
    """
    gap_p, gap_f = parity_counts(their_staff, my_staff, their_sites, my_sites)
    kind_p, kind_f = in_kind_counts(persons, facilities, ratio)
    parity = np.asarray(parity, dtype=bool)
    escalate = ~parity & (np.asarray(offences) >= 2) & ((gap_p > kind_p) | (gap_f > kind_f))
    p = np.where(parity, gap_p, np.where(escalate, np.maximum(kind_p, gap_p), kind_p))
    f = np.where(parity, gap_f, np.where(escalate, np.maximum(kind_f, gap_f), kind_f))
    return (*feasible_counts(p, f, their_staff, their_sites), parity | escalate)


def excess_counts(persons: ArrayLike, facilities: ArrayLike, owed_persons: ArrayLike,
                  owed_facilities: ArrayLike, parity: ArrayLike = False,
                  owed_parity: ArrayLike = False) -> Pair:
    """What a measure adds beyond the grievance it answers (see `excess`; the rule is
    `sim.game.sizes.excess`, shared with the exchange game)."""
    return sizes.excess(persons, facilities, owed_persons, owed_facilities, parity=parity,
                        owed_parity=owed_parity)


def soften_counts(persons: ArrayLike, facilities: ArrayLike, share: ArrayLike) -> Pair:
    """`share` of a measure, rounded half up."""
    share = np.asarray(share, dtype=float)
    return round_half_up(share * persons), round_half_up(share * facilities)


# --- the same rules on the named records a single run uses --------------------------------


def in_kind(grievance: Grievance, ratio: float = 1.0) -> tuple[int, int]:
    """k times what is owed, staff and facilities."""
    p, f = in_kind_counts(grievance.persons, grievance.facilities, ratio)
    return int(p), int(f)


def parity_gap(exposure: Exposure) -> tuple[int, int]:
    """Staff and facilities to remove to bring the counterpart down to my own presence."""
    p, f = parity_counts(exposure.their_staff_here, exposure.my_staff_there,
                         exposure.their_facilities_here, exposure.my_facilities_there)
    return int(p), int(f)


def feasible(measure: Measure, exposure: Exposure) -> Measure:
    """The measure clipped to what the counterpart actually has in my territory."""
    p, f = feasible_counts(measure.persons, measure.facilities, exposure.their_staff_here,
                           exposure.their_facilities_here)
    return Measure(int(p), int(f), measure.basis)


def ladder(grievance: Grievance, exposure: Exposure, ratio: float = 1.0) -> Measure:
    """The default sizing rule (`ladder_counts`) on one grievance."""
    p, f, parity = ladder_counts(
        grievance.persons, grievance.facilities, grievance.offences, grievance.parity,
        exposure.their_staff_here, exposure.my_staff_there,
        exposure.their_facilities_here, exposure.my_facilities_there, ratio)
    return Measure(int(p), int(f), Basis.PARITY if bool(parity) else Basis.IN_KIND)


def excess(measure: Measure, answered: Grievance) -> tuple[int, int]:
    """What a measure adds beyond the grievance it answers: the target's new grievance.

    Reciprocity settles accounts: an answer in kind (or smaller) to my own move is the
    expected price of that move, not a new offence. Only the part that goes beyond what
    was owed, as when a small expulsion is answered by a cut to parity, is a new grievance.
    An initiating move answers nothing, so all of it counts. A cut to parity answering a
    cut to parity settles the account whole (`sim.game.sizes.excess`).
    """
    p, f = excess_counts(measure.persons, measure.facilities, answered.persons,
                         answered.facilities, measure.basis == Basis.PARITY, answered.parity)
    return int(p), int(f)


def soften(measure: Measure, share: float) -> Measure:
    """A smaller answer: `share` of the measure, rounded half up (for an initiator that
    said it wants channels kept open)."""
    p, f = soften_counts(measure.persons, measure.facilities, share)
    return Measure(int(p), int(f), measure.basis)
