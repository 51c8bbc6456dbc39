"""The grid of a sweep: `--param PATH=START:STOP:COUNT` or `--param PATH=V1,V2,...`.

PATH is a dotted path as for ``--set``. START:STOP:COUNT spans COUNT evenly spaced values,
both ends included; V1,V2,... lists values read as YAML (numbers, names of policies,
mappings). The grid is every combination, the first parameter varying slowest, so the
table reads like nested loops in the order the options were given.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import yaml

from sim.execution.tasks import Point
from sim.scenario import ScenarioError
from sim.scenario.overrides import split_path

MAX_POINTS = 1_000_000
RANGE = re.compile(r"^[^:{}\[\],]+:[^:{}\[\],]+:[^:{}\[\],]+$")  # START:STOP:COUNT


@dataclass(frozen=True)
class Axis:
    """One swept scenario value: its dotted path and the values it takes."""

    path: str
    values: tuple[Any, ...]

    @property
    def numeric(self) -> bool:
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in self.values)


def _number(text: str, option: str) -> float:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        value = None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"--param {option}: {text!r} is not a number")
    return float(value)


def tidy_number(value: float) -> float | int:
    """12 significant digits (no 0.30000000000000004 in tables); whole numbers stay floats
    here and become ints only when every value of the axis is whole (see `parse_param`)."""
    return float(f"{value:.12g}")


def parse_param(text: str) -> Axis:
    """'behaviour.reset_value=0:10:6' -> Axis('behaviour.reset_value', (0, 2, 4, 6, 8, 10))."""
    path, sep, spec = text.partition("=")
    path = path.strip()
    if not sep or not path or not spec.strip():
        raise ScenarioError(f"--param {text!r}: expected PATH=START:STOP:COUNT or "
                            "PATH=V1,V2,..., e.g. behaviour.reset_value=0:10:6")
    split_path(path)  # an empty segment is an error here, not after the first chunk
    if RANGE.match(spec.strip()):
        start, stop, count = spec.split(":")
        lo, hi = _number(start, text), _number(stop, text)
        n = _number(count, text)
        if n != int(n) or n < 1:
            raise ScenarioError(f"--param {text!r}: COUNT must be a whole number, 1 or more")
        if int(n) == 1 and lo != hi:
            raise ScenarioError(f"--param {text!r}: one value between two different ends")
        values = [tidy_number(v) for v in np.linspace(lo, hi, int(n))]
        if all(float(v).is_integer() for v in values):
            values = [int(v) for v in values]
        return Axis(path, tuple(values))
    try:  # a YAML flow list, so that a value may itself be a mapping: {a: 1, b: 2},{...}
        items = yaml.safe_load(f"[{spec}]")
    except yaml.YAMLError:
        raise ScenarioError(f"--param {text!r}: cannot read the values as a YAML list") \
            from None
    if any(item is None for item in items):
        raise ScenarioError(f"--param {text!r}: an empty value in the list")
    return Axis(path, tuple(items))


def cell(value: Any) -> Any:
    """A swept value as a table cell: numbers, text and booleans as they are, a mapping or
    a list as compact JSON text (one column type, readable in CSV and Parquet)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, sort_keys=True, default=str, separators=(", ", ": "))


def axes_from(params: Mapping[str, Sequence[Any]] | Iterable[str]) -> list[Axis]:
    """Axes from option strings, or from a mapping {path: values} (for notebooks)."""
    if isinstance(params, Mapping):
        axes = [Axis(str(k), tuple(v)) for k, v in params.items()]
    else:
        axes = [parse_param(p) for p in params]
    paths = [a.path for a in axes]
    for a in axes:
        if not a.values:
            raise ScenarioError(f"--param {a.path}: no values")
        if paths.count(a.path) > 1:
            raise ScenarioError(f"--param {a.path}: given twice")
    return axes


def points(axes: Sequence[Axis]) -> list[Point]:
    """Every combination of the axes' values, the first axis varying slowest."""
    size = int(np.prod([len(a.values) for a in axes])) if axes else 1
    if size > MAX_POINTS:
        raise ScenarioError(f"--param: {size:,} points; at most {MAX_POINTS:,} in one sweep")
    return [tuple(zip((a.path for a in axes), combo, strict=True))
            for combo in itertools.product(*(a.values for a in axes))]


def value_at(data: Any, path: str) -> Any:
    """The value a dotted path points at in plain scenario data, None if absent."""
    node = data
    for part in split_path(path):
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node
