"""The circumstances of a move in the engine (docs/model.md section 4b): each mechanism
changes a two-state scenario's first answer as its terms, computed by hand, say."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

import sim
from sim.engine.world import World
from sim.game.params import DEFAULTS

# BBB answers twice what it is owed, so AAA banks the excess and replies (q > 0)
DOUBLE = {"name": "best_response", "ratio": 2.0}


def scenario(move: dict[str, Any] | None = None, **target: Any) -> dict[str, Any]:
    """AAA moves against BBB on 2001-01-10 (by default: expels 10); BBB answers."""
    ev = {"date": "2001-01-10", "type": "expel", "actor": "AAA", "target": "BBB",
          "persons": 10, **(move or {})}
    bbb = {"name": "B", "missions": {"AAA": 40}, **target}
    return {"name": "t", "title": "t", "start": "2001-01-01", "end": "2001-04-30",
            "states": {"AAA": {"name": "A", "missions": {"BBB": 40}}, "BBB": bbb},
            "events": [ev]}


def first_answer(doc: dict[str, Any]) -> tuple[str | None, int, dict[str, Any]]:
    """BBB's first answer (date, persons) and its first decision, with the expected
    utilities read from the decision's reason."""
    result = sim.run(sim.load(doc))
    acts = result.model_actions()
    mine = acts[(acts["actor"] == "BBB") & (acts["target"] == "AAA")]
    first_decision = dict(result.decisions[result.decisions["actor"] == "BBB"].iloc[0])
    found = re.search(r"EU retaliate ([-+.\d]+), wait ([-+.\d]+), let go ([-+.\d]+)",
                      first_decision["reason"])
    assert found, first_decision["reason"]
    for name, value in zip(("eu_retaliate", "eu_wait", "eu_let_go"), found.groups(),
                           strict=True):
        first_decision[name] = float(value)
    if not len(mine):
        return None, 0, first_decision
    return str(mine.iloc[0]["date"]), int(mine.iloc[0]["persons"]), first_decision




BASE_EU = {}


def base() -> dict[str, Any]:
    """BBB's first decision without circumstances (computed once)."""
    if not BASE_EU:
        BASE_EU.update(first_answer(scenario())[2])
    return BASE_EU


def test_without_circumstances_the_target_answers_the_next_day_in_full():
    date, persons, d = first_answer(scenario())
    assert (date, persons, d["choice"]) == ("2001-01-11", 10, "retaliate")
    assert float(d["reply_probability"]) == 0.0  # an answer in kind settles the account


def test_a_pending_summit_puts_its_stake_on_answering_and_the_answer_waits_for_it():
    summit = [{"counterpart": "AAA", "start": "2001-01-01", "end": "2001-02-15"}]
    date, persons, d = first_answer(scenario(summits=summit))
    # every answer loses the stake sigma: EU retaliate falls by exactly 0.5
    assert d["eu_retaliate"] == pytest.approx(base()["eu_retaliate"] - DEFAULTS.summit_stake,
                                              abs=2e-3)
    assert d["choice"] == "wait" and d["eu_wait"] > d["eu_retaliate"]
    assert d["reason"].startswith("a summit or negotiation is pending: waiting keeps it")
    assert date == "2001-02-16" and persons == 10  # the day after the summit is held


def test_a_summit_listed_by_the_initiator_binds_the_pair_too():
    doc = scenario()
    doc["states"]["AAA"]["summits"] = [{"counterpart": "BBB", "start": "2001-01-01",
                                        "end": "2001-02-15"}]
    assert first_answer(doc)[0] == "2001-02-16"


def test_a_new_leader_seeking_better_relations_lets_the_move_go():
    change = [{"start": "2001-01-01", "seeks_better_relations_with": ["AAA"]}]
    date, _, d = first_answer(scenario(transitions=change))
    # letting go gains L = 1, more than answering is worth (0.875)
    assert date is None and d["choice"] == "let go"
    assert d["reason"].startswith("letting go is worth the better relations its leader seeks")
    assert float(d["eu_let_go"]) == pytest.approx(DEFAULTS.relationship_value, abs=5e-4)
    # a transition alone (no one sought) leaves the answer as it was
    assert first_answer(scenario(transitions=[{"start": "2001-01-01"}]))[:2] == (
        "2001-01-11", 10)


def test_leverage_and_a_coalition_do_not_touch_an_answer_that_invites_no_reply():
    # the reply cost is multiplied by m = (1 + 2 x 0.5)(1 + 0.3 ln 29) = 4.02, but an
    # answer in kind settles the account: no reply is expected, so nothing changes
    lever = {"AAA": [{"item": "arms", "share": 0.2}, {"item": "energy", "share": 0.3}]}
    date, persons, d = first_answer(scenario({"coalition": 29}, leverage=lever))
    assert (date, persons) == ("2001-01-11", 10)
    assert d["eu_retaliate"] == pytest.approx(base()["eu_retaliate"], abs=5e-4)


def test_a_divided_initiator_and_disputed_status_lower_the_value_of_answering():
    _, _, d = first_answer(scenario({"divided": True}))
    _, _, both = first_answer(scenario({"divided": True, "status": "disputed"}))
    assert base()["eu_retaliate"] > d["eu_retaliate"] > both["eu_retaliate"] > 0
    # a value share of 0 (both discounts whole) leaves nothing worth answering for
    doc = scenario({"divided": True})
    doc["behaviour"] = {"divided_discount": 1.0}
    date, _, none = first_answer(doc)
    assert date is None and none["choice"] == "let go"


def test_a_downgrade_is_answered_as_its_severity_and_a_recall_not_at_all():
    doc = scenario({"type": "downgrade", "persons": 0})
    doc["behaviour"] = {"severity_downgrade": 2.0}
    date, persons, _ = first_answer(doc)
    assert (date, persons) == ("2001-01-11", 2)  # weighed as 2 staff, answered in kind
    # by default a downgrade that expels no one, like a recall, leaves nothing to answer
    result = sim.run(sim.load(scenario({"type": "downgrade", "persons": 0})))
    assert not len(result.decisions)  # no grievance: nothing to decide
    # one that expels the ambassador is answered as the one person it expels
    assert first_answer(scenario({"type": "downgrade", "persons": 1}))[:2] == ("2001-01-11", 1)
    result = sim.run(sim.load(scenario({"type": "recall", "persons": 0})))
    acts = result.model_actions()
    assert not len(acts[acts["actor"] == "BBB"])
    # a severity set in the scenario is the one weighed
    doc = scenario({"type": "visa_ban", "persons": 0})
    doc["behaviour"] = {"severity_visa_ban": 3.0}
    assert first_answer(doc)[:2] == ("2001-01-11", 3)


def test_severities_are_the_same_in_every_run_of_a_batch():
    spec = sim.load(scenario()).spec
    own = {s: spec.behaviour_of(s) for s in spec.states}
    other = {s: b.updated({"severity_recall": 2.0}) for s, b in own.items()}
    with pytest.raises(ValueError, match="severity_recall must be the same"):
        World.build(spec, behaviours=[own, other])
    world = World.build(spec, behaviours=[other, other])
    assert world.plan.severity["BBB"]["severity_recall"] == 2.0
    assert np.all(world.beh["BBB"]["severity_recall"] == 2.0)


def test_bad_circumstances_are_refused_with_one_line():
    bad = scenario(summits=[{"counterpart": "CCC", "start": "2001-01-01", "end": "2001-02-01"}])
    with pytest.raises(sim.ScenarioError, match=r"summits\[0\]\.counterpart"):
        sim.load(bad)
    bad = scenario(leverage={"AAA": [{"item": "arms", "share": 0.7},
                                     {"item": "aid", "share": 0.6}]})
    with pytest.raises(sim.ScenarioError, match=r"add up to 1\.3"):
        sim.load(bad)
    with pytest.raises(sim.ScenarioError, match="only a cap has a deadline"):
        sim.load(scenario({"deadline": "2001-02-01"}))


def test_a_cap_bites_at_its_deadline_and_is_answered_after_it():
    doc = scenario({"type": "cap", "persons": 10, "deadline": "2001-02-09"})
    result = sim.run(sim.load(doc))
    scenario_move = result.events.iloc[0]
    assert scenario_move["date"] == "2001-02-09"  # staff leave at the deadline
    assert "cap announced 2001-01-10" in scenario_move["reason"]
    assert first_answer(doc)[:2] == ("2001-02-10", 10)  # deliberation_days 1 after it
    late = scenario({"type": "cap", "persons": 10, "deadline": "2001-05-01"})
    with pytest.raises(sim.ScenarioError, match="after the scenario's end"):
        sim.load(late)
