"""Same scenario and seed: byte-identical files, in one process and across processes."""

from __future__ import annotations

from pathlib import Path

import sim
from sim.outputs.files import write_all
from tests.conftest import ROOT, run_cli

FILES = ("events.csv", "timeseries.csv", "decisions.csv", "summary.json")


def test_two_runs_in_one_process_write_identical_files(tmp_path: Path):
    a = write_all(sim.run(ROOT / "scenarios" / "2016.yaml"), tmp_path / "a", charts=False)
    b = write_all(sim.run(ROOT / "scenarios" / "2016.yaml"), tmp_path / "b", charts=False)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_subprocess_writes_the_same_bytes_charts_included(tmp_path: Path):
    here = write_all(sim.run(ROOT / "scenarios" / "2016.yaml"), tmp_path / "here")
    there = tmp_path / "there"
    assert run_cli(ROOT / "scenarios" / "2016.yaml", "--out", there, "--quiet").returncode == 0
    for name in (*FILES, "timeline.png", "belief.png", "utilities.png"):
        assert (here / name).read_bytes() == (there / name).read_bytes(), name


def test_the_seed_is_the_only_source_of_randomness(tmp_path: Path):
    noisy = {"behaviour.perception_noise": 0.3}
    runs = [sim.run(sim.load(ROOT / "scenarios" / "2016.yaml", noisy), seed=s)
            for s in (1, 1, 2)]
    info = [r.information["misread"].tolist() for r in runs]
    assert info[0] == info[1]
    assert runs[0].timeseries.equals(runs[1].timeseries)
    assert info[0] != info[2] or not runs[0].timeseries.equals(runs[2].timeseries)
