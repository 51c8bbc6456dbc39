"""Beyond one machine: chunks sent to a dask.distributed cluster come back as exactly the
rows of a local run. The cluster here is a LocalCluster on loopback with one worker in
this process, reached over TCP, so tasks and results are serialised as on a real one."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
from distributed import LocalCluster

import sim
from sim.execution.executors import DaskCluster
from sim.experiments.ensemble import ensemble
from sim.scenario import ScenarioError
from tests.conftest import SCENARIOS, run_cli

SCENARIO = SCENARIOS / "2016.yaml"
NOISY = {"behaviour.perception_noise": 0.3, "behaviour.precision": 3.0}


@pytest.fixture(scope="module")
def scheduler():
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                      host="127.0.0.1", dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_a_sweep_on_the_cluster_gives_the_local_rows(scheduler):
    params = {"behaviour.perception_noise": [0.1, 0.3], "behaviour.reset_value": [3, 5]}
    local = sim.sweep(SCENARIO, params, runs=3, workers=1)
    remote = sim.sweep(SCENARIO, params, runs=3, scheduler=scheduler, chunk_size=2)
    assert remote.equals(local)
    assert local["category"].nunique() > 1


def test_the_command_line_sends_an_ensemble_to_the_cluster(scheduler, tmp_path: Path):
    out = tmp_path / "remote"
    proc = run_cli(SCENARIO, "--runs", "6", "--set", "behaviour.perception_noise=0.3",
                   "--set", "behaviour.precision=3.0", "--scheduler", scheduler,
                   "--chunk-size", "2", "--out", out,
                   "--no-charts", "--quiet")
    assert proc.returncode == 0, proc.stderr
    local = ensemble(SCENARIO, 6, overrides=NOISY, workers=1)
    with (out / "runs.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(int(r["seed"]), r["category"], int(r["persons"])) for r in rows] == \
        list(zip(local["seed"], local["category"], local["persons"], strict=True))


def test_no_scheduler_at_the_address_is_a_one_line_error():
    started = time.monotonic()
    with pytest.raises(ScenarioError, match="cannot connect to a Dask scheduler"):
        DaskCluster("tcp://127.0.0.1:9", "2016.yaml", timeout=1)
    assert time.monotonic() - started < 15
