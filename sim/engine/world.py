"""The fixed side of a batch of runs: the scenario's plan, and each run's parameters.

A batch is many runs of one scenario *structure* (the same states, events and policies).
Runs may differ in their seeds and in their behaviour parameters: a sweep over
``behaviour.reset_value`` runs every point side by side as one batch, each run with its
own value. So every behaviour parameter is held as an array over runs, per state
(`World.beh[state][field]`), and the day (`sim.engine.day`) reads it per run.

One parameter shapes the structure itself and must be the same in every run of a batch:
``honeymoon_days``, which decides which administration an observer expects a reset from
(and so which belief it reads). `World` refuses a batch whose runs differ in it; the
batch runner groups such points apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from sim.engine.plan import Plan
from sim.game.params import THREAT_LEVELS, Behaviour
from sim.rules.policies import Policy, make_policy
from sim.scenario.schema import Scenario

# Behaviour fields that change which records exist rather than a number in them: the
# same in every run of a batch.
STRUCTURAL_FIELDS = ("honeymoon_days",)
BEHAVIOUR_FIELDS = tuple(f.name for f in fields(Behaviour))
INTEGER_FIELDS = {f.name for f in fields(Behaviour) if f.type in ("int", int)}


@dataclass
class World:
    """The facts every run of a batch shares, and the parameters each run has."""

    spec: Scenario
    plan: Plan
    n: int
    pairs: list[tuple[str, str]]
    index: dict[tuple[str, str], int]
    by_actor: dict[str, list[int]]
    policies: dict[str, Policy]
    beh: dict[str, dict[str, NDArray]]  # state -> behaviour field -> value per run
    honeymoon: dict[str, int]  # state -> honeymoon_days (structural: one per batch)
    # draw each belief-weighing decision from its quantal response (ensembles, sweeps),
    # rather than take the most likely course (a single run tells the most likely story)
    sample: bool = False

    @classmethod
    def build(cls, spec: Scenario, behaviours: Sequence[Mapping[str, Behaviour]] | None = None,
              n: int = 1, sample: bool = False) -> World:
        """The world of `n` runs; `behaviours`, if given, holds each run's behaviour per
        state (one mapping per run), else every run has the scenario's own."""
        plan = Plan(spec)
        if behaviours is None:
            own = {s: spec.behaviour_of(s) for s in spec.states}
            behaviours = [own]
            repeat = n
        else:
            n = len(behaviours)
            repeat = 1
        beh: dict[str, dict[str, NDArray]] = {}
        honeymoon: dict[str, int] = {}
        for sid in spec.states:
            table: dict[str, NDArray] = {}
            for name in BEHAVIOUR_FIELDS:
                values = [getattr(run[sid], name) for run in behaviours]
                dtype = np.int64 if name in INTEGER_FIELDS else float
                column = np.asarray(values, dtype=dtype)
                table[name] = np.repeat(column, repeat) if repeat > 1 else column
            for name in STRUCTURAL_FIELDS:
                if np.unique(table[name]).size > 1:
                    raise ValueError(f"{name} must be the same in every run of a batch")
            honeymoon[sid] = int(table["honeymoon_days"][0])
            beh[sid] = table
        policies = {}
        for sid, st in spec.states.items():
            pol = st.policy_spec()
            policies[sid] = make_policy(pol.name, **pol.params())
        pairs = plan.pairs
        by_actor: dict[str, list[int]] = defaultdict(list)
        for k, (a, _) in enumerate(pairs):
            by_actor[a].append(k)
        return cls(spec, plan, n, pairs, {p: k for k, p in enumerate(pairs)}, by_actor,
                   policies, beh, honeymoon, sample)

    @cached_property
    def obs_column(self) -> dict[tuple[int, str], int]:
        """(information event, observer) -> its column of misreading draws."""
        return {obs: c for c, obs in enumerate(self.plan.observations)}

    @cached_property
    def info_column(self) -> dict[int, int]:
        """Information event -> its row of strength draws."""
        return {i: c for c, i in enumerate(self.plan.informative)}

    @cached_property
    def deliberation(self) -> NDArray:
        """Days each pair's actor deliberates before deciding, per run: (pairs, runs)."""
        if not self.pairs:
            return np.zeros((0, self.n), dtype=np.int64)
        return np.stack([self.beh[a]["deliberation_days"] for a, _ in self.pairs])

    def threat_costs(self, sid: str) -> NDArray:
        """Audience cost of disowning a standing threat, by threat rank (row) and run:
        row 0 no threat, then spokesman, minister, leader (`params.threat_rank`)."""
        b = self.beh[sid]
        return np.stack([np.zeros(self.n), *(b[f"audience_cost_{level}"]
                                              for level in THREAT_LEVELS)])
