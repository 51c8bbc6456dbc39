"""Interrupted runs: no half-written results folder, the previous results intact.

A real `python -m sim` is stopped part way with SIGKILL (nothing can clean up) or SIGINT
(Ctrl-C), at two moments: while files are being written into the temporary folder, and
in the instant between moving the previous results aside and moving the new ones in.
The run is held at that moment by the test hook SIM_TEST_PAUSE (sim/io/folders.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import sim
from sim.io import folders
from sim.io.folders import OutputError, recover
from sim.reports import run_files as files
from sim.reports.run_files import write_all
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "2016.yaml"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def hidden(parent: Path) -> list[str]:
    """Hidden entries beside the results, but the lock file (which stays, empty)."""
    return sorted(p.name for p in parent.iterdir()
                  if p.name.startswith(".") and not p.name.endswith(".lock"))


def start_cli(out: Path, pause: str) -> subprocess.Popen[str]:
    """A run of the 2016 scenario into `out`, held SIM_TEST_PAUSE=`pause`."""
    env = {**os.environ, "MPLBACKEND": "Agg", "SIM_TEST_PAUSE": pause}
    return subprocess.Popen(
        [sys.executable, "-m", "sim", str(SCENARIO), "--out", str(out), "--quiet",
         "--no-charts", "--seed", "5"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        assert proc.poll() is None, f"the run ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "the run never reached the pause"
        time.sleep(0.02)


def writing(parent: Path) -> bool:
    """A temporary folder holds the tables: the run is part way through writing."""
    return any((p / "decisions.csv").exists() for p in parent.glob(".results.*.partial"))


@pytest.fixture
def previous(tmp_path: Path, run_2016: sim.RunResult) -> tuple[Path, dict[str, bytes]]:
    """Complete results already in place, from an earlier run."""
    out = write_all(run_2016, tmp_path / "results", charts=False)
    return out, snapshot(out)


def test_sigkill_while_writing_leaves_the_previous_results_intact(previous, run_2016):
    out, before = previous
    proc = start_cli(out, "tables:120")
    wait_for(lambda: writing(out.parent), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(out) == before
    [partial] = hidden(out.parent)  # nothing could remove it, but it is not `results`
    assert partial.startswith(f".results.{proc.pid}@") and partial.endswith(".partial")
    # The next run removes it, its process being gone, and writes complete results.
    write_all(run_2016, out, charts=False)
    assert hidden(out.parent) == []
    assert snapshot(out) == before


def test_ctrl_c_while_writing_removes_the_temporary_folder(previous):
    out, before = previous
    proc = start_cli(out, "tables:120")
    wait_for(lambda: writing(out.parent), proc)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr.strip().splitlines() == ["interrupted; no results were written"]
    assert hidden(out.parent) == []
    assert snapshot(out) == before


def test_sigkill_between_the_two_renames_is_recovered_by_the_next_run(previous, run_hawkish):
    """The one instant `results` does not exist: the previous results wait complete in
    .results.old, and the next run puts them back before deciding anything."""
    out, before = previous
    aside = out.with_name(".results.old")
    proc = start_cli(out, "swap:120")
    wait_for(lambda: aside.exists() and not out.exists(), proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert snapshot(aside) == before
    # Another scenario's run finds the 2016 results back in place, and will not replace
    # them without --force.
    with pytest.raises(OutputError, match="holds results of scenario '2016'"):
        write_all(run_hawkish, out, charts=False)
    assert snapshot(out) == before
    assert hidden(out.parent) == []


def test_an_exception_between_the_two_renames_puts_the_previous_results_back(
        previous, run_2016, monkeypatch):
    out, before = previous

    def interrupt(stage: str) -> None:
        if stage == "swap":
            raise KeyboardInterrupt

    monkeypatch.setattr(folders, "_test_pause", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_all(run_2016, out, charts=False)
    assert snapshot(out) == before
    assert hidden(out.parent) == []


def test_recover_leaves_folders_of_running_or_foreign_processes_alone(tmp_path: Path):
    out = tmp_path / "results"
    out.mkdir()
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)
    host = folders._host()
    names = {
        "mine": f".results.{os.getpid()}@{host}.abc123.partial",
        "dead": f".results.{dead}@{host}.def456.partial",
        "elsewhere": f".results.{dead}@another-machine.ghi789.partial",
        "other_folder": f".others.{dead}@{host}.jkl012.partial",
        "trash": ".results.mno345.trash",
        "stale_copy": ".results.old",
    }
    for name in names.values():
        (tmp_path / name).mkdir()
        (tmp_path / name / "events.csv").write_text("half")
    recover(out)
    kept = {names[k] for k in ("mine", "elsewhere", "other_folder")}
    assert set(hidden(tmp_path)) == kept
    assert out.is_dir()


def test_summary_records_the_file_hash_seed_and_versions(tmp_path: Path):
    result = sim.run(sim.load(SCENARIO), seed=11)
    summary = json.loads((write_all(result, tmp_path / "r", charts=False)
                          / "summary.json").read_text())
    assert summary["scenario"]["sha256"] == hashlib.sha256(SCENARIO.read_bytes()).hexdigest()
    assert summary["seed"] == 11
    assert set(files.PACKAGES) | {"python"} == set(summary["versions"])
    assert "not installed" not in summary["versions"].values()
