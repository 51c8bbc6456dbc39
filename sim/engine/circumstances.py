"""The circumstances of each pair's moves, found once per world, and the day's hook.

`pair_facts` reads, for every ordered pair (actor, counterpart) in play, what the
scenario states about the counterpart's moves against the actor and about the two of
them: each move's date, status, coalition and whether its initiator is divided; the
leverage the counterpart holds over the actor; the summits pending between them; the
actor's own leadership transitions. `World.circumstances` keeps them.

`in_context` is the one call `sim.engine.day.exchange` makes: it turns those facts, on
the day of a decision, into the terms of `sim.game.context` (the move it weighs is the
latest the counterpart made against the actor on or before that day) and gives the
solver of the decision's exchange game with those terms in. Where a scenario states
none of these facts, every term is neutral and the solver is `qre.respond` itself
(docs/model.md section 4b).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from sim.game import context
from sim.game.qre import ResponseProbabilities, respond
from sim.scenario.schema import Expel, Scenario, Summit, Transition

if TYPE_CHECKING:
    from sim.engine.world import World

Solver = Callable[..., ResponseProbabilities]


@dataclass(frozen=True)
class PairFacts:
    """What the scenario states about one ordered pair (actor answering counterpart)."""

    move_dates: tuple[dt.date, ...]  # the counterpart's moves against the actor, in order
    moves: tuple[Expel, ...]
    leverage: float  # summed shares of the counterpart's leverage items over the actor
    summits: tuple[Summit, ...]  # pending between the two, listed by either
    transitions: tuple[Transition, ...]  # the actor's own

    def move_on(self, today: dt.date) -> Expel | None:
        """The latest move of the counterpart against the actor on or before `today`."""
        at = bisect.bisect_right(self.move_dates, today)
        return self.moves[at - 1] if at else None

    def summit_pending(self, today: dt.date) -> bool:
        return any(s.covers(today) for s in self.summits)

    def leadership(self, counterpart: str, today: dt.date) -> tuple[bool, bool]:
        """(a transition of the actor's own is on, its leader seeks better relations with
        the counterpart)."""
        on = [t for t in self.transitions if t.covers(today)]
        return bool(on), any(counterpart in t.seeks_better_relations_with for t in on)


def pair_facts(spec: Scenario, pairs: list[tuple[str, str]]) -> list[PairFacts]:
    """The facts of every pair, in the order of `pairs`."""
    out = []
    for actor, other in pairs:
        moves = tuple(ev for ev in spec.events if isinstance(ev, Expel)
                      and ev.actor == other and ev.target == actor)
        mine, theirs = spec.states[actor], spec.states[other]
        summits = tuple([s for s in mine.summits if s.counterpart == other]
                        + [s for s in theirs.summits if s.counterpart == actor])
        leverage = float(sum(item.share for item in mine.leverage.get(other, [])))
        out.append(PairFacts(tuple(ev.date for ev in moves), moves, leverage, summits,
                             tuple(mine.transitions)))
    return out


def context_terms(w: World, k: int, runs: NDArray[np.int64], today: dt.date) -> context.Terms:
    """The terms of pair k's decision today, per run (`sim.game.context.Terms`)."""
    actor, other = w.pairs[k]
    facts = w.circumstances[k]
    beh = w.beh[actor]
    move = facts.move_on(today)
    status = move.status if move is not None else "accredited"
    divided = move.divided if move is not None else False
    coalition = move.coalition if move is not None else 1
    v = context.value_share(
        status, divided, divided_discount=beh["divided_discount"][runs],
        non_accredited_discount=beh["non_accredited_discount"][runs],
        disputed_discount=beh["disputed_discount"][runs])
    m = context.cost_factor(facts.leverage, coalition,
                            leverage_weight=beh["leverage_weight"][runs],
                            coalition_cost=beh["coalition_cost"][runs])
    # the stake is at risk while the summit is still to come; an answer to a move made
    # while one was pending is smaller whenever it is given
    stake, _ = context.summit_terms(facts.summit_pending(today),
                                    summit_stake=beh["summit_stake"][runs],
                                    summit_share=beh["summit_share"][runs])
    _, share = context.summit_terms(move is not None and facts.summit_pending(move.date),
                                    summit_stake=beh["summit_stake"][runs],
                                    summit_share=beh["summit_share"][runs])
    transition, seeking = facts.leadership(other, today)
    j_own, bonus = context.leadership_terms(transition, seeking,
                                            excuse_share=beh["excuse_share"][runs],
                                            relationship_value=beh["relationship_value"][runs])
    ahead = max((x.end - today).days for x in facts.summits if x.covers(today)) \
        if facts.summit_pending(today) else -1
    wait = context.summit_wait(ahead, beh["discount_rate"][runs], beh["late_loss"][runs])
    return context.Terms(v, m, stake, share, j_own, bonus, wait)


def in_context(w: World, k: int, runs: NDArray[np.int64], today: dt.date) -> Solver:
    """How pair k solves its exchange game today, with the circumstances of the move in
    (the day's hook, `sim.engine.day.exchange`).

    1. the terms of today (`context_terms`); neutral terms return `qre.respond` itself,
       so a scenario that states none of these facts decides exactly as before;
    2. otherwise a solver that puts the terms into the deciding side and its audience
       cost (`context.in_game`) and, while a summit is pending, lets the state wait for
       it (`context.waiting`), solves the game with `qre.respond`, and puts the summit
       stake and the relationship value into the decision (`context.at_decision`).
    """
    terms = context_terms(w, k, runs, today)
    if terms.neutral:
        return respond

    def solve(**facts: Any) -> ResponseProbabilities:
        me, audience = context.in_game(facts["me"], facts.get("audience", 0.0), terms)
        given = facts.get("continuation")
        phi, late = context.waiting(me.continuation if given is None else given,
                                    bool(facts.get("late", False)), terms)
        r = respond(**{**facts, "me": me, "audience": audience, "continuation": phi,
                       "late": late})
        return context.at_decision(r, terms, me.precision)

    return solve
