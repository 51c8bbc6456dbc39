"""Hypothesis strategies for scenario documents: valid ones, and valid ones broken a little.

A broken scenario written by hand is rarely random noise; it is a valid file with one thing
wrong: a field dropped, a value of the wrong type or out of range, two dates swapped, a
state id mistyped, a stray character. `scenarios()` draws valid documents (plain dicts, as
`yamlsafe.read_yaml` would build them) and `mutated()` applies one to three such edits.
Kept short (a few weeks to a few months, two or three states) so that runs take
milliseconds and hundreds of examples fit in seconds.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import itertools
from dataclasses import fields
from typing import Any

import yaml
from hypothesis import strategies as st

from sim.game.params import Behaviour
from sim.rules.policies import POLICIES

IDS = ("AAA", "BBB", "CCC")
TYPES = ("expel", "statement", "signal", "legislation")
LEVELS = ("spokesman", "minister", "leader")
Path_ = tuple[str | int, ...]

probability = st.floats(0.0, 1.0, allow_nan=False)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


@st.composite
def behaviour(draw: st.DrawFn) -> dict[str, Any]:
    """A few behaviour overrides, each within its declared range."""
    out: dict[str, Any] = {}
    for f in draw(st.lists(st.sampled_from(fields(Behaviour)), max_size=3, unique=True)):
        lo, hi = f.metadata["range"]
        if f.type in (int, "int"):
            out[f.name] = draw(st.integers(int(lo), int(hi)))
        else:
            out[f.name] = draw(st.floats(lo, hi, allow_nan=False))
    return out


@st.composite
def policy(draw: st.DrawFn) -> Any:
    name = draw(st.sampled_from(sorted(POLICIES)))
    if draw(st.booleans()):
        return name
    spec: dict[str, Any] = {"name": name}
    if name in ("best_response", "proportional", "in_kind", "grim") and draw(st.booleans()):
        spec["ratio"] = draw(st.floats(0.1, 10.0))
    if name == "token" and draw(st.booleans()):
        spec["share"] = draw(probability)
    if name == "generous" and draw(st.booleans()):
        spec["forgiveness"] = draw(probability)
    return spec


@st.composite
def administrations(draw: st.DrawFn, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Back-to-back administrations covering [start, end], the later ones with priors."""
    cuts = sorted(draw(st.sets(st.integers(1, (end - start).days - 1), max_size=2)))
    bounds = [start - dt.timedelta(days=draw(st.integers(0, 400))),
              *(start + dt.timedelta(days=c) for c in cuts),
              end + dt.timedelta(days=draw(st.integers(0, 400)))]
    out: dict[str, Any] = {}
    for k, (a, b) in enumerate(itertools.pairwise(bounds)):
        adm: dict[str, Any] = {"leader": f"Leader {k}", "start": a, "end": b}
        if k > 0 or draw(st.booleans()):
            p = draw(probability)
            adm["prior"] = {"accommodating": p, "hawkish": 1.0 - p}
            adm["freedom"] = draw(probability)
        out[f"adm{k}"] = adm
    return out


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario document (as a plain dict)."""
    start = draw(dates)
    end = start + dt.timedelta(days=draw(st.integers(14, 120)))
    ids = IDS[: draw(st.integers(2, 3))]
    states: dict[str, Any] = {}
    for sid in ids:
        others = [o for o in ids if o != sid]
        state: dict[str, Any] = {
            "name": f"State {sid}",
            "power": draw(st.floats(0.001, 1.0)),
            "missions": {o: draw(st.integers(0, 2000)) for o in others},
            "facilities": {o: draw(st.integers(0, 10)) for o in others},
            "dependence": {o: draw(probability) for o in others if draw(st.booleans())},
            "policy": draw(policy()),
            "behaviour": draw(behaviour()),
        }
        if draw(st.booleans()):
            state["administrations"] = draw(administrations(start, end))
        states[sid] = state
    doc: dict[str, Any] = {
        "name": "fuzz", "title": "A drawn scenario", "start": start, "end": end,
        "seed": draw(st.integers(0, 2**32 - 1)), "behaviour": draw(behaviour()), "states": states,
    }
    staff = {(s, o): n for s in ids for o, n in states[s]["missions"].items()}
    sites = {(s, o): n for s in ids for o, n in states[s]["facilities"].items()}
    with_prior = [s for s in ids
                  if any("prior" in a for a in states[s].get("administrations", {}).values())]
    day_offsets = sorted(draw(st.lists(st.integers(0, (end - start).days), max_size=6)))
    events: list[dict[str, Any]] = []
    for offset in day_offsets:
        date = start + dt.timedelta(days=offset)
        actor, target = draw(st.permutations(ids))[:2]
        kind = draw(st.sampled_from(TYPES if with_prior else TYPES[:2]))
        if kind == "expel":
            persons = draw(st.integers(0, staff[(target, actor)]))
            closed = draw(st.integers(0, sites[(target, actor)]))
            if persons == 0 and closed == 0:
                continue
            staff[(target, actor)] -= persons
            sites[(target, actor)] -= closed
            events.append({"date": date, "type": "expel", "actor": actor, "target": target,
                           "persons": persons, "facilities": closed})
        elif kind == "statement":
            events.append({"date": date, "type": "statement", "actor": actor,
                           "target": target, "level": draw(st.sampled_from(LEVELS))})
        else:
            owner = draw(st.sampled_from(with_prior))
            p = draw(st.floats(0.01, 1.0))
            ev = {"date": date, "type": kind, "likelihood": {"accommodating": p,
                                                             "hawkish": draw(st.floats(0.01, 1.0))},
                  "uncertainty": draw(probability)}
            if kind == "signal":
                ev["about"] = owner
            else:
                other = next(s for s in ids if s != owner)
                # a veto-proof law binds as a fact, with no likelihood and only where the
                # administration could be bound: tests/test_flips.py covers it
                ev.update(actor=owner, target=other, veto_proof=False)
            events.append(ev)
    doc["events"] = events
    moves = [ev for ev in events if ev["type"] != "signal"]
    if moves and draw(st.booleans()):
        doc["history"] = {"responses": draw(st.lists(response(moves, end), max_size=2)),
                          "sources": ["a drawn source"]}
    return doc


@st.composite
def response(draw: st.DrawFn, moves: list[dict[str, Any]], end: dt.date) -> dict[str, Any]:
    """A recorded first response, consistent with itself: it answers one of the scenario's
    moves (a trigger must be one) and comes by the scenario's end."""
    move = draw(st.sampled_from(moves))
    actor, target, trigger = move["target"], move["actor"], move["date"]
    action = draw(st.sampled_from(("none", "expel", "cap", "close")))
    out: dict[str, Any] = {
        "actor": actor, "target": target, "trigger_date": trigger, "action": action,
        "category": "none" if action == "none" else draw(
            st.sampled_from(("smaller", "same", "larger"))),
    }
    if action != "none":
        out["date"] = trigger + dt.timedelta(
            days=draw(st.integers(0, min(60, (end - trigger).days))))
        out["persons"] = draw(st.integers(0, 100))
    return out


# --- mutations -----------------------------------------------------------------------

def paths(node: Any, prefix: Path_ = ()) -> list[Path_]:
    """Every field path in a document (mapping keys and list indices), parents first."""
    out: list[Path_] = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def _parent(doc: Any, path: Path_) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


odd_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70),
    st.floats(), st.text(max_size=12), st.dates(), st.sampled_from((*IDS, "ZZZ", "usa")),
    st.sampled_from(TYPES + LEVELS + tuple(POLICIES) + ("", "1e9", "2020-02-30")),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.sampled_from(("a", "accommodating", "hawkish", "free", "name")),
                    st.floats(-1, 2), max_size=3),
)


@st.composite
def mutation(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    """One edit of the kind a person makes by mistake."""
    doc = copy.deepcopy(doc)
    everything = paths(doc)
    kind = draw(st.sampled_from(("drop", "replace", "swap_dates", "unknown_id", "extra_field",
                                 "shift_date", "shift_all_dates", "scale_number")))
    if kind == "drop" and everything:
        path = draw(st.sampled_from(everything))
        parent = _parent(doc, path)
        del parent[path[-1]]
    elif kind == "replace" and everything:
        path = draw(st.sampled_from(everything))
        _parent(doc, path)[path[-1]] = draw(odd_values)
    elif kind == "swap_dates":
        holders = [p for p in everything if isinstance(p[-1], str) and p[-1] == "start"]
        if holders:
            path = draw(st.sampled_from(holders))
            holder = _parent(doc, path)
            if "end" in holder:
                holder["start"], holder["end"] = holder["end"], holder["start"]
    elif kind == "unknown_id":
        refs = [p for p in everything if p[-1] in ("actor", "target", "about")
                or (len(p) >= 2 and p[-2] in ("missions", "facilities", "dependence"))]
        if refs:
            path = draw(st.sampled_from(refs))
            parent = _parent(doc, path)
            bad = draw(st.sampled_from(("ZZZ", "AAAA", "aaa", "CCC")))
            if isinstance(parent, dict) and parent.get(path[-1]) in IDS and path[-1] in (
                    "actor", "target", "about"):
                parent[path[-1]] = bad
            elif isinstance(parent, dict):
                parent[bad] = parent.pop(path[-1])
    elif kind == "extra_field":
        holders = [p for p in [(), *everything] if isinstance(_get(doc, p), dict)]
        path = draw(st.sampled_from(holders))
        key = draw(st.sampled_from(("mission", "sede", "persns", "date", "extra", "typ")))
        _get(doc, path)[key] = draw(odd_values)
    elif kind == "shift_date":
        holders = [p for p in everything if isinstance(_get(doc, p), dt.date)]
        if holders:
            path = draw(st.sampled_from(holders))
            days = draw(st.integers(-3000, 3000))
            with contextlib.suppress(OverflowError):
                _parent(doc, path)[path[-1]] = _get(doc, path) + dt.timedelta(days=days)
    elif kind == "shift_all_dates":  # the whole story moved, towards the calendar's ends
        target = draw(st.sampled_from((dt.date(1, 1, 1), dt.date(9999, 1, 1))) | st.dates())
        start = doc.get("start")
        if isinstance(start, dt.date):
            _shift_all(doc, target - start)
    elif kind == "scale_number":
        holders = [p for p in everything
                   if isinstance(_get(doc, p), int | float) and not isinstance(_get(doc, p), bool)]
        if holders:
            path = draw(st.sampled_from(holders))
            factor = draw(st.sampled_from((-1, 0, 2, 10, 1000, 10**12, 0.5, 1e-9, 1e300)))
            _parent(doc, path)[path[-1]] = _get(doc, path) * factor
    return doc


def _shift_all(node: Any, delta: dt.timedelta) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in list(items):
        if isinstance(value, dt.date):
            try:
                node[key] = value + delta
            except OverflowError:
                node[key] = dt.date.max if delta.days > 0 else dt.date.min
        else:
            _shift_all(value, delta)


def _get(doc: Any, path: Path_) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario with one to three mistakes in it."""
    doc = draw(scenarios())
    for _ in range(draw(st.integers(1, 3))):
        doc = draw(mutation(doc))
    return doc


# --- text -----------------------------------------------------------------------------

def dump(doc: dict[str, Any]) -> str:
    """A document as the YAML a person would write (block style, keys in order)."""
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


# Characters that matter to YAML, and a few that matter to a reader of bytes.
SPECIAL = ":-[]{},#&*!|>'\"%@`\t\n ?0.eE\x00\x85\ufeff\u2028"


@st.composite
def edited_text(draw: st.DrawFn) -> bytes:
    """The YAML of a valid scenario with a few characters inserted, deleted or replaced."""
    text = dump(draw(scenarios()))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        piece = draw(st.text(alphabet=st.sampled_from(SPECIAL) | st.characters(),
                             min_size=0, max_size=3))
        cut = draw(st.integers(0, 3))
        text = text[:at] + piece + text[at + cut:]
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then, raw bytes that are not UTF-8
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


@st.composite
def shifted(draw: st.DrawFn) -> dict[str, Any]:
    """A valid scenario moved in time, often to the first or last years of the calendar
    (dates the model counts forward from must not overflow there)."""
    doc = draw(scenarios())
    edge = st.sampled_from((dt.date(1, 1, 1), dt.date(9990, 1, 1), dt.date(9999, 1, 1)))
    target = draw(edge.flatmap(lambda d: st.dates(d, d + dt.timedelta(days=364))) | st.dates())
    _shift_all(doc, target - doc["start"])
    return doc
