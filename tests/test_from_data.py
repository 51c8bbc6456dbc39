"""Rows of the first-response data set as scenarios (`sim.scenario.from_data`): every row
either becomes a scenario that loads and runs, or is refused with the format's reason."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

import sim
from sim.scenario.dataset import load_first_responses
from sim.scenario.from_data import (
    LEVERAGE_SHARE,
    SUMMIT_DAYS,
    episodes,
    leverage_items,
    scenario_of,
    why_not,
)
from tests.conftest import ROOT, run_cli

TABLE = ROOT / "data" / "first_responses.csv"


def test_every_row_becomes_a_scenario_or_says_why_not():
    rows = load_first_responses(TABLE)
    refused = {r.response_id: why_not(r) for r in rows if why_not(r)}
    assert len(episodes(str(TABLE))) + len(refused) == len(rows) == 203
    assert len(refused) == 3  # "EU" is no state id; every instrument is now expressible
    assert all("format" in why for why in refused.values())
    for row in rows:
        if row.response_id in refused:
            with pytest.raises(sim.ScenarioError, match=row.response_id):
                scenario_of(row)
        else:
            sim.load(scenario_of(row))  # checked as any scenario file is


def test_a_row_keeps_its_facts_and_states_its_conventions():
    row = episodes(str(TABLE))["2021-04-cze-rus:CZE-RUS"]
    doc = scenario_of(row)
    move = doc["events"][0]
    assert (move["actor"], move["target"], move["persons"]) == ("CZE", "RUS", 18)
    assert move["date"] == "2021-04-17"
    response = doc["history"]["responses"][0]
    assert (response["actor"], response["target"], response["category"]) == (
        "RUS", "CZE", row.response_category)
    assert "assumed" in doc["description"] and "power coded" in doc["description"]
    result = sim.run(sim.load(doc))
    assert dt.date.fromisoformat(result.events.iloc[0]["date"]) == row.date


def test_the_command_prints_writes_and_never_overwrites(tmp_path):
    rid = "2021-04-cze-rus:CZE-RUS"
    printed = run_cli("scenario", "from-data", TABLE, "--id", rid)
    assert printed.returncode == 0, printed.stderr
    assert yaml.safe_load(printed.stdout)["name"] == "data-2021-04-cze-rus-CZE-RUS"
    out = tmp_path / "cze.yaml"
    assert run_cli("scenario", "from-data", TABLE, "--id", rid, "--out", out).returncode == 0
    assert sim.load(out).spec.name == "data-2021-04-cze-rus-CZE-RUS"
    again = run_cli("scenario", "from-data", TABLE, "--id", rid, "--out", out)
    assert again.returncode == 2 and again.stderr.count("\n") == 1 and "exists" in again.stderr
    missing = run_cli("scenario", "from-data", TABLE, "--id", "nope")
    assert missing.returncode == 2 and "no row with response_id 'nope'" in missing.stderr


def test_the_page_offers_the_data_sets_episodes():
    from sim.viz import page

    found = page.catalog([ROOT])
    labels = [k for k in found if k.startswith("data: ")]
    assert len(labels) == 200
    model = page.PageModel(episode="data: 2021-04-cze-rus:CZE-RUS")
    model.step()
    model.step()
    assert model.spec.name == "data-2021-04-cze-rus-CZE-RUS"


def test_every_coded_circumstance_enters_the_scenario():
    rows = episodes(str(TABLE))
    divided = scenario_of(rows["1986-09-usa-sun-un-mission:USA-SUN:2"])
    move = divided["events"][0]
    assert (move["type"], move["divided"], move["status"]) == ("expel", True, "accredited")
    summit = divided["states"]["SUN"]["summits"][0]
    assert (summit["counterpart"], summit["start"], summit["end"]) == (
        "USA", "1986-10-21", "1986-11-20")  # SUMMIT_DAYS after the move
    assert SUMMIT_DAYS == 30 and "summit pending, undated" in divided["description"]
    wave = scenario_of(rows["2018-03-skripal-wave:MDA-RUS"])
    assert wave["events"][0]["coalition"] == 29
    lever = scenario_of(rows["2018-08-sau-can:SAU-CAN"])
    assert [x["item"] for x in lever["states"]["CAN"]["leverage"]["SAU"]] == [
        "arms", "students", "investment", "trade"]
    assert "taken as SAU's hold over CAN" in lever["description"]
    recall = scenario_of(rows["2021-05-mar-deu-recall:MAR-DEU"])
    assert (recall["events"][0]["type"], recall["events"][0]["persons"]) == ("recall", 0)
    downgrade = scenario_of(rows["2023-01-lva-rus:LVA-RUS"])
    assert downgrade["events"][0]["type"] == "downgrade"
    assert downgrade["events"][0]["ranks"].startswith("ambassador")
    ceiling = scenario_of(rows["2023-07-mda-rus:MDA-RUS"])["events"][0]
    assert (ceiling["type"], ceiling["date"], ceiling["deadline"]) == (
        "cap", "2023-07-26", "2023-08-25")  # CAP_DAYS = 30 after the move
    # the recorded answer keeps its instrument
    nl = scenario_of(rows["1986-09-usa-sun-un-mission:SUN-USA:2"])
    assert nl["history"]["responses"][0]["action"] == "local_hire_ban"
    for doc in (divided, wave, lever, recall, downgrade, nl):
        sim.load(doc)


def test_leverage_words_become_items_with_a_share():
    # a percentage in the text is the share of every item it names
    assert leverage_items("natural gas (about 40 percent of supply)") == [
        {"item": "energy", "share": 0.4}]
    assert leverage_items("aid package; workers abroad") == [
        {"item": "aid", "share": LEVERAGE_SHARE}, {"item": "workers", "share": 0.1}]
    assert leverage_items("arms control talks") == []  # a negotiation, not a hold
    assert leverage_items("a said thing") == []  # "aid" only at the start of a word
    # four items at 40% would exceed the whole stake: each gets a quarter
    assert {x["share"] for x in leverage_items("arms, oil, students, aid: 40%")} == {0.25}


def test_the_recorded_answer_shapes_nothing_but_the_history():
    """The model is scored on the recorded answer, so no part of the scenario it is run on
    may depend on it: change every recorded field of a row and only `history` (and the
    run's horizon, which ends after the recorded date) may differ."""
    import dataclasses

    rows = [r for r in load_first_responses(TABLE) if why_not(r) is None]
    for row in rows:
        other = dataclasses.replace(
            row, response_type="expel", response_persons=(row.response_persons or 0) + 997,
            response_facilities=(row.response_facilities or 0) + 5,
            response_category="larger", response_date=None, delay_days=None)
        a, b = scenario_of(row), scenario_of(other)
        for key in ("states", "events", "start", "description"):
            assert a[key] == b[key], (row.response_id, key)


def test_missions_no_source_gives_are_typical_and_hold_the_move():
    from sim.scenario.from_data import TYPICAL_MISSION

    rows = {r.response_id: r for r in load_first_responses(TABLE) if why_not(r) is None}
    one = scenario_of(rows["2018-08-sau-can:SAU-CAN"])  # one ambassador, no mission sourced
    assert one["states"]["SAU"]["missions"] == {"CAN": TYPICAL_MISSION}
    assert one["states"]["CAN"]["missions"] == {"SAU": TYPICAL_MISSION}
    big = next(r for r in rows.values() if r.initiator_staff_in_target is None
               and r.target_staff_in_initiator is None and (r.move_persons or 0) > 1000)
    doc = scenario_of(big)
    assert doc["states"][big.target]["missions"] == {big.initiator: big.move_persons}
