"""Quantal response: choice probabilities, and the logit agent QRE of the exchange game.

A state does not always take the course with the highest expected utility: it errs, and
the errors are likelier the less they cost. The logit quantal response (McKelvey &
Palfrey 1995) gives each course a probability

    P(a) = exp(lambda U(a)) / sum_b exp(lambda U(b)),

with precision lambda >= 0: lambda = 0 is a coin toss among the available courses,
lambda -> infinity the argmax. Signorino (1999) made the same point for international
conflict: strategic choice with noise has a likelihood, a verdict does not.

**The exchange game.** A state T holds a grievance against a counterpart C. The game,
to a depth D of measures (measure -> reply -> counter-reply ...):

1. nature draws whether C's incoming administration would deliver a reset
   (probability p, T's belief: `beliefs.p_reset`); nobody sees the draw;
2. T chooses: answer with one size of its menu (`sizes.menu`: in kind, smaller, larger,
   cap to parity), wait, or let go. An answer spoils a coming reset with probability
   Delta (worth S = Delta V in expectation given one: `payoffs.spoiling_cost`). Waiting
   or letting go disowns a standing threat (audience cost A(1-j)). A reset that comes
   settles the matter; otherwise a state that waited answers at the close of the window
   at a size it then chooses (its payoffs from there on worth phi = delta^W (1-rho) of
   their face value, `payoffs.continuation_share`);
3. an answer x settles what T was owed (o): C banks only the excess max(0, x - o), or,
   misreading it with probability epsilon, all of it (Signorino 1996). If C banks
   nothing it has nothing to answer; otherwise it chooses in the same way from its own
   menu (its own grievance included, the missions as the answer left them), and so on;
4. after D measures the exchange stops; an excess left by the last measure is taken to
   be answered in kind beyond the horizon (the in-kind entry of the other's menu, so a
   cap to parity is answered by a cap to parity; its author pays the reply cost, and the
   answer settles the account), so the last mover does not escalate for free.

Payoffs: an answer of relative size s is worth R v(s) to its author, plus the value of
equal standing where claimed, less the cost of what it cuts (`sizes`); it costs its
target C z(x)/z(o0) (`sizes.hit_cost`) and, if the target banks a grievance, R: the
face lost, which answering in kind restores (so that nobody gains by being offended).

**Why backward induction gives the logit AQRE, and why it is unique.** In the agent QRE
(McKelvey & Palfrey 1998) each information set is an agent who plays the logit response
to the expected payoffs of its actions, given the play of all other agents. Here every
information set is a single history of players' moves; the only thing a player does not
see is nature's draw of the successor's type, which changes the payoffs of no player's
later choice (a reset adds the same V to every end below the draw, or none). So:

1. at an information set with no decision below it, the payoff of each action is fixed by
   the chance probabilities alone, and the logit response is one vector of probabilities;
2. replace the set by the expected payoffs under that response; the sets above now face
   fixed payoffs again;
3. repeat up to the root.

Each step is forced, so the profile is the only one satisfying the logit condition at
every set: the logit AQRE of a game of this kind is unique for every lambda, and backward
induction computes it (the backward induction of perfect-information games, with logit
responses in place of best responses; the uncertainty about the successor at T's first
move only averages payoffs, with T's belief). docs/model.md section 18.3 gives the proof.

As lambda -> infinity the logit AQRE converges to a
subgame-perfect equilibrium of the exchange with T's belief taken as given (the limit of
logit AQRE is a sequential equilibrium: McKelvey & Palfrey 1998). With
lambda = infinity this module plays the argmax with ties to the earlier action (the
order of `ACTIONS`, as `decision.choose`), a pure subgame-perfect equilibrium; the limit
of the logit splits exact ties equally instead, and the two differ only there.

**What this is not.** Beliefs about the successor come from exogenous signals
(`beliefs.update`), not from the players' choices: no player signals by its answer, so
this is no signalling (perfect Bayesian) equilibrium of a game of incomplete information
between T and C. The reset is a move of nature with T's belief as its probability, the
successor is not a player. The many-day problem is approximated by the daily rule
(docs/model.md, "What is solved"); `waiting.solve_menu_waiting` measures what that costs
over this menu (docs/model.md section 13, "The full menu").
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.game import sizes

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

#: Every course of a decision, in the order ties are broken: the answers of
#: `sizes.SIZES`, then wait, then let go (as `decision.Choice`: retaliate, wait, let go).
ACTIONS: tuple[str, ...] = (*sizes.SIZES, "wait", "let go")
N_SIZES = len(sizes.SIZES)
WAIT = N_SIZES
LET_GO = N_SIZES + 1


def _f(x: ArrayLike) -> Floats:
    return np.asarray(x, dtype=np.float64)


def logit(utilities: ArrayLike, precision: ArrayLike,
          available: ArrayLike | None = None) -> Floats:
    """Logit choice probabilities over the last axis.

    1. Unavailable choices get probability 0 (utility -inf);
    2. lambda U is shifted by its maximum over the available choices before exponentiating,
       so no exponent is positive (the softmax is exact and cannot overflow);
    3. where lambda is infinite, the probability is 1 on the first maximum: the argmax
       with ties to the earlier choice, as `decision.choose`;
    4. where lambda = 0, every available choice is equally likely.

    `precision` broadcasts against the leading axes of `utilities`.
    """
    u = _f(utilities)
    ok = np.ones(u.shape, dtype=bool) if available is None else np.broadcast_to(
        np.asarray(available, dtype=bool), u.shape)
    lam = np.broadcast_to(_f(precision), u.shape[:-1])[..., None]
    if np.any(lam < 0):
        raise ValueError("precision must be zero or positive")
    masked = np.where(ok, u, -np.inf)
    top = np.max(masked, axis=-1, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    finite_lam = np.where(np.isinf(lam), 0.0, lam)
    with np.errstate(invalid="ignore"):
        z = np.where(ok, finite_lam * (masked - top), -np.inf)
    w = np.exp(z)
    total = w.sum(axis=-1, keepdims=True)
    probs = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    first = np.argmax(masked, axis=-1)
    hard = (np.arange(u.shape[-1]) == first[..., None]).astype(np.float64)
    hard = np.where(ok.any(axis=-1, keepdims=True), hard, 0.0)
    return np.where(np.isinf(lam), hard, probs)


@dataclass(frozen=True)
class Side:
    """One player's behaviour terms (each a number or an array over runs).

    `reply_cost` is C: what a measure against this side as big as the opening offence
    costs it (`payoffs.reply_cost`, with power and dependence), in the units of R.
    `continuation` is the phi of a wait without a reset in prospect, (1 - rho) when the
    answer comes the next day. `allowed` masks the menu (`sizes.SIZES`) for the whole
    exchange: (True, False, False, False) is a state that only answers in kind.
    `share` scales every entry of its menu (a reassured state's answers, `sizes.menu`).

    `follows`: None for a strategic player (its logit response to the payoffs); an index
    into `sizes.SIZES` for a player that follows a rule (a named policy such as tit for
    tat): it takes that entry of its menu whenever the entry is not empty, except that it
    lets go with probability `forgiveness`, and it never waits. Its payoffs still count
    for the other player's values; its choices ignore them.
    """

    reciprocity_value: ArrayLike = 1.0
    reply_cost: ArrayLike = 0.3
    answer_cost: ArrayLike = 0.5
    curvature: ArrayLike = 0.5
    beyond: ArrayLike = 0.2
    parity_value: ArrayLike = 1.0
    precision: ArrayLike = np.inf
    continuation: ArrayLike = 0.9
    misread: ArrayLike = 0.0
    token_share: ArrayLike = 0.25
    larger_ratio: ArrayLike = 2.0
    site_weight: ArrayLike = 10.0
    share: ArrayLike = 1.0
    allowed: tuple[bool, ...] = field(default=(True,) * N_SIZES)
    follows: int | None = None
    forgiveness: float = 0.0


class _Bank(NamedTuple):
    persons: Ints
    facilities: Ints
    offences: Ints
    parity: Bools


class _Missions(NamedTuple):
    """From the mover's side: the other's presence here, mine there."""

    their_staff: Ints
    my_staff: Ints
    their_sites: Ints
    my_sites: Ints

    def after(self, persons: Ints, facilities: Ints) -> _Missions:
        """Cut the other's presence here, then look from the other's side."""
        return _Missions(self.my_staff, np.maximum(0, self.their_staff - persons),
                         self.my_sites, np.maximum(0, self.their_sites - facilities))


@dataclass(frozen=True)
class _Context:
    sides: tuple[Side, Side]
    unit: Floats
    audience: tuple[Floats, Floats]  # at each player's first decision
    depth: int


class _Node(NamedTuple):
    probabilities: Floats  # (..., len(ACTIONS))
    utilities: Floats  # the mover's, as the tree scales them; -inf where unavailable
    values: tuple[Floats, Floats]  # expected payoff to T and to C
    reply: Floats  # (..., len(ACTIONS)): P(the other answers) after each action
    persons: Ints  # (..., N_SIZES)
    facilities: Ints


def _answered(bank: _Bank, persons: Ints, facilities: Ints, parity: Bools,
              whole: bool) -> tuple[_Bank, Bools]:
    """The other's bank after an answer: the excess over what the mover was owed, or all
    of it when misread; and whether anything was banked."""
    owed_p = 0 if whole else bank.persons
    owed_f = 0 if whole else bank.facilities
    add_p, add_f = sizes.excess(persons, facilities, owed_p, owed_f, parity=parity,
                                owed_parity=False if whole else bank.parity)
    return _Bank(add_p, add_f, np.ones_like(add_p), parity), (add_p > 0) | (add_f > 0)


def _merge(old: _Bank, new: _Bank) -> _Bank:
    return _Bank(old.persons + new.persons, old.facilities + new.facilities,
                 old.offences + new.offences, old.parity | new.parity)


def _node(mover: int, bank: _Bank, other: _Bank, missions: _Missions, depth: int,
          ctx: _Context, scale: tuple[Floats, Floats], late: bool,
          prospect: tuple[Floats, Floats] | None, wait_share: Floats) -> _Node:
    """Backward induction at one decision (see the module docstring, steps 1-3)."""
    me, them = ctx.sides[mover], ctx.sides[1 - mover]
    shape = bank.persons.shape
    first = depth == ctx.depth - mover  # the mover's first decision of the exchange
    audience = ctx.audience[mover] if (first and not late) else np.zeros(shape)
    m = sizes.menu(owed_persons=bank.persons, owed_facilities=bank.facilities,
                   their_staff=missions.their_staff, my_staff=missions.my_staff,
                   their_sites=missions.their_sites, my_sites=missions.my_sites,
                   token_share=me.token_share, larger_ratio=me.larger_ratio,
                   parity_owed=bank.parity, share=me.share)
    allowed = np.asarray(me.allowed if me.follows is None else (True,) * N_SIZES, dtype=bool)
    size_ok = m.available & allowed
    parity = m.parity
    # the size an answer is measured against: what is owed, or for a cap the cap in kind
    owed_z = np.where(bank.parity, sizes.weight(m.persons[..., 0], m.facilities[..., 0],
                                                me.site_weight),
                      sizes.weight(bank.persons, bank.facilities, me.site_weight))
    presence = sizes.weight(missions.their_staff, missions.their_sites, me.site_weight)
    claim = sizes.standing_weight(bank.offences, bank.parity)
    surplus = sizes.claimed_surplus(m.gap_persons, m.gap_facilities, claim, me.site_weight)
    p_reset, spoil = prospect if prospect is not None else (np.zeros(shape), np.zeros(shape))
    p_misread = np.where(bank.offences > 0, _f(them.misread), 0.0) * np.ones(shape)

    n = len(ACTIONS)
    util = np.full((*shape, n), -np.inf)
    v_me = np.zeros((*shape, n))
    v_them = np.zeros((*shape, n))
    reply = np.zeros((*shape, n))
    gains_me = np.zeros((*shape, N_SIZES))
    gains_them = np.zeros((*shape, N_SIZES))
    pending: list[tuple[int, Floats, _Bank, Bools, _Missions]] = []  # children to solve
    face = scale[1 - mover] * _f(them.reciprocity_value)
    branches: list[tuple[bool, Floats]] = [(False, 1.0 - p_misread)]
    if np.any(p_misread > 0):
        branches.append((True, p_misread))
    for k in range(N_SIZES):
        ok = size_ok[..., k]
        if not ok.any():
            continue
        xp, xf, par = m.persons[..., k], m.facilities[..., k], parity[..., k]
        z_me = sizes.weight(xp, xf, me.site_weight)
        own = (sizes.reciprocity(z_me / np.maximum(owed_z, 1.0), value=me.reciprocity_value,
                                 curvature=me.curvature, beyond=me.beyond)
               + sizes.standing(par, claim, value=me.reciprocity_value,
                                parity_value=me.parity_value)
               - sizes.answer_cost(z_me, presence, value=me.reciprocity_value,
                                   cost=me.answer_cost, surplus=surplus))
        hit = sizes.hit_cost(sizes.weight(xp, xf, them.site_weight), ctx.unit,
                             reply_cost=them.reply_cost)
        gain_me, gain_them = scale[mover] * own, -scale[1 - mover] * hit
        after = missions.after(xp, xf)
        for whole, weight in branches:
            banked, active = _answered(bank, xp, xf, par, whole)
            live = active & ok
            # a grievance banked costs its holder R, which answering it in kind restores
            if depth == 1:
                # beyond the horizon, the excess is answered in kind, which settles it:
                # the mover pays for that answer, the other's loss of face is restored
                held = _merge(other, banked)
                answer = sizes.in_kind(
                    owed_persons=held.persons, owed_facilities=held.facilities,
                    parity_owed=held.parity, their_staff=after.their_staff,
                    my_staff=after.my_staff, their_sites=after.their_sites,
                    my_sites=after.my_sites)
                z_answer = sizes.weight(answer[..., 0], answer[..., 1], me.site_weight)
                tail = sizes.hit_cost(z_answer, ctx.unit, reply_cost=me.reply_cost)
                gain_me = gain_me - weight * np.where(live, scale[mover] * tail, 0.0)
                reply[..., k] += weight * (live & (z_answer > 0))
                continue
            gain_them = gain_them - weight * np.where(live, face, 0.0)
            pending.append((k, weight * np.where(live, 1.0, 0.0), _merge(other, banked),
                            live, after))
        gains_me[..., k], gains_them[..., k] = gain_me, gain_them
    if pending:
        # every child (each size, read or misread) in one call: the node broadcasts over
        # its leading axes, so the children are solved side by side (step 1-3 at once)
        def stack(values: list[Any]) -> Any:
            # np.stack of the values broadcast to the node's shape, filled in place
            out = np.empty((len(values), *shape), dtype=np.result_type(*values))
            for i, v in enumerate(values):
                out[i] = v
            return out

        banks = _Bank(*(stack([c[2][i] for c in pending]) for i in range(4)))
        after_all = _Missions(*(stack([c[4][i] for c in pending]) for i in range(4)))
        n = len(pending)
        zeros = np.zeros((n, *shape), dtype=np.int64)
        child = _child(1 - mover, banks, _Bank(zeros, zeros, zeros, zeros.astype(bool)),
                       after_all, depth - 1, ctx, scale,
                       _f(them.continuation) * np.ones((n, *shape)))
        for i, (k, w, _, _, _) in enumerate(pending):
            reply[..., k] += w * (1.0 - child.probabilities[i, ..., LET_GO])
            gains_me[..., k] += w * child.values[mover][i]
            gains_them[..., k] += w * child.values[1 - mover][i]
    for k in range(N_SIZES):
        ok = size_ok[..., k]
        if not ok.any():
            continue
        gain_me, gain_them = gains_me[..., k], gains_them[..., k]
        util[..., k] = np.where(ok, gain_me - p_reset * spoil, -np.inf)
        v_me[..., k] = np.where(ok, gain_me - p_reset * spoil, 0.0)
        v_them[..., k] = np.where(ok, gain_them, 0.0)

    any_size = size_ok.any(axis=-1)
    if not late:
        util[..., LET_GO] = -scale[mover] * audience
        v_me[..., LET_GO] = util[..., LET_GO]
        if any_size.any() and depth > 2:
            scaled = (scale[0] * wait_share, scale[1]) if mover == 0 else (
                scale[0], scale[1] * wait_share)
            later = _node(mover, bank, other, missions, depth, ctx, scaled, True, None,
                          wait_share)
            keep = 1.0 - p_reset
            util[..., WAIT] = np.where(any_size, -scale[mover] * audience
                                       + keep * later.values[mover], -np.inf)
            v_me[..., WAIT] = np.where(any_size, util[..., WAIT], 0.0)
            v_them[..., WAIT] = np.where(any_size, keep * later.values[1 - mover], 0.0)
            reply[..., WAIT] = np.where(any_size, keep * np.sum(
                later.probabilities * later.reply, axis=-1), 0.0)
        elif any_size.any():
            # The close of the wait: the same decision, late (no wait, no let go, no
            # audience, no reset in prospect), with the mover's payoffs worth `wait_share`
            # of their face value. Within two measures no decision of the mover lies
            # below this one, so every payoff of the mover below is proportional to its
            # scale and no choice below depends on it: the late decision is this node's
            # sizes with the mover's gains scaled, solved without a second recursion
            # (the same numbers; deeper, the mover decides again below, and the late
            # decision is solved as a node of its own, above).
            late_util = np.where(size_ok, wait_share[..., None] * gains_me, -np.inf)
            late_probs = (_rule(m, me.follows, me.forgiveness)[..., :N_SIZES]
                          if me.follows is not None
                          else logit(late_util, me.precision, size_ok))
            late_me = np.sum(late_probs * np.where(size_ok, late_util, 0.0), axis=-1)
            late_them = np.sum(late_probs * np.where(size_ok, gains_them, 0.0), axis=-1)
            keep = 1.0 - p_reset
            util[..., WAIT] = np.where(any_size, -scale[mover] * audience + keep * late_me,
                                       -np.inf)
            v_me[..., WAIT] = np.where(any_size, util[..., WAIT], 0.0)
            v_them[..., WAIT] = np.where(any_size, keep * late_them, 0.0)
            reply[..., WAIT] = np.where(any_size, keep * np.sum(
                late_probs * reply[..., :N_SIZES], axis=-1), 0.0)
    available = np.isfinite(util)
    probs = logit(util, me.precision, available)
    if me.follows is not None:
        probs = _rule(m, me.follows, me.forgiveness)
    values_me = np.sum(probs * v_me, axis=-1)
    values_them = np.sum(probs * v_them, axis=-1)
    values = (values_me, values_them) if mover == 0 else (values_them, values_me)
    return _Node(probs, util, values, reply, m.persons, m.facilities)


def _rule(m: sizes.Menu, k: int, forgiveness: float) -> Floats:
    """A rule follower's probabilities: its menu entry `k` (or the earlier entry it
    repeats) with probability 1 - forgiveness, let go otherwise or when it is empty."""
    shape = m.persons.shape[:-1]
    entry = np.full(shape, k)
    for j in reversed(range(k)):
        same = ((m.persons[..., j] == m.persons[..., k])
                & (m.facilities[..., j] == m.facilities[..., k]))
        entry = np.where(same, j, entry)
    something = (m.persons[..., k] > 0) | (m.facilities[..., k] > 0)
    probs = np.zeros((*shape, len(ACTIONS)))
    np.put_along_axis(probs, entry[..., None], np.where(something, 1.0 - forgiveness,
                                                         0.0)[..., None], axis=-1)
    probs[..., LET_GO] = np.where(something, forgiveness, 1.0)
    return probs


class ResponseProbabilities(NamedTuple):
    """The logit AQRE at one decision, over the courses of `ACTIONS` (last axis).

    - `probabilities`: each course's probability (sums to 1);
    - `utilities`: each course's expected utility to the decider, relative to doing
      nothing, with the counterpart's quantal response below it (-inf: not available);
    - `persons`, `facilities`: the size of each answer of the menu (`sizes.SIZES`);
    - `reply_probability`: the probability that the counterpart answers with a non-empty
      measure after each course (for wait: the answer taken at the close of the window,
      if no reset came; 0 for let go);
    - `expected_reply`: its average under the decider's own probabilities;
    - `choice`: the most likely course (ties to the earlier), an index into `ACTIONS`;
    - `value`: the decider's expected utility under its probabilities.
    """

    probabilities: Floats
    utilities: Floats
    persons: Ints
    facilities: Ints
    reply_probability: Floats
    expected_reply: Floats
    choice: Ints
    value: Floats

    @property
    def retaliate(self) -> Floats:
        """Probability of answering now, at any size."""
        return np.asarray(self.probabilities[..., :N_SIZES].sum(axis=-1), dtype=np.float64)

    def categories(self, owed_persons: ArrayLike, owed_facilities: ArrayLike) -> Floats:
        """Probabilities of answering now none, smaller, same, larger (`sizes.CATEGORIES`);
        waiting and letting go are "none"."""
        cat = sizes.category(self.persons, self.facilities,
                             np.asarray(owed_persons)[..., None],
                             np.asarray(owed_facilities)[..., None])
        out = np.zeros((*self.probabilities.shape[:-1], len(sizes.CATEGORIES)))
        for c in range(len(sizes.CATEGORIES)):
            out[..., c] = np.sum(np.where(cat == c, self.probabilities[..., :N_SIZES], 0.0),
                                 axis=-1)
        out[..., 0] += self.probabilities[..., WAIT] + self.probabilities[..., LET_GO]
        return out


def respond(*, owed_persons: ArrayLike, owed_facilities: ArrayLike,
            their_staff: ArrayLike, my_staff: ArrayLike, their_sites: ArrayLike,
            my_sites: ArrayLike, offences: ArrayLike = 1, parity: ArrayLike = False,
            their_owed_persons: ArrayLike = 0, their_owed_facilities: ArrayLike = 0,
            their_offences: ArrayLike = 0, their_parity: ArrayLike = False,
            me: Side | None = None, them: Side | None = None,
            p_reset: ArrayLike = 0.0, spoil: ArrayLike = 0.0,
            continuation: ArrayLike | None = None, audience: ArrayLike = 0.0,
            their_audience: ArrayLike = 0.0, unit: ArrayLike | None = None,
            depth: int = 3, late: bool = False) -> ResponseProbabilities:
    """The decider's logit probabilities over the menu, from the facts of one decision.

    Facts (numbers or arrays over runs, broadcast together):

    - `owed_*`, `offences`, `parity`: the decider's bank against the counterpart;
    - `their_owed_*`, `their_offences`, `their_parity`: the counterpart's bank against
      the decider (what it would add any excess to);
    - `their_staff`, `their_sites`: the counterpart's presence in the decider's territory;
      `my_staff`, `my_sites`: the decider's in the counterpart's;
    - `me`, `them`: the two sides' behaviour terms (`Side`);
    - `p_reset`, `spoil`: the belief in a reset and S = Delta V (0, 0 without a prospect);
    - `continuation`: phi of a wait now, delta^W (1 - rho) for the window's W days left
      (default `me.continuation`); `audience`: A(1-j) of a standing threat of the
      decider, paid if it waits or lets go; `their_audience` the counterpart's;
    - `unit`: z(o0), the size against which reply costs are measured (default: what is
      owed now); `depth`: number of measures in the exchange (>= 1); `late`: the
      decider already waited and no reset is in prospect any more, so it answers now at
      a size of its menu (no wait, no let go: the close of the wait in step 2 of the
      module docstring).

    Algorithm:

    1. build the decider's menu (`sizes.menu`) and, for each answer, the state it creates:
       the missions it leaves and the counterpart's bank after settlement (or after a
       misreading, with the counterpart's `misread` probability);
    2. solve the counterpart's decision in that state by the same procedure, to depth - 1
       (backward induction, the module docstring's steps 1-3), giving its quantal response
       and the reply probability of each answer;
    3. score each course for the decider: an answer's own value less p S plus what the
       counterpart's response is worth to the decider; a wait, -A(1-j) plus (1 - p) phi
       times the late decision (same menu, no wait, solved the same way); let go,
       -A(1-j);
    4. take the logit response at the decider's precision (`logit`).

    Over an axis of runs, runs whose facts are identical bit for bit are solved once and
    share the answer (`_distinct_runs`), as are identical children of a decision
    (`_child`): the same numbers, computed once.
    """
    me = me if me is not None else Side()
    them = them if them is not None else Side()
    if depth < 1:
        raise ValueError("depth must be at least 1")
    views = np.broadcast_arrays(
        np.asarray(owed_persons, np.int64), np.asarray(owed_facilities, np.int64),
        np.asarray(offences, np.int64), np.asarray(parity, bool),
        np.asarray(their_owed_persons, np.int64), np.asarray(their_owed_facilities, np.int64),
        np.asarray(their_offences, np.int64), np.asarray(their_parity, bool),
        np.asarray(their_staff, np.int64), np.asarray(my_staff, np.int64),
        np.asarray(their_sites, np.int64), np.asarray(my_sites, np.int64),
        _f(p_reset), _f(spoil), _f(audience), _f(their_audience))
    arrays = [np.array(a) for a in views]
    shape = arrays[0].shape
    if unit is None:
        unit = sizes.weight(arrays[0], arrays[1], me.site_weight)
    units = np.broadcast_to(_f(unit), shape)
    phi = me.continuation if continuation is None else continuation
    phis = _f(phi) * np.ones(shape)
    found = (_distinct_runs([*arrays, units, phis], (me, them))
             if len(shape) == 1 and shape[0] >= _MIN_RUNS else None)
    if found is None:
        return _solve(arrays, units, phis, me, them, depth, late)
    first, inverse = found
    r = _solve([a[first] for a in arrays], units[first], phis[first],
               _side_rows(me, shape, first), _side_rows(them, shape, first), depth, late)
    return ResponseProbabilities._make(np.asarray(x)[inverse] for x in r)


#: Below this many runs a decision is solved as it comes: the game then costs about the
#: same for one run as for all of them, and finding the distinct runs would cost more
#: than it saves (a fit's 20 parameter vectors at once, all distinct, were 10% slower).
_MIN_RUNS = 64
#: The fields of `Side` that may hold one value per run (the others are structural).
_PER_RUN = tuple(f.name for f in fields(Side)
                 if f.name not in ("allowed", "follows", "forgiveness"))
# Odd 64-bit multipliers that mix a row's columns into one number (`_distinct`); any
# fixed values do, a collision only costs a slower comparison.
_MIX = np.random.default_rng(0x5EED).integers(1, 2**62, size=64, dtype=np.int64) | 1


def _distinct_runs(columns: list[NDArray[Any]],
                   sides: tuple[Side, Side]) -> tuple[Ints, Ints] | None:
    """The runs whose inputs are distinct, and where each run's answer is among theirs.

    Why: a batch of runs (an ensemble, a sweep's points side by side) mostly meets a
    decision in the same state: 2,000 seeded runs of 2016 reach each decision in one to
    a few distinct states (with every behaviour term the same), so solving the game once
    per distinct row and scattering the answer back saves nearly all the work. A row is
    the bit pattern of every per-run input (`columns`, one axis of runs, and each per-run
    term of both sides), so two runs share a row only when every input is identical, and
    the game is solved elementwise over runs: each run's answer is the one it would get
    in the whole batch. Every test of the solver over a batch (`any` over runs) sees the
    same set of distinct rows, so it decides alike. The rows kept are the first of each
    kind, in run order.

    None when there is nothing to gain (one run, no repeat) or an input cannot be
    compared bit for bit (then the game is solved as given).
    """
    shape = columns[0].shape
    if len(shape) != 1 or shape[0] < 2:
        return None
    columns = list(columns)  # at most 20 + 2 x 13 < 64 (`_MIX`)
    for side in sides:
        for name in _PER_RUN:
            value = getattr(side, name)
            if np.ndim(value) == 0:
                continue
            try:
                columns.append(np.broadcast_to(_f(value), shape))
            except ValueError:
                return None
    table = np.empty((shape[0], len(columns)), dtype=np.int64)
    for j, c in enumerate(columns):
        c = np.asarray(c)
        if c.dtype == np.float64:
            table[:, j] = c.view(np.int64)
        elif c.dtype.kind in "biu" and c.dtype.itemsize <= 8:
            table[:, j] = c.astype(np.int64)
        else:
            return None
    # only the columns that differ between runs tell rows apart (most terms are the same
    # in every run of an ensemble)
    table = table[:, (table != table[0]).any(axis=0)]
    if table.shape[1] == 0:
        first, inverse = np.zeros(1, dtype=np.int64), np.zeros(shape[0], dtype=np.int64)
    else:
        # rows grouped by a hash of their bits, a cheap sort of one column; a collision
        # (two different rows in one group) is caught and the rows compared whole instead
        width = table.shape[1]
        mixed = table[:, 0] if width == 1 else (table * _MIX[:width]).sum(axis=1)
        _, first, inverse = np.unique(mixed, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        if width > 1 and not np.array_equal(table[first][inverse], table):
            keys = np.ascontiguousarray(table).view(
                np.dtype((np.void, 8 * table.shape[1]))).ravel()
            _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
            inverse = inverse.ravel()
    if first.size == shape[0]:
        return None
    order = np.argsort(first)  # the distinct rows in order of their first run
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return first[order].astype(np.int64), rank[inverse].astype(np.int64)


def _side_rows(side: Side, shape: tuple[int, ...], rows: Ints | None = None) -> Side:
    """`side` with each per-run term broadcast to `shape` and taken flat (in C order),
    cut to `rows` when given (scalars kept); ValueError if a term does not broadcast."""
    cut: dict[str, Any] = {}
    for name in _PER_RUN:
        value = getattr(side, name)
        if np.ndim(value) != 0:
            flat = np.broadcast_to(np.asarray(value), shape).reshape(-1)
            cut[name] = flat if rows is None else flat[rows]
    return replace(side, **cut) if cut else side


#: Below this many decisions (children x runs) a child is solved as it comes: finding
#: the distinct ones would cost more than it saves.
_CHILD_ROWS = 256


def _child(mover: int, bank: _Bank, other: _Bank, missions: _Missions, depth: int,
           ctx: _Context, scale: tuple[Floats, Floats], wait_share: Floats) -> _Node:
    """`_node` of the children of a decision (not late, no prospect), each distinct one
    solved once.

    Why: the children of a decision do not see its belief in a reset nor its spoiling
    term, so runs that differ only there (a sweep over the reset value) have the same
    children: 1,745 distinct decisions of a 2,000-point sweep of 2016 have a few dozen
    distinct children each. As in `respond` (`_distinct_runs`), an element is the bit
    pattern of every input the node reads (banks, missions, unit, both audiences, scale,
    wait share, each per-run term of both sides), the node is elementwise over its
    leading axes, and every `any` over them sees the same set of distinct elements."""
    full = bank.persons.shape
    size = int(np.prod(full))
    if size < _CHILD_ROWS:
        return _node(mover, bank, other, missions, depth, ctx, scale, False, None, wait_share)

    def flat(x: ArrayLike) -> NDArray[Any]:
        return np.broadcast_to(np.asarray(x), full).reshape(-1)

    per_element = [*bank, *other, *missions, ctx.unit, *ctx.audience, *scale, wait_share]
    try:
        columns = [flat(x) for x in per_element]
        sides = (_side_rows(ctx.sides[0], full), _side_rows(ctx.sides[1], full))
    except ValueError:
        columns = []
    found = _distinct_runs(columns, sides) if columns else None
    if found is None:
        return _node(mover, bank, other, missions, depth, ctx, scale, False, None, wait_share)
    rows, inverse = found
    cols = [c[rows] for c in columns]  # in the order of `per_element`
    unit, audience_0, audience_1, scale_0, scale_1, share = cols[12:18]
    sub = _Context((_side_rows(sides[0], (size,), rows), _side_rows(sides[1], (size,), rows)),
                   unit, (audience_0, audience_1), ctx.depth)
    node = _node(mover, _Bank(*cols[0:4]), _Bank(*cols[4:8]), _Missions(*cols[8:12]), depth,
                 sub, (scale_0, scale_1), False, None, share)

    def back(x: NDArray[Any]) -> Any:
        return x[inverse].reshape(*full, *x.shape[1:])

    return _Node(back(node.probabilities), back(node.utilities),
                 (back(node.values[0]), back(node.values[1])), back(node.reply),
                 back(node.persons), back(node.facilities))


def _solve(arrays: list[NDArray[Any]], units: Floats, phis: Floats, me: Side, them: Side,
           depth: int, late: bool) -> ResponseProbabilities:
    """`respond` on facts already broadcast to one shape (steps 1-4 of its docstring)."""
    shape = arrays[0].shape
    bank = _Bank(*arrays[0:4])
    other = _Bank(*arrays[4:8])
    missions = _Missions(*arrays[8:12])
    p, s, a_me, a_them = arrays[12:16]
    ctx = _Context((me, them), units, (a_me, a_them), depth)
    one = np.ones(shape)
    root = _node(0, bank, other, missions, depth, ctx, (one, one), late, (p, s), phis)
    probs = root.probabilities
    choice = np.argmax(probs, axis=-1).astype(np.int64)
    return ResponseProbabilities(probs, root.utilities, root.persons, root.facilities,
                                 root.reply, np.sum(probs * root.reply, axis=-1), choice,
                                 root.values[0])
