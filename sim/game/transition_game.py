"""The retaliation game with an incoming administration, as an explicit tree, solved.

`decision.py` gives the agent's rule as a formula. This module writes down the game that
the formula summarises and solves it with the generic backward-induction solver
(`extensive.solve`), so that the threshold p* is *derived* from the game rather than
assumed. Nothing here uses N, S or p*: the tree is built from the primitive payoff terms
of `payoffs.py` (reciprocity value R, reply cost C and its probability q, reset value V,
spoil share Delta, continuation share phi, audience cost A(1-j)); `tests/game/
test_transition_game.py` checks that what comes out equals `decision.wait_threshold`.

The game (docs/model.md section 12 draws it):

1. nature draws the successor's type and freedom (the four hypotheses of `beliefs`),
   with the target's belief as probabilities;
2. the target, not knowing the draw, retaliates now, waits, or lets go;
3. after a reprisal, the reset is spoiled with probability Delta (chance);
4. an accommodating, free successor whose reset is not spoiled chooses to reset or not;
   a bound successor cannot, a hawkish one has nothing to gain by it (its branches end);
5. the other side's policy replies to a reprisal with probability q (a chance move: the
   model takes policies as known commitments, section 11), now or, after a wait that
   brought no reset, to the banked reprisal taken at the end of the window.

Payoffs are absolute: the target gets R for a reprisal (phi R if taken late), loses C if
the other side replies (phi C late), gains V from a reset and pays A(1-j) for disowning a
threat when it waits or lets go. The other side values a reset at V. The expected
utilities of `decision.expected_utilities` are these values less the baseline p V.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from sim.game import beliefs, payoffs
from sim.game.extensive import Chance, Game, Move, Node, Solution, Terminal, solve

PLAYERS = ("target", "other side")
TARGET = "target"
ACTIONS = ("retaliate", "wait", "let go")  # the order of decision.Choice: ties go left
RESET = ("reset", "no reset")


@dataclass(frozen=True)
class Terms:
    """The primitive payoff terms of one decision, as `decision.assess` takes them."""

    reciprocity_value: float
    reply_probability: float
    cost_of_reply: float
    reset_value: float
    spoil_share: float
    daily_discount: float
    days_to_resolution: float
    late_loss: float
    threat_cost: float
    excuse_share: float

    @property
    def continuation(self) -> float:
        """phi, from payoffs.continuation_share."""
        return float(payoffs.continuation_share(self.daily_discount, self.days_to_resolution,
                                                self.late_loss))

    @property
    def audience(self) -> float:
        """A(1-j), from payoffs.audience_cost."""
        return float(payoffs.audience_cost(self.threat_cost, self.excuse_share))


def _reply(now: float, label: str, q: float, cost: float, other: float) -> Chance:
    """The other side's policy replies with probability q, costing the target `cost`."""
    return Chance((
        ("reply", q, Terminal((now - cost, other), f"{label}, reply")),
        ("no reply", 1.0 - q, Terminal((now, other), f"{label}, no reply")),
    ), "other side's policy")


def _successor(after: str, reset: Node, no_reset: Node) -> Move:
    return Move(1, f"successor after {after}", (("reset", reset), ("no reset", no_reset)))


def build(belief: ArrayLike, t: Terms) -> Game:
    """The tree for a target holding `belief` over the four hypotheses (beliefs.HYPOTHESES)."""
    b = np.asarray(belief, dtype=float)
    if b.shape != (len(beliefs.HYPOTHESES),) or np.any(b < 0) or abs(b.sum() - 1) > 1e-9:
        raise ValueError("belief must be four non-negative probabilities summing to 1")
    r, q, c, v = t.reciprocity_value, t.reply_probability, t.cost_of_reply, t.reset_value
    phi, a = t.continuation, t.audience
    branches = []
    for h, name in enumerate(beliefs.HYPOTHESES):
        can_reset = h == 0  # accommodating and free
        if can_reset:
            retaliate: Node = Chance((
                ("spoiled", t.spoil_share, _reply(r, "retaliate, spoiled", q, c, 0.0)),
                ("intact", 1.0 - t.spoil_share, _successor(
                    "retaliate",
                    _reply(r + v, "retaliate, reset", q, c, v),
                    _reply(r, "retaliate, no reset", q, c, 0.0))),
            ), "spoil")
            wait: Node = _successor(
                "wait",
                Terminal((v - a, v), "wait, reset"),
                _reply(phi * r - a, "wait, no reset, late reprisal", q, phi * c, 0.0))
            let_go: Node = _successor(
                "let go", Terminal((v - a, v), "let go, reset"),
                Terminal((-a, 0.0), "let go, no reset"))
        else:
            retaliate = _reply(r, "retaliate", q, c, 0.0)
            wait = _reply(phi * r - a, "wait, late reprisal", q, phi * c, 0.0)
            let_go = Terminal((-a, 0.0), "let go")
        target = Move(0, TARGET, (("retaliate", retaliate), ("wait", wait), ("let go", let_go)))
        branches.append((name, float(b[h]), target))
    return Game(PLAYERS, Chance(tuple(branches), "nature: type and freedom"))


@dataclass(frozen=True)
class Equilibrium:
    """The solved game: the target's action, the successor's plan and what they are worth."""

    action: str
    best: tuple[str, ...]  # every optimal action (more than one on a tie)
    values: dict[str, float]  # absolute expected value of each action to the target
    relative: dict[str, float]  # the same less the baseline p V: decision's EU terms
    successor: dict[str, str]  # successor's information set -> its action
    p_reset: float
    solution: Solution


def solve_game(belief: ArrayLike, t: Terms) -> Equilibrium:
    """Solve the game by backward induction for one belief."""
    b = np.asarray(belief, dtype=float)
    sol = solve(build(b, t))
    target = sol.infosets[TARGET]
    baseline = float(b[0]) * t.reset_value
    successor = {name: s.action for name, s in sol.infosets.items() if s.player == 1}
    return Equilibrium(
        target.action, target.best, dict(target.values),
        {k: v - baseline for k, v in target.values.items()}, successor, float(b[0]), sol,
    )


def values_by_hypothesis(t: Terms) -> dict[str, tuple[float, ...]]:
    """The target's value of each action if it knew the hypothesis, from the solved tree.

    Solved once with every hypothesis possible (equal weights), so every branch is on the
    equilibrium path; play below the target's move does not depend on its belief (the
    successor sees what it does), so the value of an action under any belief is the
    belief-weighted sum of these.
    """
    sol = solve(build(np.full(4, 0.25), t))
    nodes = sol.infosets[TARGET].node_values
    return {a: tuple(n[a][0] for n in nodes) for a in ACTIONS}


def threshold(t: Terms) -> float:
    """p*, read off the solved tree: the belief in a reset above which waiting beats
    retaliating now (+inf if none).

    The successor's equilibrium play makes the three hypotheses without a reset worth the
    same to the target, so each action's value is affine in p = P(accommodating and free):
    U(a) = p u_reset(a) + (1 - p) u_none(a). Waiting beats retaliating iff
    p [(u_reset(W) - u_reset(R)) - (u_none(W) - u_none(R))] > u_none(R) - u_none(W).
    """
    u = values_by_hypothesis(t)
    for a in ACTIONS:
        if not np.allclose(u[a][1:], u[a][1], rtol=0, atol=1e-12):
            raise ValueError(f"the value of {a!r} differs across no-reset hypotheses: "
                             "no threshold in p alone")
    gap_none = u["retaliate"][1] - u["wait"][1]  # = N(1 - phi) + A(1-j)
    slope = (u["wait"][0] - u["retaliate"][0]) + gap_none  # = S - N phi
    return gap_none / slope if slope > 0 else float("inf")
