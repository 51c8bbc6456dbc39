"""The command line run in this process (`sim.cli.main.main`): the same code path as
`python -m sim`, without a new interpreter's two seconds of imports per call. Tests that
need a real process (a kill, a cluster client) use tests.conftest.run_cli."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.cli.main import main


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    def call(*args: str | Path) -> Ran:
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return call
