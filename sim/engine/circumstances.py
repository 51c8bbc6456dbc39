"""The circumstances of each pair's moves, found once per world, and the day's hook.

`pair_facts` reads, for every ordered pair (actor, counterpart) in play, what the
scenario states about the counterpart's moves against the actor and about the two of
them: each move's date, status, coalition and whether its initiator is divided; the
leverage the counterpart holds over the actor; the summits pending between them; the
actor's own leadership transitions. `World.circumstances` keeps them.

`in_context` is the one call `sim.engine.day.evaluate` makes: it turns those facts, on
the day of a decision, into the terms of `sim.game.context` (the move it weighs is the
latest the counterpart made against the actor on or before that day), shrinks the sized
answer while a summit is pending and puts the terms into the assessment. Where a
scenario states none of these facts, every term is neutral and the evaluation is
returned as it came (docs/model.md section 4b).
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.game import context
from sim.rules.sizing import soften_counts
from sim.scenario.schema import Expel, Scenario, Summit, Transition

if TYPE_CHECKING:
    from sim.engine.day import Evaluation
    from sim.engine.state import State
    from sim.engine.world import World


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
    return context.Terms(v, m, stake, share, j_own, bonus)


def in_context(w: World, s: State, k: int, e: Evaluation, r: NDArray[np.float64],
               today: dt.date) -> Evaluation:
    """Pair k's evaluation with the circumstances of the move in (the day's hook).

    1. the terms of today (`context_terms`); neutral terms return `e` itself;
    2. an answer to a move made while a summit was pending shrinks to its share (rounded
       half up, as a reassured answer does), and the probability of a reply is found
       again for the smaller answer;
    3. the assessment takes the terms (`sim.game.context.adjust`); the reply cost kept
       is the scaled one, m C.
    """
    if e.assessment is None:
        return e
    terms = context_terms(w, k, e.runs, today)
    if terms.neutral:
        return e
    persons, facilities, q = e.persons, e.facilities, e.reply_probability
    share = np.asarray(terms.answer_share, dtype=float)
    if np.any(share < 1.0):
        from sim.engine.day import expected_reply  # the day's rule for a reply (no cycle)

        persons, facilities = (np.asarray(x, dtype=np.int64) for x in soften_counts(
            persons, facilities, share))
        q = expected_reply(w, s, k, e.runs, persons, facilities, e.parity)
    assessment = context.adjust(e.assessment, terms, r, q, e.cost_of_reply)
    cost = np.asarray(terms.cost_factor, dtype=float) * e.cost_of_reply
    return replace(e, persons=persons, facilities=facilities, reply_probability=q,
                   cost_of_reply=np.broadcast_to(cost, e.runs.shape).astype(float),
                   assessment=assessment)
