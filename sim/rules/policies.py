"""Named retaliation policies: who answers, how big, and whether beliefs matter.

Each policy is a small class with metadata, in the manner of the Axelrod library's
strategies: `uses_beliefs` (does it weigh an expected reset, i.e. decide by expected
utility), `stochastic` (does it draw random numbers), `escalates` (can its answer exceed
what is owed). A policy sizes an answer with the shared rules in `sizing`; the timing of
a belief-using policy comes from `decision`, the others answer as soon as they have
deliberated.

Policies are also what a state assumes of its counterpart: `reply_probability` is the
chance q that the policy answers a measure at all, used in N = R - q C.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from typing import Any, ClassVar

import numpy as np

from sim.rules.sizing import (
    Basis,
    Exposure,
    Grievance,
    Measure,
    feasible_counts,
    in_kind_counts,
    ladder_counts,
    parity_counts,
    round_half_up,
)


@dataclass(frozen=True)
class Policy(ABC):
    """Base class: metadata, the sizing rule (`counts`) and the forgiveness rule.

    `counts` takes the grievance and the exposure as numbers, or as numpy arrays over many
    runs (the batch engine), and returns (staff, facilities, is a cut to parity); `size`
    applies it to one grievance.
    """

    name: ClassVar[str]
    uses_beliefs: ClassVar[bool] = False
    stochastic: ClassVar[bool] = False
    escalates: ClassVar[bool] = False
    retaliates: ClassVar[bool] = True
    basis: ClassVar[Basis] = Basis.IN_KIND  # what a measure of this policy is, unless parity

    @abstractmethod
    def counts(self, persons: Any, facilities: Any, offences: Any, parity: Any,
               their_staff: Any, my_staff: Any, their_sites: Any, my_sites: Any
               ) -> tuple[Any, Any, Any]:
        """(staff, facilities, is a cut to parity) of this policy's answer."""

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        """The answer this policy gives to one banked grievance."""
        p, f, parity = self.counts(
            grievance.persons, grievance.facilities, grievance.offences, grievance.parity,
            exposure.their_staff_here, exposure.my_staff_there,
            exposure.their_facilities_here, exposure.my_facilities_there)
        return Measure(int(p), int(f), Basis.PARITY if bool(parity) else self.basis)

    def reply_probability(self) -> float:
        """q: the chance that this policy answers a measure at all."""
        return 1.0

    def forgives(self, draw: float) -> bool:
        """Whether it lets this grievance go, given a uniform draw in [0, 1)."""
        return False

    def params(self) -> dict[str, Any]:
        """The policy's parameters, for reports."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _no_parity(like: Any) -> Any:
    return np.zeros_like(np.asarray(like), dtype=bool)


@dataclass(frozen=True)
class BestResponse(Policy):
    """Expected-utility best responder (the default).

    Decides each day between retaliating, waiting and letting go by expected utility
    (beliefs about the counterpart's incoming administration included). Sizes by the
    ladder: in kind, up to parity when re-provoked, parity against parity.
    """

    name: ClassVar[str] = "best_response"
    uses_beliefs: ClassVar[bool] = True
    escalates: ClassVar[bool] = True
    ratio: float = 1.0

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        return ladder_counts(persons, facilities, offences, parity, their_staff, my_staff,
                             their_sites, my_sites, self.ratio)


@dataclass(frozen=True)
class Proportional(Policy):
    """Answers at once with k times what is owed (k < 1 smaller, k > 1 larger)."""

    name: ClassVar[str] = "proportional"
    basis: ClassVar[Basis] = Basis.PROPORTIONAL
    ratio: float = 1.0

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        p, f = in_kind_counts(persons, facilities, self.ratio)
        return (*feasible_counts(p, f, their_staff, their_sites), _no_parity(p))


@dataclass(frozen=True)
class InKind(Proportional):
    """Tit for tat: answers at once with exactly what is owed."""

    name: ClassVar[str] = "in_kind"
    basis: ClassVar[Basis] = Basis.IN_KIND
    ratio: float = 1.0


@dataclass(frozen=True)
class Parity(Policy):
    """Answers at once by capping the counterpart's staff and facilities to its own."""

    name: ClassVar[str] = "parity"
    escalates: ClassVar[bool] = True
    basis: ClassVar[Basis] = Basis.PARITY

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        p, f = parity_counts(their_staff, my_staff, their_sites, my_sites)
        return p, f, ~_no_parity(p)


@dataclass(frozen=True)
class Token(Policy):
    """Answers at once, smaller: a share of what is owed, at least one of something."""

    name: ClassVar[str] = "token"
    basis: ClassVar[Basis] = Basis.TOKEN
    share: float = 0.25

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        p = round_half_up(np.asarray(self.share, dtype=float) * persons)
        f = np.minimum(facilities, 1)
        p = np.where((p == 0) & (f == 0) & (np.asarray(persons) > 0), 1, p)
        return (*feasible_counts(p, f, their_staff, their_sites), _no_parity(p))


@dataclass(frozen=True)
class Generous(Policy):
    """Tit for tat that forgives a grievance with probability g (Nowak & Sigmund's GTFT)."""

    name: ClassVar[str] = "generous"
    stochastic: ClassVar[bool] = True
    forgiveness: float = 0.3

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        p, f = in_kind_counts(persons, facilities)
        return (*feasible_counts(p, f, their_staff, their_sites), _no_parity(p))

    def reply_probability(self) -> float:
        return 1.0 - self.forgiveness

    def forgives(self, draw: float) -> bool:
        return draw < self.forgiveness


@dataclass(frozen=True)
class Grim(Policy):
    """Never forgives and always answers larger: `ratio` times what is owed, at least parity."""

    name: ClassVar[str] = "grim"
    escalates: ClassVar[bool] = True
    basis: ClassVar[Basis] = Basis.ESCALATION
    ratio: float = 2.0

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        p, f = in_kind_counts(persons, facilities, self.ratio)
        gap_p, gap_f = parity_counts(their_staff, my_staff, their_sites, my_sites)
        p, f = np.maximum(p, gap_p), np.maximum(f, gap_f)
        return (*feasible_counts(p, f, their_staff, their_sites), _no_parity(p))


@dataclass(frozen=True)
class Never(Policy):
    """Never retaliates: every grievance is let go."""

    name: ClassVar[str] = "never"
    retaliates: ClassVar[bool] = False

    def counts(self, persons, facilities, offences, parity, their_staff, my_staff,
               their_sites, my_sites):
        zero = np.zeros_like(np.asarray(persons))
        return zero, zero, _no_parity(zero)

    def reply_probability(self) -> float:
        return 0.0


POLICIES: dict[str, type[Policy]] = {
    cls.name: cls
    for cls in (BestResponse, InKind, Proportional, Parity, Token, Generous, Grim, Never)
}


def make_policy(name: str, **params: Any) -> Policy:
    """Build a policy by name; unknown names or parameters raise ValueError."""
    try:
        cls = POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown policy {name!r}; known: {', '.join(POLICIES)}") from None
    try:
        return cls(**params)
    except TypeError:
        allowed = [f.name for f in fields(cls)]
        raise ValueError(
            f"policy {name!r} takes {', '.join(allowed) or 'no parameters'}; got {sorted(params)}"
        ) from None
