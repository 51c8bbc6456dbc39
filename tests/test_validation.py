"""The validation scorecard and the calibration machinery."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.analysis import calibration, validation
from sim.game import params
from tests.conftest import SCENARIOS, run_cli

REQUIRED = ["scenario", "actor", "target", "predicted", "recorded", "predicted_persons",
            "recorded_persons", "predicted_delay_days", "recorded_delay_days"]


def test_size_and_delay_tolerances():
    assert validation.size_ok(34, 37) and not validation.size_ok(30, 37)
    assert validation.size_ok(0, 0) and not validation.size_ok(1, 0)
    assert validation.delay_ok(None, None) and not validation.delay_ok(None, 2)
    assert validation.delay_ok(4, 1) and not validation.delay_ok(5, 1)


def test_2016_scorecard_against_the_baseline():
    frame = validation.scorecard([SCENARIOS / "2016.yaml"])
    model, base = validation.shares(frame), validation.shares(frame, "baseline")
    assert (model.n, model.category, model.size, model.delay) == (4, 1.0, 1.0, 1.0)
    # tit for tat answers 35 the next day, 0 for the bill, 755 for the cap, 0 for the sites
    assert frame["baseline_persons"].tolist() == [35, 0, 755, 0]
    assert (base.category, base.size, base.delay) == (0.0, 0.25, 0.25)


def test_validate_command_writes_the_scorecard(tmp_path: Path):
    out = tmp_path / "v"
    proc = run_cli("validate", SCENARIOS / "2016.yaml", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "category right" in proc.stdout
    with (out / "scorecard.csv").open() as fh:
        header = next(csv.reader(fh))
    assert header[:9] == REQUIRED
    assert (out / "scorecard.png").stat().st_size > 10_000


def test_grid_parsing_and_combinations():
    grid = calibration.parse_grid(["deliberation_days=1,2", "reassured_share=0.5,0.75"])
    assert grid == {"deliberation_days": [1, 2], "reassured_share": [0.5, 0.75]}
    assert len(calibration.combinations(grid)) == 4
    with pytest.raises(ValueError, match="NAME=V1"):
        calibration.parse_grid(["no_such_parameter=1"])


def test_ties_go_to_the_current_defaults():
    trials = calibration.search([SCENARIOS / "2016.yaml"], {"deliberation_days": [3, 1, 2]})
    assert trials[0].values == {"deliberation_days": params.DEFAULTS.deliberation_days}
