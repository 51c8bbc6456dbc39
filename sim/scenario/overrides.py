"""`--set KEY=VALUE`: change any scenario value by its dotted path before validation.

Paths follow the file's structure: mapping keys by name, list items by index, e.g.
``states.USA.administrations.trump.prior={accommodating: 0.1, hawkish: 0.9}`` or
``events.0.persons=40`` or ``behaviour.reset_value=3``. Values are read as YAML, so
numbers, booleans, dates, lists and mappings all work. Missing mapping keys are created
(validation then rejects unknown fields); list items must already exist.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from sim.scenario.errors import ScenarioError


def parse_assignment(text: str) -> tuple[str, Any]:
    """'a.b=1' -> ('a.b', 1). Raises ScenarioError on a malformed assignment."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(f"--set {text!r}: expected KEY=VALUE, e.g. behaviour.reset_value=3")
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        raise ScenarioError(f"--set {key}: cannot read value {raw!r} as YAML") from None
    return key, value


def split_path(key: str) -> list[str | int]:
    """'events.0.persons' -> ['events', 0, 'persons']."""
    parts: list[str | int] = []
    for part in key.split("."):
        if part == "":
            raise ScenarioError(f"--set {key}: empty path segment")
        parts.append(int(part) if part.isdigit() else part)
    return parts


def apply(data: Any, assignments: Mapping[str, Any] | Iterable[str]) -> Any:
    """A deep copy of `data` with every assignment applied, in order."""
    items = (
        list(assignments.items()) if isinstance(assignments, Mapping)
        else [parse_assignment(a) for a in assignments]
    )
    out = copy.deepcopy(data)
    for key, value in items:
        out = _set(out, key, split_path(key), value)
    return out


def _set(root: Any, key: str, path: list[str | int], value: Any) -> Any:
    if not isinstance(root, dict):
        raise ScenarioError(f"--set {key}: the scenario is not a mapping")
    node: Any = root
    for depth, part in enumerate(path[:-1]):
        node = _child(node, part, key, path[: depth + 1], create=True)
    last = path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or not 0 <= last < len(node):
            raise ScenarioError(f"--set {key}: no item {last} (the list has {len(node)})")
        node[last] = value
    elif isinstance(node, dict):
        node[str(last)] = value
    else:
        raise ScenarioError(f"--set {key}: {'.'.join(map(str, path[:-1]))} is not a mapping")
    return root


def _child(node: Any, part: str | int, key: str, upto: list[str | int], create: bool) -> Any:
    where = ".".join(map(str, upto))
    if isinstance(node, list):
        if not isinstance(part, int) or not 0 <= part < len(node):
            raise ScenarioError(f"--set {key}: no item {where} (the list has {len(node)})")
        return node[part]
    if isinstance(node, dict):
        name = str(part)
        if name not in node or node[name] is None:
            if not create:
                raise ScenarioError(f"--set {key}: no field {where}")
            node[name] = {}
        return node[name]
    raise ScenarioError(f"--set {key}: {where} holds a value, not a mapping or list")
