"""The package as published: one version everywhere, its name, its files."""

from __future__ import annotations

import tomllib
from importlib import metadata

import yaml

import sim
from tests.conftest import ROOT, run_cli


def test_version_is_one_value_everywhere():
    proc = run_cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"sim {sim.__version__}\n" == "sim 0.2.0\n"
    assert metadata.version("retaliation-sim") == sim.__version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["name"] == "retaliation-sim"
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "sim.version.__version__"}
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["version"] == sim.__version__ and citation["cff-version"] == "1.2.0"
    assert f"## [{sim.__version__}]" in (ROOT / "CHANGELOG.md").read_text()
