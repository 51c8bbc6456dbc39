"""State agents: each state's view of the one state of the run, and what it decided today.

An agent decides nothing by itself and holds no copy of anything: the rules of the day
(`sim.engine.day`) decide for every state at once, on the arrays of `sim.engine.state`,
exactly as in the batch engine. What an agent offers is the per-state reading that
people and notebooks want: its missions abroad, its ledger about each counterpart
(grievance, standing threat, beliefs, today's evaluation), and today's decisions with
their reasons in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import mesa
import numpy as np

from sim.game.decision import Assessment, Choice
from sim.game.params import THREAT_LEVELS, Behaviour
from sim.rules.policies import Policy
from sim.rules.sizing import Basis, Grievance, Measure

if TYPE_CHECKING:
    from sim.engine.mesa.model import RetaliationModel


@dataclass(frozen=True)
class Evaluation:
    """One day's look at a grievance: the measure the policy would take and, for a policy
    that weighs them, the utilities (`sim.game.decision.Assessment`, as numbers)."""

    measure: Measure
    assessment: Assessment | None
    reply_probability: float
    cost_of_reply: float


@dataclass(frozen=True)
class Decision:
    """A decision taken today about one counterpart, and why, in words."""

    actor: str
    counterpart: str
    choice: Choice
    measure: Measure
    answered: Grievance
    reason: str
    deferred: bool = False  # held for a wave: not a strategic wait, threats stand


class Ledger:
    """What `sid` holds about `counterpart`: a view of row (sid, counterpart) of the state."""

    def __init__(self, model: RetaliationModel, sid: str, counterpart: str) -> None:
        self.model, self.sid, self.counterpart = model, sid, counterpart
        self.k = model.world.index.get((sid, counterpart))

    @property
    def grievance(self) -> Grievance:
        s, k = self.model.state, self.k
        if k is None:
            return Grievance()
        return Grievance(int(s.owed_p[k, 0]), int(s.owed_f[k, 0]), int(s.offences[k, 0]),
                         bool(s.parity[k, 0]))

    def _day(self, values: np.ndarray) -> dt.date | None:
        if self.k is None or values[self.k, 0] < 0:
            return None
        return self.model.spec.start + dt.timedelta(days=int(values[self.k, 0]))

    @property
    def since(self) -> dt.date | None:
        """When the oldest unanswered offence took effect."""
        return self._day(self.model.state.since)

    @property
    def last_offence(self) -> dt.date | None:
        """When the counterpart's latest offence took effect."""
        return self._day(self.model.state.last_offence)

    @property
    def threat(self) -> str | None:
        """Level of the standing announced threat against the counterpart, if any."""
        rank = 0 if self.k is None else int(self.model.state.threat[self.k, 0])
        return THREAT_LEVELS[rank - 1] if rank else None

    @property
    def reassured(self) -> bool:
        """The counterpart said it wants channels kept open."""
        return self.k is not None and bool(self.model.state.reassured[self.k])

    @property
    def beliefs(self) -> dict[str, np.ndarray]:
        """Administration of the counterpart -> belief over the four hypotheses, as it
        stands now (a copy: the run goes on updating the state)."""
        s = self.model.state
        return {key: s.beliefs[row, 0].copy() for (k, key), row in s.belief_row.items()
                if k == self.k}

    @property
    def evaluation(self) -> Evaluation | None:
        """Today's evaluation of the grievance (None when none was open this morning)."""
        return self.model.recorder.evaluations.get(self.k) if self.k is not None else None

    @property
    def choice(self) -> Choice | None:
        """Today's decision about the counterpart, if one was taken."""
        d = next((d for d in self.model.recorder.decisions_of(self.sid)
                  if d.counterpart == self.counterpart), None)
        return d.choice if d else None


class StateAgent(mesa.Agent):
    """A state: its behaviour, its policy, its missions, and a ledger per counterpart."""

    model: RetaliationModel

    def __init__(self, model: RetaliationModel, sid: str) -> None:
        super().__init__(model)
        self.sid = sid
        self.behaviour: Behaviour = model.spec.behaviour_of(sid)
        self.policy: Policy = model.world.policies[sid]
        st = model.spec.states[sid]
        self.power = st.power
        self.dependence = dict(st.dependence)
        self._ledgers: dict[str, Ledger] = {}

    def ledger(self, other: str) -> Ledger:
        if other not in self._ledgers:
            self._ledgers[other] = Ledger(self.model, self.sid, other)
        return self._ledgers[other]

    @property
    def staff_abroad(self) -> dict[str, int]:
        """Staff of this state in each other state, today."""
        return self._abroad(self.model.state.staff, "missions")

    @property
    def facilities_abroad(self) -> dict[str, int]:
        """Facilities of this state in each other state, today."""
        return self._abroad(self.model.state.sites, "facilities")

    def _abroad(self, table: np.ndarray, fact: str) -> dict[str, int]:
        out = dict(getattr(self.model.spec.states[self.sid], fact))
        for (a, b), k in self.model.world.index.items():
            if a == self.sid:
                out[b] = int(table[k, 0])
        return out

    @property
    def decisions(self) -> list[Decision]:
        """Decisions taken today, by counterpart."""
        return self.model.recorder.decisions_of(self.sid)


def measure_of(policy: Policy, persons: int, facilities: int, parity: bool) -> Measure:
    """The named measure of a policy's counts: a cut to parity, or the policy's own kind."""
    return Measure(int(persons), int(facilities), Basis.PARITY if parity else policy.basis)


def explain(choice: Choice, a: Assessment) -> str:
    """Why: the belief against the threshold and the utilities compared."""
    p, t = float(a.p_reset), float(a.threshold)
    eus = (f"EU retaliate {float(a.eu_retaliate):+.3f}, wait {float(a.eu_wait):+.3f}, "
           f"let go {float(a.eu_let_go):+.3f}")
    if float(a.net_value) <= 0:
        head = f"retaliating is worth {float(a.net_value):+.3f} after the expected reply"
    elif choice == Choice.LET_GO and float(a.eu_let_go) > -float(a.audience) + 1e-12:
        head = "letting go is worth the better relations its leader seeks"  # model.md 4b
    elif (choice == Choice.WAIT and not np.isfinite(t)
          and float(a.eu_wait) > float(a.eu_retaliate)):
        # with no reset in prospect, only a pending summit's stake makes waiting worth
        # more than answering (docs/model.md 4b)
        head = "a summit or negotiation is pending: waiting keeps it"
    elif not np.isfinite(t):
        head = "no reset in prospect: waiting only loses value"
    elif choice == Choice.WAIT:
        head = f"belief in reset {p:.2f} > threshold {t:.2f}"
    else:
        head = f"belief in reset {p:.2f} <= threshold {t:.2f}"
    return f"{head}; {eus}"
