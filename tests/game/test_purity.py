"""sim/game stays pure: numpy and the standard library, nothing else of sim, no Mesa.

One exception: params.py reads the default values from its packaged data file with
PyYAML (yaml.safe_load), so that fitted values are data rather than source code.
"""

import ast
import sys
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parents[2] / "sim" / "game"


@pytest.mark.parametrize("module", sorted(p.name for p in GAME.glob("*.py")))
def test_imports_only_numpy_the_standard_library_and_sim_game(module):
    tree = ast.parse((GAME / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            ok = (top in sys.stdlib_module_names or top in ("numpy", "__future__")
                  or name == "sim.game" or name.startswith("sim.game.")
                  or (top == "yaml" and module == "params.py"))
            assert ok, f"sim/game/{module} imports {name}"
