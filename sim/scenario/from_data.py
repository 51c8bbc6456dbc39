"""A row of the first-response data set as a scenario: the facts the format can hold.

`scenario_of(row)` gives the smallest scenario that holds a data-set row (docs/data.md):
the two states, the initiating move on its date, the target's announced threat, the
initiator's reassurance, a war the target is fighting, dependence and power where coded,
and the recorded first response as the scenario's `history`, so that
`python -m sim validate` and the page can put the model to it.

What the row does not record follows the library's conventions for figures no source
gives (docs/scenarios.md): missions equal on both sides at twice the larger move rounded up
to ten (no parity gap, so the assumption cannot by itself produce a cap), dependence zero,
no prior (no reset to wait for) unless a source gives one. Coded judgements map to
numbers by one stated rule each (`POWER`, `DEPENDENCE`). Every choice is written into the
scenario's description, so a reader sees what is a fact and what a convention.

Every coded circumstance of the move enters the scenario (docs/model.md section 4b): its
instrument (`move_type` -> the event's `type`: a ceiling is a `cap`, a closure a `close`,
the others keep their names) with its `ranks`, the `status` of the expelled, the
`coalition_size`, a `divided_initiator`; a pending summit as a `summits` entry on the
target, a pending target transition or a new target leader seeking better relations as a
`transitions` entry, and the `leverage` text as leverage items (`LEVERAGE_WORDS`). The
row does not date a summit, a transition or a ceiling's deadline, nor give most leverage
shares: each gets one stated convention (`SUMMIT_DAYS`, `TRANSITION_DAYS`, `CAP_DAYS`,
`LEVERAGE_SHARE`), written into the description with the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sim.game.context import STAFF_FREE
from sim.scenario.dataset import FirstResponse, load_first_responses
from sim.scenario.errors import ScenarioError

# The coded power asymmetry as relative power (only the ratio matters: reply costs grow
# with (P_other / P_self)^eta). "stronger" is taken as four times, a round figure between
# a regional and a great power in CINC terms; stated in each scenario's description.
POWER = {"initiator_stronger": (4.0, 1.0), "similar": (1.0, 1.0),
         "target_stronger": (1.0, 4.0)}
# The target's coded dependence on the initiator as the share `dependence` holds.
DEPENDENCE = {"none": 0.0, "low": 0.05, "high": 0.3}
# The data set's instruments by the scenario format's names (the others are the same).
KINDS = {"ceiling": "cap", "closure": "close"}
HORIZON_DAYS = 90  # days the scenario runs past the move (or past the recorded answer)
# A summit or negotiation coded pending, undated in the row: taken as held 30 days after
# the move, a round month (stated in each scenario's description).
SUMMIT_DAYS = 30
# A ceiling's deadline is not coded: taken as 30 days after the move, the default time a
# cap gives (`cap_deadline_days`; stated in each scenario's description).
CAP_DAYS = 30
# A transition coded pending is "expected within about 6 months" (docs/data.md): taken as
# running from the move for 183 days.
TRANSITION_DAYS = 183
# Leverage is free text: each kind of item it names is one leverage item, with the share
# the text gives as a percentage, else this round tenth (stated in the description).
LEVERAGE_SHARE = 0.1
LEVERAGE_WORDS = {
    "arms": ("arms", "weapon", "military"),
    "students": ("student", "scholarship"),
    "energy": ("energy", "oil", "gas", "crude"),
    "aid": ("aid",),
    "workers": ("worker",),
    "investment": ("investment",),
    "trade": ("trade", "export", "import"),
}
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)")


# A mission whose size no source gives: the median of the 24 mission sizes sourced in the
# training split's rows (42.5 staff, docs/data.md), rounded to a round 40. One typical
# size for both sides, and never fewer than the move took: the share of a mission an
# answer in kind cuts then grows with the size of the offence, as it does in the rows
# whose missions are sourced, instead of being fixed by the convention.
TYPICAL_MISSION = 40


def _instrument(name: str) -> str:
    """A data-set instrument (`move_type`, `response_type`) by the scenario format's name."""
    return KINDS.get(name, name)


def leverage_items(text: str) -> list[dict[str, Any]]:
    """The leverage items a row's free text names, each with its share: the percentage
    the text gives (one per text: it is applied to every item named) or LEVERAGE_SHARE.
    Words are matched at the start of a word ("aid" in "aid package", not in "said"); a
    text that names none of the kinds (e.g. talks, which are no hold) gives no item."""
    lowered = text.lower().replace("arms control", "")  # talks, not a hold
    found = PERCENT.search(lowered)
    share = min(1.0, float(found.group(1)) / 100.0) if found else LEVERAGE_SHARE
    items = [kind for kind, words in LEVERAGE_WORDS.items()
             if any(re.search(r"\b" + w, lowered) for w in words)]
    share = min(share, 1.0 / max(1, len(items)))  # the shares of one state add to at most 1
    return [{"item": kind, "share": share} for kind in items]


STATE_ID = re.compile(r"^[A-Z]{3,8}$")


def why_not(row: FirstResponse) -> str | None:
    """Why a row cannot be a scenario yet (None if it can): the format's limits."""
    for side in (row.initiator, row.target):
        if not STATE_ID.match(side):
            return f"{side!r} is not a state id the scenario format takes (3 to 8 letters)"
    if not (row.move_persons or row.move_facilities) and \
            _instrument(row.move_type) not in STAFF_FREE:
        return (f"a {row.move_type} that touches no persons or sites: the scenario format "
                "cannot express it")
    return None


def episodes(path: str | None = None) -> dict[str, FirstResponse]:
    """The data set's rows that can be scenarios, by response id."""
    return {r.response_id: r for r in load_first_responses(path) if why_not(r) is None}


def scenario_of(row: FirstResponse) -> dict[str, Any]:
    """The scenario of one data-set row, as a dict for `sim.load`; a row the format cannot
    express is refused with a one-line ScenarioError naming the row and why."""
    problem = why_not(row)
    if problem is not None:
        raise ScenarioError(problem, file="data/first_responses.csv",
                            field=row.response_id)
    i, t = row.initiator, row.target
    conventions = []
    staff_i = row.initiator_staff_in_target
    staff_t = row.target_staff_in_initiator
    persons = row.move_persons or 0
    sites = row.move_facilities or 0
    # only facts known before the answer build the scenario: the recorded answer is what
    # the model is scored on, so it must not size either mission
    if staff_i is None or staff_t is None:
        conventions.append(f"missions not sourced: assumed a typical {TYPICAL_MISSION} staff, "
                           "and never fewer than the move took")
        staff_i = staff_i if staff_i is not None else max(TYPICAL_MISSION, persons)
        staff_t = staff_t if staff_t is not None else max(TYPICAL_MISSION, persons)
    power_i, power_t = POWER.get(row.power_asymmetry or "similar", (1.0, 1.0))
    if row.power_asymmetry:
        conventions.append(f"power coded {row.power_asymmetry}: {power_i:g} against "
                           f"{power_t:g}")
    dependence = DEPENDENCE.get(row.target_dependence or "none", 0.0)
    if row.target_dependence:
        conventions.append(f"dependence coded {row.target_dependence}: {dependence:g}")
    last = row.response_date or row.date
    end = last + dt.timedelta(days=HORIZON_DAYS)
    target: dict[str, Any] = {"name": t, "power": power_t,
                              "missions": {i: max(staff_t, persons)},
                              "facilities": {i: sites}}
    if dependence:
        target["dependence"] = {i: dependence}
    if row.at_war:
        target["wars"] = [{"start": (row.date - dt.timedelta(days=1)).isoformat()}]
    initiator: dict[str, Any] = {"name": i, "power": power_i,
                                 "missions": {t: staff_i},
                                 "facilities": {t: sites}}
    move: dict[str, Any] = {
        "date": row.date.isoformat(), "type": _instrument(row.move_type),
        "actor": i, "target": t, "persons": persons, "facilities": sites,
        "note": f"{row.move_type}: {row.move_ranks or 'staff'}"[:200]}
    if move["type"] == "cap":
        move["deadline"] = (row.date + dt.timedelta(days=CAP_DAYS)).isoformat()
        conventions.append(f"the ceiling's deadline not coded: {CAP_DAYS} days after the move")
    if row.move_ranks:
        move["ranks"] = row.move_ranks[:200]
    if row.status is not None:
        move["status"] = row.status
    else:
        conventions.append("status not coded: accredited")
    if row.coalition_size > 1:
        move["coalition"] = row.coalition_size
    if row.divided_initiator:
        move["divided"] = True
    events: list[dict[str, Any]] = [move]
    if row.summit_pending:
        target["summits"] = [{"counterpart": i, "start": row.date.isoformat(),
                              "end": (row.date + dt.timedelta(days=SUMMIT_DAYS)).isoformat()}]
        conventions.append(f"summit pending, undated: held {SUMMIT_DAYS} days after the move")
    seeking = bool(row.new_target_leader_seeking_better_relations)
    if row.target_transition_pending or seeking:
        change: dict[str, Any] = {
            "start": row.date.isoformat(),
            "end": (row.date + dt.timedelta(days=TRANSITION_DAYS)).isoformat()}
        if seeking:
            change["seeks_better_relations_with"] = [i]
        target["transitions"] = [change]
        conventions.append(f"{t}'s leadership change taken as running {TRANSITION_DAYS} days "
                           "from the move")
    items = leverage_items(row.leverage)
    if items:
        target["leverage"] = {i: items}
        conventions.append(f"leverage coded in words, taken as {i}'s hold over {t}: "
                           + ", ".join(f"{x['item']} {x['share']:g}" for x in items))
    if row.statement_level in ("spokesman", "minister", "leader"):
        events.append({"date": row.date.isoformat(), "type": "statement", "actor": t,
                       "target": i, "level": row.statement_level})
    if row.reassurance:
        events.append({"date": row.date.isoformat(), "type": "statement", "actor": i,
                       "target": t, "level": "minister", "kind": "reassurance"})
    history: dict[str, Any] | None = None
    if row.response_category is not None:
        response: dict[str, Any] = {
            "actor": t, "target": i, "trigger_date": row.date.isoformat(),
            "trigger_persons": persons, "action": _instrument(row.response_type),
            "persons": row.response_persons or 0,
            "facilities": row.response_facilities or 0,
            "category": row.response_category}
        if row.response_date is not None and row.response_category != "none":
            response["date"] = row.response_date.isoformat()
        history = {"responses": [response], "sources": [f"data/sources.csv {s}"
                                                        for s in row.sources]}
    description = ("From data/first_responses.csv row " + row.response_id + ". "
                   + ("Conventions: " + "; ".join(conventions) + "." if conventions
                      else "Every figure from the row."))
    name = "data-" + "".join(c if c.isalnum() or c in "-_." else "-"
                             for c in row.response_id)[:90]
    doc: dict[str, Any] = {
        "name": name,
        "title": f"{i} -> {t}, {row.date.isoformat()}: {row.move_type} (data set)",
        "description": description,
        "start": (row.date - dt.timedelta(days=1)).isoformat(),
        "end": end.isoformat(),
        "seed": 1,
        "states": {i: initiator, t: target},
        "events": events,
    }
    if history is not None:
        doc["history"] = history
    return doc
