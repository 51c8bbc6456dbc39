"""Fuzzing: whatever the document, loading and running succeed or raise ScenarioError.

Documents come from tests/scenario_strategies.py: valid scenarios, valid ones with one to
three mistakes, and the YAML text of valid ones with characters inserted, deleted or
replaced. Nothing else may escape: no TypeError from a comparison, no OverflowError from
a date, no traceback for the user. The examples are derandomized (the same ones on every
run, on every machine) and few enough to take seconds; raise FUZZ_EXAMPLES to search
harder locally, e.g. ``FUZZ_EXAMPLES=5000 pytest tests/test_fuzz.py``.

Crashes found so far, fixed at their cause and kept as explicit cases below and in
tests/bad_scenarios/: dates near 9999-12-31 (an OverflowError mid-run), a control
character (a ReaderError raised outside the loader's error handling), a run in which
nobody acted compared with a recorded history (a TypeError on an empty table).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import sim
from sim.analysis.comparison import compare
from sim.reports.run_files import summary, write_tables
from sim.scenario import yamlsafe
from tests import scenario_strategies as strategies
from tests.conftest import ROOT

SCALE = int(os.environ.get("FUZZ_EXAMPLES", "0")) or None


def fuzz(examples: int) -> settings:
    return settings(max_examples=SCALE or examples, deadline=None, derandomize=True,
                    database=None, suppress_health_check=[HealthCheck.too_slow])


def load_and_run(source: Any) -> sim.RunResult:
    """What a user's command does with a scenario, short of drawing charts."""
    result = sim.run(sim.load(source))
    compare(result)
    sim.outcome(result)
    with tempfile.TemporaryDirectory() as folder:
        write_tables(result, Path(folder))
    summary(result, [])
    return result


def assert_one_clear_line(error: sim.ScenarioError, source: str) -> None:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    assert text.startswith(source), text


@fuzz(40)
@given(strategies.scenarios())
def test_valid_scenarios_load_and_run_from_a_dict_and_from_yaml(doc: dict[str, Any]):
    result = load_and_run(doc)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(strategies.dump(doc))
        assert sim.load(path).spec == result.scenario.spec


@fuzz(250)
@given(strategies.mutated())
def test_broken_scenarios_run_or_say_what_is_wrong(doc: dict[str, Any]):
    try:
        load_and_run(doc)
    except sim.ScenarioError as error:
        assert_one_clear_line(error, "<dict>")


@fuzz(40)
@given(strategies.shifted())
def test_scenarios_anywhere_in_the_calendar_run_or_say_what_is_wrong(doc: dict[str, Any]):
    try:
        load_and_run(doc)
    except sim.ScenarioError as error:
        assert_one_clear_line(error, "<dict>")


@fuzz(150)
@given(strategies.edited_text())
def test_edited_yaml_text_runs_or_says_what_is_wrong(raw: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "edited.yaml"
        path.write_bytes(raw)
        try:
            load_and_run(path)
        except sim.ScenarioError as error:
            assert_one_clear_line(error, str(path))


# --- what fuzzing found, kept ---------------------------------------------------------

MINIMAL = ROOT / "tests" / "bad_scenarios" / "non_integer_count.yaml"


def minimal() -> dict[str, Any]:
    return sim.load(MINIMAL, ["events.0.persons=10"]).spec.model_dump(exclude_defaults=True)


def test_nobody_acting_is_compared_with_history_without_error():
    """An empty table of actions used to have float columns; comparing dates raised."""
    doc = minimal()
    doc["events"] = []
    doc["history"] = {"responses": [{"actor": "BBB", "target": "AAA",
                                     "trigger_date": doc["start"], "action": "none",
                                     "category": "none"}]}
    result = load_and_run(doc)
    assert len(result.events) == 0
    assert [c.predicted for c in compare(result)] == ["none"]


def test_a_scenario_at_the_end_of_the_calendar_is_refused_before_running():
    """Used to overflow mid-run, adding the honeymoon to an administration's start."""
    doc = minimal()
    shift = strategies.dt.date(9999, 6, 1) - doc["start"]
    strategies._shift_all(doc, shift)
    with pytest.raises(sim.ScenarioError, match=r"^<dict>: end: 9999-.* is too late"):
        load_and_run(doc)


@pytest.mark.parametrize("parser", sorted(yamlsafe.LOADERS))
@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x7f", "\ufffe"])
def test_a_control_character_names_its_line(tmp_path: Path, char: str, parser: str,
                                            monkeypatch):
    """Used to escape as a yaml ReaderError, raised before the parser's error handling."""
    monkeypatch.setattr(yamlsafe, "PARSER", parser)
    text = "# é, ü: two-byte characters before it shift a byte offset, not a line\n" + \
        MINIMAL.read_text().replace("name: Beta", f"name: Be{char}ta")
    line = text.splitlines().index(f"    name: Be{char}ta") + 1
    path = tmp_path / "pasted.yaml"
    path.write_text(text)
    with pytest.raises(sim.ScenarioError, match="is not allowed in YAML") as info:
        sim.load(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
