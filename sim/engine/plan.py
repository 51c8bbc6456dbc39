"""The plan of a run: what a scenario's facts imply before anything is decided.

Which ordered pairs of states are in play, who observes which piece of information (and
so in what order random draws are made), which administrations others may expect a reset
from, and what happens on which day. Both the Mesa model and the batch engine read the
plan, so that they walk through a scenario in exactly the same order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sim.game.context import SEVERITY_FIELDS, STAFF_FREE, staff_equivalents
from sim.scenario.schema import Administration, Expel, Legislation, Scenario, Signal


@dataclass(frozen=True)
class Prospect:
    """An administration of which others expect a possible reset, and the window for it."""

    state: str
    key: str
    start: dt.date
    window_end: dt.date


class Plan:
    """Facts of a scenario arranged for stepping through it."""

    def __init__(self, spec: Scenario) -> None:
        self.spec = spec
        self.state_ids = sorted(spec.states)
        self.with_prior: dict[str, list[tuple[str, Administration]]] = {
            sid: [(key, adm) for key, adm in st.administrations.items() if adm.prior is not None]
            for sid, st in spec.states.items()
        }
        # each state's severities of staff-free instruments (`weighed`): the scenario's,
        # unless the world sets those of its runs before the plan is first read
        self.severity: dict[str, dict[str, float]] = {
            sid: {name: getattr(spec.behaviour_of(sid), name) for name in SEVERITY_FIELDS}
            for sid in spec.states}

    @cached_property
    def pairs(self) -> list[tuple[str, str]]:
        """Ordered pairs in play: an event between them, or a signal one sees about the other.

        Only these can ever hold a grievance or a belief that matters (measures follow
        grievances, grievances follow events), so only these are recorded; pairs linked
        by missions alone would repeat their initial missions every day.
        """
        linked: set[frozenset[str]] = set()
        for ev in self.spec.events:
            if isinstance(ev, Signal):
                for obs in self.observers(ev):
                    linked.add(frozenset((obs, ev.about)))
            else:
                linked.add(frozenset((ev.actor, ev.target)))
        return sorted((a, b) for pair in linked for a in pair for b in pair if a != b)

    def observers(self, ev: Signal | Legislation) -> list[str]:
        """Who sees a piece of information, sorted."""
        if isinstance(ev, Signal):
            return sorted(ev.observers or [s for s in self.spec.states if s != ev.about])
        return sorted(s for s in self.spec.states if s != ev.actor)

    @cached_property
    def observations(self) -> list[tuple[int, str]]:
        """(event index, observer) for every piece of information, in a fixed order: the
        order of the perception draws."""
        return [(i, obs) for i, ev in enumerate(self.spec.events)
                if isinstance(ev, Signal | Legislation) for obs in self.observers(ev)]

    @cached_property
    def informative(self) -> list[int]:
        """Indices of the events that carry information (signals, legislation)."""
        return [i for i, ev in enumerate(self.spec.events)
                if isinstance(ev, Signal | Legislation)]

    @cached_property
    def events_on(self) -> dict[dt.date, list[tuple[int, Any]]]:
        out: dict[dt.date, list[tuple[int, Any]]] = defaultdict(list)
        for index, event in enumerate(self.spec.events):
            if isinstance(event, Expel) and event.type == "cap" and event.deadline:
                # a cap bites at its deadline, as the model's own caps do: staff leave
                # and the target banks its grievance then (docs/model.md section 4b)
                note = f"cap announced {event.date}, staff gone by {event.deadline}"
                if event.note:
                    note += f": {event.note}"
                out[event.deadline].append((index, event.model_copy(
                    update={"note": note[:200]})))
                continue
            out[event.date].append((index, self.weighed(event)))
        return out

    def weighed(self, event: Any) -> Any:
        """A move in an instrument that expels no one (a recall, a downgrade...) as the
        engine weighs it: as its staff equivalents expelled (`context.staff_equivalents`,
        with the target's severity), so that the target banks a grievance of that size
        and its answer, in staff, compares with it. The counted mission of the target
        shrinks by as many (a stated approximation: docs/model.md section 4b). Any other
        event is itself."""
        if not isinstance(event, Expel) or event.type not in STAFF_FREE:
            return event
        persons = staff_equivalents(event.type, event.persons, self.severity[event.target])
        note = f"{event.type.replace('_', ' ')}, weighed as {persons} staff"
        if event.note:
            note += f": {event.note}"
        return event.model_copy(update={"persons": persons, "note": note[:200]})

    @cached_property
    def main_dyad(self) -> tuple[str, str]:
        """(actor, counterpart) of most interest: the target of the first expulsion and its
        initiator; the first pair in play when the scenario has none."""
        for ev in self.spec.events:
            if isinstance(ev, Expel):
                return ev.target, ev.actor
        return self.pairs[0] if self.pairs else (self.state_ids[0], self.state_ids[-1])

    @cached_property
    def first_move(self) -> dt.date:
        """Date of the first expulsion (the scenario's start when there is none)."""
        return next((ev.date for ev in self.spec.events if isinstance(ev, Expel)),
                    self.spec.start)

    @property
    def days(self) -> int:
        return (self.spec.end - self.spec.start).days + 1

    def prospect(self, about: str, honeymoon_days: int, today: dt.date) -> Prospect | None:
        """The administration of `about` from which a state with this honeymoon may still
        expect a reset today: the earliest one with a prior whose window is open."""
        candidates = self.with_prior[about]
        if not candidates:
            return None
        honeymoon = dt.timedelta(days=honeymoon_days)
        found = None
        for key, adm in candidates:
            if adm.end <= today:
                continue
            window_end = adm.start + honeymoon
            if today < window_end and (found is None or adm.start < found.start):
                found = Prospect(about, key, adm.start, window_end)
        return found

    def at_war(self, sid: str, day: dt.date) -> bool:
        return any(war.covers(day) for war in self.spec.states[sid].wars)
