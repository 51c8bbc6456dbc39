"""Folders and files written whole or not at all, and never over what the tool did not write.

Files are written into a fresh temporary folder beside the destination and moved into
place only when every one of them is complete, so an interrupted run never leaves a
half-written results folder. A folder holding another scenario's results is not replaced
unless asked (`force`). Output is deterministic: same scenario and seed, same bytes.

Beside ``results/NAME`` a run uses three kinds of hidden folders, which the next run
writing there tidies (`recover`):

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


def check_destination(out: Path, name: str, force: bool) -> None:
    """Refuse to replace a folder that holds something other than this scenario's results."""
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    if force or not any(out.iterdir()):
        return
    previous = out / "summary.json"
    try:
        held = json.loads(previous.read_text())["scenario"]["name"]
    except (OSError, ValueError, KeyError, TypeError):
        raise OutputError(f"{out}: exists and does not hold sim results; "
                          "choose another --out or pass --force") from None
    if held != name:
        raise OutputError(f"{out}: holds results of scenario {held!r}, not {name!r}; "
                          "choose another --out or pass --force")


@contextlib.contextmanager
def atomic_folder(out: Path, *, name: str | None = None, force: bool = False) -> Iterator[Path]:
    """Yield a fresh folder beside `out` to fill; it replaces `out` whole when the block
    ends without error and is removed otherwise. Every command writes its results so.

    First tidies what an interrupted run left (`recover`). With `name` (what the folder
    will hold, recorded in its summary.json by the caller), a folder holding something
    else is not replaced unless `force`.
    """
    if out.parent.is_dir():
        recover(out)
    if name is not None:
        check_destination(out, name, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}@{_host()}.",
                                suffix=".partial", dir=out.parent))
    try:
        yield tmp
        _replace(tmp, out)
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
    old = _aside(out)
    if old.is_dir():
        if out.exists():
            _discard(old, out)
        else:
            old.rename(out)
    for trash in out.parent.glob(f".{glob.escape(out.name)}.*.trash"):
        shutil.rmtree(trash, ignore_errors=True)
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(\d+)@(.+)\.[^.]+\.partial")
    for partial in out.parent.glob(f".{glob.escape(out.name)}.*.partial"):
        found = pattern.fullmatch(partial.name)
        if found and found[2] == _host() and not _running(int(found[1])):
            shutil.rmtree(partial, ignore_errors=True)


def _aside(out: Path) -> Path:
    return out.with_name(f".{out.name}.old")


def _discard(folder: Path, out: Path) -> None:
    """Delete a folder after renaming it, so that a half-deleted copy is never taken
    for complete results."""
    trash = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".trash", dir=out.parent))
    trash.rmdir()
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"


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
