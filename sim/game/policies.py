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

from sim.game.sizing import (
    Basis,
    Exposure,
    Grievance,
    Measure,
    feasible,
    in_kind,
    ladder,
    parity_gap,
    round_half_up,
)


@dataclass(frozen=True)
class Policy(ABC):
    """Base class: metadata plus the sizing rule and the forgiveness rule."""

    name: ClassVar[str]
    uses_beliefs: ClassVar[bool] = False
    stochastic: ClassVar[bool] = False
    escalates: ClassVar[bool] = False
    retaliates: ClassVar[bool] = True

    @abstractmethod
    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        """The answer this policy gives to a banked grievance."""

    def reply_probability(self) -> float:
        """q: the chance that this policy answers a measure at all."""
        return 1.0

    def forgives(self, draw: float) -> bool:
        """Whether it lets this grievance go, given a uniform draw in [0, 1)."""
        return False

    def params(self) -> dict[str, Any]:
        """The policy's parameters, for reports."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


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

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        return ladder(grievance, exposure, self.ratio)


@dataclass(frozen=True)
class Proportional(Policy):
    """Answers at once with k times what is owed (k < 1 smaller, k > 1 larger)."""

    name: ClassVar[str] = "proportional"
    ratio: float = 1.0

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        persons, facilities = in_kind(grievance, self.ratio)
        basis = Basis.IN_KIND if self.ratio == 1.0 else Basis.PROPORTIONAL
        return feasible(Measure(persons, facilities, basis), exposure)


@dataclass(frozen=True)
class InKind(Proportional):
    """Tit for tat: answers at once with exactly what is owed."""

    name: ClassVar[str] = "in_kind"
    ratio: float = 1.0


@dataclass(frozen=True)
class Parity(Policy):
    """Answers at once by capping the counterpart's staff and facilities to its own."""

    name: ClassVar[str] = "parity"
    escalates: ClassVar[bool] = True

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        persons, facilities = parity_gap(exposure)
        return Measure(persons, facilities, Basis.PARITY)


@dataclass(frozen=True)
class Token(Policy):
    """Answers at once, smaller: a share of what is owed, at least one of something."""

    name: ClassVar[str] = "token"
    share: float = 0.25

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        persons = round_half_up(self.share * grievance.persons)
        facilities = min(grievance.facilities, 1)
        if persons == 0 and facilities == 0 and grievance.persons > 0:
            persons = 1
        return feasible(Measure(persons, facilities, Basis.TOKEN), exposure)


@dataclass(frozen=True)
class Generous(Policy):
    """Tit for tat that forgives a grievance with probability g (Nowak & Sigmund's GTFT)."""

    name: ClassVar[str] = "generous"
    stochastic: ClassVar[bool] = True
    forgiveness: float = 0.3

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        persons, facilities = in_kind(grievance)
        return feasible(Measure(persons, facilities, Basis.IN_KIND), exposure)

    def reply_probability(self) -> float:
        return 1.0 - self.forgiveness

    def forgives(self, draw: float) -> bool:
        return draw < self.forgiveness


@dataclass(frozen=True)
class Grim(Policy):
    """Never forgives and always answers larger: `ratio` times what is owed, at least parity."""

    name: ClassVar[str] = "grim"
    escalates: ClassVar[bool] = True
    ratio: float = 2.0

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        persons, facilities = in_kind(grievance, self.ratio)
        gap_p, gap_f = parity_gap(exposure)
        measure = Measure(max(persons, gap_p), max(facilities, gap_f), Basis.ESCALATION)
        return feasible(measure, exposure)


@dataclass(frozen=True)
class Never(Policy):
    """Never retaliates: every grievance is let go."""

    name: ClassVar[str] = "never"
    retaliates: ClassVar[bool] = False

    def size(self, grievance: Grievance, exposure: Exposure) -> Measure:
        return Measure(0, 0, Basis.IN_KIND)

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
