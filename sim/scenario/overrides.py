"""`--set KEY=VALUE`: change any scenario value by its dotted path before validation.

Paths follow the file's structure: mapping keys by name, list items by index, e.g.
``states.USA.administrations.trump.prior={accommodating: 0.1, hawkish: 0.9}`` or
``events.0.persons=40`` or ``behaviour.reset_value=3``. Values are read as YAML, so
numbers, booleans, dates, lists and mappings all work. Missing mapping keys are created
(validation then rejects unknown fields); list items must already exist.

Values are read by the same bounded reader as scenario files (`yamlsafe.read_yaml`): an
impossible date, a tag or an alias bomb in a value gets the same one-line error, in
bounded time and memory.

Errors name the override as the caller gave it: ``--set KEY`` on the command line (which
sets `option_name`), ``override KEY`` from Python.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from sim.scenario.errors import ScenarioError

_OPTION: ContextVar[str] = ContextVar("override_option", default="override")


@contextlib.contextmanager
def option_name(name: str) -> Iterator[None]:
    """Within the block, errors about overrides call them `name` (the command line: --set)."""
    token = _OPTION.set(name)
    try:
        yield
    finally:
        _OPTION.reset(token)


def label() -> str:
    """What an override is called in errors: "--set" on the command line, else "override"."""
    return _OPTION.get()


def parse_assignment(text: str) -> tuple[str, Any]:
    """'a.b=1' -> ('a.b', 1). Raises ScenarioError on a malformed assignment."""
    from sim.scenario.yamlsafe import read_yaml

    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError(f"{label()} {text!r}: expected KEY=VALUE, "
                            "e.g. behaviour.reset_value=3")
    if not raw.strip():
        return key, ""
    if all(not ln.strip() or ln.lstrip().startswith("#") for ln in raw.splitlines()):
        return key, None  # only a comment: YAML's null
    try:
        value, _ = read_yaml(raw, f"{label()} {key}")
    except ScenarioError as exc:
        raise ScenarioError(f"{label()} {key}: cannot read value {_short(raw)} as YAML: "
                            f"{exc.message}") from None
    return key, value


def _short(raw: str) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def split_path(key: str) -> list[str | int]:
    """'events.0.persons' -> ['events', 0, 'persons']."""
    parts: list[str | int] = []
    for part in key.split("."):
        if part == "":
            raise ScenarioError(f"{label()} {key}: empty path segment")
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
        raise ScenarioError(f"{label()} {key}: the scenario is not a mapping")
    node: Any = root
    for depth, part in enumerate(path[:-1]):
        node = _child(node, part, key, path[: depth + 1], create=True)
    last = path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or not 0 <= last < len(node):
            raise ScenarioError(f"{label()} {key}: no item {last} (the list has {len(node)})")
        node[last] = value
    elif isinstance(node, dict):
        node[str(last)] = value
    else:
        raise ScenarioError(f"{label()} {key}: {'.'.join(map(str, path[:-1]))} is not a mapping")
    return root


def _child(node: Any, part: str | int, key: str, upto: list[str | int], create: bool) -> Any:
    where = ".".join(map(str, upto))
    if isinstance(node, list):
        if not isinstance(part, int) or not 0 <= part < len(node):
            raise ScenarioError(f"{label()} {key}: no item {where} (the list has {len(node)})")
        return node[part]
    if isinstance(node, dict):
        name = str(part)
        if name not in node or node[name] is None:
            if not create:
                raise ScenarioError(f"{label()} {key}: no field {where}")
            node[name] = {}
        return node[name]
    raise ScenarioError(f"{label()} {key}: {where} holds a value, not a mapping or list")
