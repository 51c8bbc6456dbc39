"""The columns the DataCollector records, and the row of one dyad on one day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.game import beliefs

if TYPE_CHECKING:
    from sim.model.agent import StateAgent
    from sim.model.ledger import Ledger

DYAD_COLUMNS = [
    "date", "actor", "counterpart",
    "p_accommodating", "p_free", "p_reset", "threshold",
    "eu_retaliate", "eu_wait", "eu_let_go", "choice",
    "owed_persons", "owed_facilities", "offences", "threat",
    "staff_actor_in_counterpart", "staff_counterpart_in_actor",
    "facilities_actor_in_counterpart", "facilities_counterpart_in_actor",
]
TABLES = {
    "dyads": DYAD_COLUMNS,
    "actions": ["date", "actor", "target", "action", "persons", "facilities", "basis",
                "source", "effective", "reason"],
    "decisions": ["date", "actor", "counterpart", "choice", "owed_persons", "owed_facilities",
                  "persons", "facilities", "basis",
                  "p_reset", "threshold", "reason"],
    "information": ["date", "observer", "about", "administration", "by", "misread",
                    "p_reset_before", "p_reset_after", "note"],
    "statements": ["date", "actor", "target", "level", "kind", "by"],
}
NAN = float("nan")


def dyad_row(today: dt.date, actor: StateAgent, other: StateAgent, ledger: Ledger,
             belief: np.ndarray | None) -> dict[str, Any]:
    """Belief, utilities, grievance and missions of `actor` towards `other` today.

    Belief columns are empty when no reset is in prospect; utility columns are empty on
    days without an open grievance weighed by expected utility.
    """
    ev = ledger.evaluation
    a = ev.assessment if ev is not None else None
    g = ledger.grievance
    return {
        "date": today.isoformat(),
        "actor": actor.sid,
        "counterpart": other.sid,
        "p_accommodating": float(beliefs.accommodating_probability(belief))
        if belief is not None else NAN,
        "p_free": float(beliefs.free_probability(belief)) if belief is not None else NAN,
        "p_reset": float(beliefs.reset_probability(belief)) if belief is not None else NAN,
        "threshold": float(a.threshold) if a is not None else NAN,
        "eu_retaliate": float(a.eu_retaliate) if a is not None else NAN,
        "eu_wait": float(a.eu_wait) if a is not None else NAN,
        "eu_let_go": float(a.eu_let_go) if a is not None else NAN,
        "choice": ledger.choice.label if ledger.choice is not None else "",
        "owed_persons": g.persons,
        "owed_facilities": g.facilities,
        "offences": g.offences,
        "threat": ledger.threat or "",
        "staff_actor_in_counterpart": actor.staff_abroad.get(other.sid, 0),
        "staff_counterpart_in_actor": other.staff_abroad.get(actor.sid, 0),
        "facilities_actor_in_counterpart": actor.facilities_abroad.get(other.sid, 0),
        "facilities_counterpart_in_actor": other.facilities_abroad.get(actor.sid, 0),
    }
