"""The circumstances of a move, as terms of the decision (docs/model.md section 4b).

The exchange game of a decision (`sim.game.qre`) weighs a grievance by the value of
answering it (R), the expected cost of the counterpart's reply (C), a reset in
prospect and an audience cost. Diplomatic practice shows further regularities that are
not about a reset, each
written here as one general term, never keyed to a state, an episode or a date; each is
neutral (a factor 1, a term 0) where a scenario does not state the fact it weighs:

1. the instrument: a move that expels no one (a recall, a downgrade, a refused
   accreditation, a visa or local-hire ban) is weighed as a number of staff expelled, its
   severity (`staff_equivalents`), so that an answer in another instrument can be
   compared in size (Kahn 1965: rungs of one ladder in different instruments);
2. a summit or negotiation pending between the two: answering before it puts a stake at
   risk, waiting keeps it, and answers given meanwhile are smaller (`summit_terms`;
   Axelrod 1984 on the shadow of the future, Putnam 1988 on negotiations);
3. the answering state's own leadership: while its transition is pending the audience
   cost of not answering is partly excused (the same share j as for a counterpart's
   transition, Levendusky & Horowitz 2012), and a leader who seeks better relations with
   the initiator gains L by letting the move go (`leadership_terms`; Osgood 1962,
   Kydd 2005);
4. leverage: arms contracts, students, energy, aid, each a share, raise the reply cost
   as dependence does (`cost_factor`; Hirschman 1945, Keohane & Nye 1977);
5. a coalition of n initiators: answering one member invites the reply of all, so the
   reply cost grows as 1 + kappa ln n (`cost_factor`; Snyder 1984);
6. a divided initiator (its leader disowns the move) and expelled staff who were not, or
   not undisputedly, accredited diplomats: answering in kind is worth less
   (`value_share`; Schultz 1998, Vienna Convention 1961 art. 9).

The terms enter the exchange game of the decision (`sim.game.qre.respond`, docs/model.md
section 4b) in two places:

1. before it is solved, in the deciding side's terms (`in_game`): the value of answering
   R becomes v R (its own cost unchanged), the reply cost C becomes m C, every answer of
   its menu is cut to the summit share, and the audience cost A(1-j) of not answering is
   excused further by the state's own transition, A(1-j)(1-j_own); while a summit is
   pending the state may wait for it, a wait worth phi = (1 - r)^W (1 - rho) for the W
   days to it (`waiting`);
2. after, at the decision itself (`at_decision`): every answer loses the summit stake
   sigma, letting go gains the relationship value L, and the logit response is taken
   again over the adjusted utilities.

With v = `value_share`, m = `cost_factor`, sigma the summit stake, j_own the excuse of the
state's own pending transition and L the relationship value. Pure numpy: no engine, no
scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.game.qre import LET_GO, N_SIZES, ResponseProbabilities, Side, logit

Number = float | NDArray[np.float64]

# The instruments of an initiating move or an answer (docs/scenarios.md, "Moves").
MOVE_KINDS: tuple[str, ...] = ("expel", "cap", "close", "recall", "downgrade",
                               "accreditation_refused", "visa_ban", "local_hire_ban")
# Those that remove none of the target's staff by themselves: weighed by their severity,
# the behaviour parameter `severity_<kind>` (one table, docs/model.md section 4b).
STAFF_FREE: tuple[str, ...] = ("recall", "downgrade", "accreditation_refused", "visa_ban",
                               "local_hire_ban")
SEVERITY_FIELDS: tuple[str, ...] = tuple(f"severity_{kind}" for kind in STAFF_FREE)


def severity_field(kind: str) -> str | None:
    """The behaviour parameter holding a staff-free instrument's severity (None: the
    instrument's size is the staff and sites it touches)."""
    return f"severity_{kind}" if kind in STAFF_FREE else None


def staff_equivalents(kind: str, persons: int, severity: Mapping[str, float]) -> int:
    """How many staff expelled a move is weighed as.

    1. an expulsion, a cap or a closure is what it touches: its persons (sites are
       counted apart, as facilities);
    2. a staff-free instrument is at least its severity, rounded half up (1.5 -> 2), or
       the persons it touches if more (a downgrade that also expels two counts two).
    `severity` maps `severity_<kind>` to its value (a `Behaviour`'s fields will do).
    """
    name = severity_field(kind)
    if name is None:
        return int(persons)
    return max(int(persons), int(np.floor(float(severity[name]) + 0.5)))


def value_share(status: str, divided: bool, *, divided_discount: ArrayLike,
                non_accredited_discount: ArrayLike, disputed_discount: ArrayLike) -> Number:
    """v: the share of R that answering this move in kind is worth.

    v = (1 - d_status) (1 - d_divided): an initiator whose leader disowns the move, or
    staff who were not accredited diplomats (or whose status is disputed), make an answer
    in kind restore less standing. Accredited staff and an undivided initiator: v = 1.
    """
    d_status = {"non_accredited": non_accredited_discount,
                "disputed": disputed_discount}.get(status, 0.0)
    d_div = divided_discount if divided else 0.0
    return np.asarray((1.0 - np.asarray(d_status, dtype=float))
                      * (1.0 - np.asarray(d_div, dtype=float)), dtype=float)


def cost_factor(leverage: float, coalition: int, *, leverage_weight: ArrayLike,
                coalition_cost: ArrayLike) -> Number:
    """m: the factor on the reply cost C from leverage and from a coalition.

    m = (1 + w_L sum(shares)) (1 + kappa ln n). Leverage items generalise `dependence`
    (which stays in C itself); a coalition of n = 1 (the move of one state) gives 1.
    """
    if coalition < 1:
        raise ValueError(f"a coalition counts at least its one initiator, got {coalition}")
    return np.asarray((1.0 + np.asarray(leverage_weight, dtype=float) * leverage)
                      * (1.0 + np.asarray(coalition_cost, dtype=float) * np.log(coalition)),
                      dtype=float)


def summit_terms(pending: bool, *, summit_stake: ArrayLike,
                 summit_share: ArrayLike) -> tuple[Number, Number]:
    """(sigma, share): the stake answering now puts at risk and the share of an answer
    given while a summit or negotiation is pending; (0, 1) when none is."""
    if not pending:
        return np.zeros_like(np.asarray(summit_stake, dtype=float)), np.ones_like(
            np.asarray(summit_share, dtype=float))
    return np.asarray(summit_stake, dtype=float), np.asarray(summit_share, dtype=float)


def leadership_terms(transition: bool, seeking: bool, *, excuse_share: ArrayLike,
                     relationship_value: ArrayLike) -> tuple[Number, Number]:
    """(j_own, L): the share of the audience cost excused while the state's own leadership
    changes, and the value of letting go for a leader seeking better relations."""
    j = np.asarray(excuse_share, dtype=float)
    value = np.asarray(relationship_value, dtype=float)
    return (j if transition else np.zeros_like(j)), (value if seeking else np.zeros_like(value))


class Terms(NamedTuple):
    """The context terms of one decision (arrays over runs broadcast)."""

    value_share: Number  # v
    cost_factor: Number  # m
    summit_stake: Number  # sigma, in units of R
    answer_share: Number  # share of the sized answer given
    own_excuse: Number  # j_own
    let_go_value: Number  # L, in units of R
    summit_wait: Number = 1.0  # phi of waiting until a pending summit is held (1: none)

    @property
    def neutral(self) -> bool:
        """True when every term leaves the decision as it was."""
        return bool(np.all(np.asarray(self.value_share) == 1.0)
                    and np.all(np.asarray(self.cost_factor) == 1.0)
                    and np.all(np.asarray(self.summit_stake) == 0.0)
                    and np.all(np.asarray(self.answer_share) == 1.0)
                    and np.all(np.asarray(self.own_excuse) == 0.0)
                    and np.all(np.asarray(self.let_go_value) == 0.0)
                    and np.all(np.asarray(self.summit_wait) == 1.0))


def summit_wait(days: int, discount_rate: ArrayLike, late_loss: ArrayLike) -> Number:
    """phi of a wait until a summit `days` ahead: (1 - r)^days (1 - rho), as
    `payoffs.continuation_share` with the daily rate r; 1 when no summit is pending
    (days < 0)."""
    if days < 0:
        return np.ones_like(np.asarray(discount_rate, dtype=float))
    return np.asarray((1.0 - np.asarray(discount_rate, dtype=float)) ** days
                      * (1.0 - np.asarray(late_loss, dtype=float)), dtype=float)


def waiting(continuation: ArrayLike, late: bool, terms: Terms) -> tuple[Number, bool]:
    """(phi, late) of the decision with a pending summit in: a state may wait for the
    summit (a wait closing in an answer is not yet due: late -> False), and its wait is
    worth at most phi of waiting until the summit is held (min with the phi it had).
    Unchanged when no summit is pending."""
    wait = np.asarray(terms.summit_wait, dtype=float)
    if np.all(wait == 1.0):
        return np.asarray(continuation, dtype=float), late
    return np.minimum(np.asarray(continuation, dtype=float), wait), False


# the least value share used, so that the cost of answering keeps its size (below)
MIN_SHARE = 1e-9


def in_game(me: Side, audience: ArrayLike, terms: Terms) -> tuple[Side, Number]:
    """The deciding side and its audience cost with the terms in (step 1 of the module
    docstring): R -> v R, C -> m C, share -> share x answer share, A -> A (1 - j_own).

    The game prices an answer's own cost as R times `answer_cost` (`sizes.answer_cost`):
    so that a smaller value of answering does not make answering cheaper too, the answer
    cost is divided by v as R is multiplied by it (v is taken as at least MIN_SHARE).
    """
    v = np.maximum(np.asarray(terms.value_share, dtype=float), MIN_SHARE)
    side = replace(
        me,
        reciprocity_value=np.asarray(me.reciprocity_value, dtype=float) * v,
        answer_cost=np.asarray(me.answer_cost, dtype=float) / v,
        reply_cost=np.asarray(me.reply_cost, dtype=float)
        * np.asarray(terms.cost_factor, dtype=float),
        share=np.asarray(me.share, dtype=float) * np.asarray(terms.answer_share, dtype=float))
    excused = np.asarray(audience, dtype=float) * (
        1.0 - np.asarray(terms.own_excuse, dtype=float))
    return side, excused


def at_decision(r: ResponseProbabilities, terms: Terms,
                precision: ArrayLike) -> ResponseProbabilities:
    """The decision with the summit stake and the relationship value in (step 2).

    1. each answer's utility loses sigma, letting go's gains L (an unavailable course,
       utility -inf, stays unavailable);
    2. the logit response is taken again over the adjusted utilities (`qre.logit`, the
       same precision), the most likely course is the first maximum of the utilities,
       and the expected reply and value follow the new probabilities.
    Terms of 0 return `r` itself.
    """
    stake = np.asarray(terms.summit_stake, dtype=float)
    bonus = np.asarray(terms.let_go_value, dtype=float)
    if np.all(stake == 0.0) and np.all(bonus == 0.0):
        return r
    u = np.array(r.utilities, dtype=float, copy=True)
    lead = u.shape[:-1]
    u[..., :N_SIZES] -= np.broadcast_to(stake, lead)[..., None]
    u[..., LET_GO] += np.broadcast_to(bonus, lead)
    available = np.isfinite(u)
    p = logit(u, precision, available)
    safe = np.where(available, u, 0.0)
    return r._replace(probabilities=p, utilities=u,
                      expected_reply=np.sum(p * np.asarray(r.reply_probability), axis=-1),
                      choice=np.argmax(np.where(available, u, -np.inf), axis=-1),
                      value=np.sum(p * safe, axis=-1))
