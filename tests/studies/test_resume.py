"""No lost work: a sweep killed part way and rerun with --resume ends with exactly the
rows of a sweep that was never interrupted, and does not redo the chunks it had saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, SCENARIOS


def sweep_args(noise: str = "0:0.3:4", runs: int = 4) -> list[str]:
    """8 points (4 noise levels x 2 reset values) x 4 runs, in chunks of 2 runs."""
    return ["sweep", str(SCENARIOS / "2016.yaml"), "--param",
            f"behaviour.perception_noise={noise}", "--param", "behaviour.reset_value=3,5",
            "--runs", str(runs), "--chunk-size", "2", "--workers", "1", "--no-charts",
            "--quiet"]


SWEEP = sweep_args()
CHUNKS = 8 * 4 // 2


def start(out: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.Popen([sys.executable, "-m", "sim", *SWEEP, "--out", str(out)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def kill_after(proc: subprocess.Popen[str], chunks: Path, saved: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        if chunks.is_dir() and len(list(chunks.glob("*.jsonl"))) >= saved:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    proc.communicate(timeout=30)


@pytest.mark.slow
def test_a_killed_sweep_resumes_to_exactly_the_uninterrupted_rows(tmp_path: Path, cli):
    out = tmp_path / "killed"
    proc = start(out)
    kill_after(proc, out / "chunks", saved=3)
    assert proc.returncode == -signal.SIGKILL, "the sweep finished before it could be killed"
    saved = {p.name: (p.stat().st_mtime_ns, p.read_bytes())
             for p in (out / "chunks").glob("*.jsonl")}
    assert 3 <= len(saved) < CHUNKS
    assert not (out / "sweep.csv").exists()

    # Without --resume, the unfinished sweep is not thrown away.
    refused = cli(*SWEEP, "--out", out)
    assert refused.returncode == 2 and "--resume" in refused.stderr
    # A different sweep cannot resume it.
    other = cli(*sweep_args(runs=5), "--out", out, "--resume")
    assert other.returncode == 2 and "holds a sweep with other runs;" in other.stderr

    resumed = cli(*SWEEP, "--out", out, "--resume")
    assert resumed.returncode == 0, resumed.stderr
    for name, (mtime, data) in saved.items():  # saved chunks were not run again
        path = out / "chunks" / name
        assert path.stat().st_mtime_ns == mtime and path.read_bytes() == data
    assert len(list((out / "chunks").glob("*.jsonl"))) == CHUNKS

    whole = tmp_path / "whole"
    assert cli(*SWEEP, "--out", whole).returncode == 0
    assert (out / "sweep.csv").read_bytes() == (whole / "sweep.csv").read_bytes()
    table = pd.read_csv(out / "sweep.csv")
    assert len(table) == 8 * 4 and not table.duplicated(["point", "run"]).any()
    assert table["category"].nunique() > 1


def test_resuming_a_finished_sweep_runs_nothing(tmp_path: Path, cli):
    out = tmp_path / "done"
    small = sweep_args(noise="0,0.3", runs=2)
    assert cli(*small, "--out", out).returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in (out / "chunks").iterdir()}
    first = (out / "sweep.csv").read_bytes()
    again = cli(*small[:-1], "--out", out, "--resume")  # without --quiet
    assert again.returncode == 0, again.stderr
    assert "resuming: 4 of 4 chunks already done" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (out / "chunks").iterdir()} == before
    assert (out / "sweep.csv").read_bytes() == first
