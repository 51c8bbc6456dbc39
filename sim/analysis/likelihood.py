"""The model's probability of each recorded first response, read from the engine itself.

For the maximum-likelihood fit (`sim.analysis.estimation`) the model must give, for every
row of the first-response data set (docs/data.md) and for many parameter vectors at once,
a distribution over the four categories (none, smaller, same, larger) and the probability
of an answer within `WITHIN_DAYS` days. Sampling runs (`sim.analysis.probabilities`) would
make the likelihood noisy and its finite-difference gradient useless, so here it is read
from the quantal response directly:

1. each usable row becomes its scenario (`sim.scenario.from_data.scenario_of`), loaded
   and planned once (`Prepared`, cached per data file);
2. for a matrix of parameter vectors (one run per vector) the row's world is the cached
   one with each run's behaviour arrays replaced, and the batch engine's own day
   (`sim.engine.day.step`) is stepped most-likely (`sample=False`), with no second copy
   of any rule;
3. a `Recorder` keeps the target's first decision on the initiating move (decisions held
   for a wave are not choices and are skipped), and stepping stops once every run has
   one;
4. `first_response_distribution` turns that decision's `Evaluation` into the category
   distribution (the one place that mapping is written), and the probability of
   answering within 3 days is the probability of retaliating if that decision falls
   within 3 days of the move, else 0;
5. the target's `tremble` share is spread evenly over the four categories
   (`sim.game.sizes.trembled`: none at the defaults, estimated by the fit).

A run that never decides (nothing banked) answers nothing: "none" with certainty.
Rows that cannot be scenarios (`from_data.why_not`) or have no recorded category are
skipped and counted (`Likelihood.skipped`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from sim.engine import day as rules_of_the_day
from sim.engine.day import Announcement, Decisions, Evaluation
from sim.engine.state import State
from sim.engine.world import INTEGER_FIELDS, Judgements, World
from sim.game.qre import LET_GO, N_SIZES, WAIT
from sim.game.sizes import CATEGORIES, category, trembled
from sim.scenario import load
from sim.scenario.dataset import FirstResponse
from sim.scenario.from_data import scenario_of, why_not
from sim.scenario.schema import Statement

Floats = NDArray[np.float64]
WITHIN_DAYS = 3
NONE = CATEGORIES.index("none")


def first_response_distribution(evaluation: Evaluation, owed_persons: NDArray[np.int64],
                                owed_facilities: NDArray[np.int64],
                                p_reset: Floats) -> Floats:
    """Per run, the probability of each category of `CATEGORIES` implied by a first
    decision, shape (runs, 4).

    A state that plays the exchange game weighs a menu of sizes (`evaluation.courses`
    over `sim.game.qre.ACTIONS`: each size, wait, let go; `evaluation.menu` the sizes'
    staff and sites); a policy that sizes by rule has one answer (`persons`,
    `facilities`) and (retaliate, wait, let go) probabilities. Either way:

    1. each answer's probability goes to the category of its size against what was
       owed (`sim.game.sizes.category`);
    2. waiting means answering later unless a reset comes first: with probability
       1 - p_reset the answer is drawn as now (each size in proportion to its
       probability among the answers), with p_reset it is "none";
    3. letting go gives "none".
    """
    runs = evaluation.runs.size
    reset = np.clip(np.broadcast_to(np.asarray(p_reset, dtype=float), (runs,)), 0.0, 1.0)
    out = np.zeros((runs, len(CATEGORIES)))
    rows = np.arange(runs)
    if evaluation.courses is not None and evaluation.menu is not None:
        answers = evaluation.courses[:, :N_SIZES]
        wait, let_go = evaluation.courses[:, WAIT], evaluation.courses[:, LET_GO]
        sized = category(evaluation.menu[0], evaluation.menu[1], owed_persons[:, None],
                         owed_facilities[:, None])  # (runs, sizes)
    else:
        assert evaluation.probabilities is not None
        pr = evaluation.probabilities
        answers, wait, let_go = pr[:, :1], pr[:, 1], pr[:, 2]
        sized = category(evaluation.persons, evaluation.facilities, owed_persons,
                         owed_facilities)[:, None]
    answered = answers.sum(axis=1)
    share = np.divide(answers, answered[:, None], out=np.zeros_like(answers),
                      where=answered[:, None] > 0)
    later = wait * (1.0 - reset)
    for i in range(answers.shape[1]):
        np.add.at(out, (rows, sized[:, i]), answers[:, i] + later * share[:, i])
    out[:, NONE] += let_go + wait * reset + np.where(answered > 0, 0.0, later)
    return out


def answer_now(evaluation: Evaluation) -> Floats:
    """Per run, the probability that the decision answers now (any size)."""
    if evaluation.courses is not None:
        return np.asarray(evaluation.courses[:, :N_SIZES].sum(axis=1))
    assert evaluation.probabilities is not None
    return np.asarray(evaluation.probabilities[:, 0])


class FirstDecision:
    """A `Recorder` keeping one pair's first (non-deferred) decision per run."""

    detailed = False

    def __init__(self, pair: int, n: int, move_day: int) -> None:
        self.pair = pair
        self.move_day = move_day
        self.seen = np.zeros(n, dtype=bool)
        self.distribution = np.zeros((n, len(CATEGORIES)))
        self.distribution[:, NONE] = 1.0  # never deciding: nothing answered
        self.soon = np.zeros(n)

    def decided(self, d: Decisions) -> None:
        if d.pair != self.pair or d.deferred:
            return
        fresh = ~self.seen[d.evaluation.runs]
        if not fresh.any():
            return
        e = d.evaluation.subset(fresh)
        a = e.assessment
        p_reset = (np.zeros(e.runs.size) if a is None else
                   np.broadcast_to(np.asarray(a.p_reset, dtype=float),
                                   d.evaluation.runs.shape)[fresh])
        self.distribution[e.runs] = first_response_distribution(
            e, d.owed[0][fresh], d.owed[1][fresh], p_reset)
        if d.day - self.move_day <= WITHIN_DAYS:
            self.soon[e.runs] = answer_now(e)
        self.seen[e.runs] = True

    def announced(self, a: Announcement) -> None:
        """Measures are not needed: the first decision says it all."""

    def evaluated(self, pair: int, e: Evaluation | None) -> None:
        """Not kept."""

    def informed(self, row: dict[str, Any]) -> None:
        """Not kept."""

    def stated(self, ev: Statement) -> None:
        """Not kept."""


@dataclass
class Prepared:
    """A data row's scenario, planned once: its world for one run with the scenario's own
    behaviour (the template each evaluation copies), the target's pair and the move's day."""

    row: FirstResponse
    world: World
    pair: int
    move_day: int

    @classmethod
    def of(cls, row: FirstResponse, doc: dict[str, Any] | None = None) -> Prepared:
        spec = load(doc if doc is not None else scenario_of(row)).spec
        world = World.build(spec, n=1, sample=False)
        return cls(row, world, world.index[(row.target, row.initiator)],
                   (row.date - spec.start).days)

    def world_for(self, settings: Mapping[str, Floats]) -> World:
        """The template's world for as many runs as `settings` has values, each run with
        the scenario's behaviour but for the fields in `settings` (set for every state)."""
        n = len(next(iter(settings.values()))) if settings else 1
        beh = {}
        for sid, table in self.world.beh.items():
            own = {name: np.repeat(column, n) for name, column in table.items()}
            for name, values in settings.items():
                own[name] = np.asarray(values, dtype=np.int64 if name in INTEGER_FIELDS
                                       else float)
            beh[sid] = own
        return dataclasses.replace(self.world, n=n, beh=beh,
                                   judgements=Judgements.of([self.world.spec], repeat=n))

    def first_response(self, settings: Mapping[str, Floats]) -> tuple[Floats, Floats]:
        """(distribution over categories (runs, 4), P(answer within 3 days) (runs,))."""
        return self.first_response_in(self.world_for(settings))

    def first_response_in(self, w: World) -> tuple[Floats, Floats]:
        """The same, in a given world of this row's scenario (tests build one with
        `World.build` to check that `world_for` leaves nothing of the template stale)."""
        s = State.initial(w, [np.random.default_rng(0) for _ in range(w.n)])
        rec = FirstDecision(self.pair, w.n, self.move_day)
        for day in range(w.plan.days):
            rules_of_the_day.step(w, s, rec, day)
            if rec.seen.all():
                break
        return trembled(rec.distribution, w.beh[self.row.target]["tremble"]), rec.soon


class RowSharer(Protocol):
    """What evaluates a likelihood's rows elsewhere (`row_workers.RowWorkers`): the rows
    `indices` in shares, each share with its (dist, soon) as `evaluate_rows` gives them."""

    def evaluate(self, indices: Sequence[int], settings: Mapping[str, Floats]
                 ) -> list[tuple[list[int], tuple[Floats, Floats]]]: ...


@dataclass
class Likelihood:
    """Prepared rows and what was left out: `skipped` maps response id to why.

    Rows whose scenarios are the same but for their recorded answer's category share one
    `Prepared` (and so one engine pass): a row's first decision depends on its scenario
    only, and a synthetic data set drawn from the model repeats rows many times."""

    prepared: list[Prepared]
    skipped: dict[str, str]
    # while set (`sim.analysis.row_workers.shared`): the processes that share the rows
    workers: RowSharer | None = dataclasses.field(default=None, compare=False, repr=False)

    @property
    def rows(self) -> list[FirstResponse]:
        return [p.row for p in self.prepared]

    @property
    def observed(self) -> NDArray[np.int64]:
        """Index into `CATEGORIES` of each kept row's recorded category."""
        return np.array([CATEGORIES.index(p.row.response_category or "none")
                         for p in self.prepared], dtype=np.int64)

    @property
    def soon(self) -> Floats:
        """Per kept row: 1 if the recorded answer came within 3 days, 0 if later or never,
        nan where the row records no delay for an answer."""
        out = np.full(len(self.prepared), np.nan)
        for i, p in enumerate(self.prepared):
            r = p.row
            if r.response_category == "none":
                out[i] = 0.0
            elif r.delay_days is not None:
                out[i] = float(r.delay_days <= WITHIN_DAYS)
        return out

    def evaluate(self, settings: Mapping[str, Floats]) -> tuple[Floats, Floats]:
        """For runs given as behaviour arrays (field -> one value per run): the category
        distributions (rows, runs, 4) and P(within 3 days) (rows, runs). Rows that share
        a scenario are evaluated once; with `workers` set (`row_workers.shared`) the
        distinct rows are shared out among processes, with the same values."""
        n = len(next(iter(settings.values()))) if settings else 1
        dist = np.zeros((len(self.prepared), n, len(CATEGORIES)))
        soon = np.zeros((len(self.prepared), n))
        first = self._first_of_scenario()
        distinct = sorted(set(first))
        if self.workers is None:
            parts = [(distinct, self.evaluate_rows(distinct, settings))]
        else:
            parts = self.workers.evaluate(distinct, settings)
        for indices, (d, s) in parts:
            dist[indices], soon[indices] = d, s
        for i, j in enumerate(first):
            if j != i:
                dist[i], soon[i] = dist[j], soon[j]
        return dist, soon

    def distinct_rows(self) -> list[int]:
        """Indices of the prepared rows that each stand for their scenario (the first row
        of each): the rows a pass evaluates."""
        return sorted(set(self._first_of_scenario()))

    def _first_of_scenario(self) -> list[int]:
        """For each prepared row, the index of the first row sharing its scenario."""
        first: dict[int, int] = {}
        return [first.setdefault(id(p.world), i) for i, p in enumerate(self.prepared)]

    def evaluate_rows(self, indices: Sequence[int], settings: Mapping[str, Floats]
                      ) -> tuple[Floats, Floats]:
        """The same for the prepared rows `indices` only, in that order, in this process:
        (len(indices), runs, 4) and (len(indices), runs)."""
        n = len(next(iter(settings.values()))) if settings else 1
        dist = np.zeros((len(indices), n, len(CATEGORIES)))
        soon = np.zeros((len(indices), n))
        for k, i in enumerate(indices):
            dist[k], soon[k] = self.prepared[i].first_response(settings)
        return dist, soon


_CACHE: dict[tuple[str, ...], Likelihood] = {}


def prepare(rows: Sequence[FirstResponse]) -> Likelihood:
    """The rows' scenarios, loaded and planned once per distinct list of rows (cached)."""
    key = tuple(f"{r.response_id}|{hash(r)}" for r in rows)
    if key not in _CACHE:
        kept, skipped = [], {}
        worlds: dict[str, Prepared] = {}
        for r in rows:
            problem = why_not(r)
            if problem is None and r.response_category is None:
                problem = "no recorded category"
            if problem is not None:
                skipped[r.response_id] = problem
                continue
            # the recorded answer is what the likelihood scores, not a fact of the scenario
            doc = {k: v for k, v in scenario_of(r).items() if k != "history"}
            facts = json.dumps({k: v for k, v in doc.items()
                                if k not in ("name", "title", "description")},
                               sort_keys=True, default=str)
            same = worlds.get(facts)
            if same is None:
                same = worlds[facts] = Prepared.of(r, doc)
                kept.append(same)
            else:
                kept.append(dataclasses.replace(same, row=r))
        if len(_CACHE) > 16:
            _CACHE.clear()
        _CACHE[key] = Likelihood(kept, skipped)
    return _CACHE[key]

