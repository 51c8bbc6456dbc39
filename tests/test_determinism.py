"""Same scenario and seed: byte-identical files, in one process, across processes, serially
or in parallel, and under Python 3.12 and 3.13 (when SIM_PYTHON_313 names a 3.13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.reports.run_files import write_all
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


# --- serially or in parallel; under another Python -------------------------------------

NOISY = ("behaviour.perception_noise=0.3",)  # declared noise: the seed decides what happens
SEEDS = (1, 2, 3, 4)


def write_seed(job: tuple[str, int, str]) -> str:
    """One replicate, as a worker of a process pool runs it (module level: picklable)."""
    scenario, seed, out = job
    result = sim.run(sim.load(scenario, NOISY), seed=seed)
    return str(write_all(result, Path(out), charts=False))


@pytest.mark.slow
def test_parallel_workers_write_the_same_bytes_as_a_serial_loop(tmp_path: Path):
    """Spawned processes (fresh interpreters, as on macOS and Windows) in any order."""
    import multiprocessing

    scenario = str(ROOT / "scenarios" / "2016.yaml")
    serial = [write_seed((scenario, s, str(tmp_path / f"serial{s}"))) for s in SEEDS]
    jobs = [(scenario, s, str(tmp_path / f"parallel{s}")) for s in reversed(SEEDS)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        parallel = sorted(pool.map(write_seed, jobs, chunksize=1))
    for a, b in zip(serial, parallel, strict=True):
        for name in FILES:
            assert (Path(a) / name).read_bytes() == (Path(b) / name).read_bytes(), (a, name)
    decisions = {(Path(a) / "decisions.csv").read_bytes() for a in serial}
    assert len(decisions) > 1, "the seeds made no difference: the comparison proves nothing"


OTHER_PYTHON = os.environ.get("SIM_PYTHON_313", "")
CHARTS = ("timeline.png", "belief.png", "utilities.png")


@pytest.mark.skipif(not OTHER_PYTHON, reason=(
    "SIM_PYTHON_313 is not set: point it at a Python 3.13 with sim installed "
    "(bash .ci/run prepares .venv-3.13 and sets it when python3.13 is available)"))
def test_python_313_writes_the_same_bytes_as_this_python(tmp_path: Path):
    """Tables byte for byte, the summary but for the Python version it records, and the
    charts; if a chart differs, the message says which renderer versions drew each."""
    here = write_all(sim.run(sim.load(ROOT / "scenarios" / "2016.yaml", NOISY), seed=7),
                     tmp_path / "here")
    there = tmp_path / "there"
    proc = subprocess.run(
        [OTHER_PYTHON, "-m", "sim", str(ROOT / "scenarios" / "2016.yaml"), "--out", str(there),
         "--quiet", "--seed", "7", "--set", NOISY[0]],
        cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"}, capture_output=True, text=True,
        timeout=300)
    assert proc.returncode == 0, proc.stderr
    mine, theirs = (json.loads((d / "summary.json").read_text()) for d in (here, there))
    versions = mine.pop("versions"), theirs.pop("versions")
    python = versions[0]["python"], versions[1]["python"]
    assert python[1].startswith("3.13"), f"SIM_PYTHON_313 runs Python {python[1]}"
    packages = "; ".join(f"{k} {versions[0][k]} vs {versions[1].get(k)}"
                         for k in sorted(versions[0]) if k != "python"
                         and versions[0][k] != versions[1].get(k)) or "same packages"
    why = f"Python {python[0]} vs {python[1]}, {packages}"
    assert mine == theirs, f"summary.json differs beyond the versions it records ({why})"
    for name in FILES[:-1]:
        assert (here / name).read_bytes() == (there / name).read_bytes(), f"{name}: {why}"
    for name in CHARTS:
        if (here / name).read_bytes() != (there / name).read_bytes():
            pytest.fail(f"{name} differs ({why}): drawn with {renderer(sys.executable)} and "
                        f"{renderer(OTHER_PYTHON)}")


def renderer(python: str) -> str:
    code = ("import matplotlib, matplotlib.ft2font as f; "
            "print(f'matplotlib {matplotlib.__version__}, freetype {f.__freetype_version__}')")
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip()
