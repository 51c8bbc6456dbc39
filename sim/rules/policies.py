"""Named retaliation policies: whole strategies that decide *when* and *how much*.

Each policy is one small class, in the manner of the Axelrod library's strategies:

- `size` says how much: the answer to what it holds against the counterpart (a `Seen`:
  the bank and the missions on both sides, numbers or arrays over runs);
- `decide` says when: answer now, wait or let go, given whether the answer would be empty
  and, for a policy that weighs beliefs, the expected-utility verdict the day computed;
- `forgives` and `reply_probability` say how it treats a grievance it could answer, and
  how likely it is to answer at all (what a counterpart expects of it);
- `exchange_rule` says how the exchange game (`sim.game.qre`) plays it: strategic (its
  own quantal response) or a rule with a menu entry;
- `classifier` says what kind of strategy it is, with every key for every policy
  (`CLASSIFIER_KEYS`): tournaments filter on it, tests check it.

Sizes come from the shared rules in `sizing`; the expected-utility verdict from
`sim.game.decision`, computed by the day (`sim.engine.day.evaluate`) for policies whose
classifier says `uses_beliefs`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any, ClassVar, NamedTuple

import numpy as np
from numpy.typing import NDArray

from sim.game.decision import Choice
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

# What every policy's classifier says (tests/game/test_policies.py checks each key):
# uses_beliefs       decides by expected utility, with beliefs about the counterpart's
#                    incoming administration (waiting is possible);
# stochastic         draws random numbers;
# escalates          can answer with more than is owed;
# memory_depth       how much of the counterpart's record it reads: 0 none (missions
#                    only), 1 the sum of what is owed, inf every offence and signal;
# inspects_opponent  reads the counterpart's policy or parameters (to expect its reply);
# retaliates         ever answers at all.
CLASSIFIER_KEYS = ("uses_beliefs", "stochastic", "escalates", "memory_depth",
                   "inspects_opponent", "retaliates")


class Why(IntEnum):
    """Why a decision was taken, for the words a driver attaches to it."""

    ASSESSED = 0  # expected utilities compared (see the assessment)
    POLICY = 1  # the policy decides without weighing utilities
    PARITY_HOLDS = 2  # nothing to answer: parity already holds
    NOTHING_LEFT = 3  # nothing to answer in kind (the counterpart has nothing left here)
    WAVE = 4  # held while a wave of offences is still breaking
    FORGIVES = 5  # a stochastic policy drew forgiveness


@dataclass(frozen=True, kw_only=True)
class Seen:
    """What a policy sees of one grievance: numbers, or arrays over many runs.

    The bank (`persons`, `facilities` owed, the number of `offences` and whether one was
    a cut to `parity`), and the missions: `their_staff` and `their_sites` are the
    counterpart's here (what can be expelled), `my_staff` and `my_sites` mine there.
    """

    persons: Any
    facilities: Any
    offences: Any
    parity: Any
    their_staff: Any
    my_staff: Any
    their_sites: Any
    my_sites: Any

    @classmethod
    def of(cls, grievance: Grievance, exposure: Exposure) -> Seen:
        """From the named records of one run."""
        return cls(persons=grievance.persons, facilities=grievance.facilities,
                   offences=grievance.offences, parity=grievance.parity,
                   their_staff=exposure.their_staff_here, my_staff=exposure.my_staff_there,
                   their_sites=exposure.their_facilities_here,
                   my_sites=exposure.my_facilities_there)


class Move(NamedTuple):
    """An answer's counts: staff, facilities, and whether it is a cut to parity."""

    persons: Any
    facilities: Any
    parity: Any


def _no_parity(like: Any) -> Any:
    return np.zeros_like(np.asarray(like), dtype=bool)


def _nothing(move: Move) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """Where the answer is empty, and why there is nothing to answer there."""
    empty = (np.asarray(move.persons) == 0) & (np.asarray(move.facilities) == 0)
    why = np.where(np.asarray(move.parity, dtype=bool), Why.PARITY_HOLDS, Why.NOTHING_LEFT)
    return empty, why.astype(np.int64)


@dataclass(frozen=True)
class Policy(ABC):
    """Base class: the classifier, `size` (how much) and `decide` (when)."""

    name: ClassVar[str]
    classifier: ClassVar[dict[str, Any]]
    basis: ClassVar[Basis] = Basis.IN_KIND  # what a measure of this policy is, unless parity
    # read from the classifier (`__init_subclass__`), for brevity where they are used
    uses_beliefs: ClassVar[bool]
    stochastic: ClassVar[bool]
    escalates: ClassVar[bool]
    retaliates: ClassVar[bool]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "classifier" in cls.__dict__:
            missing = set(CLASSIFIER_KEYS) - set(cls.classifier)
            if missing:
                raise TypeError(f"{cls.__name__}.classifier lacks {sorted(missing)}")
            for key in ("uses_beliefs", "stochastic", "escalates", "retaliates"):
                setattr(cls, key, bool(cls.classifier[key]))

    @abstractmethod
    def size(self, seen: Seen) -> Move:
        """How much: this policy's answer to what it holds against the counterpart."""

    def decide(self, *, move: Move, verdict: NDArray[np.int64] | None
               ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """When: the `Choice` and its `Why`, per run, once the answer (`move`) is sized.

        By default a policy answers as soon as it has deliberated, and lets go when there
        is nothing to answer (parity already holds, or nothing is left here to expel).
        `verdict` is the expected-utility choice, given only to policies that use beliefs.
        """
        empty, nothing = _nothing(move)
        choice = np.where(empty, Choice.LET_GO, Choice.RETALIATE).astype(np.int64)
        return choice, np.where(empty, nothing, Why.POLICY).astype(np.int64)

    def measure(self, grievance: Grievance, exposure: Exposure) -> Measure:
        """The answer to one banked grievance, as a named record."""
        p, f, parity = self.size(Seen.of(grievance, exposure))
        return Measure(int(p), int(f), Basis.PARITY if bool(parity) else self.basis)

    def reply_probability(self) -> float:
        """q: the chance that this policy answers a measure it holds against at all."""
        return 1.0

    def forgives(self, draw: float) -> bool:
        """Whether it lets this grievance go, given a uniform draw in [0, 1)."""
        return False

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        """How the exchange game (`sim.game.qre.Side`) plays this policy: None for a
        strategic player, else (entry of the menu `sim.game.sizes.SIZES` its rule takes,
        its forgiveness, the menu terms its parameters set). The counterpart's expected
        reply itself comes from the policy's own `size` (`sim.engine.day.reply_to`); this
        only shapes what a strategic decider expects further down the exchange."""
        return (0, 1.0 - self.reply_probability(), {})

    def params(self) -> dict[str, Any]:
        """The policy's parameters, for reports."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class BestResponse(Policy):
    """Expected-utility best responder (the default).

    When and how much: the quantal response of the exchange game (`sim.game.qre`) over
    its menu of sizes (in kind, smaller, larger, a cap to parity), waiting and letting
    go, with beliefs about the counterpart's incoming administration and the counterpart
    as a player (its own quantal response, or its rule). The most likely course in a
    single run; drawn in ensembles. `size` (the ladder: in kind, up to parity when
    re-provoked, parity against parity) is what the policy names as its answer when no
    exchange game is solved (`Policy.measure`, tables); the day does not use it.
    """

    name: ClassVar[str] = "best_response"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": True, "stochastic": False, "escalates": True,
        "memory_depth": math.inf, "inspects_opponent": True, "retaliates": True}
    ratio: float = 1.0

    def size(self, seen: Seen) -> Move:
        return Move(*ladder_counts(
            seen.persons, seen.facilities, seen.offences, seen.parity, seen.their_staff,
            seen.my_staff, seen.their_sites, seen.my_sites, self.ratio))

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        return None  # strategic: its quantal response in the exchange game

    def decide(self, *, move: Move, verdict: NDArray[np.int64] | None
               ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        if verdict is None:
            raise ValueError("best_response decides by the expected-utility verdict")
        empty, nothing = _nothing(move)
        choice = np.where(empty, Choice.LET_GO, verdict).astype(np.int64)
        return choice, np.where(empty, nothing, Why.ASSESSED).astype(np.int64)


@dataclass(frozen=True)
class Proportional(Policy):
    """Answers at once with k times what is owed (k < 1 smaller, k > 1 larger)."""

    name: ClassVar[str] = "proportional"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": False, "escalates": False, "memory_depth": 1,
        "inspects_opponent": False, "retaliates": True}
    basis: ClassVar[Basis] = Basis.PROPORTIONAL
    ratio: float = 1.0

    def size(self, seen: Seen) -> Move:
        p, f = in_kind_counts(seen.persons, seen.facilities, self.ratio)
        return Move(*feasible_counts(p, f, seen.their_staff, seen.their_sites), _no_parity(p))

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        if self.ratio < 1.0:
            return (1, 0.0, {"token_share": self.ratio})
        if self.ratio > 1.0:
            return (2, 0.0, {"larger_ratio": self.ratio})
        return (0, 0.0, {})


@dataclass(frozen=True)
class InKind(Proportional):
    """Tit for tat: answers at once with exactly what is owed."""

    name: ClassVar[str] = "in_kind"
    classifier: ClassVar[dict[str, Any]] = dict(Proportional.classifier)
    basis: ClassVar[Basis] = Basis.IN_KIND
    ratio: float = 1.0


@dataclass(frozen=True)
class Parity(Policy):
    """Answers at once by capping the counterpart's staff and facilities to its own."""

    name: ClassVar[str] = "parity"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": False, "escalates": True, "memory_depth": 0,
        "inspects_opponent": False, "retaliates": True}
    basis: ClassVar[Basis] = Basis.PARITY

    def size(self, seen: Seen) -> Move:
        p, f = parity_counts(seen.their_staff, seen.my_staff, seen.their_sites, seen.my_sites)
        return Move(p, f, ~_no_parity(p))

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        return (3, 0.0, {})


@dataclass(frozen=True)
class Token(Policy):
    """Answers at once, smaller: a share of what is owed, at least one of something."""

    name: ClassVar[str] = "token"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": False, "escalates": False, "memory_depth": 1,
        "inspects_opponent": False, "retaliates": True}
    basis: ClassVar[Basis] = Basis.TOKEN
    share: float = 0.25

    def size(self, seen: Seen) -> Move:
        p = round_half_up(np.asarray(self.share, dtype=float) * seen.persons)
        f = np.minimum(seen.facilities, 1)
        p = np.where((p == 0) & (f == 0) & (np.asarray(seen.persons) > 0), 1, p)
        return Move(*feasible_counts(p, f, seen.their_staff, seen.their_sites), _no_parity(p))

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        return (1, 0.0, {"token_share": self.share})


@dataclass(frozen=True)
class Generous(Policy):
    """Tit for tat that forgives a grievance with probability g (Nowak & Sigmund's GTFT)."""

    name: ClassVar[str] = "generous"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": True, "escalates": False, "memory_depth": 1,
        "inspects_opponent": False, "retaliates": True}
    forgiveness: float = 0.3

    def size(self, seen: Seen) -> Move:
        p, f = in_kind_counts(seen.persons, seen.facilities)
        return Move(*feasible_counts(p, f, seen.their_staff, seen.their_sites), _no_parity(p))

    def reply_probability(self) -> float:
        return 1.0 - self.forgiveness

    def forgives(self, draw: float) -> bool:
        return draw < self.forgiveness


@dataclass(frozen=True)
class Grim(Policy):
    """Never forgives and always answers larger: `ratio` times what is owed, at least parity."""

    name: ClassVar[str] = "grim"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": False, "escalates": True, "memory_depth": 1,
        "inspects_opponent": False, "retaliates": True}
    basis: ClassVar[Basis] = Basis.ESCALATION
    ratio: float = 2.0

    def size(self, seen: Seen) -> Move:
        p, f = in_kind_counts(seen.persons, seen.facilities, self.ratio)
        gap_p, gap_f = parity_counts(seen.their_staff, seen.my_staff, seen.their_sites,
                                     seen.my_sites)
        p, f = np.maximum(p, gap_p), np.maximum(f, gap_f)
        return Move(*feasible_counts(p, f, seen.their_staff, seen.their_sites), _no_parity(p))

    def exchange_rule(self) -> tuple[int, float, dict[str, float]] | None:
        return (2, 0.0, {"larger_ratio": self.ratio})


@dataclass(frozen=True)
class Never(Policy):
    """Never retaliates: every grievance is let go."""

    name: ClassVar[str] = "never"
    classifier: ClassVar[dict[str, Any]] = {
        "uses_beliefs": False, "stochastic": False, "escalates": False, "memory_depth": 0,
        "inspects_opponent": False, "retaliates": False}

    def size(self, seen: Seen) -> Move:
        zero = np.zeros_like(np.asarray(seen.persons))
        return Move(zero, zero, _no_parity(zero))

    def decide(self, *, move: Move, verdict: NDArray[np.int64] | None
               ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        n = np.shape(move.persons)
        return (np.full(n, Choice.LET_GO, dtype=np.int64),
                np.full(n, Why.POLICY, dtype=np.int64))

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
