"""Wall time of each notebook under notebooks/, executed headless as the test suite does.

Run: `.venv/bin/python benchmarks/bench_notebooks.py [--repeat N]` (needs the test extra).
Prints the median per notebook and its ratio to a baseline measured here, in the same
process: a one-cell notebook that starts a kernel and imports sim, pandas and pyplot,
the fixed cost every notebook pays before it does anything.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from timing import timed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BASELINE = "import matplotlib.pyplot as plt\nimport pandas as pd\n\nimport sim"



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    import nbformat

    from tests.test_notebooks import EXPECTED, NOTEBOOKS, execute

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        probe = home / "baseline.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE)]),
                       probe)
        t_base = timed(lambda: execute(probe, home), args.repeat)
        rows = [(name, timed(lambda n=name: execute(NOTEBOOKS / n, home), args.repeat))
                for name in EXPECTED]

    print(f"notebooks, headless, median of {args.repeat} (Python {sys.version.split()[0]})")
    print(f"  {'kernel start + imports (baseline)':36s} {t_base:6.1f} s")
    for name, seconds in rows:
        print(f"  {name:36s} {seconds:6.1f} s   x{seconds / t_base:4.1f} baseline")
    print(f"  {'all four':36s} {sum(s for _, s in rows):6.1f} s")


if __name__ == "__main__":
    main()
