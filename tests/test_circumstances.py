"""The circumstances of a move in the engine (docs/model.md section 4b): each mechanism
changes a two-state scenario's first answer as its terms, computed by hand, say."""

from __future__ import annotations

import math
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




def test_without_circumstances_the_target_answers_in_kind_the_next_day():
    date, persons, d = first_answer(scenario())
    assert (date, persons) == ("2001-01-11", 10)
    q = float(d["reply_probability"])
    assert float(d["eu_retaliate"]) == pytest.approx(1.0 - q * DEFAULTS.reply_cost, abs=5e-4)


def test_a_pending_summit_delays_the_answer_to_its_end_and_shrinks_it():
    summit = [{"counterpart": "AAA", "start": "2001-01-01", "end": "2001-02-15"}]
    date, persons, d = first_answer(scenario(summits=summit))
    # N = 1 - 0.3 q; EU retaliate N - 0.5 against EU wait 0.9 N: waiting wins while pending
    assert d["choice"] == "wait"
    q = float(d["reply_probability"])
    assert float(d["eu_retaliate"]) == pytest.approx(
        1.0 - 0.3 * q - DEFAULTS.summit_stake, abs=5e-4)
    assert date == "2001-02-16" and persons == 5  # the day after; half of 10
    assert d["reason"].startswith("a summit or negotiation is pending: waiting keeps it")


def test_a_summit_listed_by_the_initiator_binds_the_pair_too():
    doc = scenario()
    doc["states"]["AAA"]["summits"] = [{"counterpart": "BBB", "start": "2001-01-01",
                                        "end": "2001-02-15"}]
    assert first_answer(doc)[:2] == ("2001-02-16", 5)


def test_a_new_leader_seeking_better_relations_lets_the_move_go():
    change = [{"start": "2001-01-01", "seeks_better_relations_with": ["AAA"]}]
    # N = 1 - 0.3 = 0.7 (q = 1) against L = 1 for letting go
    date, _, d = first_answer(scenario(transitions=change, policy=DOUBLE))
    assert date is None and d["choice"] == "let go"
    assert d["reason"].startswith("letting go is worth the better relations its leader seeks")
    assert float(d["eu_let_go"]) == pytest.approx(DEFAULTS.relationship_value, abs=5e-4)
    # a transition alone (no one sought) leaves the answer as it was
    assert first_answer(scenario(transitions=[{"start": "2001-01-01"}]))[:2] == (
        "2001-01-11", 10)


def test_leverage_and_a_coalition_multiply_the_reply_cost():
    lever = {"AAA": [{"item": "arms", "share": 0.2}, {"item": "energy", "share": 0.3}]}
    doc = scenario({"coalition": 29}, leverage=lever, policy=DOUBLE)
    _, _, d = first_answer(doc)
    q = float(d["reply_probability"])
    assert q == 1.0
    m = (1 + 2.0 * 0.5) * (1 + 0.3 * math.log(29))  # 2 x 2.0102 = 4.0204
    assert float(d["eu_retaliate"]) == pytest.approx(1.0 - q * 0.3 * m, abs=5e-4)
    # with a steeper coalition cost answering costs more than it is worth: let go
    doc["behaviour"] = {"coalition_cost": 1.0}
    date, _, d = first_answer(doc)
    assert date is None and d["choice"] == "let go"


def test_a_divided_initiator_and_disputed_status_lower_the_value_of_answering():
    _, _, d = first_answer(scenario({"divided": True, "status": "disputed"}, policy=DOUBLE))
    q = float(d["reply_probability"])
    assert q == 1.0
    assert float(d["eu_retaliate"]) == pytest.approx((1 - 0.5) * (1 - 0.25) - 0.3 * q, abs=5e-4)


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
