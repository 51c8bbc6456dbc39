"""The Mesa model: moves time day by day, applies the scenario's events, lets the state
agents decide, carries out their measures, and records everything in a DataCollector.

A day has four phases, always in this order:

1. acts: the scenario's acts of the day (statements, hostile legislation; expulsions are
   announced), then every measure due today takes effect in the order it was announced
   (caps reaching their deadline, then the day's expulsions): missions shrink and the
   target banks what goes beyond what it was owed;
2. decisions: every state agent looks at its open grievances (simultaneously, in a
   shuffled order that cannot matter) and the model carries out the decisions in a fixed
   order: retaliation is announced, waiting disowns a standing threat, letting go clears it;
   a stochastic policy's forgiveness is drawn here, in that fixed order. Measures
   announced today take effect only once every decision of the day is carried out, so
   two states retaliating against each other on the same day both keep their grievance;
3. information: the day's signals update the observers' beliefs, then each day an
   incoming administration spends in office without a reset is weak evidence against one;
4. records: one row per state pair, plus rows for every act and every piece of evidence.

So a decision on day d sees the acts of day d and the information of day d-1: news that
arrives on the day of a decision (a reaction to it, say) counts from the next day.

Randomness: every draw comes from the model's generator (`Model(rng=seed)`), in an order
fixed by the scenario, not by the agents' shuffle. At construction: one uniform per
(information event, observer) for misreading a signal, in event order and sorted
observers; then two uniforms per information event for its strength within its stated
uncertainty. During the run: one uniform per measure taking effect (does the target
misread an answer as a fresh offence?), in the order measures take effect, and one per
forgiveness decision of a stochastic policy, in the fixed order of step 2. Draws are made
whether or not they matter (zero noise, zero uncertainty), so that changing a parameter
does not shift the stream: replicates compare with common random numbers, and a batch
engine can reproduce a run draw for draw.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

import mesa
import numpy as np

from sim.engine.mesa.agents import Decision, StateAgent
from sim.engine.mesa.records import DYAD_COLUMNS, NAN, TABLES, dyad_row
from sim.engine.mesa.reporters import model_reporters
from sim.engine.plan import Plan, Prospect
from sim.game import beliefs
from sim.game.decision import Choice
from sim.rules.policies import make_policy
from sim.rules.sizing import Basis, Grievance, Measure, excess
from sim.scenario import LoadedScenario
from sim.scenario.schema import Expel, Legislation, Scenario, Signal, Statement


@dataclass(frozen=True)
class Effect:
    """A measure that takes effect on a later day."""

    actor: str
    target: str
    measure: Measure
    answered: Grievance


class RetaliationModel(mesa.Model):
    """One run of a scenario. `run()` steps from the start date to the end date."""

    def __init__(self, spec: LoadedScenario | Scenario, seed: int | None = None) -> None:
        spec = spec.spec if isinstance(spec, LoadedScenario) else spec  # `scenario` is Mesa's
        self.seed = spec.seed if seed is None else int(seed)
        super().__init__(rng=self.seed)
        self.spec = spec  # not `scenario`: mesa.Model reserves that name
        self.plan = Plan(spec)
        self.today = spec.start
        self.effects: dict[dt.date, list[Effect]] = defaultdict(list)
        self.events_on = self.plan.events_on
        self.agents_by_id: dict[str, StateAgent] = {}
        for sid in sorted(spec.states):
            st = spec.states[sid]
            pol = st.policy_spec()
            self.agents_by_id[sid] = StateAgent(
                self, sid, spec.behaviour_of(sid), make_policy(pol.name, **pol.params()),
                st.power, dict(st.dependence), dict(st.missions), dict(st.facilities),
            )
        self.with_prior = self.plan.with_prior
        self.pairs = self.plan.pairs
        # perception draws: one per (information event, observer), drawn up front
        observations = self.plan.observations
        self.perception_draws: dict[int, list[tuple[str, float]]] = defaultdict(list)
        for (index, observer), draw in zip(observations, self.rng.random(len(observations)),
                                           strict=True):
            self.perception_draws[index].append((observer, float(draw)))
        strength = self.rng.random((len(self.plan.informative), 2))
        self.strength_draws = {i: strength[k] for k, i in enumerate(self.plan.informative)}
        for observer, about in self.pairs:
            ledger = self.state(observer).ledger(about)
            for key, adm in spec.states[about].administrations.items():
                if adm.prior is not None:
                    ledger.beliefs[key] = beliefs.prior(adm.prior.accommodating, adm.freedom)
        self.dyads = [(self.state(a), self.state(b), self.state(a).ledger(b))
                      for a, b in self.pairs]
        self.datacollector = mesa.DataCollector(
            model_reporters={"date": lambda m: m.today.isoformat(), **model_reporters(self)},
            tables=TABLES,
        )

    # --- lookups ------------------------------------------------------------------------

    def state(self, sid: str) -> StateAgent:
        return self.agents_by_id[sid]

    def prospect(self, observer: str, about: str, today: dt.date) -> Prospect | None:
        """The administration of `about` from which `observer` may still expect a reset."""
        return self.plan.prospect(about, self.state(observer).behaviour.honeymoon_days, today)

    # --- the day --------------------------------------------------------------------------

    def run(self) -> RetaliationModel:
        while self.running:
            self.step()
        return self

    def step(self) -> None:
        self.today = self.spec.start + dt.timedelta(days=self.steps - 1)
        self.apply_acts()
        self.agents.shuffle_do("decide")
        for agent in sorted(self.agents, key=lambda a: a.sid):
            for decision in agent.decisions:
                self.carry_out(decision)
        self.flush_effects()  # measures announced today bite after every decision is made
        self.apply_information()
        self.record()
        if self.today >= self.spec.end:
            self.running = False

    def flush_effects(self) -> None:
        """Every measure due today takes effect, in the order it was announced."""
        for effect in self.effects.pop(self.today, []):
            self.take_effect(effect)

    def apply_acts(self) -> None:
        for _, ev in self.events_on.get(self.today, []):
            if isinstance(ev, Expel):
                measure = Measure(ev.persons, ev.facilities, Basis.SCENARIO)
                self.announce(ev.actor, ev.target, measure, Grievance(), "scenario", ev.note or "")
            elif isinstance(ev, Statement) and ev.kind == "threat":
                self.state(ev.actor).note_threat(ev.target, ev.level)
                self.log_statement(ev)
            elif isinstance(ev, Statement):
                self.state(ev.target).ledger(ev.actor).reassured = True
                self.log_statement(ev)
            elif isinstance(ev, Legislation) and ev.hostile:
                self.state(ev.target).ledger(ev.actor).bank(0, 0, False, self.today)
        self.flush_effects()  # measures due today, then the scenario's expulsions

    def carry_out(self, d: Decision) -> None:
        ledger = self.state(d.actor).ledger(d.counterpart)
        if d.may_forgive:
            draw = float(self.rng.random())
            if self.state(d.actor).policy.forgives(draw):
                d = replace(d, choice=Choice.LET_GO,
                            reason=f"forgives (draw {draw:.2f} below its forgiveness)")
        if d.choice == Choice.RETALIATE:
            answered = ledger.settle()
            self.announce(d.actor, d.counterpart, d.measure, answered, "model", d.reason)
        elif d.choice == Choice.LET_GO:
            ledger.settle()
        elif d.choice == Choice.WAIT and ledger.threat is not None and not d.deferred:
            ledger.threat = None  # the threat is disowned: its audience cost is paid today
        self.log_decision(d)

    def announce(self, actor: str, target: str, measure: Measure, answered: Grievance,
                 source: str, reason: str) -> None:
        """Announce a measure; it bites today (once the day's decisions are all taken), or
        at the deadline of a cap on staff."""
        deadline = self.state(actor).behaviour.cap_deadline_days
        delay = deadline if measure.basis == Basis.PARITY and measure.persons > 0 else 0
        effective = self.today + dt.timedelta(days=delay)
        action = "cap" if measure.basis == Basis.PARITY and measure.persons > 0 else (
            "expel" if measure.persons > 0 else "close")
        self.log_action(actor, target, action, measure, source, effective, reason)
        self.effects[effective].append(Effect(actor, target, measure, answered))

    def take_effect(self, e: Effect) -> None:
        """Staff leave, sites close, and the target banks what goes beyond what it owed.

        With perception noise the target may misread an answer as a fresh offence and
        bank all of it: the noise that keeps tit for tat echoing (Signorino 1996).
        """
        target = self.state(e.target)
        actor = self.state(e.actor)
        misread = bool(self.rng.random() < target.behaviour.perception_noise)
        if misread and e.answered.open:
            e = replace(e, answered=Grievance())
            self.datacollector.add_table_row("information", {
                "date": self.today.isoformat(), "observer": e.target, "about": e.actor,
                "administration": "", "by": f"{e.actor}'s answer", "misread": True,
                "p_reset_before": NAN, "p_reset_after": NAN,
                "note": "an answer taken for a fresh offence",
            })
        actor_site = target.facilities_abroad
        target.staff_abroad[e.actor] = max(0, target.staff_abroad.get(e.actor, 0)
                                           - e.measure.persons)
        actor_site[e.actor] = max(0, actor_site.get(e.actor, 0) - e.measure.facilities)
        persons, facilities = excess(e.measure, e.answered)
        if persons or facilities:
            target.ledger(actor.sid).bank(persons, facilities, e.measure.basis == Basis.PARITY,
                                          self.today)

    def apply_information(self) -> None:
        for index, ev in self.events_on.get(self.today, []):
            if isinstance(ev, Signal):
                self.observe(index, ev.about, ev, ev.by or "signal")
            elif isinstance(ev, Legislation):
                what = "veto-proof legislation" if ev.veto_proof else "legislation"
                self.observe(index, ev.actor, ev, f"{what} against {ev.target}")
        for observer, about in self.pairs:
            if not self.with_prior[about]:
                continue
            p = self.prospect(observer, about, self.today)
            if p is None or p.start > self.today:
                continue
            ledger = self.state(observer).ledger(about)
            hazard = self.state(observer).behaviour.reset_hazard
            ledger.beliefs[p.key] = beliefs.update(
                ledger.beliefs[p.key], beliefs.no_reset_likelihood(hazard))

    def observe(self, index: int, about: str, ev: Signal | Legislation, by: str) -> None:
        """Each observer updates its belief; with perception noise it may misread."""
        likelihood, admin, note = ev.likelihood, ev.administration, ev.note
        lk = (beliefs.type_likelihood(likelihood["accommodating"], likelihood["hawkish"])
              if "accommodating" in likelihood
              else beliefs.freedom_likelihood(likelihood["free"], likelihood["bound"]))
        lk = beliefs.perturbed(lk, ev.uncertainty, self.strength_draws[index])
        for obs, draw in self.perception_draws[index]:
            agent = self.state(obs)
            ledger = agent.ledger(about)
            key = admin or self._default_admin(obs, about)
            if key is None or key not in ledger.beliefs:
                continue
            misread = bool(draw < agent.behaviour.perception_noise)
            used = beliefs.misread(lk) if misread else lk
            before = ledger.beliefs[key]
            after = beliefs.update(before, used)
            ledger.beliefs[key] = after
            self.datacollector.add_table_row("information", {
                "date": self.today.isoformat(), "observer": obs, "about": about,
                "administration": key, "by": by, "misread": misread,
                "p_reset_before": float(beliefs.reset_probability(before)),
                "p_reset_after": float(beliefs.reset_probability(after)),
                "note": note or "",
            })

    def at_war(self, sid: str, day: dt.date) -> bool:
        return self.plan.at_war(sid, day)

    def _default_admin(self, observer: str, about: str) -> str | None:
        p = self.prospect(observer, about, self.today)
        return p.key if p else None

    # --- records --------------------------------------------------------------------------

    def record(self) -> None:
        """Today's row for every pair in play, into the DataCollector's `dyads` table.

        Rows are built as tuples and appended column by column once a day: Mesa's
        add_table_row checks every column of every row, which dominated runs of many states.
        """
        self.datacollector.collect(self)
        today = self.today.isoformat()
        rows = []
        for a, o, ledger in self.dyads:
            prospect = self.prospect(a.sid, o.sid, self.today) if self.with_prior[o.sid] else None
            belief = ledger.beliefs.get(prospect.key) if prospect else None
            rows.append(dyad_row(today, a, o, ledger, belief))
        if not rows:  # no pair in play
            return
        table = self.datacollector.tables["dyads"]
        for column, values in zip(DYAD_COLUMNS, zip(*rows, strict=True), strict=True):
            table[column].extend(values)

    def log_action(self, actor: str, target: str, action: str, m: Measure, source: str,
                   effective: dt.date, reason: str) -> None:
        self.datacollector.add_table_row("actions", {
            "date": self.today.isoformat(), "actor": actor, "target": target, "action": action,
            "persons": m.persons, "facilities": m.facilities, "basis": str(m.basis),
            "source": source, "effective": effective.isoformat(), "reason": reason,
        })

    def log_statement(self, ev: Statement) -> None:
        self.datacollector.add_table_row("statements", {
            "date": self.today.isoformat(), "actor": ev.actor, "target": ev.target,
            "level": ev.level, "kind": ev.kind, "by": ev.by or "",
        })

    def log_decision(self, d: Decision) -> None:
        ev = self.state(d.actor).ledger(d.counterpart).evaluation
        a = ev.assessment if ev else None
        self.datacollector.add_table_row("decisions", {
            "date": self.today.isoformat(), "actor": d.actor, "counterpart": d.counterpart,
            "choice": d.choice.label, "owed_persons": d.answered.persons,
            "owed_facilities": d.answered.facilities, "persons": d.measure.persons,
            "facilities": d.measure.facilities, "basis": str(d.measure.basis),
            "p_reset": float(a.p_reset) if a else np.nan,
            "threshold": float(a.threshold) if a else np.nan,
            "reason": d.reason,
        })
