"""Valid scenarios that are costly to draw: many events over many years, a huge name.

Used by benchmarks/bench_charts.py (which times them) and tests/test_charts_bounded.py
(which checks what is drawn, without timing). Each returns the scenario as plain data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def many_events(events: int = 7_000, years: int = 20) -> dict[str, Any]:
    """Two states expelling one diplomat of each other's every day or so, for `years`."""
    start = dt.date(2000, 1, 1)
    end = start + dt.timedelta(days=int(years * 365.25) - 1)
    span = (end - start).days
    moves = []
    for k in range(events):
        day = start + dt.timedelta(days=1 + k * (span - 2) // events)
        actor, target = ("AAA", "BBB") if k % 2 == 0 else ("BBB", "AAA")
        moves.append({"date": day.isoformat(), "type": "expel", "actor": actor,
                      "target": target, "persons": 1})
    return {
        "name": "many_events", "title": "Twenty years of tit for tat", "start": start,
        "end": end, "seed": 1,
        "states": {"AAA": {"name": "Alpha", "missions": {"BBB": 100_000},
                           "facilities": {"BBB": 5}},
                   "BBB": {"name": "Beta", "missions": {"AAA": 100_000},
                           "facilities": {"AAA": 5}}},
        "events": moves,
    }


def huge_name(size: int = 500_000) -> dict[str, Any]:
    """One expulsion between two states, one of them named with `size` characters."""
    return {
        "name": "huge_name", "title": "A state with a very long name", "start": "2020-01-01",
        "end": "2020-03-31", "seed": 1,
        "states": {"AAA": {"name": "A" * size, "missions": {"BBB": 100}},
                   "BBB": {"name": "Beta", "missions": {"AAA": 100}}},
        "events": [{"date": "2020-01-10", "type": "expel", "actor": "AAA", "target": "BBB",
                    "persons": 10}],
    }
