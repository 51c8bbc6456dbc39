"""Broken scenarios: each gives one line naming the file, the line and the field.

Every file in tests/bad_scenarios/ starts with ``# expect: <text the error must contain>``
and, where the line is known, ``# line: N``. Files that cannot carry a comment (empty,
binary) have their expectation here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sim
from sim.scenario import yamlsafe
from tests.conftest import ROOT, run_cli

BAD = ROOT / "tests" / "bad_scenarios"
SPECIAL = {"empty_file.yaml": ("file is empty", None), "binary_garbage.yaml": ("not UTF-8", None)}
CASES = sorted(BAD.glob("*.yaml"))


def expectation(path: Path) -> tuple[str, int | None]:
    if path.name in SPECIAL:
        return SPECIAL[path.name]
    # Some files are deliberately not UTF-8 after their (ASCII) header.
    head = path.read_bytes().decode("utf-8", errors="replace").splitlines()[:4]
    expect = next(re.sub(r"^# expect: ", "", h) for h in head if h.startswith("# expect: "))
    lines = [int(h.split(":")[1]) for h in head if h.startswith("# line: ")]
    return expect, lines[0] if lines else None


def test_the_corpus_is_there():
    assert len(CASES) >= 40


@pytest.mark.parametrize("parser", sorted(yamlsafe.LOADERS))
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_bad_scenario_gives_one_clear_line(path: Path, parser: str, monkeypatch):
    """The same message with libyaml's parser (used when PyYAML has it) and PyYAML's own."""
    monkeypatch.setattr(yamlsafe, "PARSER", parser)
    expect, line = expectation(path)
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expect in message
    if line is not None:
        assert message.startswith(f"{path}:{line}: "), message


def test_unsafe_yaml_tag_executes_nothing(tmp_path: Path):
    marker = tmp_path / "hacked"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f"name: x\ntitle: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(sim.ScenarioError, match="unsupported YAML tag"):
        sim.load(bad)
    assert not marker.exists()


@pytest.mark.parametrize("name", ["negative_count", "yaml_syntax_unclosed_bracket",
                                  "unknown_state_in_event"])
def test_cli_exits_2_with_one_line_and_writes_nothing(tmp_path: Path, name: str):
    out = tmp_path / "results"
    proc = run_cli(BAD / f"{name}.yaml", "--out", out)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_bad_override_is_named_as_such(tmp_path: Path):
    proc = run_cli(ROOT / "scenarios" / "2016.yaml", "--out", tmp_path / "r",
                   "--set", "events.0.persons=-1")
    assert proc.returncode == 2
    assert "events[0].persons" in proc.stderr and "--set" in proc.stderr


# Every kind of broken file issue 7 lists, by the corpus file that holds it (the 50 MB
# file is generated in tests/test_hostile_input.py, never committed).
KINDS = {
    "YAML syntax": "yaml_syntax_unclosed_bracket", "tabs": "yaml_tab_indent",
    "duplicate keys": "duplicate_key", "wrong types": "wrong_type_persons_string",
    "unknown field, did you mean": "unknown_field_near_miss",
    "unknown state id in an event": "unknown_state_in_event",
    "event before the start": "event_before_start", "event after the end": "event_after_end",
    "events out of order": "events_out_of_order",
    "administrations overlapping": "administrations_overlap",
    "administrations leaving a gap": "administrations_gap",
    "negative count": "negative_count", "non-integer count": "non_integer_count",
    "expelling more than the mission": "expel_more_than_mission",
    "probability above 1": "probability_above_one", "probability below 0": "probability_negative",
    "probabilities not summing to 1": "prior_not_summing_to_one",
    "empty file": "empty_file", "a list": "top_level_list", "binary garbage": "binary_garbage",
    "deep nesting, flow": "deep_nesting_flow", "deep nesting, block": "deep_nesting_block",
    "billion laughs": "alias_bomb_billion_laughs",
}


def test_every_kind_the_issue_lists_is_in_the_corpus():
    missing = {kind: name for kind, name in KINDS.items() if not (BAD / f"{name}.yaml").exists()}
    assert not missing


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_command_line_exits_2_on_every_broken_file(tmp_path: Path, path: Path, capsys):
    """In-process, so that the whole corpus is cheap: code 2, one line, nothing written."""
    from sim.cli.main import main

    out = tmp_path / "results"
    assert main([str(path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith(f"error: {path}")
    assert not out.exists() and list(tmp_path.iterdir()) == []


# Every input the "nothing lost, nothing misleading" issue lists that a file can carry.
KINDS_HOSTILE = {
    "prior of 1, then impossible evidence": "prior_one_then_impossible_evidence",
    "freedom 0, then impossible evidence": "freedom_zero_then_impossible_evidence",
    "mission of 10^30": "mission_ten_to_thirty", "mission of 2^63": "mission_two_to_sixty_three",
    "power: .inf": "power_infinite", "seed beyond 2^32": "seed_too_large",
    "1e308 read as text": "number_exponent_without_dot", "state id YES": "state_id_yes",
    "non-breaking spaces": "non_breaking_space_indent",
    "look-alike letters": "lookalike_letter_in_id", "name of 240 characters": "name_too_long",
    "history response after the end": "history_response_after_end",
    "trigger date with no event": "history_trigger_without_event",
}


def test_every_hostile_kind_is_in_the_corpus():
    missing = {k: n for k, n in KINDS_HOSTILE.items() if not (BAD / f"{n}.yaml").exists()}
    assert not missing
