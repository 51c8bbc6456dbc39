"""The Mesa model: the one-run driver. It moves time, asks the day's rules what happens,
and records everything in a DataCollector.

The rules are not here: `step` calls `sim.engine.day.step`, the same function the batch
engine calls for many runs at once, on a `State` of one run. The model keeps the records a
single run is read for (a row per pair and day, every measure, decision, piece of
information and statement) and gives Mesa users what they expect: state agents
(`StateAgent`, views of the state), `Model(rng=seed)` for randomness, and a DataCollector.
See `sim.engine.day` for the order of a day and the order of random draws.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import mesa
import numpy as np

from sim.engine import day as rules_of_the_day
from sim.engine.day import Announcement, Decisions, Evaluation
from sim.engine.mesa.agents import Decision, StateAgent, explain, measure_of
from sim.engine.mesa.agents import Evaluation as AgentEvaluation
from sim.engine.mesa.records import DYAD_COLUMNS, TABLES, dyad_row
from sim.engine.mesa.reporters import model_reporters
from sim.engine.plan import Plan, Prospect
from sim.engine.state import State
from sim.engine.world import World
from sim.game.decision import Assessment, Choice
from sim.rules.policies import Why
from sim.rules.sizing import Grievance
from sim.scenario import LoadedScenario
from sim.scenario.schema import Scenario, Statement

WAVE_REASON = ("a wave of expulsions is still breaking: answers are held until it is quiet")


class RetaliationModel(mesa.Model):
    """One run of a scenario. `run()` steps from the start date to the end date.

    `spec` is a loaded scenario or its validated `Scenario`; `seed` replaces the
    scenario's seed. (The argument is not called `scenario`: Mesa reserves that name.)
    With `sample`, each decision weighed by utilities is drawn from its quantal response
    (as in an ensemble); without, the run follows the most likely course every day.
    """

    def __init__(self, spec: LoadedScenario | Scenario, seed: int | None = None,
                 sample: bool = False) -> None:
        spec = spec.spec if isinstance(spec, LoadedScenario) else spec
        self.seed = spec.seed if seed is None else int(seed)
        super().__init__(rng=self.seed)
        self.spec = spec
        self.world = World.build(spec, n=1, sample=sample)
        self.plan: Plan = self.world.plan
        self.pairs = self.world.pairs
        self.today = spec.start
        self.state = State.initial(self.world, [self.rng])
        self.agents_by_id: dict[str, StateAgent] = {
            sid: StateAgent(self, sid) for sid in sorted(spec.states)}
        self.datacollector = mesa.DataCollector(
            model_reporters={"date": lambda m: m.today.isoformat(), **model_reporters(self)},
            tables=TABLES)
        self.recorder = MesaRecorder(self)

    # --- lookups ------------------------------------------------------------------------

    def state_of(self, sid: str) -> StateAgent:
        """The agent of state `sid`."""
        return self.agents_by_id[sid]

    def prospect(self, observer: str, about: str, today: dt.date) -> Prospect | None:
        """The administration of `about` from which `observer` may still expect a reset."""
        return rules_of_the_day.prospect(self.world, observer, about, today)

    def today_of(self, day: int) -> str:
        """The date of day number `day` (0 is the scenario's start), as text."""
        return (self.spec.start + dt.timedelta(days=day)).isoformat()

    # --- the day --------------------------------------------------------------------------

    def run(self) -> RetaliationModel:
        while self.running:
            self.step()
        return self

    def step(self) -> None:
        self.recorder.start_day()
        self.today = rules_of_the_day.step(self.world, self.state, self.recorder,
                                           self.steps - 1)
        self.record()
        if self.today >= self.spec.end:
            self.running = False

    # --- records --------------------------------------------------------------------------

    def record(self) -> None:
        """Today's row for every pair in play, into the DataCollector's `dyads` table.

        Rows are built as tuples and appended column by column once a day: Mesa's
        add_table_row checks every column of every row, which dominated runs of many states.
        """
        self.datacollector.collect(self)
        if not self.pairs:
            return
        today = self.today.isoformat()
        s = self.state
        rows = []
        for k, (a, o) in enumerate(self.pairs):
            prospect = self.prospect(a, o, self.today) if self.plan.with_prior[o] else None
            belief = s.beliefs[s.belief_row[(k, prospect.key)], 0] if prospect else None
            rows.append(dyad_row(today, self, k, belief))
        table = self.datacollector.tables["dyads"]
        for column, values in zip(DYAD_COLUMNS, zip(*rows, strict=True), strict=True):
            table[column].extend(values)


def _scalar_assessment(a: Assessment | None) -> Assessment | None:
    """Run 0 of an assessment over runs, as numbers."""
    if a is None:
        return None
    first: list[Any] = [np.asarray(v)[0] if np.ndim(v) else v for v in a]
    return Assessment(*first)


class MesaRecorder:
    """Turns what the day reports (`sim.engine.day.Recorder`) into DataCollector rows, and
    keeps today's evaluations and decisions for the agents to show."""

    detailed = True

    def __init__(self, model: RetaliationModel) -> None:
        self.model = model
        self.evaluations: dict[int, AgentEvaluation] = {}
        self.decisions: dict[str, list[Decision]] = {}

    def start_day(self) -> None:
        self.evaluations = {}
        self.decisions = {}

    def decisions_of(self, sid: str) -> list[Decision]:
        return self.decisions.get(sid, [])

    def _evaluation(self, k: int, e: Evaluation) -> AgentEvaluation:
        policy = self.model.world.policies[self.model.pairs[k][0]]
        return AgentEvaluation(
            measure_of(policy, e.persons[0], e.facilities[0], bool(e.parity[0])),
            _scalar_assessment(e.assessment), float(e.reply_probability[0]),
            float(e.cost_of_reply[0]))

    def evaluated(self, pair: int, e: Evaluation | None) -> None:
        if e is not None and e.runs.size:
            self.evaluations[pair] = self._evaluation(pair, e)

    def reason(self, d: Decisions, ev: AgentEvaluation) -> str:
        why, choice = Why(int(d.why[0])), Choice(int(d.choice[0]))
        policy = self.model.world.policies[self.model.pairs[d.pair][0]]
        if why == Why.ASSESSED:
            assert ev.assessment is not None
            return explain(choice, ev.assessment)
        if why == Why.FORGIVES:
            return f"forgives (draw {float(d.draws[0]):.2f} below its forgiveness)"
        return {Why.POLICY: f"policy {policy.name}", Why.PARITY_HOLDS: "parity already holds",
                Why.NOTHING_LEFT: "nothing left to answer in kind",
                Why.WAVE: WAVE_REASON}[why]

    def decided(self, d: Decisions) -> None:
        actor, counterpart = self.model.pairs[d.pair]
        ev = self._evaluation(d.pair, d.evaluation)
        decision = Decision(actor, counterpart, Choice(int(d.choice[0])), ev.measure,
                            Grievance(int(d.owed[0][0]), int(d.owed[1][0]),
                                      int(d.owed[2][0])),
                            self.reason(d, ev), d.deferred)
        self.decisions.setdefault(actor, []).append(decision)
        a = ev.assessment
        probabilities = d.evaluation.probabilities
        assert probabilities is not None  # set by the day's `choose`
        self.model.datacollector.add_table_row("decisions", {
            "date": self.model.today_of(d.day), "actor": actor, "counterpart": counterpart,
            "choice": decision.choice.label, "owed_persons": decision.answered.persons,
            "owed_facilities": decision.answered.facilities,
            "persons": ev.measure.persons, "facilities": ev.measure.facilities,
            "basis": str(ev.measure.basis),
            "p_reset": float(a.p_reset) if a else np.nan,
            "threshold": float(a.threshold) if a else np.nan,
            **dict(zip(("p_retaliate", "p_wait", "p_let_go"),
                       (float(x) for x in probabilities[0]), strict=True)),
            "reply_probability": ev.reply_probability, "reason": decision.reason,
        })

    def announced(self, a: Announcement) -> None:
        actor, target = self.model.pairs[a.pair]
        # a model measure follows the decision that took it (`day.carry_out`)
        reason = self.decisions_of(actor)[-1].reason if a.source == "model" else a.note
        self.model.datacollector.add_table_row("actions", {
            "date": self.model.today_of(a.day), "actor": actor, "target": target,
            "action": str(a.action[0]), "persons": int(a.persons[0]),
            "facilities": int(a.facilities[0]), "basis": str(a.basis[0]), "source": a.source,
            "effective": self.model.today_of(int(a.effective[0])), "reason": reason,
        })

    def informed(self, row: dict[str, Any]) -> None:
        self.model.datacollector.add_table_row("information", row)

    def stated(self, ev: Statement) -> None:
        self.model.datacollector.add_table_row("statements", {
            "date": ev.date.isoformat(), "actor": ev.actor, "target": ev.target,
            "level": ev.level, "kind": ev.kind, "by": ev.by or "",
        })
