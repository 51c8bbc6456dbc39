"""A decision map: a state's first response over a plane of prior belief and audience cost.

Why a map: a single run says what the model does at one point; a researcher asks how far
that point is from a different outcome. Along an episode, a waiting state's decisions
differ from one prior to another only through its belief, and the belief from any prior
is the same evidence applied to a different starting point: Bayes' rule multiplies the
prior by the likelihood of everything seen so far. So one traced run (`sim.analysis.decision_map`
records, for each decision day, that cumulative likelihood and the payoff terms the agent
used) is enough to replay the decision for every prior at once, exactly, with
`decision.expected_utilities` and `decision.choose`.

The audience-cost axis sets the cost A of the threat standing at the first decision; it
is paid, net of the excused share, on that day only (a first wait disowns it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.game import beliefs, payoffs
from sim.game.decision import Choice, choose, expected_utilities


class Outcome(IntEnum):
    """A state's first response over an episode."""

    WAITS = 0  # no response before the episode ends
    IN_KIND = 1
    PARITY = 2
    LETS_GO = 3
    OTHER = 4  # a measure sized by another rule (proportional, token, escalation)

    @property
    def label(self) -> str:
        return {0: "waits throughout", 1: "retaliates in kind", 2: "caps to parity",
                3: "lets go", 4: "other measure"}[int(self)]


@dataclass(frozen=True)
class DecisionDays:
    """What a target faced on each decision day of an episode, prior aside.

    `likelihood[d]` is the cumulative likelihood of the evidence seen before day d under
    each hypothesis (any positive scale); the other arrays hold the day's payoff terms;
    `audience[0]` is replaced by the map's audience axis.
    """

    likelihood: NDArray[np.float64]  # (D, 4)
    net_value: NDArray[np.float64]  # (D,)
    spoil: NDArray[np.float64]
    continuation: NDArray[np.float64]
    audience: NDArray[np.float64]
    outcome_if_acting: NDArray[np.int64]  # Outcome of retaliating that day (by its size)
    excuse_first_day: float  # j on the first decision day
    must_let_go: NDArray[np.bool_] | None = None  # days with nothing left to answer

    def __post_init__(self) -> None:
        d = len(self.net_value)
        if d == 0 or self.likelihood.shape != (d, 4):
            raise ValueError("need at least one decision day and a 4-column likelihood per day")


@dataclass(frozen=True)
class DecisionMap:
    prior_accommodating: NDArray[np.float64]  # x axis
    threat_cost: NDArray[np.float64]  # y axis
    outcome: NDArray[np.int64]  # (len(y), len(x)) Outcome codes
    day: NDArray[np.int64]  # decision-day index of the first response (-1: none)


def decision_map(days: DecisionDays, prior_accommodating: ArrayLike, freedom: float,
                 threat_cost: ArrayLike) -> DecisionMap:
    """The first response for every (prior, threat cost) pair of the grid."""
    x = np.asarray(prior_accommodating, dtype=float)
    y = np.asarray(threat_cost, dtype=float)
    prior = beliefs.prior(x, freedom)[None, :, :]  # (1, X, 4)
    outcome = np.full((len(y), len(x)), Outcome.WAITS, dtype=np.int64)
    first = np.full(outcome.shape, -1, dtype=np.int64)
    pending = np.ones(outcome.shape, dtype=bool)
    first_day_cost = np.asarray(payoffs.audience_cost(y, days.excuse_first_day))[:, None]  # (Y, 1)
    for d in range(len(days.net_value)):
        weighted = prior * days.likelihood[d]
        total = weighted.sum(axis=-1)
        p = np.divide(weighted[..., 0], total, out=np.zeros_like(total), where=total > 0)
        audience = first_day_cost if d == 0 else days.audience[d]
        choice = choose(*expected_utilities(p, days.net_value[d], days.spoil[d],
                                            days.continuation[d], audience))
        choice = np.broadcast_to(choice, outcome.shape)
        if days.must_let_go is not None and days.must_let_go[d]:
            choice = np.full(outcome.shape, Choice.LET_GO)  # the agent's rule: empty measure
        acts = pending & (choice != Choice.WAIT)
        outcome[acts & (choice == Choice.LET_GO)] = Outcome.LETS_GO
        outcome[acts & (choice == Choice.RETALIATE)] = days.outcome_if_acting[d]
        first[acts] = d
        pending &= ~acts
        if not pending.any():
            break
    return DecisionMap(x, y, outcome, first)
