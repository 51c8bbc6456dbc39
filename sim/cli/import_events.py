"""`python -m sim import events FILE`: event data (ICEWS, GDELT, POLECAT) into skeletons.

Writes episodes.csv (one skeleton per ordered pair that opened an exchange) and
summary.json into a results folder, whole or not at all, and never over a folder holding
something else (sim/io/folders.py). Bad input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from sim.io.folders import OutputError, atomic_folder, check_destination
from sim.scenario.events import (
    DEFAULT_CODES,
    DEFAULT_WINDOW,
    EPISODE_COLUMNS,
    EventImport,
    import_events,
)

NAME = "import-events"  # what summary.json records the folder holds


def _codes(text: str) -> tuple[str, ...]:
    """An argparse type: CAMEO codes separated by commas, each 161 or 174."""
    codes = tuple(c.strip() for c in text.split(",") if c.strip())
    wrong = [c for c in codes if c not in DEFAULT_CODES]
    if not codes or wrong:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected 161, 174 or 161,174 (diplomat expulsions are coded only so)")
    return codes


def _window(text: str) -> int:
    """An argparse type: a number of days, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is not 0 or more")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path,
                        help="an event file: ICEWS (.tab), GDELT 1.0 or 2.0 (raw export, "
                             "tab-separated), or POLECAT (.tsv/.txt); the layout is detected")
    parser.add_argument("--out", type=Path, default=Path("results") / "events",
                        help="folder for episodes.csv and summary.json "
                             "(default: results/events/)")
    parser.add_argument("--window", type=_window, default=DEFAULT_WINDOW, metavar="DAYS",
                        help="days after the first expulsion within which a reverse "
                             f"expulsion counts as the answer (default {DEFAULT_WINDOW})")
    parser.add_argument("--codes", type=_codes, default=DEFAULT_CODES, metavar="161,174",
                        help="CAMEO codes to read as expulsions (default 161,174; for "
                             "POLECAT, 161 is SANCTION/expel and 174 COERCE/deport)")
    parser.add_argument("--force", action="store_true",
                        help="replace a folder that holds other results")


def summary_lines(result: EventImport) -> list[str]:
    """The short report printed after an import."""
    s = result.stats
    n = len(result.skeletons)
    answered = sum(k.answered for k in result.skeletons)
    delay = result.median_delay
    lines = [
        f"layout: {s.layout}",
        f"rows read: {s.rows}; with code {','.join(result.codes)}: {s.coded}",
        f"dropped: {s.no_state} without a state on both sides, {s.same_state} within one "
        f"state, {s.not_diplomats} not about diplomats",
        f"events kept: {s.kept}",
        f"pairs: {n}; answered within {result.window} days: {answered}"
        + (f" ({answered / n:.0%})" if n else ""),
        "median delay: " + ("-" if delay is None else f"{delay:g} days"),
    ]
    if s.unknown_names:
        top = sorted(s.unknown_names.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
        lines.append("country names not recognised: "
                     + ", ".join(f"{name!r} ({count})" for name, count in top))
    return lines


def episodes_csv(result: EventImport) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(EPISODE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(s.as_row() for s in result.skeletons)
    return buffer.getvalue()


def main(args: argparse.Namespace) -> int:
    try:  # refuse before reading a file of gigabytes, not after
        check_destination(args.out, NAME, args.force)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = import_events(args.file, window=args.window, codes=args.codes)
    print("\n".join(summary_lines(result)))
    s = result.stats
    summary = {
        "scenario": {"name": NAME},
        "source": str(args.file), "layout": s.layout, "window_days": result.window,
        "codes": list(result.codes),
        "rows": s.rows, "coded": s.coded, "no_state": s.no_state, "same_state": s.same_state,
        "not_diplomats": s.not_diplomats, "events_kept": s.kept,
        "pairs": len(result.skeletons),
        "answered": sum(k.answered for k in result.skeletons),
        "median_delay_days": result.median_delay,
        "unknown_country_names": dict(sorted(s.unknown_names.items())),
        "outputs": ["episodes.csv", "summary.json"],
    }
    try:
        with atomic_folder(args.out, name=NAME, force=args.force) as tmp:
            (tmp / "episodes.csv").write_text(episodes_csv(result), encoding="utf-8")
            (tmp / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True)
                                              + "\n", encoding="utf-8")
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}/episodes.csv")
    return 0
