"""The ecological tournament: population shares that evolve by payoff.

Axelrod (1984, ch. 2) asked which rules would thrive if each rule's share of the
population grew with its score against the population as it then was: a rule that
does well only against rules that die out dies out with them. The Axelrod library's
`Ecosystem` does this with the tournament's matrix of mean payoffs. Here the same
discrete replicator dynamics (docs/model.md section 14):

    f_i(t)   = sum_j M_ij x_j(t) - min(M) + 1        (fitness, at least 1)
    x_i(t+1) = x_i(t) f_i(t) / sum_k x_k(t) f_k(t)

M_ij is policy i's mean payoff against policy j (both seats), x(0) equal shares.
Payoffs here can be negative, so fitness is shifted to make the worst payoff in the
matrix worth 1 (one unit of R above nothing). The shift sets how fast shares move, not
where they go: the rest points and the order in which policies die out are those of the
continuous replicator equation. Unlike the library's `Ecosystem`, payoffs are not
resampled each generation: the dynamics are deterministic given the matrix.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def replicator(matrix: ArrayLike, generations: int,
               start: ArrayLike | None = None) -> NDArray[np.float64]:
    """Shares of each policy over `generations` steps: rows 0..generations, each sums to 1.

    `matrix` is square (row policy's mean payoff against the column policy) and finite;
    `start` defaults to equal shares.
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise ValueError("the payoff matrix must be square and non-empty")
    if not np.isfinite(m).all():
        raise ValueError("the payoff matrix must be finite")
    if generations < 0:
        raise ValueError("generations cannot be negative")
    n = m.shape[0]
    x = np.full(n, 1.0 / n) if start is None else np.asarray(start, dtype=float)
    if x.shape != (n,) or (x < 0).any() or x.sum() <= 0:
        raise ValueError("start must hold one non-negative share per policy")
    x = x / x.sum()
    shifted = m - m.min() + 1.0  # every fitness >= 1 > 0
    out = np.empty((generations + 1, n))
    out[0] = x
    for t in range(1, generations + 1):
        grown = x * (shifted @ x)
        x = grown / grown.sum()
        out[t] = x
    return out
