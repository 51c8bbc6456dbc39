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

Runs may also differ in the scenario's *judgement inputs* (`Judgements`): each
administration's prior and freedom, each signal's and each piece of legislation's
likelihoods and uncertainty. These are numbers the analyst judged, not facts that shape
the structure, so a study that perturbs them (the flip search,
`sim.experiments.flips`) runs its points side by side too: `World.build(...,
variants=...)` takes one scenario per run, each the same but for those numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from sim.engine.circumstances import PairFacts, pair_facts
from sim.engine.plan import Plan
from sim.game import beliefs
from sim.game.context import SEVERITY_FIELDS
from sim.game.params import THREAT_LEVELS, Behaviour
from sim.rules.policies import Policy, make_policy
from sim.scenario.schema import Expel, Legislation, Scenario, Signal

# Behaviour fields that change which records exist rather than a number in them: the
# same in every run of a batch.
# [format] and the severities of staff-free instruments, which size the moves the plan
# hands the day (`Plan.weighed`)
STRUCTURAL_FIELDS = ("honeymoon_days", *SEVERITY_FIELDS)
BEHAVIOUR_FIELDS = tuple(f.name for f in fields(Behaviour))
INTEGER_FIELDS = {f.name for f in fields(Behaviour) if f.type in ("int", int)}


@dataclass(frozen=True)
class Judgements:
    """The judgement inputs of a scenario, per run (see the module's docstring).

    `priors`: (state, administration) -> the joint prior over the four hypotheses of
    `sim.game.beliefs`, shape (runs, 4); `likelihoods`: information event index -> its
    likelihood vector, shape (runs, 4) (ones where a binding law states none, which it
    does not need: `sim.engine.day.observe`); `uncertainty`: event index -> (runs,).
    """

    priors: dict[tuple[str, str], NDArray[np.float64]]
    likelihoods: dict[int, NDArray[np.float64]]
    uncertainty: dict[int, NDArray[np.float64]]

    @classmethod
    def of(cls, specs: Sequence[Scenario], repeat: int = 1) -> Judgements:
        """Each run's judgements from its scenario (one per run, or one repeated)."""
        first = specs[0]
        priors: dict[tuple[str, str], NDArray[np.float64]] = {}
        for sid, st in first.states.items():
            for key, adm in st.administrations.items():
                if adm.prior is None:
                    continue
                rows = []
                for spec in specs:
                    own = spec.states[sid].administrations[key]
                    assert own.prior is not None
                    rows.append(beliefs.prior(own.prior.accommodating, own.freedom))
                priors[(sid, key)] = np.repeat(np.asarray(rows), repeat, axis=0)
        likelihoods: dict[int, NDArray[np.float64]] = {}
        uncertainty: dict[int, NDArray[np.float64]] = {}
        for i, ev in enumerate(first.events):
            if not isinstance(ev, Signal | Legislation):
                continue
            runs = [_information(spec.events[i]) for spec in specs]
            likelihoods[i] = np.repeat(np.asarray([_vector(e) for e in runs]), repeat, axis=0)
            uncertainty[i] = np.repeat(np.asarray([e.uncertainty for e in runs], dtype=float),
                                       repeat)
        return cls(priors, likelihoods, uncertainty)


def _information(ev: object) -> Signal | Legislation:
    if not isinstance(ev, Signal | Legislation):
        raise ValueError("variants of a batch may differ only in their judgements")
    return ev


def _vector(ev: Signal | Legislation) -> NDArray[np.float64]:
    """A signal's or a law's likelihood over the four hypotheses (ones if it states none)."""
    lk = ev.likelihood
    if "accommodating" in lk:
        return beliefs.type_likelihood(lk["accommodating"], lk["hawkish"])
    if "free" in lk:
        return beliefs.freedom_likelihood(lk["free"], lk["bound"])
    return np.ones(4)


def same_structure(spec: Scenario, variant: Scenario) -> bool:
    """Whether `variant` can run in a batch with `spec`: the same states, administrations
    with priors, and events of the same types on the same dates (only judgements differ)."""
    if spec.states.keys() != variant.states.keys() or len(spec.events) != len(variant.events):
        return False
    for sid, st in spec.states.items():
        mine = {k for k, a in st.administrations.items() if a.prior is not None}
        theirs = {k for k, a in variant.states[sid].administrations.items()
                  if a.prior is not None}
        if mine != theirs:
            return False
    return all(type(a) is type(b) and a.date == b.date
               for a, b in zip(spec.events, variant.events, strict=True))


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
    judgements: Judgements  # priors, likelihoods, uncertainty per run
    # draw each belief-weighing decision from its quantal response (ensembles, sweeps),
    # rather than take the most likely course (a single run tells the most likely story)
    sample: bool = False

    @classmethod
    def build(cls, spec: Scenario, behaviours: Sequence[Mapping[str, Behaviour]] | None = None,
              n: int = 1, variants: Sequence[Scenario] | None = None,
              sample: bool = False) -> World:
        """The world of `n` runs; `behaviours`, if given, holds each run's behaviour per
        state (one mapping per run), else every run has the scenario's own; `variants`, if
        given, one scenario per run whose judgement inputs that run takes (the same
        structure as `spec`, `same_structure`), else every run has `spec`'s."""
        plan = Plan(spec)
        if variants is not None:
            if behaviours is not None and len(behaviours) != len(variants):
                raise ValueError("one behaviour mapping per variant")
            if not all(same_structure(spec, v) for v in variants):
                raise ValueError("variants of a batch may differ only in their judgements")
            n = len(variants)
            judgements = Judgements.of(variants)
        else:
            judgements = Judgements.of([spec], repeat=n if behaviours is None
                                       else len(behaviours))
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
        # [format] the plan weighs staff-free moves with the runs' severities
        plan.severity = {sid: {f: float(beh[sid][f][0]) for f in SEVERITY_FIELDS}
                         for sid in beh}
        policies = {}
        for sid, st in spec.states.items():
            pol = st.policy_spec()
            policies[sid] = make_policy(pol.name, **pol.params())
        pairs = plan.pairs
        by_actor: dict[str, list[int]] = defaultdict(list)
        for k, (a, _) in enumerate(pairs):
            by_actor[a].append(k)
        return cls(spec, plan, n, pairs, {p: k for k, p in enumerate(pairs)}, by_actor,
                   policies, beh, honeymoon, judgements, sample)

    # [format] the circumstances of each pair's moves, found once (sim.engine.circumstances)
    @cached_property
    def circumstances(self) -> list[PairFacts]:
        return pair_facts(self.spec, self.pairs)

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

    @cached_property
    def opening(self) -> dict[int, tuple[int, int]]:
        """Pair -> (staff, sites) of the scenario's first expulsion between its two states
        (either way): the size against which the exchange game measures what a measure
        costs its target (`sim.game.qre`: C is the cost of a measure as big as the opening
        one). The same for both directions, so each side weighs the other's answers on
        the same scale, and a counterpart's expected answer is the one it then gives."""
        first: dict[frozenset[str], tuple[int, int]] = {}
        for ev in sorted((e for e in self.spec.events if isinstance(e, Expel)),
                         key=lambda e: e.date):
            first.setdefault(frozenset((ev.actor, ev.target)), (ev.persons, ev.facilities))
        return {k: first[frozenset(p)] for k, p in enumerate(self.pairs)
                if frozenset(p) in first}

    @cached_property
    def threat_costs(self) -> dict[str, NDArray]:
        """Per state, the audience cost of disowning a standing threat, by threat rank
        (row) and run: row 0 no threat, then spokesman, minister, leader
        (`params.threat_rank`). Built once: the day reads it for every evaluation."""
        return {sid: np.stack([np.zeros(self.n), *(b[f"audience_cost_{level}"]
                                                  for level in THREAT_LEVELS)])
                for sid, b in self.beh.items()}
