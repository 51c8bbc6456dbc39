"""What a state remembers about one counterpart: grievance, threats, beliefs, last decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from sim.game.decision import Assessment, Choice
from sim.rules.sizing import Grievance, Measure


@dataclass
class Evaluation:
    """One day's look at a grievance: the measure it would take and the utilities."""

    measure: Measure
    assessment: Assessment | None  # None for policies that do not weigh utilities
    p_accommodating: float
    p_free: float
    reply_probability: float
    cost_of_reply: float


@dataclass
class Ledger:
    """Per-counterpart memory of a state agent."""

    counterpart: str
    grievance: Grievance = field(default_factory=Grievance)
    since: dt.date | None = None  # when the oldest unanswered offence took effect
    last_offence: dt.date | None = None  # when the counterpart's latest offence took effect
    threat: str | None = None  # level of the standing announced threat, if any
    reassured: bool = False  # the counterpart said it wants channels kept open
    beliefs: dict[str, np.ndarray] = field(default_factory=dict)  # administration -> belief
    evaluation: Evaluation | None = None
    choice: Choice | None = None

    def bank(self, persons: int, facilities: int, parity: bool, today: dt.date) -> None:
        """Add an offence to the bank of unanswered grievances."""
        if not self.grievance.open:
            self.since = today
        self.last_offence = today
        self.grievance = self.grievance.add(persons, facilities, parity)

    def settle(self) -> Grievance:
        """Clear the bank (answered or let go) and any standing threat; return what it held."""
        held = self.grievance
        self.grievance = Grievance()
        self.since = None
        self.threat = None
        return held
