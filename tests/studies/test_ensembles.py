"""Ensembles: seeded replicates, the same rows however they run, files and charts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import sim
from sim.analysis.outcomes import derive_seeds
from sim.experiments.ensemble import ensemble
from sim.reports.study_files import write_ensemble
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "2016.yaml"
NOISY = {"behaviour.perception_noise": 0.3, "behaviour.precision": 3.0}


@pytest.fixture(scope="module")
def noisy_runs():
    # 12 runs: the veto-proof bill binds whatever is misread, so Russia's cap to parity is
    # robust to noise; the 12th replicate misreads the spring's evidence and answers in
    # kind (the first 11 do not).
    return ensemble(SCENARIO, 12, overrides=NOISY, workers=1)


def test_replicates_use_the_derived_seeds_and_vary_only_with_noise(noisy_runs):
    assert list(noisy_runs["run"]) == list(range(12))
    assert list(noisy_runs["seed"]) == derive_seeds(2016, 12)
    assert noisy_runs["category"].nunique() > 1
    # no noise and a precise response (lambda 1000): every replicate is the most likely run
    quiet = ensemble(SCENARIO, 3, workers=1, overrides={"behaviour.precision": 1000})
    assert set(quiet["delay_days"]) == {211} and set(quiet["first_choice"]) == {"wait"}
    # at the default precision the replicates draw their decisions: July's cap (0.999 on
    # 28 Jul) in nearly every run
    drawn = ensemble(SCENARIO, 20, workers=1)
    assert set(drawn["first_choice"]) == {"wait"}
    assert (drawn["category"] == "larger").mean() >= 0.9


def test_run_many_is_the_ensemble_without_the_run_number(noisy_runs):
    many = sim.run_many(SCENARIO, 12, overrides=NOISY)
    assert many.equals(noisy_runs.drop(columns="run"))


def test_a_local_pool_gives_the_rows_of_one_process(noisy_runs):
    pooled = ensemble(SCENARIO, 12, overrides=NOISY, workers=2, chunk_size=3)
    assert pooled.equals(noisy_runs)


def test_an_ensemble_folder_is_written_whole_and_byte_for_byte_again(noisy_runs,
                                                                     tmp_path: Path):
    loaded = sim.load(SCENARIO, NOISY)
    a = write_ensemble(noisy_runs, loaded, tmp_path / "a", seed=2016, runner="mesa")
    b = write_ensemble(noisy_runs, loaded, tmp_path / "b", seed=2016, runner="mesa")
    names = sorted(p.name for p in a.iterdir())
    assert names == [".sim-results", "retaliation.png", "runs.csv", "size.png", "summary.json"]
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert not list(tmp_path.glob(".*partial"))


def test_the_command_line_ensemble(noisy_runs, tmp_path: Path, cli):
    out = tmp_path / "ens"
    proc = cli(SCENARIO, "--runs", "12", "--set", "behaviour.perception_noise=0.3",
               "--set", "behaviour.precision=3.0", "--out", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    with (out / "runs.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["seed"]) for r in rows] == list(noisy_runs["seed"])
    assert [r["category"] for r in rows] == list(noisy_runs["category"])
    assert all(r["delay_days"] == "" or r["delay_days"].isdigit() for r in rows)  # whole days
    summary = json.loads((out / "summary.json").read_text())
    answered = float((noisy_runs["category"] != "none").mean())
    assert summary["kind"] == "ensemble" and summary["runs"] == 12
    assert summary["outcome"]["p_retaliated"] == pytest.approx(answered)
    assert f"RUS answers USA in {answered:.0%}" in proc.stdout
    for png in ("retaliation.png", "size.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_runs_is_refused_by_the_parser(cli):
    proc = cli(SCENARIO, "--runs", "0")
    assert proc.returncode == 2
    assert "--runs: 0 is not 1 or more" in proc.stderr
