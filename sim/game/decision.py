"""Retaliate now, wait, or let it go: expected utilities and the waiting threshold.

A state holding a grievance against a counterpart whose incoming administration may
deliver a reset (probability p) compares three courses, each measured against the
baseline of doing nothing and receiving the reset with probability p:

    EU(retaliate) = N - p S
        it gets the reprisal's net value now, and spoils the reset where one was coming;
    EU(wait)      = (1 - p) phi N - A(1-j)
        if no reset comes, it retaliates later, worth phi of the value now; meanwhile it
        pays the audience cost of an announced threat it did not carry out;
    EU(let go)    = - A(1-j)
        it gives the grievance up for good.

Waiting beats retaliating when p (S - N phi) > N (1 - phi) + A(1-j), that is, when S > N phi,
exactly when p exceeds the threshold

    p* = (N (1 - phi) + A(1-j)) / (S - N phi).

When S <= N phi no belief makes waiting worth it (p* = +inf). Waiting beats letting go
whenever N > 0. The choice is the argmax, ties going to the earlier of
(retaliate, wait, let go): `wait_threshold` and `choose` therefore agree exactly, waiting
iff p > p*.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.game import payoffs

Number = float | NDArray[np.float64]


class Choice(IntEnum):
    """A state's daily choice about a grievance it holds."""

    RETALIATE = 0
    WAIT = 1
    LET_GO = 2

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")


def expected_utilities(
    p_reset: ArrayLike,
    net_value: ArrayLike,
    spoil: ArrayLike,
    continuation: ArrayLike,
    audience: ArrayLike,
) -> tuple[Number, Number, Number]:
    """(EU retaliate, EU wait, EU let go), relative to doing nothing. See module docstring."""
    p = np.asarray(p_reset, dtype=float)
    n = np.asarray(net_value, dtype=float)
    s = np.asarray(spoil, dtype=float)
    phi = np.asarray(continuation, dtype=float)
    a = np.asarray(audience, dtype=float)
    eu_retaliate = n - p * s
    eu_wait = (1.0 - p) * phi * n - a
    eu_let_go = -a + np.zeros_like(eu_retaliate)
    return eu_retaliate, eu_wait, eu_let_go


def wait_threshold(
    net_value: ArrayLike, spoil: ArrayLike, continuation: ArrayLike, audience: ArrayLike
) -> Number:
    """p*: the belief in a reset above which waiting beats retaliating now (+inf: never)."""
    n = np.asarray(net_value, dtype=float)
    s = np.asarray(spoil, dtype=float)
    phi = np.asarray(continuation, dtype=float)
    a = np.asarray(audience, dtype=float)
    denominator = s - n * phi
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        p_star = (n * (1.0 - phi) + a) / denominator
    return np.where(denominator > 0, p_star, np.inf)


def choose(eu_retaliate: ArrayLike, eu_wait: ArrayLike, eu_let_go: ArrayLike) -> NDArray[np.int64]:
    """The argmax of the three utilities (ties to the earlier course), as `Choice` codes."""
    stacked = np.stack(np.broadcast_arrays(eu_retaliate, eu_wait, eu_let_go), axis=-1)
    return np.argmax(stacked, axis=-1)


class Assessment(NamedTuple):
    """Every term of one decision, so that a decision can always say why."""

    p_reset: Number
    net_value: Number
    spoil: Number
    continuation: Number
    audience: Number
    eu_retaliate: Number
    eu_wait: Number
    eu_let_go: Number
    threshold: Number
    choice: NDArray[np.int64]


def assess(
    *,
    p_reset: ArrayLike,
    reciprocity_value: ArrayLike,
    reply_probability: ArrayLike,
    cost_of_reply: ArrayLike,
    reset_value: ArrayLike,
    spoil_share: ArrayLike,
    daily_discount: ArrayLike,
    days_to_resolution: ArrayLike,
    late_loss: ArrayLike,
    threat_cost: ArrayLike,
    excuse_share: ArrayLike,
) -> Assessment:
    """Compose the payoff terms into utilities, threshold and choice (arrays broadcast).

    With no reset in prospect, pass reset_value = 0, days_to_resolution = 0 and
    excuse_share = 0: waiting then only loses value and retaliating wins whenever N > 0.
    """
    n = payoffs.net_retaliation_value(reciprocity_value, reply_probability, cost_of_reply)
    s = payoffs.spoiling_cost(reset_value, spoil_share)
    phi = payoffs.continuation_share(daily_discount, days_to_resolution, late_loss)
    a = payoffs.audience_cost(threat_cost, excuse_share)
    eu_r, eu_w, eu_l = expected_utilities(p_reset, n, s, phi, a)
    return Assessment(
        np.asarray(p_reset, dtype=float), n, s, phi, a, eu_r, eu_w, eu_l,
        wait_threshold(n, s, phi, a), choose(eu_r, eu_w, eu_l),
    )
