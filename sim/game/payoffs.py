"""The payoff terms of the retaliation game, each a small function.

Utilities are measured in units of R, the value to a state of answering a grievance in
full (the reciprocity norm kept). Every other term is a cost or value relative to R:

- reply cost C: what the counterpart's answer to my retaliation is expected to cost me.
  It grows with the counterpart's power relative to mine and with my dependence on it;
- net value N = R - q C of retaliating, where q is the chance that the counterpart replies;
- spoiling cost S = Delta V: retaliating now destroys a share Delta of an expected reset
  worth V with an incoming administration;
- continuation share phi = delta^W (1 - rho): what a reprisal kept in the bank for W days
  is still worth, after discounting and the loss rho from answering late;
- audience cost A (1 - j): the price of visibly not carrying out an announced threat,
  higher for a leader's own threat than a spokesman's, partly excused (share j) when new
  information, a pending transition, justifies the change.

`docs/model.md` puts these together; `decision` turns them into choices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Number = float | NDArray[np.float64]


def reply_cost(
    base: ArrayLike,
    power_self: ArrayLike,
    power_other: ArrayLike,
    elasticity: ArrayLike,
    dependence: ArrayLike = 0.0,
    dependence_weight: ArrayLike = 0.0,
) -> Number:
    """C = c (P_other / P_self)^eta (1 + w d).

    Between equals with no dependence C equals the base cost c. A weak state facing a
    strong one, or one that depends on it (trade, aid, energy), expects its reprisal to be
    answered at a higher price.
    """
    ratio = np.asarray(power_other, dtype=np.float64) / np.asarray(power_self, dtype=np.float64)
    return (
        np.asarray(base, dtype=np.float64)
        * ratio ** np.asarray(elasticity, dtype=np.float64)
        * (1.0 + np.asarray(dependence_weight, dtype=np.float64)
           * np.asarray(dependence, dtype=np.float64))
    )


def net_retaliation_value(
    reciprocity_value: ArrayLike, reply_probability: ArrayLike, cost_of_reply: ArrayLike
) -> Number:
    """N = R - q C: what retaliating is worth once the expected reply is paid for."""
    return np.asarray(reciprocity_value, dtype=np.float64) - np.asarray(
        reply_probability, dtype=np.float64
    ) * np.asarray(cost_of_reply, dtype=np.float64)


def spoiling_cost(reset_value: ArrayLike, spoil_share: ArrayLike) -> Number:
    """S = Delta V: the expected reset value that retaliating now would destroy, given one."""
    return np.asarray(reset_value, dtype=np.float64) * np.asarray(spoil_share, dtype=np.float64)


def continuation_share(daily_discount: ArrayLike, days: ArrayLike, late_loss: ArrayLike) -> Number:
    """phi = delta^W (1 - rho): the share of a reprisal's value left after banking it W days."""
    return np.asarray(daily_discount, dtype=np.float64) ** np.asarray(days, dtype=np.float64) * (
        1.0 - np.asarray(late_loss, dtype=np.float64)
    )


def audience_cost(threat_cost: ArrayLike, excuse_share: ArrayLike) -> Number:
    """A (1 - j): the cost of not carrying out an announced threat, net of the excused share."""
    return np.asarray(threat_cost, dtype=np.float64) * (
        1.0 - np.asarray(excuse_share, dtype=np.float64))
