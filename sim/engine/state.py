"""The state of a batch of runs, as arrays over ordered pairs x runs.

Row k of every (pairs, runs) array is the ordered pair ``world.pairs[k] = (a, b)``, seen
from a: a's staff and facilities in b, what a holds unanswered against b (its bank of
retaliation), since when, the standing threat a announced against b. Beliefs are kept
per (pair, administration of b with a prior): one row of ``beliefs`` each, shape
(rows, runs, 4) over the four joint hypotheses of `sim.game.beliefs`.

The Mesa model holds a `State` of one run; its agents read their memory from it (views,
not copies), so there is one state and one set of rules for both drivers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.engine.world import World


@dataclass
class Effect:
    """A measure announced for some runs of pair `pair`, to take effect on a later day."""

    pair: int
    runs: NDArray[np.int64]
    persons: NDArray[np.int64]
    facilities: NDArray[np.int64]
    parity: NDArray[np.bool_]
    owed_persons: NDArray[np.int64]
    owed_facilities: NDArray[np.int64]
    owed_offences: NDArray[np.int64]
    owed_parity: NDArray[np.bool_]  # the answered bank held a cut to parity


@dataclass
class State:
    """Everything that changes during a batch of runs (see the module's docstring)."""

    staff: NDArray[np.int64]
    sites: NDArray[np.int64]
    owed_p: NDArray[np.int64]
    owed_f: NDArray[np.int64]
    offences: NDArray[np.int64]
    parity: NDArray[np.bool_]
    since: NDArray[np.int64]  # day the oldest unanswered offence took effect, -1: none
    last_offence: NDArray[np.int64]  # day of the counterpart's latest offence, -1: none
    threat: NDArray[np.int64]  # rank of the standing threat (params.threat_rank)
    reassured: NDArray[np.bool_]  # per pair: the counterpart asked for channels kept open
    beliefs: NDArray[np.float64]  # (rows, runs, 4)
    belief_row: dict[tuple[int, str], int]
    rngs: list[np.random.Generator]
    perception: NDArray[np.float64]  # (runs, observations): misreading draws
    strength: NDArray[np.float64]  # (runs, informative events, 2): signal strength draws
    # per pair and run, the uniform that places the grievance's decisions within their
    # quantal response (nan until first drawn; cleared when the grievance is settled)
    shock: NDArray[np.float64] = field(default_factory=lambda: np.zeros((0, 0)))
    # per pair and run: the grievance has been waited on (its next decision without a
    # reset in prospect is the close of the wait: an answer, `sim.game.qre` step 2)
    waited: NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    effects: dict[int, list[Effect]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def initial(cls, world: World, rngs: Sequence[np.random.Generator]) -> State:
        """The state on the morning of the first day, and the draws made up front.

        Each run's generator first gives one uniform per (information event, observer) for
        misreading, then two per information event for its strength: the order in which
        `Model(rng=seed)` always drew them, so seeds keep their meaning.
        """
        spec, plan, n = world.spec, world.plan, world.n
        p = len(world.pairs)

        def per_pair(values: list[int]) -> NDArray[np.int64]:
            return np.repeat(np.asarray(values, dtype=np.int64).reshape(p, 1), n, axis=1)

        staff = per_pair([spec.states[a].missions.get(b, 0) for a, b in world.pairs])
        sites = per_pair([spec.states[a].facilities.get(b, 0) for a, b in world.pairs])
        belief_row: dict[tuple[int, str], int] = {}
        rows: list[NDArray[np.float64]] = []
        for k, (_, b) in enumerate(world.pairs):
            for key, _adm in plan.with_prior[b]:
                belief_row[(k, key)] = len(rows)
                rows.append(world.judgements.priors[(b, key)])  # (runs, 4): each run's own
        held = np.stack(rows) if rows else np.zeros((0, n, 4))
        n_obs, n_info = len(plan.observations), len(plan.informative)
        draws = np.array([g.random(n_obs + 2 * n_info) for g in rngs]).reshape(
            n, n_obs + 2 * n_info)
        zeros = np.zeros((p, n), dtype=np.int64)
        return cls(
            staff=staff, sites=sites, owed_p=zeros.copy(), owed_f=zeros.copy(),
            offences=zeros.copy(), parity=np.zeros((p, n), dtype=bool),
            since=np.full((p, n), -1, dtype=np.int64),
            last_offence=np.full((p, n), -1, dtype=np.int64), threat=zeros.copy(),
            reassured=np.zeros(p, dtype=bool), beliefs=held, belief_row=belief_row,
            rngs=list(rngs), perception=draws[:, :n_obs],
            strength=draws[:, n_obs:].reshape(n, n_info, 2),
            shock=np.full((p, n), np.nan), waited=np.zeros((p, n), dtype=bool),
        )

    def draw(self, runs: NDArray[np.int64]) -> NDArray[np.float64]:
        """One uniform from each listed run's own generator, in the order listed."""
        return np.array([self.rngs[r].random() for r in runs], dtype=float)
