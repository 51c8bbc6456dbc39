"""The columns the DataCollector records, and the row of one dyad on one day."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.game.params import THREAT_LEVELS

if TYPE_CHECKING:
    from sim.engine.mesa.model import RetaliationModel

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
                  "p_reset", "threshold", "p_retaliate", "p_wait", "p_let_go",
                  "reply_probability", "reason"],
    "information": ["date", "observer", "about", "administration", "by", "misread",
                    "p_reset_before", "p_reset_after", "note"],
    "statements": ["date", "actor", "target", "level", "kind", "by"],
}
NAN = float("nan")


def dyad_row(today: str, model: RetaliationModel, k: int,
             belief: np.ndarray | None) -> tuple[Any, ...]:
    """Belief, utilities, grievance and missions of pair k's actor towards its
    counterpart today, in the order of DYAD_COLUMNS.

    Belief columns are empty when no reset is in prospect; utility columns are empty on
    days without an open grievance weighed by expected utility.
    """
    s, w = model.state, model.world
    mine, theirs = w.pairs[k]
    kb = w.index[(theirs, mine)]
    ev = model.recorder.evaluations.get(k)
    a = ev.assessment if ev is not None else None
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
    choice = next((d.choice.label for d in model.recorder.decisions_of(mine)
                   if d.counterpart == theirs), "")
    rank = int(s.threat[k, 0])
    return (
        today, mine, theirs, p_acc, p_free, p_reset, threshold, eu_r, eu_w, eu_l, choice,
        int(s.owed_p[k, 0]), int(s.owed_f[k, 0]), int(s.offences[k, 0]),
        THREAT_LEVELS[rank - 1] if rank else "",
        int(s.staff[k, 0]), int(s.staff[kb, 0]), int(s.sites[k, 0]), int(s.sites[kb, 0]),
    )
