"""Shares the default behaviour parameters to the library of recorded episodes.

A grid search: every combination of a few candidate values per parameter is scored by the
validation scorecard (sim.analysis.validation) over every scenario with a history, and the
combination with the best mean of the three shares (category right, size within 10%,
delay within 3 days) wins; ties go to the combination closest to the current defaults,
so that nothing moves without evidence. The defaults change only when asked (`--write`),
in their one home, sim/game/params.py.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.analysis.validation import Shares, scorecard, shares
from sim.execution.pools import process_pool
from sim.game import params
from sim.game.params import DEFAULTS

# What is fitted by default, and over which values: the timing and softening rules that the
# 2016 case does not pin down and the library does.
DEFAULT_GRID: dict[str, list[float | int]] = {
    "deliberation_days": [1, 2, 3],
    "wave_quiet_days": [2, 3, 4],
    "war_quiet_days": [7, 14, 21, 28],
    "reassured_share": [0.6, 0.75, 0.9],
}


@dataclass(frozen=True)
class Trial:
    values: dict[str, float | int]
    model: Shares

    @property
    def score(self) -> float:
        return self.model.mean


def parse_grid(specs: Sequence[str]) -> dict[str, list[float | int]]:
    """['deliberation_days=1,2,3'] -> {'deliberation_days': [1, 2, 3]} (typed as the field)."""
    grid: dict[str, list[float | int]] = {}
    kinds = {f["name"]: type(f["default"]) for f in params.parameter_table()}
    for spec in specs:
        name, _, raw = spec.partition("=")
        if name not in kinds or not raw:
            raise ValueError(f"--param {spec!r}: expected NAME=V1,V2,... with NAME one of "
                             f"{', '.join(kinds)}")
        grid[name] = [kinds[name](v) for v in raw.split(",")]
    return grid


def combinations(grid: Mapping[str, Sequence[float | int]]) -> list[dict[str, float | int]]:
    names = list(grid)
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(grid[n] for n in names))]


def evaluate(paths: Sequence[Path], values: Mapping[str, float | int]) -> Trial:
    """Score one combination on the whole library."""
    overrides = {f"behaviour.{k}": v for k, v in values.items()}
    return Trial(dict(values), shares(scorecard(paths, overrides)))


def _evaluate(args: tuple[Sequence[Path], dict[str, float | int]]) -> Trial:
    return evaluate(*args)


def distance_from_defaults(values: Mapping[str, float | int]) -> float:
    """How far a combination moves the defaults (relative), for breaking ties."""
    return sum(abs(v - getattr(DEFAULTS, k)) / (abs(getattr(DEFAULTS, k)) or 1.0)
               for k, v in values.items())


def search(paths: Sequence[Path], grid: Mapping[str, Sequence[float | int]], *,
           workers: int = 1, progress: Callable[[Iterable[Trial], int], Iterable[Trial]]
           | None = None) -> list[Trial]:
    """Every combination scored, best first."""
    combos = combinations(grid)
    jobs = [(list(paths), c) for c in combos]
    if workers > 1:
        with process_pool(workers) as pool:
            stream: Iterable[Trial] = pool.map(_evaluate, jobs)
            trials = list(progress(stream, len(jobs)) if progress else stream)
    else:
        stream = map(_evaluate, jobs)
        trials = list(progress(stream, len(jobs)) if progress else stream)
    return sorted(trials, key=lambda t: (-t.score, distance_from_defaults(t.values)))


# A proposal must beat the current defaults by this much on the mean of the three shares:
# about one more recorded response right on one measure in a library of 50 (1/50/3).
MIN_GAIN = 0.005


def proposal(before: Trial, trials: Sequence[Trial], margin: float = MIN_GAIN) -> Trial | None:
    """The best trial if it improves on `before` by at least `margin`, else None: a change
    with no gain (0.867 against 0.867) is no finding, and is never proposed or written."""
    if not trials:
        return None
    best = trials[0]
    return best if best.score >= before.score + margin else None


def write_defaults(values: Mapping[str, Any], source: Path | None = None) -> Path:
    """Rewrite the defaults in sim/game/params.py (comments and layout untouched)."""
    path = source or Path(params.__file__)
    text = path.read_text()
    for name, value in values.items():
        pattern = re.compile(rf"(\n    {name}: \w+ = _param\(\n        )([^,\n]+)(,)")
        text, count = pattern.subn(lambda m, v=value: f"{m.group(1)}{v!r}{m.group(3)}", text)
        if count != 1:
            raise ValueError(f"cannot find the default of {name} in {path}")
    path.write_text(text)
    return path
