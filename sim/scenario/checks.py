"""Consistency checks that relate the fields of a structurally valid scenario.

Each check yields ``(field path, message)``; `load` turns the first into a one-line
`ScenarioError` with the file and line. The order of the checks is the order a reader
would fix things in: dates, states, administrations, events, history.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import fields

from sim.game.beliefs import FREEDOMS, TYPES
from sim.game.context import STAFF_FREE
from sim.game.params import Behaviour
from sim.rules.policies import make_policy
from sim.scenario.schema import Expel, Legislation, Scenario, Signal

Problem = tuple[tuple[str | int, ...], str]
TOLERANCE = 1e-9

# The model counts forward from dates by a number of days that is a behaviour parameter
# (a honeymoon from an administration's start, a cap's deadline from a day of the run);
# the longest such count is the largest upper bound of a day-valued parameter. A date
# closer than that to the end of the calendar (9999-12-31) would overflow mid-run.
LOOKAHEAD_DAYS = 1 + max(f.metadata["range"][1] for f in fields(Behaviour)
                         if f.type in (int, "int"))
LATEST_DATE = dt.date.max - dt.timedelta(days=LOOKAHEAD_DAYS)


def problems(sc: Scenario) -> Iterator[Problem]:
    """Every inconsistency found, in reading order."""
    yield from _dates(sc)
    yield from _calendar(sc)
    yield from _states(sc)
    yield from _administrations(sc)
    yield from _events(sc)
    yield from _evidence(sc)
    yield from _history(sc)


def _dates(sc: Scenario) -> Iterator[Problem]:
    if sc.end <= sc.start:
        yield ("end",), f"end {sc.end} must come after start {sc.start}"
    if (sc.end - sc.start).days > 20 * 366:
        yield ("end",), "a scenario may span at most 20 years"


def _calendar(sc: Scenario) -> Iterator[Problem]:
    """Dates the model counts forward from must leave room before the calendar ends."""
    dated: list[tuple[tuple[str | int, ...], dt.date]] = [(("end",), sc.end)]
    dated += [(("states", sid, "administrations", aid, "start"), adm.start)
              for sid, st in sc.states.items() for aid, adm in st.administrations.items()]
    for path, date in dated:
        if date > LATEST_DATE:
            yield path, (f"{date} is too late: the model counts up to {LOOKAHEAD_DAYS} days "
                         f"past it, so this date must be on or before {LATEST_DATE}")


def _states(sc: Scenario) -> Iterator[Problem]:
    if not sc.states:
        yield ("states",), "at least one state is needed"
    for sid, st in sc.states.items():
        for field in ("missions", "facilities", "dependence"):
            for other in getattr(st, field):
                if other == sid:
                    yield ("states", sid, field, other), f"{sid} cannot have {field} in itself"
                elif other not in sc.states:
                    yield ("states", sid, field, other), _unknown_state(other, sc)
        yield from _circumstances(sc, sid)
        spec = st.policy_spec()
        try:
            make_policy(spec.name, **spec.params())
        except ValueError as exc:
            path = ("states", sid, "policy") + (() if isinstance(st.policy, str) else ("name",))
            yield path, str(exc)


def _circumstances(sc: Scenario, sid: str) -> Iterator[Problem]:
    """Summits, transitions and leverage name other states of the scenario, in order."""
    st = sc.states[sid]
    for k, summit in enumerate(st.summits):
        base = ("states", sid, "summits", k)
        if summit.counterpart == sid:
            yield (*base, "counterpart"), f"{sid} cannot hold a summit with itself"
        elif summit.counterpart not in sc.states:
            yield (*base, "counterpart"), _unknown_state(summit.counterpart, sc)
        if summit.end < summit.start:
            yield (*base, "end"), f"end {summit.end} is before start {summit.start}"
    for k, change in enumerate(st.transitions):
        base = ("states", sid, "transitions", k)
        if change.end is not None and change.end < change.start:
            yield (*base, "end"), f"end {change.end} is before start {change.start}"
        for j, other in enumerate(change.seeks_better_relations_with):
            if other == sid:
                yield (*base, "seeks_better_relations_with", j), f"{sid} is {sid} itself"
            elif other not in sc.states:
                yield (*base, "seeks_better_relations_with", j), _unknown_state(other, sc)
    for other, items in st.leverage.items():
        if other == sid:
            yield ("states", sid, "leverage", other), f"{sid} cannot have leverage in itself"
        elif other not in sc.states:
            yield ("states", sid, "leverage", other), _unknown_state(other, sc)
        total = sum(item.share for item in items)
        if total > 1.0 + TOLERANCE:
            yield (("states", sid, "leverage", other),
                   f"the shares add up to {total:g}; a state's stake is at most 1")


def _administrations(sc: Scenario) -> Iterator[Problem]:
    for sid, st in sc.states.items():
        for k, war in enumerate(st.wars):
            if war.end is not None and war.end < war.start:
                yield ("states", sid, "wars", k, "end"), f"end {war.end} is before start"
        admins = sorted(st.administrations.items(), key=lambda kv: kv[1].start)
        for aid, adm in admins:
            base = ("states", sid, "administrations", aid)
            if adm.end <= adm.start:
                yield (*base, "end"), f"end {adm.end} must come after start {adm.start}"
            if adm.prior is not None:
                total = adm.prior.accommodating + adm.prior.hawkish
                if abs(total - 1.0) > TOLERANCE:
                    yield (*base, "prior"), f"accommodating + hawkish = {total:g}; must sum to 1"
        for (a_id, a), (b_id, b) in itertools.pairwise(admins):
            path = ("states", sid, "administrations", b_id, "start")
            if b.start < a.end:
                yield path, f"overlaps {a_id!r}, which ends {a.end}"
            elif b.start > a.end:
                yield path, f"leaves a gap after {a_id!r}, which ends {a.end}"
        if admins:
            first_id, first = admins[0]
            last_id, last = admins[-1]
            if first.start > sc.start:
                yield (("states", sid, "administrations", first_id, "start"),
                       f"{sid} has no administration from the scenario start {sc.start}")
            if last.end < sc.end:
                yield (("states", sid, "administrations", last_id, "end"),
                       f"{sid} has no administration until the scenario end {sc.end}")


def _events(sc: Scenario) -> Iterator[Problem]:
    staff = {(s, o): n for s, st in sc.states.items() for o, n in st.missions.items()}
    sites = {(s, o): n for s, st in sc.states.items() for o, n in st.facilities.items()}
    previous: dt.date | None = None
    for i, ev in enumerate(sc.events):
        base: tuple[str | int, ...] = ("events", i)
        if not sc.start <= ev.date <= sc.end:
            yield (*base, "date"), f"{ev.date} is outside the scenario ({sc.start} to {sc.end})"
        if previous is not None and ev.date < previous:
            yield (*base, "date"), f"{ev.date} comes before the previous event ({previous}); " \
                "list events in date order"
        previous = ev.date
        roles = ("about",) if isinstance(ev, Signal) else ("actor", "target")
        bad_role = False
        for role in roles:
            sid = getattr(ev, role)
            if sid not in sc.states:
                bad_role = True
                yield (*base, role), _unknown_state(sid, sc)
        if bad_role:
            continue
        if not isinstance(ev, Signal) and ev.actor == ev.target:
            yield (*base, "target"), "actor and target must differ"
            continue
        if isinstance(ev, Expel):
            yield from _expulsion(ev, base, staff, sites, sc.end)
        if isinstance(ev, Signal):
            for j, obs in enumerate(ev.observers or []):
                if obs not in sc.states:
                    yield (*base, "observers", j), _unknown_state(obs, sc)
        if isinstance(ev, Signal | Legislation):
            owner = ev.about if isinstance(ev, Signal) else ev.actor
            yield from _likelihood(ev, base)
            yield from _signal_target(sc, owner, ev, base)


def _expulsion(
    ev: Expel, base: tuple[str | int, ...], staff: dict, sites: dict, end: dt.date
) -> Iterator[Problem]:
    if ev.persons == 0 and ev.facilities == 0 and ev.type not in STAFF_FREE:
        yield (*base, "persons"), f"{_a(ev.type)} needs persons or facilities above zero"
    if ev.type == "cap" and ev.persons == 0:
        yield (*base, "persons"), "a cap needs the persons it makes leave"
    if ev.deadline is not None and ev.type != "cap":
        yield (*base, "deadline"), f"only a cap has a deadline, not {_a(ev.type)}"
    elif ev.deadline is not None and ev.deadline < ev.date:
        yield (*base, "deadline"), f"deadline {ev.deadline} is before the cap's date {ev.date}"
    elif ev.deadline is not None and ev.deadline > end:
        yield (*base, "deadline"), f"deadline {ev.deadline} is after the scenario's end {end}"
    have = staff.get((ev.target, ev.actor), 0)
    if ev.persons > have:
        yield (*base, "persons"), (
            f"expels {ev.persons} but {ev.target} has only {have} staff in {ev.actor} "
            f"by then (states.{ev.target}.missions.{ev.actor})"
        )
    have_sites = sites.get((ev.target, ev.actor), 0)
    if ev.facilities > have_sites:
        yield (*base, "facilities"), (
            f"closes {ev.facilities} but {ev.target} has only {have_sites} facilities in "
            f"{ev.actor} by then (states.{ev.target}.facilities.{ev.actor})"
        )
    staff[(ev.target, ev.actor)] = max(0, have - ev.persons)
    sites[(ev.target, ev.actor)] = max(0, have_sites - ev.facilities)


def _a(kind: str) -> str:
    """'an expel' reads badly: the instrument's name in a sentence."""
    return {"expel": "an expulsion", "close": "a closure"}.get(kind, f"a {kind}")


def _likelihood(ev: Signal | Legislation, base: tuple[str | int, ...]) -> Iterator[Problem]:
    keys = set(ev.likelihood)
    if isinstance(ev, Legislation) and ev.binds:
        if keys:
            yield (*base, "likelihood"), (
                "a veto-proof law binds the administration as a fact (it is no longer free "
                "to reset; docs/model.md section 2): drop its likelihood")
        elif ev.uncertainty > 0:
            yield (*base, "uncertainty"), (
                "a veto-proof law binds as a fact: it has no likelihood to be unsure of")
        return
    if keys != set(TYPES) and keys != set(FREEDOMS):
        yield (*base, "likelihood"), (
            f"keys {sorted(keys)}: give either {' and '.join(TYPES)} (evidence about type) "
            f"or {' and '.join(FREEDOMS)} (evidence about freedom to act)"
        )
    elif all(v == 0 for v in ev.likelihood.values()):
        yield (*base, "likelihood"), "evidence impossible under every hypothesis (all zero)"


def _support(a: float, f: float) -> set[int]:
    """Hypotheses (indices of `sim.game.beliefs.HYPOTHESES`) a prior leaves possible: an
    accommodating probability of 1 rules out hawkish, a freedom of 0 rules out free."""
    types = [t for t, p in ((0, a), (1, 1.0 - a)) if p > 0]
    frees = [k for k, p in ((0, f), (1, 1.0 - f)) if p > 0]
    return {2 * t + k for t in types for k in frees}


def _readings(ev: Signal | Legislation, noisy: bool) -> list[list[float]]:
    """The likelihood vectors an observer may apply (as stated; misread, with noise). A
    binding law is a fact, never misread: it leaves only the bound hypotheses."""
    if isinstance(ev, Legislation) and ev.binds:
        return [[0.0, 1.0, 0.0, 1.0]]
    lk = ev.likelihood
    if set(lk) == set(TYPES):
        vec = [lk["accommodating"], lk["accommodating"], lk["hawkish"], lk["hawkish"]]
        swapped = [vec[2], vec[3], vec[0], vec[1]]
    else:
        vec = [lk["free"], lk["bound"], lk["free"], lk["bound"]]
        swapped = [vec[1], vec[0], vec[3], vec[2]]
    return [vec, swapped] if noisy else [vec]


def _evidence(sc: Scenario) -> Iterator[Problem]:
    """Evidence impossible under every hypothesis a belief still holds.

    A prior of 1 (or a freedom of 0 or 1) rules hypotheses out for good; evidence with
    zero likelihood under all the others leaves Bayes' rule nothing to normalise, and the
    run stopped with a crash. Followed event by event, as the model updates: a stated
    uncertainty keeps every likelihood above zero, perception noise may swap the
    readings, and evidence without a named administration updates the one each observer
    still expects a reset from.
    """
    held: dict[tuple[str, str], set[int]] = {
        (sid, key): _support(adm.prior.accommodating, adm.freedom)
        for sid, st in sc.states.items() for key, adm in st.administrations.items()
        if adm.prior is not None}
    for i, ev in enumerate(sc.events):
        if not isinstance(ev, Signal | Legislation) or ev.uncertainty > 0:
            continue
        binding = isinstance(ev, Legislation) and ev.binds
        if not binding and set(ev.likelihood) not in (set(TYPES), set(FREEDOMS)):
            continue  # reported by _likelihood
        owner = ev.about if isinstance(ev, Signal) else ev.actor
        if owner not in sc.states:
            continue
        observers = (ev.observers or [s for s in sc.states if s != owner]) \
            if isinstance(ev, Signal) else [s for s in sc.states if s != owner]
        observers = [o for o in observers if o in sc.states]
        noisy = any(sc.behaviour_of(o).perception_noise > 0 for o in observers)
        keys = [ev.administration] if ev.administration else sorted(
            {k for o in observers
             if (k := _expected(sc, owner, sc.behaviour_of(o).honeymoon_days, ev.date))})
        for key in keys:
            support = held.get((owner, key))
            if not support:
                continue
            after = [{h for h in support if r[h] > 0} for r in _readings(ev, noisy)]
            if any(not a for a in after):
                adm = sc.states[owner].administrations[key]
                yield (("events", i, "likelihood"),
                       f"evidence impossible under every hypothesis the belief about "
                       f"{owner}'s administration {key!r} still holds (prior "
                       f"accommodating {adm.prior.accommodating:g}, freedom "  # type: ignore[union-attr]
                       f"{adm.freedom:g}{', or as misread' if noisy else ''}); give it a "
                       "likelihood above zero there, or the prior some doubt")
                break
            held[(owner, key)] = set().union(*after)


def _expected(sc: Scenario, owner: str, honeymoon_days: int, day: dt.date) -> str | None:
    """The administration of `owner` an observer still expects a reset from on `day`
    (as `sim.engine.plan.Plan.prospect`): the earliest with a prior whose window is open."""
    found: tuple[dt.date, str] | None = None
    for key, adm in sc.states[owner].administrations.items():
        if adm.prior is None or adm.end <= day:
            continue
        if day < adm.start + dt.timedelta(days=honeymoon_days) and \
                (found is None or adm.start < found[0]):
            found = (adm.start, key)
    return found[1] if found else None


def _signal_target(
    sc: Scenario, owner: str, ev: Signal | Legislation, base: tuple[str | int, ...]
) -> Iterator[Problem]:
    admins = sc.states[owner].administrations
    if ev.administration is not None:
        if ev.administration not in admins:
            known = ", ".join(admins) or "none"
            yield (*base, "administration"), (
                f"{owner} has no administration {ev.administration!r} (known: {known})"
            )
        elif admins[ev.administration].prior is None:
            yield (*base, "administration"), (
                f"{owner}'s administration {ev.administration!r} has no prior, so nobody "
                "holds a belief about it; give it a prior"
            )
        return
    if not any(a.prior is not None for a in admins.values()):
        yield (*base, "about" if isinstance(ev, Signal) else "actor"), (
            f"{owner} has no administration with a prior for this evidence to update"
        )


def _history(sc: Scenario) -> Iterator[Problem]:
    """Recorded responses the comparison can score: between known states, answering a move
    that is in the scenario (one of its events by the target against the actor, or a
    recorded response of the target's), within the scenario's dates. A response dated
    after the end was scored "ok" against a model that never ran that far."""
    if sc.history is None:
        return
    for i, r in enumerate(sc.history.responses):
        base = ("history", "responses", i)
        for role in ("actor", "target"):
            if getattr(r, role) not in sc.states:
                yield (*base, role), _unknown_state(getattr(r, role), sc)
        if not sc.start <= r.trigger_date <= sc.end:
            yield (*base, "trigger_date"), (f"{r.trigger_date} is outside the scenario "
                                            f"({sc.start} to {sc.end})")
        if r.date is not None and r.date > sc.end:
            yield (*base, "date"), (f"{r.date} is after the scenario's end ({sc.end}); the "
                                    "model cannot be scored on it: extend end, or drop it")
        if r.date is not None and r.date < r.trigger_date:
            yield (*base, "date"), "a response cannot come before its trigger"
        if (r.action == "none") != (r.category == "none"):
            yield (*base, "category"), "action none goes with category none, and only with it"


def triggers(sc: Scenario) -> Iterator[Problem]:
    """Recorded responses whose trigger is no move of the scenario: neither one of its
    events by the target against the actor on that date, nor a recorded response of the
    target's. A mistyped trigger date was compared with whatever the model did next and
    scored "ok". Checked for scenario files; an edited copy loaded from a mapping (a
    counterfactual without the sanctions bill, say) may drop the events its recorded
    history answers."""
    if sc.history is None:
        return
    moves = {(ev.actor, ev.target, ev.date) for ev in sc.events if not isinstance(ev, Signal)}
    moves |= {(r.actor, r.target, r.date) for r in sc.history.responses if r.date is not None}
    for i, r in enumerate(sc.history.responses):
        if sc.start <= r.trigger_date <= sc.end and \
                (r.target, r.actor, r.trigger_date) not in moves:
            yield (("history", "responses", i, "trigger_date"),
                   f"no move of {r.target} against {r.actor} on {r.trigger_date}: neither an "
                   "event of the scenario nor a recorded response; a trigger must be one")


def _unknown_state(sid: str, sc: Scenario) -> str:
    return f"unknown state {sid!r}; the scenario defines {', '.join(sc.states) or 'none'}"
