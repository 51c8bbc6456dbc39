"""Load a scenario: read safely, apply overrides, validate, check, or say what to fix.

Everything that can go wrong with a scenario ends here as one `ScenarioError`, formatted
``FILE:LINE: FIELD: message``. Nothing is run or written before loading succeeds.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import re
import types
import typing
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario import checks, overrides, schema
from sim.scenario.errors import ScenarioError, format_path
from sim.scenario.schema import Scenario
from sim.scenario.yamlsafe import read_text, read_yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Origin:
    """Where a scenario came from: for error messages and for `summary.json`."""

    file: str
    sha256: str
    overrides: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    lines: Mapping[Path_, tuple[str, int]] = field(default_factory=dict, repr=False,
                                                   compare=False)


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and its origin."""

    spec: Scenario
    origin: Origin

    @property
    def name(self) -> str:
        """The scenario's name (`name:` in the file, else the file's stem)."""
        return self.spec.name

    def to_dict(self) -> dict[str, Any]:
        """The scenario as plain data (dates as ISO strings), ready to edit and load again.

        ``sim.load(scenario.to_dict())`` gives the same scenario. For changes that a
        dotted override cannot express, such as dropping an event from the list: edit the
        dict, then load it, and the edit is validated like a file. Unset optional fields
        are left out; where a value came from (files, lines) is not kept.
        """
        return self.spec.model_dump(mode="json", exclude_none=True)


MAX_BASE_DEPTH = 5
DERIVED_FIELDS = {"base", "set", "name", "title", "description", "seed"}


def load(
    source: str | Path | Mapping[str, Any],
    assignments: Mapping[str, Any] | Iterable[str] = (),
) -> LoadedScenario:
    """Load a scenario from a YAML file path or an already-parsed mapping.

    `assignments` are `--set` overrides: strings ``"a.b=1"`` or a mapping {"a.b": 1}.
    A file may derive from another with ``base:`` and ``set:`` (a counterfactual written
    as a documented override). Raises ScenarioError (one line, with file, line and field)
    on any problem.
    """
    lines: dict[Path_, tuple[str, int]]
    if isinstance(source, Mapping):
        data: Any = copy.deepcopy(dict(source))
        name, lines, texts = "<dict>", {}, [repr(sorted(data.items(), key=str))]
        default_name = "scenario"
    else:
        path = Path(source)
        name = str(source)
        data, lines, texts = _read(path, 0)
        default_name = path.stem
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({data!r:.40})"
        raise ScenarioError(f"the top level must be a mapping of fields, found {kind}",
                            file=name, line=1)
    data.setdefault("name", default_name)
    try:
        pairs = _pairs(assignments)
        created = {str(k): _created(data, str(k)) for k, _ in pairs}
        data = overrides.apply(data, dict(pairs))
    except ScenarioError as exc:
        raise ScenarioError(exc.message, file=name) from None
    changed = created
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    origin = Origin(name, digest, tuple(f"{k}={v}" for k, v in pairs),
                    tuple(sorted({f for f, _ in lines.values()})), lines)
    try:
        spec = Scenario.model_validate(data)
    except ValidationError as exc:
        raise _translate(exc, data, origin, changed) from None
    for problem_path, message in checks.problems(spec):
        raise _error(message, problem_path, origin, changed)
    if not isinstance(source, Mapping):
        for problem_path, message in checks.triggers(spec):
            raise _error(message, problem_path, origin, changed)
    return LoadedScenario(spec, origin)


def _read(path: Path, depth: int) -> tuple[Any, dict[Path_, tuple[str, int]], list[str]]:
    """Parse a file (following `base:`), with the file and line of every field."""
    name = str(path)
    text = read_text(path)
    data, raw_lines = read_yaml(text, name)
    lines = {p: (name, n) for p, n in raw_lines.items()}
    if not isinstance(data, dict) or "base" not in data:
        return data, lines, [text]
    if depth >= MAX_BASE_DEPTH:
        raise ScenarioError(f"more than {MAX_BASE_DEPTH} levels of base:", file=name,
                            line=raw_lines.get(("base",)), field="base")
    for key in data:
        if key not in DERIVED_FIELDS:
            raise ScenarioError(
                f"a derived scenario (with base:) may only have {', '.join(sorted(DERIVED_FIELDS))}"
                f"; put changes under set:", file=name, line=raw_lines.get((key,)), field=key)
    base_ref = data["base"]
    if not isinstance(base_ref, str):
        raise ScenarioError("base must be a file name", file=name,
                            line=raw_lines.get(("base",)), field="base")
    base_path = path.parent / base_ref
    if base_path.resolve() == path.resolve():
        raise ScenarioError("a scenario cannot be its own base", file=name,
                            line=raw_lines.get(("base",)), field="base")
    merged, merged_lines, texts = _read(base_path, depth + 1)
    if not isinstance(merged, dict):
        raise ScenarioError("the base scenario is not a mapping", file=str(base_path), line=1)
    sets = data.get("set") or {}
    if not isinstance(sets, dict):
        raise ScenarioError("set: must map dotted paths to values", file=name,
                            line=raw_lines.get(("set",)), field="set")
    for key in DERIVED_FIELDS - {"base", "set"}:
        if key in data:
            merged[key] = data[key]
            _reassign(merged_lines, (key,), {p: v for p, v in lines.items() if p[:1] == (key,)})
    for dotted, value in sets.items():
        target = tuple(overrides.split_path(str(dotted)))
        merged = overrides.apply(merged, {str(dotted): value})
        _reassign(merged_lines, target, {target: (name, raw_lines[("set", dotted)])})
    merged.setdefault("name", path.stem)
    return merged, merged_lines, [*texts, text]


def _reassign(lines: dict[Path_, tuple[str, int]], prefix: Path_,
              new: dict[Path_, tuple[str, int]]) -> None:
    """Point every field under `prefix` at its new origin."""
    for p in [p for p in lines if p[: len(prefix)] == prefix]:
        del lines[p]
    lines.update(new)


def _pairs(assignments: Mapping[str, Any] | Iterable[str]) -> list[tuple[str, Any]]:
    if isinstance(assignments, Mapping):
        return list(assignments.items())
    return [overrides.parse_assignment(a) for a in assignments]


def _created(data: Any, key: str) -> Path_ | None:
    """The shortest prefix of the override's path that the scenario does not have (the
    override creates it), or None when the whole path exists."""
    node = data
    path = tuple(overrides.split_path(key))
    for depth, part in enumerate(path):
        if isinstance(node, dict) and str(part) in node and node[str(part)] is not None:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return tuple(str(p) if isinstance(node, dict) else p for p in path[: depth + 1])
    return None


def _blamed_override(path: Path_, changed: Mapping[str, Path_ | None]) -> str | None:
    """The override a problem at `path` comes from: one that set the value, a value inside
    it, or a mapping above it that the override itself created (``--set
    states.XYZ.power=1`` creates state XYZ, whose missing name is then its doing)."""
    dotted = ".".join(map(str, path))
    for key, created in changed.items():
        if dotted == key or dotted.startswith(key + ".") or key.startswith(dotted + "."):
            return key
        if created is not None and tuple(map(str, path[: len(created)])) == \
                tuple(map(str, created)):
            return key
    return None


def _error(message: str, path: Path_, origin: Origin,
           changed: Mapping[str, Path_ | None]) -> ScenarioError:
    blamed = _blamed_override(path, changed)
    if blamed is not None:
        message += f" (value from {overrides.label()} {blamed})"
        return ScenarioError(message, file=origin.file, field=format_path(path))
    file, line = _where(path, origin)
    return ScenarioError(message, file=file, line=line, field=format_path(path))


def _where(path: Path_, origin: Origin) -> tuple[str, int | None]:
    """The file and line of the field, or of its nearest parent that has one."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in origin.lines:
            return origin.lines[path[:cut]]
    return origin.file, None


def _translate(exc: ValidationError, data: Any, origin: Origin,
               changed: Mapping[str, Path_ | None]) -> ScenarioError:
    errors = exc.errors(include_url=False)
    # An unknown field is usually the cause of a "missing" one (a typo): report it first.
    err = min(errors, key=lambda e: e["type"] != "extra_forbidden")
    path = _clean_loc(err["loc"], data)
    # A value of a union (a policy is a name or a mapping) fails every branch; the branch
    # that got further inside the value says more ("ratio: a number") than the one that
    # refused its kind ("a valid string").
    for other in errors:
        other_path = _clean_loc(other["loc"], data)
        if len(other_path) > len(path) and other_path[: len(path)] == path:
            err, path = other, other_path
    kind = err["type"]
    if kind == "extra_forbidden":
        message = f"unknown field {path[-1]!r}" + _lookalikes(path[-1])
        allowed = _allowed_fields(path[:-1], data)
        hint = difflib.get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6)
        if hint:
            message += f"; did you mean {hint[0]!r}?"
        elif allowed:
            message += f"; allowed here: {', '.join(allowed)}"
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "union_tag_invalid":
        message = f"unknown event type {err['input'].get('type')!r}; " \
            f"known: {err['ctx']['expected_tags']}"
    elif kind == "union_tag_not_found":
        message = "each event needs a type (expel, statement, signal, legislation)"
    else:
        text = re.sub(r"^Value error, ", "", err["msg"])
        text = re.sub(r" or (instance of \w+|object to extract fields from)", "", text)
        message = f"{text}, got {_short(err.get('input'))}" + _hint(err.get("input"))
    return _error(message, path, origin, changed)


# Numbers PyYAML (YAML 1.1) reads as text: an exponent without a dot, or without a sign.
YAML11_NUMBER_AS_TEXT = re.compile(r"[-+]?(\d[\d_]*\.?[\d_]*|\.\d+)[eE][-+]?\d+")


def _hint(value: Any) -> str:
    """Why a value is not what it looks like: YAML 1.1's reading of numbers and booleans,
    and letters that look Latin but are not."""
    if isinstance(value, str) and YAML11_NUMBER_AS_TEXT.fullmatch(value.strip()):
        return ("; YAML 1.1 reads a number with an exponent as a number only with a dot "
                "and a signed exponent: write 1.0e+308, not 1e308")
    if isinstance(value, bool):
        return ("; YAML 1.1 reads unquoted yes, no, on, off, true and false as booleans: "
                "put the value in quotes, e.g. 'YES'")
    return _lookalikes(value)


def _lookalikes(value: Any) -> str:
    """Name the first character of `value` outside ASCII: a Cyrillic А or a Greek Α in a
    state id looks like A but matches nothing."""
    if not isinstance(value, str):
        return ""
    for ch in value:
        if ord(ch) > 127:
            return (f"; it contains {ch!r}, {unicodedata.name(ch, 'a character')} "
                    f"(U+{ord(ch):04X}), not a plain ASCII letter")
    return ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# Names pydantic puts in an error's location for the branch of a union (str | PolicySpec):
# type and model names, never field names (which are lower case and not these).
UNION_TAGS = frozenset({"str", "int", "float", "bool"}) | {
    m.__name__ for m in vars(schema).values()
    if isinstance(m, type) and issubclass(m, BaseModel)}


def _clean_loc(loc: tuple[Any, ...], data: Any) -> Path_:
    """Drop the discriminator tags pydantic inserts for tagged unions (events)."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node \
                and node.get("type") == part:
            continue
        if isinstance(part, str) and part in UNION_TAGS and not (
                isinstance(node, dict) and part in node):
            continue
        if part == "[key]":
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _allowed_fields(path: Path_, data: Any) -> list[str]:
    """Field names of the schema model found at `path`, following the data."""
    annotation: Any = Scenario
    node = data
    for part in path:
        model = _model_in(annotation, node)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            annotation = model.model_fields[part].annotation
        else:
            args = typing.get_args(_strip(annotation))
            annotation = args[-1] if args else None
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int)
            and part < len(node) else None)
    model = _model_in(annotation, node)
    return list(model.model_fields) if model is not None else []


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _model_in(annotation: Any, node: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation stands for at this node (unions resolved by type)."""
    annotation = _strip(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [m for m in map(_strip, typing.get_args(annotation))
                  if isinstance(m, type) and issubclass(m, BaseModel)]
        for m in models:
            tag = m.model_fields.get("type")
            if tag is not None and isinstance(node, dict) and \
                    node.get("type") in typing.get_args(tag.annotation):
                return m
        if len(models) == 1:
            return models[0]
    return None
