"""A synthetic world for benchmarks: many states, a year, a few hundred expulsions.

`world(states=193, days=365, expulsions=300, partners=12, seed=0)` returns a scenario
mapping (load it with sim.load). Ids are three letters (AAA, AAB, ...); each state keeps a
mission in `partners` others; expulsions fall on random linked pairs; every tenth state
changes administration mid-year, with a prior, and two signals about it reach its
partners. Facts only; behaviour is the defaults.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
from typing import Any

import numpy as np


def ids(n: int) -> list[str]:
    letters = string.ascii_uppercase
    return ["".join(t) for t in itertools.islice(itertools.product(letters, repeat=3), n)]


def world(states: int = 193, days: int = 365, expulsions: int = 300, partners: int = 12,
          seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    names = ids(states)
    start = dt.date(2030, 1, 1)
    end = start + dt.timedelta(days=days - 1)
    links: set[tuple[str, str]] = set()
    for a in names:
        others = [x for x in names if x != a]
        for b in rng.choice(others, size=min(partners, len(others)), replace=False):
            links.add(tuple(sorted((a, str(b)))))  # type: ignore[arg-type]
    spec_states: dict[str, Any] = {}
    for k, sid in enumerate(names):
        spec_states[sid] = {"name": f"State {sid}",
                            "power": float(np.round(rng.lognormal(-4.5, 1.2), 5)),
                            "missions": {}, "facilities": {}}
        if k % 10 == 0:
            switch = start + dt.timedelta(days=int(rng.integers(days // 10, days - days // 10)))
            spec_states[sid]["administrations"] = {
                "old": {"leader": "Old", "start": start - dt.timedelta(days=900), "end": switch},
                "new": {"leader": "New", "start": switch, "end": end + dt.timedelta(days=900),
                        "prior": {"accommodating": 0.5, "hawkish": 0.5},
                        "freedom": 0.8},
            }
    for a, b in sorted(links):
        size = int(rng.integers(20, 400))
        ratio = float(rng.uniform(0.5, 2.0))
        spec_states[a]["missions"][b] = size
        spec_states[b]["missions"][a] = max(10, int(size * ratio))
        spec_states[a]["facilities"][b] = int(rng.integers(1, 6))
        spec_states[b]["facilities"][a] = int(rng.integers(1, 6))
    pairs = sorted(links)
    events: list[dict[str, Any]] = []
    for _ in range(expulsions):
        a, b = pairs[int(rng.integers(len(pairs)))]
        actor, target = (a, b) if rng.random() < 0.5 else (b, a)
        day = start + dt.timedelta(days=int(rng.integers(0, days)))
        events.append({"date": day, "type": "expel", "actor": actor, "target": target,
                       "persons": int(rng.integers(1, 6))})
    for sid, st in spec_states.items():
        if "administrations" in st:
            switch = st["administrations"]["new"]["start"]
            for lag in (-20, 40):
                day = switch + dt.timedelta(days=lag)
                if start <= day <= end:
                    watchers = sorted({b if a == sid else a for a, b in links if sid in (a, b)})
                    events.append({"date": day, "type": "signal", "about": sid,
                                   "administration": "new", "observers": watchers,
                                   "likelihood": {"accommodating": 0.7, "hawkish": 0.4}})
    events.sort(key=lambda e: e["date"])
    _keep_feasible(events, spec_states)
    return {"name": f"synthetic_{states}", "title": f"Synthetic world of {states} states",
            "start": start, "end": end, "seed": seed, "states": spec_states, "events": events}


def _keep_feasible(events: list[dict[str, Any]], states: dict[str, Any]) -> None:
    """Drop expulsions that would exceed the staff left (the loader would refuse them)."""
    staff = {(s, o): n for s, st in states.items() for o, n in st["missions"].items()}
    kept = []
    for ev in events:
        if ev["type"] == "expel":
            key = (ev["target"], ev["actor"])
            if staff.get(key, 0) < ev["persons"]:
                continue
            staff[key] -= ev["persons"]
        kept.append(ev)
    events[:] = kept
