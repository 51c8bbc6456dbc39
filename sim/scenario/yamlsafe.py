"""Read a YAML document safely, remembering the line of every value.

PyYAML's `safe_load` is safe from code execution, but a research tool needs more:

- the line of each field, so that a schema error can point at it;
- duplicate keys refused (PyYAML silently keeps the last one);
- only plain YAML types (strings, numbers, booleans, null, dates, mappings, lists):
  tags such as ``!!python/object`` are refused before anything is constructed;
- bounded work: a size limit before parsing, and a limit on the number of values built,
  so that an alias bomb ("billion laughs") or a huge file stops at once;
- limited nesting (PyYAML composes recursively); both limits are enforced while composing,
  so a deep or oversized document stops at the first node over the limit.

`read_yaml` composes the node graph (no construction) with PyYAML's composer, bounded,
over libyaml's parser when PyYAML has it (`PARSER`), then walks the graph, building plain
Python values and a map from field path to line number.
"""

from __future__ import annotations

import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.errors import ScenarioError, format_path

try:  # libyaml's parser, when PyYAML was built with it (its wheels are)
    from yaml._yaml import CParser  # what yaml.cyaml re-exports, named where it is defined

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was installed
    HAVE_LIBYAML = False

MAX_BYTES = 2_000_000  # a real scenario is a few kilobytes
MAX_VALUES = 100_000  # values built, counting every alias expansion
MAX_DEPTH = 40

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

Path_ = tuple[str | int, ...]


def read_text(path: Path) -> str:
    """The file's text, refusing what is too big, not UTF-8, binary, or not a regular file.

    A FIFO (or a device) is refused before it is opened: opening a FIFO waits for a
    writer, forever. `-` (standard input) is not supported, and says so.
    """
    name = str(path)
    if name == "-":
        raise ScenarioError("reading a scenario from standard input is not supported; "
                            "save it to a file and give its path", file=name)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ScenarioError("no such file", file=name) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror}", file=name) from None
    size = info.st_size
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError("is a directory, not a scenario file", file=name)
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else \
            "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise ScenarioError(f"is {kind}, not a regular file; save the scenario to a file",
                            file=name)
    if size > MAX_BYTES:
        raise ScenarioError(
            f"file is {size:,} bytes; a scenario may be at most {MAX_BYTES:,} bytes", file=name
        )
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read: {exc.strerror}", file=name) from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text without NUL bytes, or a ScenarioError saying where it breaks."""
    if len(raw) > MAX_BYTES:
        raise ScenarioError(f"file is larger than {MAX_BYTES:,} bytes", file=name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); is this a binary file?",
            file=name, line=line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ScenarioError("contains NUL bytes; is this a binary file?", file=name, line=line)
    return text


def read_yaml(text: str, name: str) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document into plain values plus a {field path: line} map."""
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise ScenarioError("file is empty; a scenario is a mapping (see docs/scenarios.md)",
                            file=name)
    _check_indentation(text, name)
    loader = None
    try:
        loader = LOADERS[PARSER](text, name)
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise _unprintable(exc, text, name) from None
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, name) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"YAML error: {exc}", file=name) from None
    except RecursionError:  # a safety net only: the loader stops far earlier
        raise ScenarioError(f"nesting deeper than {MAX_DEPTH} levels", file=name) from None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        raise ScenarioError("file is empty; a scenario is a mapping", file=name)
    builder = _Builder(name, loader)
    value = builder.build(node, (), 0)
    return value, builder.lines


def _check_indentation(text: str, name: str) -> None:
    """Indentation of plain spaces: a non-breaking space (U+00A0, pasted from a web page or
    a word processor) looks like one but is not, and YAML then misreads the structure."""
    for number, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            if ch in " \t":
                continue
            if ch.isspace() or unicodedata.category(ch) in ("Zs", "Cf"):
                raise ScenarioError(
                    f"indentation holds {unicodedata.name(ch, 'a space character')} "
                    f"(U+{ord(ch):04X}), not a plain space; YAML indents with spaces only",
                    file=name, line=number)
            break


def _unprintable(exc: yaml.reader.ReaderError, text: str, name: str) -> ScenarioError:
    """YAML allows no control characters but tab and line breaks (YAML 1.1, 5.1)."""
    # PyYAML's reader counts characters; libyaml counts bytes of the UTF-8 encoding.
    before = text.encode()[: exc.position].decode(errors="ignore") if PARSER == "libyaml" \
        else text[: exc.position]
    return ScenarioError(
        f"character U+{exc.character:04X} is not allowed in YAML (a control character); "
        "is this a binary file, or text pasted from elsewhere?",
        file=name, line=before.count("\n") + 1)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, name: str) -> ScenarioError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or exc.context or "syntax error"
    if exc.context and problem.startswith("but "):  # "expected X, but found Y"
        problem = f"{exc.context}, {problem}"
    if "\t" in problem or (mark is not None and _tab_at(text, mark.line, mark.column)):
        problem = "tab character; YAML indents with spaces only"
    elif "found duplicate anchor" in (exc.context or "") + problem:
        problem = "duplicate anchor"
    elif "maximum nesting depth" in problem:  # libyaml's own limit (1000), met when reading
        return ScenarioError(f"nesting deeper than {MAX_DEPTH} levels", file=name, line=line)
    return ScenarioError(f"YAML syntax error: {problem}", file=name, line=line)


def _tab_at(text: str, line: int, column: int) -> bool:
    """Whether the parser stopped on a tab (libyaml does not name the character)."""
    lines = text.splitlines()
    return line < len(lines) and "\t" in lines[line][: column + 1]


class _Bounded(yaml.composer.Composer):
    """PyYAML's composer, stopped as soon as the document is too deep or too big.

    PyYAML composes the whole node graph before anything can look at it, recursively:
    a 2 MB file of short values (under the size limit) took tens of seconds and hundreds
    of MB, and a few thousand nested brackets ended in a RecursionError. Counting nodes
    and depth while composing bounds both; the limits are the same as the builder's,
    which still counts alias expansions. Parsing is lazy (one event at a time), so
    stopping the composer stops reading too.
    """

    # Provided by the parser each loader mixes in (PyYAML's or libyaml's); declared here,
    # without a value, so that code holding a `_Bounded` may call it.
    dispose: Callable[[], None]

    def __init__(self, name: str) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.resolver.Resolver.__init__(self)  # type: ignore[arg-type]
        self.name = name
        self.nodes = 0
        self.path: list[str | int | None] = []

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self.nodes += 1
        if parent is None:
            part: str | int | None = None
        elif isinstance(index, int):
            part = index
        elif isinstance(index, yaml.ScalarNode):
            part = index.value
        else:
            part = None  # a mapping key
        self.path.append(part)
        try:
            if self.nodes > MAX_VALUES:
                raise self.fail(f"more than {MAX_VALUES:,} values; a scenario needs far fewer")
            if len(self.path) > MAX_DEPTH + 1:  # the root is at depth 0, as in the builder
                raise self.fail(f"nesting deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self.path.pop()

    def fail(self, message: str) -> ScenarioError:
        mark = self.peek_event().start_mark  # type: ignore[attr-defined]
        path = tuple(p for p in self.path if p is not None)
        return ScenarioError(message, file=self.name, line=mark.line + 1,
                             field=format_path(path) or None)


class _PythonLoader(_Bounded, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                    yaml.resolver.Resolver):
    """PyYAML's own reader, scanner and parser (pure Python)."""

    def __init__(self, text: str, name: str) -> None:
        yaml.reader.Reader.__init__(self, text)  # checks every character first
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _Bounded.__init__(self, name)


LOADERS: dict[str, Callable[[str, str], _Bounded]] = {"python": _PythonLoader}
PARSER = "python"

if HAVE_LIBYAML:

    class _LibyamlLoader(_Bounded, CParser, yaml.resolver.Resolver):
        """libyaml's scanner and parser (C, in PyYAML's wheels), about ten times faster;
        the composer stays ours, with its limits."""

        def __init__(self, text: str, name: str) -> None:
            CParser.__init__(self, text)
            _Bounded.__init__(self, name)

    LOADERS["libyaml"] = _LibyamlLoader
    PARSER = "libyaml"


class _Builder:
    """Walks a composed node graph; counts, checks and records lines as it builds."""

    def __init__(self, name: str, loader: _Bounded) -> None:
        self.name = name
        self.constructor = yaml.SafeLoader("")  # used only to construct scalar nodes
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def fail(self, message: str, node: yaml.Node, path: Path_) -> ScenarioError:
        return ScenarioError(
            message, file=self.name, line=node.start_mark.line + 1,
            field=format_path(path) or None,
        )

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            # Reached through aliases, this node's own line is that of an anchor far away:
            # name the top-level field that expands.
            top = path[:1]
            line = self.lines.get(top, node.start_mark.line + 1)
            raise ScenarioError(
                f"more than {MAX_VALUES:,} values (an alias bomb?); a scenario needs far fewer",
                file=self.name, line=line, field=format_path(top) or None,
            )
        if depth > MAX_DEPTH:
            raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", node, path)
        self.lines.setdefault(path, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                f"unsupported YAML tag {node.tag!r}; only plain values, lists and mappings",
                node, path,
            )
        if isinstance(node, yaml.MappingNode):
            return self.build_mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            raise self.fail(f"bad value {node.value!r}: {exc}", node, path) from None

    def build_mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("merge keys (<<) are not supported; write fields out", key_node,
                                path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail("a mapping key must be a plain value", key_node, path)
            key = self.build(key_node, path, depth + 1)
            if isinstance(key, int | float) and not isinstance(key, bool):
                key = str(key_node.value)
            if not isinstance(key, str):
                key = str(key_node.value)
            if key in out:
                first = self.lines.get((*path, key))
                raise self.fail(
                    f"duplicate key {key!r}" + (f" (first at line {first})" if first else ""),
                    key_node, (*path, key),
                )
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out
