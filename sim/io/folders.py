"""Folders and files written whole or not at all, and never over what the tool did not write.

Files are written into a fresh temporary folder beside the destination and moved into
place only when every one of them is complete, so an interrupted run never leaves a
half-written results folder. Output is deterministic: same scenario and seed, same bytes.

Never over what the tool did not write: every folder it writes holds a marker file
(`MARKER`, naming what the folder holds) and only files of the kinds it writes. A folder
without the marker, or with anything else in it, is never replaced, whatever the flags;
a marked folder holding another scenario's results only with `force`. Whether a folder
may be replaced is decided again, under a lock (``.NAME.lock`` beside it, `filelock`),
in the same step as the move into place, so that of several runs racing into one new
folder one wins and the others stop with a one-line error. Folders and files get the
user's umask, like any file the user makes.

Beside ``results/NAME`` a run uses three kinds of hidden folders, which the next run
writing there tidies (`recover`); a NAME longer than 60 bytes is shortened in them:

- ``.NAME.PID@HOST.XXXX.partial``: being written. Left behind only by a run killed
  outright (SIGKILL, power cut); removed once that process is gone.
- ``.NAME.old``: the previous results, moved aside for the instant between two renames.
  Found without ``NAME`` beside it, the run was killed in that instant: it is put back.
- ``.NAME.XXXX.trash``: previous results being deleted once the new ones are in place.

The environment variable SIM_TEST_PAUSE=STAGE:SECONDS makes a run sleep at a stage
("tables", "swap") so that tests can interrupt it there (tests/test_safe_output.py); it
is never set in normal use.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

FLOAT_FORMAT = "%.6f"


class OutputError(Exception):
    """The results cannot be written where asked (exit code 2 on the command line)."""


# Every folder the tool writes holds this file; `--force` replaces only such folders.
MARKER = ".sim-results"
# What a folder written by the tool may hold besides the marker: its own kinds of files,
# and a sweep's chunk folder. Anything else (a scenario, notes, a repository) means the
# folder is someone else's, and it is never replaced, whatever the flags.
TOOL_SUFFIXES = frozenset({".csv", ".png", ".json", ".parquet", ".jsonl", ".tmp"})
TOOL_FOLDERS = frozenset({"chunks"})
LOCK_TIMEOUT = 120.0  # seconds to wait for another sim process writing the same folder
SHORT_NAME = 60  # longer folder names are shortened in the names of the hidden folders


def _held_name(out: Path) -> str | None:
    """The name recorded in the folder's marker, or None when it has no valid marker.

    Folders written before the marker existed (results of `make run` kept from an earlier
    version) are recognised by their summary.json or sweep.json naming the scenario; they
    must still hold only files of the tool's kinds (`_only_tool_files`).
    """
    try:
        held = json.loads((out / MARKER).read_text())
    except (OSError, ValueError):
        return _legacy_name(out)
    name = held.get("name") if isinstance(held, dict) else None
    return name if isinstance(name, str) and held.get("tool") == "sim" else None


def _legacy_name(out: Path) -> str | None:
    for file in ("summary.json", "sweep.json"):
        try:
            data = json.loads((out / file).read_text())
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and data.get("kind") == "tournament":
            return "tournament"
        scenario = data.get("scenario") if isinstance(data, dict) else None
        name = scenario.get("name") if isinstance(scenario, dict) else None
        if isinstance(name, str):
            return name
    return None


def _only_tool_files(folder: Path, depth: int = 0) -> bool:
    """Whether `folder` holds only files of the kinds the tool writes (see TOOL_SUFFIXES)."""
    for entry in folder.iterdir():
        if entry.is_symlink():
            return False
        if entry.is_dir():
            if depth > 0 or entry.name not in TOOL_FOLDERS or \
                    not _only_tool_files(entry, depth + 1):
                return False
        elif not (entry.is_file() and (entry.name == MARKER
                                       or entry.suffix in TOOL_SUFFIXES)):
            return False
    return True


def tool_written(out: Path) -> bool:
    """Whether `out` is a folder this tool wrote: its marker, and only files it writes."""
    return out.is_dir() and _held_name(out) is not None and _only_tool_files(out)


def check_destination(out: Path, name: str, force: bool) -> None:
    """Refuse to replace a folder that the tool did not write (never, whatever the flags),
    or one holding results of something other than `name` (unless `force`).

    A folder the tool wrote holds the marker file `MARKER` naming what it holds, and only
    files of the kinds the tool writes. `force` may replace such a folder only: the error
    without it suggests --force, so --force must never reach a user's own files.
    """
    _check_path(out)
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder sim wrote; choose another --out")
    try:
        empty = not any(out.iterdir())
    except OSError as exc:
        raise OutputError(f"{out}: cannot read it: {exc.strerror}") from None
    if empty:
        return
    if not tool_written(out):
        raise OutputError(f"{out}: holds files sim did not write; sim never replaces such a "
                          "folder, even with --force: choose another --out")
    held = _held_name(out)
    if held != name and not force:
        raise OutputError(f"{out}: holds results of {_what(held)}, not {_what(name)}; "
                          "choose another --out or pass --force")


def _what(name: str | None) -> str:
    return f"scenario {name!r}" if name not in ("validate", "tournament", "decision-map") \
        else f"{name!r}"


def _check_path(out: Path) -> None:
    """Refuse destinations that can never be replaced: the current folder, one of its
    parents, the root; and names longer than the file system allows."""
    if out.name in ("", ".", ".."):
        raise OutputError(f"{out}: not a folder sim can replace; give a new folder's name, "
                          "e.g. --out results/mine")
    try:
        here = Path.cwd().resolve()
        target = out.resolve()
    except OSError as exc:
        raise OutputError(f"{out}: cannot resolve the path: {exc.strerror}") from None
    if target == here or target in here.parents:
        raise OutputError(f"{out}: is the current folder or holds it; give a new folder's "
                          "name, e.g. --out results/mine")
    longest = max(len(part.encode()) for part in out.parts)
    if longest > 255:
        raise OutputError(f"{out}: a name in the path is {longest} bytes long; the file "
                          "system allows 255")


def umask() -> int:
    """The user's umask (read by setting it and setting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _short(name: str) -> str:
    """The folder's name as used in the names of its hidden companions, short enough that
    they stay within the file system's 255 bytes."""
    if len(name.encode()) <= SHORT_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    return name.encode()[:40].decode(errors="ignore") + "~" + digest


def _lock_path(out: Path) -> Path:
    return out.parent / f".{_short(out.name)}.lock"


@contextlib.contextmanager
def destination_lock(out: Path) -> Iterator[None]:
    """Hold the lock of `out` (a lock file beside it), so that deciding whether `out` may be
    replaced and replacing it are one step: of several processes writing one folder,
    each sees the folder as the previous one left it."""
    from filelock import FileLock, Timeout

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(_lock_path(out)), timeout=LOCK_TIMEOUT, mode=0o666 & ~umask())
        with lock:
            yield
    except Timeout:
        raise OutputError(f"{out}: another sim process has been writing there for "
                          f"{LOCK_TIMEOUT:.0f} s; try again when it ends") from None
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there: {exc.strerror or exc}") from None


def probe(out: Path, name: str, force: bool) -> None:
    """Check, before any long computation, that results could be written to `out`: it may
    be replaced (`check_destination`) and its parent folder is writable (a temporary
    folder is made there and removed; parent folders made for that are removed too)."""
    check_destination(out, name, force)
    made: list[Path] = []
    parent = out.parent
    try:
        missing = [p for p in (parent, *parent.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
        tmp = tempfile.mkdtemp(prefix=f".{_short(out.name)}.probe.", dir=parent)
        os.rmdir(tmp)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there: {exc.strerror or exc}") from None
    finally:
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()


def mark(folder: Path, name: str) -> None:
    """Write the marker that says `folder` is the tool's and what it holds."""
    text = json.dumps({"tool": "sim", "name": name,
                       "note": "written by sim; --force may replace this folder"},
                      sort_keys=True)
    (folder / MARKER).write_text(text + "\n")


@contextlib.contextmanager
def atomic_folder(out: Path, *, name: str, force: bool = False) -> Iterator[Path]:
    """Yield a fresh folder beside `out` to fill; it replaces `out` whole when the block
    ends without error and is removed otherwise. Every command writes its results so.

    `name` says what the folder holds (recorded in its marker file). Checked at once and
    again, under the destination's lock, just before the move into place: a folder the
    tool did not write is never replaced, one holding something else only with `force`.
    Tidies first what an interrupted run left (`recover`). Folders and files get the
    user's umask.
    """
    probe(out, name, force)
    try:
        with destination_lock(out):
            recover(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{_short(out.name)}.{os.getpid()}@{_host()}.",
                                    suffix=".partial", dir=out.parent))
        os.chmod(tmp, 0o777 & ~umask())
    except OSError as exc:
        raise OutputError(f"{out}: cannot write there: {exc.strerror or exc}") from None
    try:
        mark(tmp, name)
        yield tmp
        with destination_lock(out):
            check_destination(out, name, force)
            try:
                _replace(tmp, out)
            except OSError as exc:
                raise OutputError(f"{out}: cannot write there: {exc.strerror or exc}") \
                    from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_folder(out: Path, name: str, fill: Callable[[Path], Any], *,
                 force: bool = False) -> Path:
    """Fill a fresh folder with `fill(folder)` and move it into place whole (`atomic_folder`
    with a callback): for ensembles and sensitivity studies."""
    with atomic_folder(out, name=name, force=force) as tmp:
        fill(tmp)
    return out


def write_files(folder: Path, name: str, files: dict[str, bytes]) -> None:
    """Add or replace `files` in a shared folder of the tool's (the decision maps of several
    scenarios side by side), each whole: the folder is checked and marked, under its lock,
    like a results folder; a folder the tool did not write is refused."""
    probe(folder, name, force=False)
    with destination_lock(folder):
        check_destination(folder, name, force=False)
        try:
            folder.mkdir(exist_ok=True)
            if not (folder / MARKER).exists():
                mark(folder, name)
            for file, data in files.items():
                atomic_write_bytes(folder / file, data)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot write there: {exc.strerror or exc}") \
                from None


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename. The
    file gets the user's umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name[:60]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(name, 0o666 & ~umask())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def _replace(new: Path, out: Path) -> None:
    """Swap the finished folder into place; the old one is removed only afterwards.

    Between the two renames `out` does not exist; an exception there puts the previous
    results back, and a kill there leaves them in ``.NAME.old`` for `recover`.
    """
    if not out.exists():
        new.rename(out)
        return
    old = _aside(out)
    if old.exists():  # a stale copy, `out` being there: the results are those in `out`
        _discard(old, out)
    out.rename(old)
    try:
        _test_pause("swap")
        new.rename(out)
    except BaseException:
        if not out.exists():
            old.rename(out)
        raise
    _discard(old, out)


def recover(out: Path) -> None:
    """Tidy what an interrupted run left beside `out`: put back previous results moved
    aside in the instant of a swap, remove stale copies, and remove temporary folders
    whose process is no longer running on this machine."""
    if not out.parent.is_dir():
        return
    short = _short(out.name)
    old = _aside(out)
    if old.is_dir():
        if out.exists():
            _discard(old, out)
        else:
            old.rename(out)
    for trash in out.parent.glob(f".{glob.escape(short)}.*.trash"):
        shutil.rmtree(trash, ignore_errors=True)
    pattern = re.compile(rf"\.{re.escape(short)}\.(\d+)@(.+)\.[^.]+\.partial")
    for partial in out.parent.glob(f".{glob.escape(short)}.*.partial"):
        found = pattern.fullmatch(partial.name)
        if found and found[2] == _host() and not _running(int(found[1])):
            shutil.rmtree(partial, ignore_errors=True)


def _aside(out: Path) -> Path:
    return out.with_name(f".{_short(out.name)}.old")


def _discard(folder: Path, out: Path) -> None:
    """Delete a folder after renaming it, so that a half-deleted copy is never taken
    for complete results."""
    trash = Path(tempfile.mkdtemp(prefix=f".{_short(out.name)}.", suffix=".trash",
                                 dir=out.parent))
    trash.rmdir()
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname())[:40] or "host"


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or cannot tell: leave its folder alone
    return True


def _test_pause(stage: str) -> None:
    """Test hook: with SIM_TEST_PAUSE=STAGE:SECONDS, sleep at that stage (see above)."""
    spec = os.environ.get("SIM_TEST_PAUSE", "")
    at, _, seconds = spec.partition(":")
    if spec and at == stage:
        time.sleep(float(seconds or 0))
