"""The notebooks under notebooks/: stored without outputs, and each runs top to bottom.

Every notebook is executed as a reader would run it (kernel started in notebooks/, so the
relative paths to scenarios/ hold) by a kernel on this interpreter, headless: the sliders
of 02_what_if fall back to their static chart. A cell that raises fails the test with the
cell's traceback. Nothing may be written into the repository.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = ROOT / "notebooks"
EXPECTED = ["01_obama_putin_2016.ipynb", "02_what_if.ipynb",
            "03_sweeps_and_sensitivity.ipynb", "04_history.ipynb",
            "05_fit_and_validate.ipynb"]
KERNEL = "sim-tests"
CELL_TIMEOUT = 600  # seconds: a guard against a hung cell, not a performance test (the
# fit of 05, seven free parameters and its profiles, takes about 3-4 minutes on two cores)
SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
             ".ipynb_checkpoints"}
CLEAR_HINT = ("clear it before committing: jupyter nbconvert --clear-output --inplace "
              "notebooks/*.ipynb (or Edit > Clear Outputs of All Cells, then save)")


def notebook_kernel(folder: Path) -> dict[str, str]:
    """Environment for a kernel on *this* interpreter: a kernel spec named `KERNEL` in
    `folder`, found first through JUPYTER_PATH. The stock spec runs "python" from PATH,
    which need not be the test environment's interpreter."""
    spec_dir = folder / "kernels" / KERNEL
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "sim tests", "language": "python",
    }))
    env = {"JUPYTER_PATH": os.pathsep.join([str(folder), os.environ.get("JUPYTER_PATH", "")]),
           "SIM_HEADLESS": "1"}
    return env


def execute(path: Path, kernel_home: Path, env: dict[str, str] | None = None
            ) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in memory (nothing saved) and return it with outputs.

    `env` is set for the kernel on top of this process's environment; MPLBACKEND is
    dropped so that figures come back inline, as in Jupyter.
    """
    nb = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.update(notebook_kernel(kernel_home))
    os.environ.update(env or {})
    os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return nb


def repository_files() -> dict[str, float]:
    """Every file of the working tree outside tool caches, with its modification time."""
    files = {}
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in names:
            p = Path(folder, name)
            files[str(p.relative_to(ROOT))] = p.stat().st_mtime
    return files


def test_the_five_notebooks_are_there():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == EXPECTED


@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_is_stored_without_outputs(name: str):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    dirty = [k for k, cell in enumerate(nb.cells) if cell.cell_type == "code"
             and (cell.outputs or cell.execution_count is not None)]
    assert not dirty, f"{name}: cells {dirty} hold outputs or execution counts; {CLEAR_HINT}"
    assert "widgets" not in nb.metadata, f"{name} holds saved widget state; {CLEAR_HINT}"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPECTED)
def test_notebook_runs_top_to_bottom_and_ends_with_a_chart(name: str, tmp_path: Path):
    before = repository_files()
    nb = execute(NOTEBOOKS / name, tmp_path)
    assert repository_files() == before, f"{name} wrote into the repository"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors
    last = code[-1]
    assert any("image/png" in o.get("data", {}) for o in last.outputs), \
        f"{name}: the last cell drew no chart"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def test_the_kernel_is_this_interpreter(tmp_path: Path):
    probe = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sys, os\nprint(sys.executable)\nprint(os.environ.get('SIM_HEADLESS'))")])
    path = tmp_path / "probe.ipynb"
    nbformat.write(probe, path)
    out = execute(path, tmp_path).cells[0].outputs[0]["text"].split()
    assert out == [sys.executable, "1"]


def test_the_sliders_of_02_build_and_draw_without_a_frontend(tmp_path: Path):
    """With no headless flag the last cell builds the two sliders; the kernel draws the
    first chart into the widget's output, as a live notebook would show it."""
    nb = execute(NOTEBOOKS / "02_what_if.ipynb", tmp_path, env={"SIM_HEADLESS": "", "CI": ""})
    shown = [o for o in nb.cells[-1].outputs if o.output_type == "display_data"]
    assert [list(o.data) for o in shown] == [["text/plain",
                                              "application/vnd.jupyter.widget-view+json"]]
    assert "FloatSlider" in shown[0].data["text/plain"]
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    sliders = sorted(m["state"]["description"] for m in state.values()
                     if m["model_name"] == "FloatSliderModel")
    assert sliders == ["audience cost", "prior"]
    drawn = [o for m in state.values() if m["model_name"] == "OutputModel"
             for o in m["state"]["outputs"] if "image/png" in o.get("data", {})]
    assert len(drawn) == 1
