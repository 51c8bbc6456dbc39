"""Shares the default behaviour parameters to the library of recorded episodes.

A grid search: every combination of a few candidate values per parameter is scored by the
validation scorecard (sim.analysis.validation) over every scenario with a history, and the
combination with the best mean of the three shares (category right, size within 10%,
delay within 3 days) wins; ties go to the combination closest to the current defaults,
so that nothing moves without evidence. The defaults change only when asked (`--write`),
in their one home, the data file sim/game/behaviour_defaults.yaml, which records with each
fitted value when, on which files (with their SHA-256), by which objective and with which
score it was fitted. Python source is never rewritten: a fitted value is data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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
    total = 0.0
    for name, value in values.items():
        default = float(getattr(DEFAULTS, name))
        total += abs(value - default) / (abs(default) or 1.0)
    return total


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


OBJECTIVE = ("mean of three shares over the recorded first responses of the data files "
             "(sim.analysis.validation): category right, staff within 10%, delay within "
             "3 days; ties go to the values closest to the previous defaults")

# The header of every defaults file written here: the file is read by people too.
HEADER = """\
# Default behaviour parameters of sim: the values sim.game.params.Behaviour starts from.
# Meaning, range and group of each: sim/game/params.py and docs/model.md section 8.
# Each value states its source; a value fitted by `python -m sim calibrate --write` or
# `python -m sim fit --write` also carries its provenance under `fit` (date, data files and
# their SHA-256, objective or method, score or log-likelihood, and the value it replaced).
# Written by those commands; edit by hand only with a source for the new value.
"""


def provenance(paths: Sequence[Path], grid: Mapping[str, Sequence[float | int]],
               best: Trial, before: Trial, date: dt.date | None = None) -> dict[str, Any]:
    """What a fitted value was fitted on, for the defaults file: enough to repeat the fit
    (the files by content, the grid) and to judge it (objective, score before and after)."""
    return {
        "date": (date or dt.date.today()).isoformat(),
        "data": [{"file": Path(p).as_posix(),
                  "sha256": hashlib.sha256(Path(p).read_bytes()).hexdigest()} for p in paths],
        "objective": OBJECTIVE,
        "score": best.score,
        "score_before": before.score,
        "grid": {name: list(values) for name, values in grid.items()},
    }


CALIBRATE_SOURCE = "fitted by `python -m sim calibrate` (fit: below; docs/model.md 8a)"


def write_defaults(values: Mapping[str, float | int], fit: Mapping[str, Any],
                   path: Path | None = None, source: str = CALIBRATE_SOURCE) -> Path:
    """Write fitted values, each with the fit's provenance and the value it replaces, into a
    defaults file (the packaged sim/game/behaviour_defaults.yaml unless `path` is given).

    The other parameters and their sources are kept as they are. The new file is checked
    as `Behaviour` will read it (every parameter, the right kind, within range) before it
    replaces the old one, and it replaces it in one rename, so a failed or interrupted
    write leaves the previous defaults whole. `source` names the command that fitted them
    (`python -m sim fit` passes its own).
    """
    path = Path(path) if path is not None else params.packaged_defaults()
    entries = params.read_defaults(path)
    kinds = {f["name"]: type(f["default"]) for f in params.parameter_table()}
    for name, value in values.items():
        if name not in kinds:
            raise ValueError(f"{name!r} is not a behaviour parameter")
        old = dict(entries[name])
        entries[name] = {
            "value": kinds[name](value),
            "source": source,
            "fit": {**fit, "previous": {"value": old["value"], "source": old["source"]}},
        }
    params.check_defaults(entries, str(path))
    text = HEADER + yaml.safe_dump({"parameters": entries}, sort_keys=False,
                                   allow_unicode=True, width=88)
    _replace_file(path, text.encode("utf-8"))
    return path


def _replace_file(path: Path, data: bytes) -> None:
    """Write `data` beside `path` and rename it over it, keeping the file's mode (it may be
    a file of an installed package, readable by every user)."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
