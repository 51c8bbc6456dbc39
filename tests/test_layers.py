"""The house rules of the layout (docs/architecture.md), checked on every test run.

- the import-linter contracts in pyproject.toml: layers only import downwards, theory and
  rules stay free of Mesa, pandas and matplotlib;
- ``import sim`` and ``import sim.game`` load none of Mesa, pandas, matplotlib;
- no two modules outside ``sim/cli/`` share a file name (a name says where a thing lives).
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("mesa", "pandas", "matplotlib")


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


@pytest.mark.parametrize("statement", ["import sim", "import sim.game",
                                       "import sim.rules.policies", "import sim.scenario"])
def test_light_imports_load_no_heavy_library(statement):
    code = (f"import sys; {statement}; "
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "", f"{statement} loaded {done.stdout.strip()}"


def test_public_names_all_resolve_and_match_all():
    assert set(sim.__all__) == set(sim._PUBLIC) | {"__version__"}
    for name in sim._PUBLIC:
        assert getattr(sim, name) is not None, name


def test_no_two_modules_outside_cli_share_a_file_name():
    names = Counter(p.name for p in (ROOT / "sim").rglob("*.py")
                    if p.name != "__init__.py" and "cli" not in p.relative_to(ROOT).parts)
    assert [n for n, c in names.items() if c > 1] == []
