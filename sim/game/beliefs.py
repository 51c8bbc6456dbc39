"""Beliefs about the other side's administration, updated by Bayes' rule.

A state that has been wronged by an outgoing government asks one question of its
successor: *will it deliver a reset?* That takes two things: the successor must want one
(its **type**, accommodating or hawkish) and must be able to act (its **freedom**, free or
bound, for example by a legislature). The belief is a probability vector over the four
joint hypotheses, in the order of `HYPOTHESES`:

    index 0: accommodating & free      <- the only cell in which a reset happens
    index 1: accommodating & bound
    index 2: hawkish & free
    index 3: hawkish & bound

A signal is evidence with a likelihood under each hypothesis. Signals about type give a
likelihood per type, signals about freedom a likelihood per freedom; `update` multiplies
and renormalises. Keeping the joint vector (rather than two marginals) keeps the update
exact when evidence bears on the joint cell, as "no reset yet" does.

All functions broadcast over leading axes: a belief may be shape (4,) or (..., 4).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

HYPOTHESES: tuple[str, ...] = (
    "accommodating/free",
    "accommodating/bound",
    "hawkish/free",
    "hawkish/bound",
)
TYPES: tuple[str, str] = ("accommodating", "hawkish")
FREEDOMS: tuple[str, str] = ("free", "bound")

Belief = NDArray[np.float64]


def prior(p_accommodating: ArrayLike, p_free: ArrayLike) -> Belief:
    """Joint prior from independent marginals: P(type = accommodating), P(free)."""
    a = np.asarray(p_accommodating, dtype=np.float64)[..., None]
    f = np.asarray(p_free, dtype=np.float64)[..., None]
    return np.concatenate([a * f, a * (1 - f), (1 - a) * f, (1 - a) * (1 - f)], axis=-1)


def type_likelihood(if_accommodating: ArrayLike, if_hawkish: ArrayLike) -> NDArray[np.float64]:
    """Likelihood vector of a signal that bears on type only."""
    a = np.asarray(if_accommodating, dtype=np.float64)[..., None]
    h = np.asarray(if_hawkish, dtype=np.float64)[..., None]
    return np.concatenate([a, a, h, h], axis=-1)


def freedom_likelihood(if_free: ArrayLike, if_bound: ArrayLike) -> NDArray[np.float64]:
    """Likelihood vector of a signal that bears on freedom only."""
    f = np.asarray(if_free, dtype=np.float64)[..., None]
    b = np.asarray(if_bound, dtype=np.float64)[..., None]
    return np.concatenate([f, b, f, b], axis=-1)


# What a binding law does to a belief (`bind`): the free hypotheses are ruled out.
BINDING: NDArray[np.float64] = freedom_likelihood(0.0, 1.0)


def no_reset_likelihood(hazard: ArrayLike) -> NDArray[np.float64]:
    """Likelihood of a day passing without a reset.

    An accommodating, free administration in office shows a reset on any given day with
    probability `hazard`; under every other hypothesis a reset never comes. So a quiet
    day is evidence (weak when the hazard is small) against the reset cell.
    """
    h = np.asarray(hazard, dtype=np.float64)[..., None]
    one = np.ones_like(h)
    return np.concatenate([1 - h, one, one, one], axis=-1)


def bind(belief: ArrayLike) -> Belief:
    """The belief once a law has bound the administration: no mass left where it is free.

    A law passed over any veto (`Legislation.veto_proof`) takes from the executive the
    freedom to undo it, so the free hypotheses (indices 0 and 2) are ruled out as a fact,
    not weighed as evidence of some strength: the belief is conditioned on "bound",
    b'(h) = b(h) [h bound] / P(bound), which keeps the odds of the types among the bound
    hypotheses. Raises ValueError if the belief held freedom for certain (the scenario
    checks refuse that beforehand).
    """
    return update(belief, BINDING)


def misread(likelihood: ArrayLike) -> NDArray[np.float64]:
    """The likelihood an observer applies when it misreads a signal: the two readings swap.

    A type signal read backwards supports hawkish where it supported accommodating, and
    the same for freedom. Used for perception noise.
    """
    lk = np.asarray(likelihood, dtype=np.float64)
    return lk[..., [2, 3, 0, 1]] if _is_type_signal(lk) else lk[..., [1, 0, 3, 2]]


def _is_type_signal(lk: NDArray[np.float64]) -> bool:
    return bool(np.all(lk[..., 0] == lk[..., 1]) and np.all(lk[..., 2] == lk[..., 3]))


def update(belief: ArrayLike, likelihood: ArrayLike) -> Belief:
    """Bayes' rule: posterior proportional to prior times likelihood.

    Raises ValueError when the evidence is impossible under every hypothesis the observer
    still entertains (the posterior would be undefined).
    """
    post = np.asarray(belief, dtype=np.float64) * np.asarray(likelihood, dtype=np.float64)
    total = post.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ValueError("evidence has zero likelihood under every hypothesis held")
    return post / total


def reset_probability(belief: ArrayLike) -> NDArray[np.float64] | float:
    """p: probability that the administration is accommodating and free to act."""
    return np.asarray(belief, dtype=np.float64)[..., 0]


def accommodating_probability(belief: ArrayLike) -> NDArray[np.float64] | float:
    """Marginal probability that the administration is accommodating."""
    b = np.asarray(belief, dtype=np.float64)
    return b[..., 0] + b[..., 1]


def free_probability(belief: ArrayLike) -> NDArray[np.float64] | float:
    """Marginal probability that the administration is free to act."""
    b = np.asarray(belief, dtype=np.float64)
    return b[..., 0] + b[..., 2]


def perturbed(
    likelihood: ArrayLike, uncertainty: ArrayLike, draws: ArrayLike
) -> NDArray[np.float64]:
    """A signal's likelihoods drawn within their stated uncertainty.

    Each of the two readings moves by (2u - 1) * uncertainty for a uniform draw u, and is
    kept within [0.001, 1]: an analyst unsure how telling a signal was lets its strength
    vary across replicates. `draws` holds two uniforms: for the first reading (accommodating
    or free) and the second (hawkish or bound).
    """
    lk = np.asarray(likelihood, dtype=np.float64)
    u = np.asarray(draws, dtype=np.float64)
    spread = np.asarray(uncertainty, dtype=np.float64)
    shift = (2.0 * u - 1.0) * spread[..., None]
    if _is_type_signal(lk):
        first, second = lk[..., 0] + shift[..., 0], lk[..., 2] + shift[..., 1]
        moved = type_likelihood(np.clip(first, 0.001, 1.0), np.clip(second, 0.001, 1.0))
    else:
        first, second = lk[..., 0] + shift[..., 0], lk[..., 1] + shift[..., 1]
        moved = freedom_likelihood(np.clip(first, 0.001, 1.0), np.clip(second, 0.001, 1.0))
    return np.where(spread[..., None] > 0, moved, lk)  # no uncertainty: exactly as stated
