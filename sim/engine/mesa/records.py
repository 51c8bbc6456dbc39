"""The columns the DataCollector records, and the row of one dyad on one day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from sim.engine.mesa.agents import StateAgent
    from sim.engine.mesa.ledger import Ledger

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


def dyad_row(today: str, actor: StateAgent, other: StateAgent, ledger: Ledger,
             belief: np.ndarray | None) -> tuple[Any, ...]:
    """Belief, utilities, grievance and missions of `actor` towards `other` today, in the
    order of DYAD_COLUMNS.

    Belief columns are empty when no reset is in prospect; utility columns are empty on
    days without an open grievance weighed by expected utility.
    """
    ev = ledger.evaluation
    a = ev.assessment if ev is not None else None
    g = ledger.grievance
    if belief is None:
        p_acc = p_free = p_reset = NAN
    else:
        p_acc = float(belief[0] + belief[1])
        p_free = float(belief[0] + belief[2])
        p_reset = float(belief[0])
    if a is None:
        threshold = eu_r = eu_w = eu_l = NAN
    else:
        threshold, eu_r = float(a.threshold), float(a.eu_retaliate)
        eu_w, eu_l = float(a.eu_wait), float(a.eu_let_go)
    mine, theirs = actor.sid, other.sid
    return (
        today, mine, theirs, p_acc, p_free, p_reset, threshold, eu_r, eu_w, eu_l,
        ledger.choice.label if ledger.choice is not None else "",
        g.persons, g.facilities, g.offences, ledger.threat or "",
        actor.staff_abroad.get(theirs, 0), other.staff_abroad.get(mine, 0),
        actor.facilities_abroad.get(theirs, 0), other.facilities_abroad.get(mine, 0),
    )
