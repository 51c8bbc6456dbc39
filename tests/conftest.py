"""Shared fixtures: paths, and the 2016 runs computed once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def run_2016() -> sim.RunResult:
    return sim.run(SCENARIOS / "2016.yaml")


@pytest.fixture(scope="session")
def run_hawkish() -> sim.RunResult:
    return sim.run(SCENARIOS / "2016_hawkish_successor.yaml")


def run_cli(*args: str | Path, cwd: Path = ROOT,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m sim ...` in a subprocess, as a user would run it (`timeout` guards
    against a hung command; it is not a performance test)."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
    )
