"""The state agent: gathers its facts about each counterpart and asks `sim.game` what to do.

An agent never computes a payoff itself. Each day, for every counterpart against which it
holds a grievance it has had time to consider, it builds the inputs (belief in a reset,
reply risk, audience cost, time left to the end of the reset window) and calls
`sim.game.decision.assess`; the measure comes from its policy (`sim.rules.policies`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.engine.mesa.ledger import Evaluation, Ledger
from sim.game import beliefs, payoffs
from sim.game.decision import Assessment, Choice, assess
from sim.game.params import Behaviour, threat_costs, threat_rank
from sim.rules import sizing, timing
from sim.rules.policies import Policy
from sim.rules.sizing import Basis, Exposure, Grievance, Measure

if TYPE_CHECKING:
    from sim.engine.mesa.model import RetaliationModel



@dataclass(frozen=True)
class Decision:
    """A decision taken today about one counterpart, to be carried out by the model."""

    actor: str
    counterpart: str
    choice: Choice
    measure: Measure
    answered: Grievance
    reason: str
    may_forgive: bool = False  # a stochastic policy: the model draws whether it forgives
    deferred: bool = False  # held for a wave: not a strategic wait, threats stand


class StateAgent(mesa.Agent):
    """A state: its missions abroad, its behaviour, its policy and a ledger per counterpart."""

    model: RetaliationModel

    def __init__(
        self,
        model: RetaliationModel,
        sid: str,
        behaviour: Behaviour,
        policy: Policy,
        power: float,
        dependence: dict[str, float],
        staff_abroad: dict[str, int],
        facilities_abroad: dict[str, int],
    ) -> None:
        super().__init__(model)
        self.sid = sid
        self.behaviour = behaviour
        self.policy = policy
        self.power = power
        self.dependence = dependence
        self.staff_abroad = dict(staff_abroad)
        self.facilities_abroad = dict(facilities_abroad)
        self.ledgers: dict[str, Ledger] = {}
        self.decisions: list[Decision] = []

    # --- facts -----------------------------------------------------------------------

    def exposure(self, other: StateAgent) -> Exposure:
        return Exposure(
            their_staff_here=other.staff_abroad.get(self.sid, 0),
            my_staff_there=self.staff_abroad.get(other.sid, 0),
            their_facilities_here=other.facilities_abroad.get(self.sid, 0),
            my_facilities_there=self.facilities_abroad.get(other.sid, 0),
        )

    def ledger(self, other: str) -> Ledger:
        if other not in self.ledgers:
            self.ledgers[other] = Ledger(other)
        return self.ledgers[other]

    def note_threat(self, other: str, level: str) -> None:
        """A public threat against `other`: the standing threat is the highest level made."""
        ledger = self.ledger(other)
        if threat_rank(level) > threat_rank(ledger.threat):
            ledger.threat = level

    # --- daily decision ----------------------------------------------------------------

    def decide(self) -> None:
        """Look at every open grievance; record today's decisions for the model to enact."""
        self.decisions = []
        today = self.model.today
        for other_id in sorted(self.ledgers):
            ledger = self.ledgers[other_id]
            if not ledger.grievance.open:
                ledger.evaluation = None
                ledger.choice = None
                continue
            other = self.model.state(other_id)
            ledger.evaluation = self.evaluate(other, ledger, today)
            assert ledger.since is not None
            if (today - ledger.since).days < self.behaviour.deliberation_days:
                ledger.choice = None
                continue
            if self.holding_for_wave(today):
                self.decisions.append(self._decide(
                    other, ledger, Choice.WAIT,
                    "a wave of expulsions is still breaking: answers are held until it is "
                    "quiet", deferred=True))
                continue
            self.decisions.append(self.choose(other, ledger))

    def holding_for_wave(self, today: dt.date) -> bool:
        """Batch answers while a wave of offences against this state is still breaking."""
        b = self.behaviour
        days = [(today - led.last_offence).days for led in self.ledgers.values()
                if led.last_offence is not None]
        return timing.hold_for_wave(
            days, initiators=b.wave_initiators, window_days=b.wave_window_days,
            quiet_days=b.wave_quiet_days, war_quiet_days=b.war_quiet_days,
            at_war=self.model.at_war(self.sid, today),
        )

    def evaluate(self, other: StateAgent, ledger: Ledger, today: dt.date) -> Evaluation:
        """Size the answer with the policy; weigh it by expected utility if the policy does."""
        b = self.behaviour
        measure = self.policy.size(ledger.grievance, self.exposure(other))
        if ledger.reassured and self.policy.uses_beliefs:
            measure = sizing.soften(measure, b.reassured_share)
        q = self.reply_probability(other, measure)
        cost = float(payoffs.reply_cost(
            b.reply_cost, self.power, other.power, b.power_elasticity,
            self.dependence.get(other.sid, 0.0), b.dependence_weight,
        ))
        prospect = self.model.prospect(self.sid, other.sid, today)
        if prospect is None:
            belief, p_acc, p_free = None, float("nan"), float("nan")
        else:
            belief = ledger.beliefs[prospect.key]
            p_acc = float(beliefs.accommodating_probability(belief))
            p_free = float(beliefs.free_probability(belief))
        if not self.policy.uses_beliefs:
            return Evaluation(measure, None, p_acc, p_free, q, cost)
        threat_cost = threat_costs(b)[threat_rank(ledger.threat)]
        if prospect is None:
            p, value, days, excuse = 0.0, 0.0, 0, 0.0
        else:
            p = float(beliefs.reset_probability(belief))
            value = b.reset_value
            days = max(0, (prospect.window_end - today).days)
            excuse = b.excuse_share
        a = assess(
            p_reset=p, reciprocity_value=b.reciprocity_value, reply_probability=q,
            cost_of_reply=cost, reset_value=value, spoil_share=b.spoil_share,
            daily_discount=b.daily_discount, days_to_resolution=days, late_loss=b.late_loss,
            threat_cost=threat_cost * b.reciprocity_value, excuse_share=excuse,
        )
        return Evaluation(measure, a, p_acc, p_free, q, cost)

    def reply_probability(self, other: StateAgent, measure: Measure) -> float:
        """q: would the counterpart's policy answer this measure, and how likely?"""
        if measure.empty:
            return 0.0
        theirs = other.ledger(self.sid).grievance
        hypothetical = theirs.add(measure.persons, measure.facilities,
                                  measure.basis == Basis.PARITY)
        after = Exposure(
            their_staff_here=self.staff_abroad.get(other.sid, 0),
            my_staff_there=other.staff_abroad.get(self.sid, 0) - measure.persons,
            their_facilities_here=self.facilities_abroad.get(other.sid, 0),
            my_facilities_there=other.facilities_abroad.get(self.sid, 0) - measure.facilities,
        )
        reply = other.policy.size(hypothetical, after)
        return 0.0 if reply.empty else other.policy.reply_probability()

    def choose(self, other: StateAgent, ledger: Ledger) -> Decision:
        ev = ledger.evaluation
        assert ev is not None
        measure = ev.measure
        if not self.policy.retaliates:
            return self._decide(other, ledger, Choice.LET_GO, f"policy {self.policy.name}")
        if measure.empty:
            why = ("parity already holds" if measure.basis == Basis.PARITY
                   else "nothing left to answer in kind")
            return self._decide(other, ledger, Choice.LET_GO, why)
        if ev.assessment is None:
            return self._decide(other, ledger, Choice.RETALIATE, f"policy {self.policy.name}")
        a = ev.assessment
        choice = Choice(int(a.choice))
        return self._decide(other, ledger, choice, self.explain(choice, a))

    @staticmethod
    def explain(choice: Choice, a: Assessment) -> str:
        """Why: the belief against the threshold and the utilities compared."""
        p, t = float(a.p_reset), float(a.threshold)
        eus = (f"EU retaliate {float(a.eu_retaliate):+.3f}, wait {float(a.eu_wait):+.3f}, "
               f"let go {float(a.eu_let_go):+.3f}")
        if float(a.net_value) <= 0:
            head = f"retaliating is worth {float(a.net_value):+.3f} after the expected reply"
        elif not np.isfinite(t):
            head = "no reset in prospect: waiting only loses value"
        elif choice == Choice.WAIT:
            head = f"belief in reset {p:.2f} > threshold {t:.2f}"
        else:
            head = f"belief in reset {p:.2f} <= threshold {t:.2f}"
        return f"{head}; {eus}"

    def _decide(self, other: StateAgent, ledger: Ledger, choice: Choice, reason: str,
                deferred: bool = False) -> Decision:
        ledger.choice = choice
        measure = ledger.evaluation.measure if ledger.evaluation else Measure(0, 0, Basis.IN_KIND)
        may_forgive = self.policy.stochastic and choice == Choice.RETALIATE
        return Decision(self.sid, other.sid, choice, measure, ledger.grievance, reason,
                        may_forgive, deferred)
