"""The command line as a user runs it: a subprocess, files on disk, exit codes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

SCENARIO = ROOT / "scenarios" / "2016.yaml"


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("cli") / "r2016"
    proc = run_cli(SCENARIO, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stdout


def test_writes_every_output(cli_run):
    out, _ = cli_run
    names = {p.name for p in out.iterdir()}
    assert {"events.csv", "timeseries.csv", "decisions.csv", "summary.json", "timeline.png",
            "belief.png", "utilities.png"} <= names
    for png in ("timeline.png", "belief.png", "utilities.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert (out / png).stat().st_size > 20_000


def test_events_csv_columns_and_rows(cli_run):
    out, _ = cli_run
    with (out / "events.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:6] == ["date", "actor", "target", "action", "persons", "facilities"]
    assert [(r["date"], r["actor"], r["action"], r["persons"]) for r in rows] == [
        ("2016-12-29", "USA", "expel", "35"),
        ("2017-07-28", "RUS", "cap", "755"),
        ("2017-08-28", "USA", "close", "0"),
    ]


def test_timeseries_has_one_row_per_day_and_pair(cli_run):
    out, _ = cli_run
    with (out / "timeseries.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    days = 290  # 2016-12-15 to 2017-09-30 inclusive
    assert len(rows) == 2 * days
    assert {"p_reset", "threshold", "eu_retaliate", "eu_wait", "owed_persons",
            "staff_actor_in_counterpart"} <= set(rows[0])


def test_summary_records_provenance_and_history(cli_run):
    out, _ = cli_run
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 2016
    assert len(summary["scenario"]["sha256"]) == 64
    assert {"python", "mesa", "numpy"} <= set(summary["versions"])
    assert [h["category_match"] for h in summary["history"]] == [True] * 4
    assert len(summary["actions"]) == 3


def test_timeline_prints_each_decision_with_its_reason(cli_run):
    _, stdout = cli_run
    assert "2016-12-30  RUS waits on USA: belief in reset 0.42 > threshold 0.16" in stdout
    assert "2017-07-28  RUS retaliates on USA: belief in reset 0.00 <= threshold 0.15" in stdout
    assert "category matches: 4 of 4" in stdout


def test_set_and_seed_and_quiet(tmp_path: Path):
    out = tmp_path / "what_if"
    proc = run_cli(SCENARIO, "--out", out, "--seed", "7", "--quiet", "--no-charts",
                   "--set", "states.USA.administrations.trump.prior="
                            "{accommodating: 0.05, hawkish: 0.95}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(f"wrote {out}/")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 7
    assert summary["scenario"]["overrides"] == [
        "states.USA.administrations.trump.prior={'accommodating': 0.05, 'hawkish': 0.95}"]
    with (out / "events.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert (rows[1]["date"], rows[1]["action"], rows[1]["persons"]) == ("2016-12-30", "expel",
                                                                        "35")


def test_refuses_to_overwrite_another_scenarios_results(tmp_path: Path):
    out = tmp_path / "shared"
    assert run_cli(SCENARIO, "--out", out, "--quiet", "--no-charts").returncode == 0
    other = ROOT / "scenarios" / "2016_hawkish_successor.yaml"
    proc = run_cli(other, "--out", out, "--quiet", "--no-charts")
    assert proc.returncode == 2 and "--force" in proc.stderr
    assert json.loads((out / "summary.json").read_text())["scenario"]["name"] == "2016"
    assert run_cli(other, "--out", out, "--quiet", "--no-charts", "--force").returncode == 0
