"""The likelihood's rows shared among processes (sim.analysis.row_workers): the same values
as the serial loop, to the byte, and a pool that is always closed."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import row_workers
from sim.analysis.estimation import CANDIDATES, Objective, fit
from sim.analysis.likelihood import prepare
from sim.scenario.dataset import load_first_responses
from sim.scenario.from_data import why_not
from tests.conftest import ROOT, run_cli

TRAIN = [r for r in load_first_responses(ROOT / "data" / "first_responses.csv")
         if r.split == "train" and r.response_category is not None and why_not(r) is None]


def _settings(rows, runs: int, seed: int):
    params = [CANDIDATES[n] for n in ("precision", "tremble", "answer_cost")]
    z0 = np.array([p.to_z(p.default) for p in params])
    z = z0 + np.random.default_rng(seed).normal(0.0, 0.5, (runs, len(params)))
    return Objective(prepare(rows), params, False).settings(z)


def test_shared_rows_give_the_serial_values_to_the_byte():
    rows = TRAIN[:24]
    lik = prepare(rows)
    settings = _settings(rows, runs=7, seed=1)
    serial = lik.evaluate(settings)
    with row_workers.shared(lik, workers=2) as same:
        assert same is lik and lik.workers is not None
        shared = lik.evaluate(settings)
        again = lik.evaluate(_settings(rows, runs=3, seed=2))
    assert lik.workers is None
    for a, b in zip(serial, shared, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()
    assert again[0].shape == (len(lik.prepared), 3, 4)
    np.testing.assert_allclose(again[0].sum(axis=2), 1.0)


def test_rows_sharing_a_scenario_are_filled_from_one_evaluation():
    rows = TRAIN[:6]
    twins = rows + [dataclasses.replace(r, response_id=r.response_id + "#2") for r in rows]
    lik = prepare(twins)
    settings = _settings(twins, runs=2, seed=3)
    with row_workers.shared(lik, workers=2):
        dist, soon = lik.evaluate(settings)
    half = len(rows)
    assert dist[:half].tobytes() == dist[half:].tobytes()
    assert soon[:half].tobytes() == soon[half:].tobytes()


def test_how_many_workers():
    small = prepare(TRAIN[:10])
    assert row_workers.planned_workers(small, None) == 1  # too few rows to repay a pool
    assert row_workers.planned_workers(small, 3) == 3
    with pytest.raises(ValueError, match="workers must be 1 or more"):
        row_workers.planned_workers(small, 0)
    with row_workers.shared(small, workers=1):
        assert small.workers is None  # one process: no pool at all


def test_the_pool_is_closed_when_the_block_fails():
    lik = prepare(TRAIN[:8])
    with pytest.raises(RuntimeError, match="inside"), row_workers.shared(lik, workers=2):
        pool = lik.workers
        raise RuntimeError("inside")
    assert lik.workers is None
    with pytest.raises(RuntimeError):  # shut down: takes no more work
        pool.pool.submit(int, 1)


def test_a_fit_does_not_depend_on_the_number_of_workers():
    rows = TRAIN[:30]
    one = fit(rows, free=["tremble"], workers=1, profile_points=3)
    two = fit(rows, free=["tremble"], workers=2, profile_points=3)
    assert one.estimates == two.estimates
    assert one.log_likelihood == two.log_likelihood
    assert one.evaluations == two.evaluations


def test_a_cap_on_the_processes_holds_within_its_block_only():
    lik = prepare(TRAIN[:60])
    assert len({id(p.world) for p in lik.prepared}) >= row_workers.MIN_ROWS
    free = row_workers.planned_workers(lik, None)
    with row_workers.at_most(1):
        assert row_workers.planned_workers(lik, None) == 1
        with row_workers.shared(lik):
            assert lik.workers is None  # capped at one: no pool
        assert row_workers.planned_workers(lik, 2) == 2  # an explicit count wins
    assert row_workers.planned_workers(lik, None) == free
    with pytest.raises(ValueError, match="workers must be 1 or more"), row_workers.at_most(0):
        pass


@pytest.mark.parametrize("command", [["fit"], ["validate", "--rows", "x"]])
def test_the_commands_refuse_no_workers_in_one_line(command, tmp_path):
    result = run_cli(*command, "--workers", "0", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--workers" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def _session(pgid: int) -> list[int]:
    """Processes of the process group `pgid` (Linux /proc)."""
    out = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            out.append(int(entry.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("stage", [
    "optimising",  # the main thread optimises, the workers evaluate
    pytest.param("profiles", marks=pytest.mark.slow),  # optimisers in threads, in lockstep
])
def test_ctrl_c_stops_a_shared_fit_in_one_line_and_leaves_no_process(stage, tmp_path):
    """Ctrl-C reaches every process of the terminal's group: the workers leave it to the
    parent, which stops at once (its optimiser threads die with it), writes nothing and
    closes the pool."""
    out, log = tmp_path / "fit", tmp_path / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sim", "fit", "--workers", "2", "--out", str(out)],
            cwd=ROOT, env={**os.environ, "MPLBACKEND": "Agg"}, text=True,
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True,
            # as from a terminal, whatever the test runner's own SIGINT disposition
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        deadline = time.monotonic() + 120
        # the fit, the forkserver and its two workers, in the stage asked for
        while len(_session(proc.pid)) < 4 or stage not in log.read_text():
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the fit never reached {stage!r}"
            time.sleep(0.05)
        time.sleep(0.5)
        os.killpg(proc.pid, signal.SIGINT)
        interrupted = time.monotonic()
        proc.wait(timeout=60)
    stopped = time.monotonic() - interrupted
    stderr = log.read_text()
    assert proc.returncode == 130
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].strip() == "interrupted; no results were written"
    assert stopped < 15, f"{stopped:.1f} s from Ctrl-C to the end"  # generous; about 1 s
    assert not out.exists()
    deadline = time.monotonic() + 20
    while _session(proc.pid):
        assert time.monotonic() < deadline, "processes of the fit outlived it"
        time.sleep(0.05)
