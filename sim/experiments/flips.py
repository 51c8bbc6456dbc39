"""How far each input is from changing the story: the flip search.

One-at-a-time swings at fixed steps (`sim.experiments.sensitivity`) report how much an
outcome moves, and miss a change that happens between two steps. The question a case
study has to answer is different: *how far can each input move, alone, before any first
response of the scenario changes?* This module answers it by bisection.

**Inputs.** Every behaviour parameter (`sim/game/params.py`, scenario-wide, at the
scenario's value) and every judgement input of the scenario: each administration's prior
(P(accommodating); P(hawkish) moves with it) and freedom, each likelihood entry of each
signal and piece of legislation, and each non-zero uncertainty. Facts (dates, counts,
power, trade) are not perturbed: they come with sources, not judgements.

**What counts as a change (the rule).** A run's *story* is, for every first response
recorded in the scenario's `history:` block, the model's first measure of that actor
against that target from the trigger date until the next recorded trigger for the same
pair (the window `sim.analysis.comparison` uses): its date, action, staff, facilities and
category (`sim.analysis.outcomes.categorise`), or none. Without a history, the story is
the first response of the main dyad (`sim.analysis.outcomes.first_response`). An input
*flips* at a value where the story differs from the story at the defaults by what the
validation would score as a different first response (`differs`): an answer where there
was none or none where there was one, another action or category, a staff count off by
more than 10%, another number of facilities, or a day more than 3 days away. A shift of
a day or two is not a flip: the validation itself does not tell it apart.

**The search.** Relative changes r, the value being default × (1 + r); whole-number
parameters move over whole numbers. Each side (below, above) is searched out to `limit`
(default ±100%) or to the end of the input's valid range, whichever is nearer (a
probability stays within [0, 1], a likelihood within [0.001, 1] as the model's own floor
for perturbed likelihoods, a parameter within its documented range; a value that makes
the scenario inconsistent, such as evidence impossible under every hypothesis held, ends
the side there). A coarse scan brackets the nearest flip (steps of `scan_step` up to
±`band`, of `outer_step` beyond), then bisection narrows the first interval that flips
to `tolerance`. The reported change is the nearest value *known to flip*: the threshold
lies within `tolerance` of it, towards the default. A change and a change back both
inside one scan step would be missed: the scan is fine (1% steps by default) within the
band that matters.

**Cost.** Every evaluation is one deterministic run (the scenario's seed). All the
points of a stage, for every input at once, run side by side in one batch of the batch
engine (`sim.engine.batch.BatchEngine` with per-run behaviours and judgement variants),
so the search costs a dozen batches, not hundreds of runs. `honeymoon_days` shapes a
batch's structure, so its points run in batches of their own.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from sim.analysis.outcomes import categorise
from sim.analysis.validation import DELAY_WITHIN, size_ok
from sim.engine.batch import BatchEngine
from sim.engine.world import STRUCTURAL_FIELDS
from sim.experiments.ensemble import loaded_from
from sim.game.context import SEVERITY_FIELDS
from sim.game.params import Behaviour, parameter_table
from sim.scenario import LoadedScenario, ScenarioError
from sim.scenario.checks import problems
from sim.scenario.schema import Expel, Legislation, Scenario, Signal, TypePrior

BAND = 0.2  # the perturbation the story must survive (issue "A real game", item 7)
LIMIT = 1.0  # how far beyond the band each side is searched, where the value stays valid
TOLERANCE = 0.005
SCAN_STEP = 0.01
OUTER_STEP = 0.05
LIKELIHOOD_FLOOR = 0.001  # as `sim.game.beliefs.perturbed` keeps likelihoods
STRUCTURAL_STEP, STRUCTURAL_OUTER_STEP = 0.05, 0.25  # see `_steps_of`
MAX_INTEGER_SCAN = 60  # whole-number inputs: every value when there are at most this many

Story = tuple[Any, ...]


@dataclass(frozen=True)
class Input:
    """One input the search moves: its `--set` path, value in the scenario, valid range."""

    path: str
    base: float
    lo: float
    hi: float
    integer: bool
    what: str  # a few words: which event or administration, for tables and charts

    @property
    def behaviour(self) -> str | None:
        """The behaviour parameter's name, None for a judgement input."""
        return self.path.split(".", 1)[1] if self.path.startswith("behaviour.") else None

    def value(self, r: float) -> float | int:
        """The value at relative change r, within the valid range."""
        x = min(max(self.base * (1.0 + r), self.lo), self.hi)
        return round(x) if self.integer else x

    def relative(self, x: float) -> float:
        return (x - self.base) / self.base

    def reach(self, side: int, limit: float) -> float:
        """How far (a relative change >= 0) this side may go: `limit` or the range's end."""
        if self.base == 0:
            return 0.0
        end = self.hi if side > 0 else self.lo
        room = abs(end - self.base) / abs(self.base)
        return min(limit, room)


@dataclass
class Flip:
    """Where an input flips the story, on one side (None: not within what was searched)."""

    at: float | None  # relative change known to flip, nearest found
    safe: float  # relative change known not to flip, nearest the flip (0: the default)
    reach: float  # how far this side was searched
    story: Story | None = None  # the story at `at`


@dataclass
class Result:
    """The flip search of one scenario: per input, both sides, and what it cost."""

    inputs: list[Input]
    lower: list[Flip]
    upper: list[Flip]
    base_story: Story
    labels: list[str]  # what each element of a story is about
    evaluations: int
    batches: int
    seconds: float
    settings: dict[str, Any] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """flips.csv: parameter, default, lower, upper (relative changes, NaN: no flip)."""
        return pd.DataFrame({
            "parameter": [i.path for i in self.inputs],
            "default": [i.base for i in self.inputs],
            "lower": [f.at if f.at is not None else np.nan for f in self.lower],
            "upper": [f.at if f.at is not None else np.nan for f in self.upper],
        })

    def details(self) -> pd.DataFrame:
        """Everything behind flips.csv: the searched reach, the value at each flip and what
        changed there, the nearest distance to a flip (`distance`, NaN: none found)."""
        rows = []
        for inp, lo, hi in zip(self.inputs, self.lower, self.upper, strict=True):
            near = [abs(f.at) for f in (lo, hi) if f.at is not None]
            rows.append({
                "parameter": inp.path, "what": inp.what, "default": inp.base,
                "lower": lo.at, "upper": hi.at,
                "lower_value": inp.value(lo.at) if lo.at is not None else None,
                "upper_value": inp.value(hi.at) if hi.at is not None else None,
                "searched_below": -lo.reach, "searched_above": hi.reach,
                "distance": min(near) if near else np.nan,
                "change_below": self.describe(lo.story), "change_above": self.describe(hi.story),
            })
        return pd.DataFrame(rows)

    def within(self, band: float = BAND) -> pd.DataFrame:
        """The inputs that flip within ±band (the story does not survive them)."""
        d = self.details()
        return d[d["distance"] <= band + 1e-12].sort_values("distance", kind="stable")

    def describe(self, story: Story | None) -> str:
        """What differs from the default story, in words ('' when nothing or no story)."""
        if story is None:
            return ""
        parts = [f"{label}: {_words(a)} -> {_words(b)}" for label, a, b
                 in zip(self.labels, self.base_story, story, strict=True) if a != b]
        return "; ".join(parts)


def _words(response: Any) -> str:
    if response is None:
        return "none"
    date, action, persons, facilities, category = response
    return f"{action} {persons}+{facilities}f on {date} ({category})"


# --- the inputs ----------------------------------------------------------------------------


def inputs(loaded: LoadedScenario, names: Sequence[str] | None = None) -> list[Input]:
    """Every behaviour parameter and every judgement input of the scenario (or those whose
    path is in `names`), in a fixed order: behaviour, administrations, events."""
    spec = loaded.spec
    out: list[Input] = []
    used = {ev.type for ev in spec.events if isinstance(ev, Expel)}
    for row in parameter_table():
        name = row["name"]
        own = getattr(spec.behaviour, name)
        base = own if own is not None else row["default"]
        lo, hi = row["range"]
        what = row["group"]
        if name in SEVERITY_FIELDS and name.removeprefix("severity_") not in used:
            # no move of this instrument: its severity weighs nothing here, and as a
            # structural value every point would cost a batch of its own; not searched
            lo = hi = base
            what += " (no move of this instrument: not searched)"
        out.append(Input(f"behaviour.{name}", base, lo, hi,
                         isinstance(row["default"], int), what))
    for sid, st in spec.states.items():
        for key, adm in st.administrations.items():
            if adm.prior is None:
                continue
            where = f"states.{sid}.administrations.{key}"
            out.append(Input(f"{where}.prior.accommodating", adm.prior.accommodating, 0.0, 1.0,
                             False, f"{sid} {key}: prior accommodating"))
            out.append(Input(f"{where}.freedom", adm.freedom, 0.0, 1.0, False,
                             f"{sid} {key}: freedom to reset"))
    for i, ev in enumerate(spec.events):
        if not isinstance(ev, Signal | Legislation):
            continue
        who = ev.by if isinstance(ev, Signal) and ev.by else ev.type
        for key, v in ev.likelihood.items():
            out.append(Input(f"events.{i}.likelihood.{key}", v, LIKELIHOOD_FLOOR, 1.0, False,
                             f"{ev.date} {who}: L({key})"))
        if ev.uncertainty > 0:
            out.append(Input(f"events.{i}.uncertainty", ev.uncertainty, 0.0, 1.0, False,
                             f"{ev.date} {who}: uncertainty"))
    if names:
        known = {i.path for i in out}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise ScenarioError(f"--params: no input {unknown[0]!r} in this scenario; inputs: "
                                f"{', '.join(sorted(known))}", file=loaded.origin.file)
        out = [i for i in out if i.path in names]
    return out


def _variant(spec: Scenario, inp: Input, x: float) -> Scenario:
    """The scenario with one judgement input set to x (no revalidation: `problems` checks
    it; pydantic's model_copy keeps everything else shared)."""
    parts = inp.path.split(".")
    if parts[0] == "states":
        sid, key, what = parts[1], parts[3], parts[4]
        state = spec.states[sid]
        adm = state.administrations[key]
        change: dict[str, Any] = (
            {"prior": TypePrior.model_construct(accommodating=x, hawkish=1.0 - x)}
            if what == "prior" else {"freedom": x})
        admins = {**state.administrations, key: adm.model_copy(update=change)}
        states = {**spec.states, sid: state.model_copy(update={"administrations": admins})}
        return spec.model_copy(update={"states": states})
    i = int(parts[1])
    ev = spec.events[i]
    assert isinstance(ev, Signal | Legislation)
    update: dict[str, Any] = ({"likelihood": {**ev.likelihood, parts[3]: x}}
                              if parts[2] == "likelihood" else {"uncertainty": x})
    events = list(spec.events)
    events[i] = ev.model_copy(update=update)
    return spec.model_copy(update={"events": events})


# --- the story of a run ----------------------------------------------------------------------


def story_rule(spec: Scenario) -> tuple[list[tuple[str, str, dt.date, dt.date]], list[str]]:
    """The windows a story reads (actor, target, from, until) and a label for each: one per
    recorded first response (as the history comparison reads them), or the main dyad's."""
    if spec.history is None or not spec.history.responses:
        from sim.engine.plan import Plan

        plan = Plan(spec)
        actor, target = plan.main_dyad
        end = spec.end + dt.timedelta(days=1)
        return [(actor, target, plan.first_move, end)], [f"{actor} on {target}"]
    windows, labels = [], []
    rs = spec.history.responses
    for r in rs:
        later = [x.trigger_date for x in rs
                 if (x.actor, x.target) == (r.actor, r.target) and x.trigger_date > r.trigger_date]
        until = min(later) if later else spec.end + dt.timedelta(days=1)
        windows.append((r.actor, r.target, r.trigger_date, until))
        labels.append(f"{r.actor} on {r.target} after {r.trigger_date}")
    return windows, labels


def stories(frame: pd.DataFrame, n: int,
            windows: Sequence[tuple[str, str, dt.date, dt.date]]) -> list[Story]:
    """The story of each of a batch's n runs from its measures (`BatchEngine.frame`)."""
    model = frame[frame["source"] == "model"]
    by_run: dict[int, list[tuple]] = defaultdict(list)
    columns = ["run", "date", "actor", "target", "action", "persons", "facilities",
               "owed_persons", "owed_facilities"]
    for run, date, actor, target, action, p, f, op, of in zip(
            *(model[c].tolist() for c in columns), strict=True):
        by_run[int(run)].append((date, actor, target, action, int(p), int(f), int(op),
                                 int(of)))
    bounds = [(a, t, lo.isoformat(), hi.isoformat()) for a, t, lo, hi in windows]
    out: list[Story] = []
    for run in range(n):
        measures = by_run.get(run, [])
        story = []
        for actor, target, lo, hi in bounds:
            first = next((m for m in measures
                          if m[1] == actor and m[2] == target and lo <= m[0] < hi), None)
            story.append(None if first is None else
                         (first[0], first[3], first[4], first[5], categorise(*first[4:8])))
        out.append(tuple(story))
    return out


def differs(story: Story, base: Story) -> bool:
    """Whether two stories differ by what the validation scores (module docstring):
    presence, action, category, facilities, staff beyond `SIZE_WITHIN`, day beyond
    `DELAY_WITHIN` (`sim.analysis.validation`)."""
    for a, b in zip(story, base, strict=True):
        if (a is None) != (b is None):
            return True
        if a is None or b is None:
            continue
        (day_a, act_a, p_a, f_a, cat_a), (day_b, act_b, p_b, f_b, cat_b) = a, b
        gap = abs((dt.date.fromisoformat(day_a) - dt.date.fromisoformat(day_b)).days)
        if (act_a, cat_a, f_a) != (act_b, cat_b, f_b) or not size_ok(p_a, p_b) or \
                gap > DELAY_WITHIN:
            return True
    return False


# --- evaluating points ---------------------------------------------------------------------


class _Evaluator:
    """Runs points (input, relative change) in batches and remembers every story."""

    def __init__(self, loaded: LoadedScenario, seed: int,
                 progress: Callable[[int], None] | None = None) -> None:
        self.loaded = loaded
        self.spec = loaded.spec
        self.seed = seed
        self.windows, self.labels = story_rule(self.spec)
        self.own = {s: self.spec.behaviour_of(s) for s in self.spec.states}
        self.cache: dict[tuple[str, float], Story | None] = {}
        self.evaluations = 0
        self.batches = 0
        self.progress = progress

    def base(self) -> Story:
        return self._run([(self.own, self.spec)])[0]

    def point(self, inp: Input, x: float) -> tuple[dict[str, Behaviour], Scenario] | None:
        """The run for input value x, or None if x makes the scenario inconsistent."""
        name = inp.behaviour
        if name is not None:
            overrides: BaseModel = self.spec.behaviour  # built at run time: see schema
            wide = overrides.model_copy(update={name: round(x) if inp.integer else x})
            spec = self.spec.model_copy(update={"behaviour": wide})
            return {s: spec.behaviour_of(s) for s in spec.states}, self.spec
        variant = _variant(self.spec, inp, x)
        if next(problems(variant), None) is not None:
            return None
        return self.own, variant

    def evaluate(self, asks: Iterable[tuple[Input, float]]) -> None:
        """Story of every (input, value) not yet known; None where the value is invalid."""
        todo: dict[tuple[str, float], tuple[dict[str, Behaviour], Scenario]] = {}
        for inp, x in asks:
            key = (inp.path, x)
            if key in self.cache or key in todo:
                continue
            run = self.point(inp, x)
            if run is None:
                self.cache[key] = None
            else:
                todo[key] = run
        groups: dict[tuple, list[tuple[str, float]]] = defaultdict(list)
        for key, (beh, _) in todo.items():
            groups[tuple(getattr(b, f) for b in beh.values() for f in STRUCTURAL_FIELDS)
                   ].append(key)
        for keys in groups.values():
            for key, story in zip(keys, self._run([todo[k] for k in keys]), strict=True):
                self.cache[key] = story

    def _run(self, runs: Sequence[tuple[Mapping[str, Behaviour], Scenario]]) -> list[Story]:
        # the most likely course of every decision: a flip is a change of the story a
        # single run tells, not of one draw of an ensemble
        engine = BatchEngine(self.spec, [self.seed] * len(runs),
                             behaviours=[r[0] for r in runs], variants=[r[1] for r in runs],
                             sample=False)
        frame = engine.run()
        self.evaluations += len(runs)
        self.batches += 1
        if self.progress is not None:
            self.progress(len(runs))
        return stories(frame, len(runs), self.windows)


# --- the search ----------------------------------------------------------------------------


def _scan(inp: Input, side: int, reach: float, band: float, scan_step: float,
          outer_step: float) -> list[float]:
    """Values to scan on one side, nearest first (whole numbers for integer inputs)."""
    if reach <= 0:
        return []
    if inp.integer:
        end = inp.value(side * reach)
        span = abs(end - inp.base)
        if span <= MAX_INTEGER_SCAN:
            return [float(inp.base + side * k) for k in range(1, int(span) + 1)]
        steps = sorted({abs(inp.value(side * r) - inp.base)
                        for r in _steps(reach, band, scan_step, outer_step)} - {0})
        return [float(inp.base + side * s) for s in steps]
    return [inp.base * (1.0 + side * r) for r in _steps(reach, band, scan_step, outer_step)]


def _steps(reach: float, band: float, scan_step: float, outer_step: float) -> list[float]:
    inner = [k * scan_step for k in range(1, math.floor(min(band, reach) / scan_step + 1e-9) + 1)]
    start = inner[-1] if inner else 0.0
    outer = [start + k * outer_step
             for k in range(1, math.floor((reach - start) / outer_step + 1e-9) + 1)]
    steps = inner + outer
    if not steps or steps[-1] < reach - 1e-12:
        steps.append(reach)
    return steps


def search(
    scenario: LoadedScenario | str | Path | Mapping[str, Any],
    *,
    band: float = BAND,
    limit: float = LIMIT,
    tolerance: float = TOLERANCE,
    scan_step: float = SCAN_STEP,
    outer_step: float = OUTER_STEP,
    names: Sequence[str] | None = None,
    seed: int | None = None,
    overrides: Mapping[str, Any] | Iterable[str] = (),
    progress: bool = False,
) -> Result:
    """The flip search (module docstring): for every input and both sides, the nearest
    relative change that changes the story, within `limit` (and the valid range)."""
    started = time.perf_counter()
    loaded = loaded_from(scenario, overrides)
    where = loaded.origin.file
    if not 0 < band <= limit:
        raise ScenarioError(f"--range {band}: must be above 0 and at most the search limit "
                            f"{limit}", file=where)
    if not 0 < tolerance < band:
        raise ScenarioError(f"--tolerance {tolerance}: must be above 0 and below the range "
                            f"{band}", file=where)
    chosen = inputs(loaded, names)
    bar = _bar(progress, len(chosen))
    ev = _Evaluator(loaded, loaded.spec.seed if seed is None else seed,
                    bar.update if bar is not None else None)
    try:
        base = ev.base()
        sides = [(inp, side) for inp in chosen for side in (-1, 1)]
        reach = {(inp.path, side): inp.reach(side, limit) for inp, side in sides}
        grids = {(inp.path, side): _scan(inp, side, reach[(inp.path, side)], band,
                                         *_steps_of(inp, scan_step, outer_step))
                 for inp, side in sides}
        ev.evaluate((inp, x) for inp, side in sides for x in grids[(inp.path, side)])
        found: dict[tuple[str, int], Flip] = {}
        brackets: dict[tuple[str, int], tuple[Input, float, float]] = {}
        for inp, side in sides:
            key = (inp.path, side)
            safe_x: float = inp.base
            flip_x: float | None = None
            for x in grids[key]:
                story = ev.cache[(inp.path, x)]
                if story is None:  # inconsistent from here on: the valid range ends
                    reach[key] = abs(inp.relative(safe_x))
                    break
                if differs(story, base):
                    flip_x = x
                    break
                safe_x = x
            if flip_x is None:
                found[key] = Flip(None, inp.relative(safe_x) if inp.base else 0.0, reach[key])
            else:
                brackets[key] = (inp, safe_x, flip_x)
        while True:
            asks = []
            for key, (inp, safe_x, flip_x) in brackets.items():
                if _narrow(inp, safe_x, flip_x, tolerance):
                    continue
                mid = (safe_x + flip_x) / 2
                asks.append((key, inp, float(round(mid)) if inp.integer else mid))
            if not asks:
                break
            ev.evaluate((inp, mid) for _, inp, mid in asks)
            for key, inp, mid in asks:
                _, safe_x, flip_x = brackets[key]
                story = ev.cache[(inp.path, mid)]
                if story is not None and not differs(story, base):
                    brackets[key] = (inp, mid, flip_x)
                else:
                    brackets[key] = (inp, safe_x, mid)
        for key, (inp, safe_x, flip_x) in brackets.items():
            found[key] = Flip(inp.relative(flip_x), inp.relative(safe_x), reach[key],
                              ev.cache[(inp.path, flip_x)])
    finally:
        if bar is not None:
            bar.close()
    settings = {"range": band, "limit": limit, "tolerance": tolerance, "scan_step": scan_step,
                "outer_step": outer_step, "seed": ev.seed,
                "rule": "first responses as the history comparison reads them (one per "
                        "recorded response; the main dyad's without a history), changed "
                        "as the validation scores a change: presence, action, category, "
                        "facilities, staff beyond 10%, date beyond 3 days"}
    return Result(chosen, [found[(i.path, -1)] for i in chosen],
                  [found[(i.path, 1)] for i in chosen], base, ev.labels, ev.evaluations,
                  ev.batches, time.perf_counter() - started, settings)


def _steps_of(inp: Input, scan_step: float, outer_step: float) -> tuple[float, float]:
    """The scan's steps for an input. A structural parameter (`honeymoon_days`) cannot
    share a batch with other values of itself, so each of its points costs a batch: it is
    scanned coarsely (5% steps within the band, 25% beyond) before bisection narrows it."""
    if inp.behaviour in STRUCTURAL_FIELDS:
        return max(scan_step, STRUCTURAL_STEP), max(outer_step, STRUCTURAL_OUTER_STEP)
    return scan_step, outer_step


def _narrow(inp: Input, safe_x: float, flip_x: float, tolerance: float) -> bool:
    """Whether a bracket is as narrow as asked: adjacent whole numbers, or within
    `tolerance` as a relative change."""
    if inp.integer:
        return abs(flip_x - safe_x) <= 1
    return abs(flip_x - safe_x) / abs(inp.base) <= tolerance


def _bar(progress: bool, n_inputs: int) -> Any:
    """A progress bar counting runs; shown only if the search takes over two seconds."""
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=None, desc=f"flip search ({n_inputs} inputs)", unit="run", delay=2.0,
                leave=False)
