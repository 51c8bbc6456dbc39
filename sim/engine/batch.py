"""The batch engine: many runs of one scenario at once, as numpy arrays.

It steps through the same day (`sim.engine.day.step`) as the Mesa model, on a `State`
with one column per run, and keeps only what ensembles and sweeps need: every measure
taken (date, actor, target, action, staff, facilities, what was owed) and the main
dyad's first decision. Each run has its own generator, seeded as `Model(rng=seed)`
seeds Mesa's, so seed for seed it gives the runs of the Mesa model (tests/test_batch.py
checks it run by run).

Runs may also differ in their behaviour parameters (`behaviours`): a sweep's points run
side by side as one batch (`sim.engine.world`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sim.engine import day as rules_of_the_day
from sim.engine.day import Announcement, Decisions, Evaluation
from sim.engine.plan import Plan
from sim.engine.state import State
from sim.engine.world import World
from sim.game.decision import Choice
from sim.game.params import Behaviour
from sim.scenario import LoadedScenario
from sim.scenario.schema import Scenario, Statement

ACTION_COLUMNS = ["run", "seed", "date", "actor", "target", "action", "persons", "facilities",
                  "source", "owed_persons", "owed_facilities"]


class _ActionLog:
    """The batch engine's recorder: measures, and the main dyad's first decision per run."""

    detailed = False

    def __init__(self, n: int, main: int | None) -> None:
        self.blocks: list[Announcement] = []
        self.main = main
        self.first = np.full(n, -1, dtype=np.int64)

    def announced(self, a: Announcement) -> None:
        self.blocks.append(a)

    def decided(self, d: Decisions) -> None:
        if d.pair == self.main:
            runs = d.evaluation.runs
            fresh = self.first[runs] < 0
            self.first[runs[fresh]] = d.choice[fresh]

    def evaluated(self, pair: int, e: Evaluation | None) -> None:
        """Not kept: only a single run's records show every day's evaluation."""

    def informed(self, row: dict[str, Any]) -> None:
        """Not kept."""

    def stated(self, ev: Statement) -> None:
        """Not kept."""


class BatchEngine:
    """Runs of one scenario for the given seeds; `run()` returns every measure taken.

    `behaviours`, if given, holds each run's behaviour per state (one mapping per seed);
    otherwise every run has the scenario's own. `variants`, if given, holds one scenario
    per seed whose judgement inputs (priors, freedom, likelihoods, uncertainty) that run
    takes (`sim.engine.world.Judgements`); otherwise every run has the scenario's own.
    With `sample` (the default: the engine is for ensembles) each decision weighed by
    utilities is drawn from its quantal response; without, every run follows the most
    likely course.
    """

    def __init__(self, scenario: LoadedScenario | Scenario, seeds: Sequence[int],
                 behaviours: Sequence[Mapping[str, Behaviour]] | None = None,
                 variants: Sequence[Scenario] | None = None, sample: bool = True) -> None:
        spec = scenario.spec if isinstance(scenario, LoadedScenario) else scenario
        self.spec = spec
        self.seeds = np.asarray([int(s) for s in seeds], dtype=np.int64)
        if behaviours is not None and len(behaviours) != len(self.seeds):
            raise ValueError("one behaviour mapping per seed")
        if variants is not None and len(variants) != len(self.seeds):
            raise ValueError("one scenario variant per seed")
        self.world = World.build(spec, behaviours, n=len(self.seeds), variants=variants,
                                 sample=sample)
        self.plan: Plan = self.world.plan
        self.state = State.initial(self.world,
                                   [np.random.default_rng(int(s)) for s in self.seeds])
        self.log = _ActionLog(len(self.seeds), self.world.index.get(self.plan.main_dyad))

    def run(self) -> pd.DataFrame:
        """Step every run from the start to the end; every measure taken, as a frame."""
        for day in range(self.plan.days):
            rules_of_the_day.step(self.world, self.state, self.log, day)
        return self.frame()

    def first_choices(self) -> list[str | None]:
        """Per run, the main dyad's first choice as `outcomes.first_choice` names it."""
        return [Choice(int(c)).label if c >= 0 else None for c in self.log.first]

    def frame(self) -> pd.DataFrame:
        """Every measure of every run, ordered by run then as taken."""
        blocks = self.log.blocks
        if not blocks:
            return pd.DataFrame(columns=ACTION_COLUMNS)
        sizes = [b.runs.size for b in blocks]
        run = np.concatenate([b.runs for b in blocks])
        columns: dict[str, object] = {"run": run, "seed": self.seeds[run]}
        columns["date"] = np.repeat(
            [(self.spec.start + dt.timedelta(days=b.day)).isoformat() for b in blocks], sizes)
        columns["actor"] = np.repeat([self.world.pairs[b.pair][0] for b in blocks], sizes)
        columns["target"] = np.repeat([self.world.pairs[b.pair][1] for b in blocks], sizes)
        columns["source"] = np.repeat([b.source for b in blocks], sizes)
        columns["action"] = np.concatenate([b.action for b in blocks])
        columns["persons"] = np.concatenate([b.persons for b in blocks])
        columns["facilities"] = np.concatenate([b.facilities for b in blocks])
        columns["owed_persons"] = np.concatenate([b.owed_persons for b in blocks])
        columns["owed_facilities"] = np.concatenate([b.owed_facilities for b in blocks])
        frame = pd.DataFrame(columns)[ACTION_COLUMNS]
        for key in ("run", "seed", "persons", "facilities", "owed_persons", "owed_facilities"):
            frame[key] = frame[key].astype(np.int64)
        frame = frame.astype({k: object for k in ("date", "actor", "target", "action",
                                                  "source")})
        return frame.sort_values(["run"], kind="stable").reset_index(drop=True)
