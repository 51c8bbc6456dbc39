"""The day: the one place where the rules of a day are written, for every driver.

Both drivers step through a scenario with `step`: the batch engine (`sim.engine.batch`,
many runs as arrays) and the Mesa model (`sim.engine.mesa`, one run with agents and a
DataCollector). A change here changes both. A day has four phases, always in this order:

1. acts: the scenario's acts of the day (statements, hostile legislation; expulsions are
   announced), then every measure due today takes effect in the order it was announced
   (caps reaching their deadline, then the day's expulsions): missions shrink and the
   target banks what goes beyond what it was owed (`sizing.excess`), unless it misreads
   the answer as a fresh offence (perception noise);
2. decisions: every grievance that has been deliberated is decided (all of them on the
   state of the morning, so the order cannot matter), then the decisions are carried out
   pair by pair in a fixed order: retaliation is announced, waiting disowns a standing
   threat, letting go clears it; a stochastic policy's forgiveness is drawn here, in that
   order. Measures announced today take effect once every decision is carried out, so
   two states retaliating against each other on the same day both keep their grievance;
3. information: the day's signals update the observers' beliefs, then each day an
   incoming administration spends in office without a reset is weak evidence against one;
4. records: whatever the driver keeps (the `Recorder` it passes).

So a decision on day d sees the acts of day d and the information of day d-1.

Randomness: every draw comes from the run's own generator, in an order fixed by the
scenario and by what happens, never by the order of agents: up front (`State.initial`)
the misreading and strength draws of every piece of information; during the run, one
uniform per measure taking effect (in the order measures take effect) and one per
retaliation decided by a stochastic policy (in the fixed order of phase 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from sim.engine.circumstances import in_context
from sim.engine.plan import Prospect
from sim.engine.state import Effect, State
from sim.engine.world import World
from sim.game import beliefs, payoffs, sizes
from sim.game.decision import Assessment, Choice, wait_threshold
from sim.game.params import threat_rank
from sim.game.qre import LET_GO, N_SIZES, WAIT, Side, respond
from sim.rules.policies import Move, Seen, Why
from sim.rules.sizing import Basis, excess_counts
from sim.rules.timing import hold_for_wave_counts
from sim.scenario.schema import Expel, Legislation, Signal, Statement

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]

#: Measures in the exchange game a decision looks ahead (`sim.game.qre`): the answer, the
#: counterpart's reply (its own quantal response, or its rule), and an answer in kind
#: beyond. Deeper games change the 2016 and library probabilities by less than 0.002
#: (docs/model.md section 18) and cost eight times as much per level.
EXCHANGE_DEPTH = 2


@dataclass
class Evaluation:
    """One pair's look at its grievance, for some runs: the measure its policy would take
    and, for a policy that weighs utilities, every term of the comparison."""

    runs: Ints
    persons: Ints
    facilities: Ints
    parity: NDArray[np.bool_]
    reply_probability: NDArray[np.float64]
    cost_of_reply: NDArray[np.float64]
    assessment: Assessment | None
    # logit probabilities of (retaliate, wait, let go), per run: (runs, 3); for a policy
    # that does not weigh utilities, 1 on what its rule decides (set by `choose`)
    probabilities: NDArray[np.float64] | None = None
    # for a policy that plays the exchange game: the probability of each course of
    # `sim.game.qre.ACTIONS` (the menu's sizes, wait, let go), the menu (persons, sites,
    # is a cut to parity: (runs, N_SIZES) each), and the counterpart's reply probability
    # after each course
    courses: NDArray[np.float64] | None = None
    menu: tuple[Ints, Ints, Bools] | None = None
    replies: NDArray[np.float64] | None = None
    utilities: NDArray[np.float64] | None = None  # of each course (-inf: not available)

    @property
    def empty(self) -> NDArray[np.bool_]:
        return np.asarray((self.persons == 0) & (self.facilities == 0), dtype=bool)

    def subset(self, keep: NDArray[np.bool_]) -> Evaluation:
        """The same evaluation for the runs where `keep` holds (computed once, sliced)."""
        if keep.all():
            return self
        a = self.assessment
        if a is not None:
            a = Assessment(*(np.broadcast_to(np.asarray(v), keep.shape)[keep] for v in a))
        def cut(x: Any) -> Any:
            return None if x is None else x[keep]

        menu = None if self.menu is None else (
            self.menu[0][keep], self.menu[1][keep], self.menu[2][keep])
        return Evaluation(self.runs[keep], self.persons[keep], self.facilities[keep],
                          self.parity[keep], self.reply_probability[keep],
                          self.cost_of_reply[keep], a, cut(self.probabilities),
                          cut(self.courses), menu, cut(self.replies), cut(self.utilities))


@dataclass
class Decisions:
    """What one pair decided today, for some runs (after forgiveness is drawn)."""

    pair: int
    day: int
    evaluation: Evaluation
    choice: Ints  # `Choice` codes
    why: Ints  # `Why` codes
    draws: NDArray[np.float64]  # forgiveness draws (nan where none was made)
    deferred: bool  # held for a wave: not a strategic wait, threats stand
    owed: tuple[Ints, Ints, Ints]  # what the bank held when deciding (persons, sites, offences)


@dataclass
class Announcement:
    """A measure announced today by one pair's actor, for some runs."""

    pair: int
    day: int
    runs: Ints
    action: NDArray[np.str_]
    persons: Ints
    facilities: Ints
    basis: NDArray[np.str_]
    source: str
    effective: Ints  # day on which it takes effect
    owed_persons: Ints
    owed_facilities: Ints
    note: str = ""


class Recorder(Protocol):
    """What a driver keeps of a day. `detailed` asks for what only a record of one run
    needs: every open grievance evaluated daily (not only those being decided) and one
    information row per observation."""

    detailed: bool

    def announced(self, a: Announcement) -> None: ...
    def decided(self, d: Decisions) -> None: ...
    def evaluated(self, pair: int, e: Evaluation | None) -> None: ...
    def informed(self, row: dict[str, Any]) -> None: ...
    def stated(self, ev: Statement) -> None: ...


# --- bank and settle -------------------------------------------------------------------


def bank(s: State, k: int, runs: Ints, persons: Ints, facilities: Ints,
         parity: NDArray[np.bool_], day: int) -> None:
    """Add an offence to pair k's bank of unanswered grievances, for the listed runs."""
    if runs.size == 0:
        return
    fresh = s.offences[k, runs] == 0
    s.since[k, runs] = np.where(fresh, day, s.since[k, runs])
    s.last_offence[k, runs] = day
    s.owed_p[k, runs] += persons
    s.owed_f[k, runs] += facilities
    s.offences[k, runs] += 1
    s.parity[k, runs] |= parity


def settle(s: State, k: int, runs: Ints) -> tuple[Ints, Ints, Ints, Bools]:
    """Clear pair k's bank (answered or let go) and its standing threat; return what the
    bank held (persons, facilities, offences, whether it held a cut to parity)."""
    held = (s.owed_p[k, runs].copy(), s.owed_f[k, runs].copy(), s.offences[k, runs].copy(),
            s.parity[k, runs].copy())
    s.owed_p[k, runs] = 0
    s.owed_f[k, runs] = 0
    s.offences[k, runs] = 0
    s.parity[k, runs] = False
    s.since[k, runs] = -1
    s.threat[k, runs] = 0
    s.shock[k, runs] = np.nan
    s.waited[k, runs] = False
    return held


# --- measures: announce, take effect ------------------------------------------------------


def action_of(persons: Ints, parity: NDArray[np.bool_]) -> NDArray[np.str_]:
    """What a measure is called: a cap to parity (with a deadline), an expulsion, a closure."""
    return np.where(parity & (persons > 0), "cap", np.where(persons > 0, "expel", "close"))


def announce(w: World, s: State, rec: Recorder, k: int, runs: Ints, persons: Ints,
             facilities: Ints, parity: NDArray[np.bool_], basis: NDArray[np.str_],
             owed: tuple[Ints, Ints, Ints, Bools], day: int, source: str, note: str = "") -> None:
    """Announce a measure; it bites today, once the day's decisions are all taken, or at
    the deadline of a cap on staff."""
    actor, _ = w.pairs[k]
    delayed = parity & (persons > 0)
    late = np.where(delayed, w.beh[actor]["cap_deadline_days"][runs], 0)
    rec.announced(Announcement(k, day, runs, action_of(persons, parity), persons, facilities,
                               basis, source, day + late, owed[0], owed[1], note))
    for value in sorted(set(late.tolist())):
        subset = late == value
        s.effects[day + value].append(Effect(
            k, runs[subset], persons[subset], facilities[subset], parity[subset],
            owed[0][subset], owed[1][subset], owed[2][subset], owed[3][subset]))


def take_effect(w: World, s: State, rec: Recorder, e: Effect, day: int,
                today: dt.date) -> None:
    """Staff leave, sites close, and the target banks what goes beyond what it owed.

    One draw per run: with perception noise the target may misread an answer as a fresh
    offence and bank all of it, the noise that keeps tit for tat echoing (Signorino 1996).
    """
    actor, target = w.pairs[e.pair]
    kt = w.index[(target, actor)]
    misread = s.draw(e.runs) < w.beh[target]["perception_noise"][e.runs]
    void = misread & (e.owed_offences > 0)
    if rec.detailed and void.any():
        rec.informed({"date": today.isoformat(), "observer": target, "about": actor,
                      "administration": "", "by": f"{actor}'s answer", "misread": True,
                      "p_reset_before": np.nan, "p_reset_after": np.nan,
                      "note": "an answer taken for a fresh offence"})
    owed_p = np.where(void, 0, e.owed_persons)
    owed_f = np.where(void, 0, e.owed_facilities)
    s.staff[kt, e.runs] = np.maximum(0, s.staff[kt, e.runs] - e.persons)
    s.sites[kt, e.runs] = np.maximum(0, s.sites[kt, e.runs] - e.facilities)
    ep, ef = excess_counts(e.persons, e.facilities, owed_p, owed_f, e.parity,
                           e.owed_parity & ~void)
    hit = (ep > 0) | (ef > 0)
    bank(s, kt, e.runs[hit], ep[hit], ef[hit], e.parity[hit], day)


def flush(w: World, s: State, rec: Recorder, day: int, today: dt.date) -> None:
    """Every measure due today takes effect, in the order it was announced."""
    for effect in s.effects.pop(day, []):
        take_effect(w, s, rec, effect, day, today)


# --- phase 1: the scenario's acts ----------------------------------------------------------


def apply_acts(w: World, s: State, rec: Recorder, day: int, today: dt.date) -> None:
    n = w.n
    every = np.arange(n)
    zeros = np.zeros(n, dtype=np.int64)
    no = np.zeros(n, dtype=bool)
    for _, ev in w.plan.events_on.get(today, []):
        if isinstance(ev, Expel):
            k = w.index[(ev.actor, ev.target)]
            announce(w, s, rec, k, every, np.full(n, ev.persons), np.full(n, ev.facilities),
                     no, np.full(n, Basis.SCENARIO.value), (zeros, zeros, zeros, no), day,
                     "scenario", ev.note or "")
        elif isinstance(ev, Statement) and ev.kind == "threat":
            k = w.index[(ev.actor, ev.target)]
            s.threat[k] = np.maximum(s.threat[k], threat_rank(ev.level))
            rec.stated(ev)
        elif isinstance(ev, Statement):
            s.reassured[w.index[(ev.target, ev.actor)]] = True
            rec.stated(ev)
        elif isinstance(ev, Legislation) and ev.hostile:
            bank(s, w.index[(ev.target, ev.actor)], every, zeros, zeros, no, day)
    flush(w, s, rec, day, today)  # measures due today, then the scenario's expulsions


# --- phase 2: decisions --------------------------------------------------------------------


def prospect(w: World, observer: str, about: str, today: dt.date) -> Prospect | None:
    """The administration of `about` from which `observer` may still expect a reset."""
    return w.plan.prospect(about, w.honeymoon[observer], today)


def reply_cost(w: World, k: int, runs: Ints) -> Floats:
    """C: what a reply as big as the opening measure costs pair k's actor, in units of its
    R, with power and dependence (`payoffs.reply_cost`)."""
    a, b = w.pairs[k]
    beh, st_a, st_b = w.beh[a], w.spec.states[a], w.spec.states[b]
    return np.asarray(payoffs.reply_cost(
        beh["reply_cost"][runs], st_a.power, st_b.power, beh["power_elasticity"][runs],
        st_a.dependence.get(b, 0.0), beh["dependence_weight"][runs]), dtype=float)


def side(w: World, s: State, k: int, runs: Ints) -> Side:
    """Pair k's actor as a player of the exchange game against its counterpart, per run.

    Every term is in units of the actor's R (`reciprocity_value` 1), so scaling R alone
    changes no decision: the reply cost C with power and dependence (`payoffs.reply_cost`),
    the size terms (`sim.game.sizes`), the precision of its quantal response, the value
    left by answering the next day instead of now (1 - rho), its chance of misreading an
    answer, and, for a named policy that follows a rule, that rule
    (`Policy.exchange_rule`). A state its counterpart reassured answers at
    `reassured_share` of every size, if it weighs its answers at all.
    """
    a = w.pairs[k][0]
    beh, policy = w.beh[a], w.policies[a]
    rule = policy.exchange_rule()
    follows, forgiveness, terms = (None, 0.0, {}) if rule is None else rule
    reassured = bool(s.reassured[k]) and rule is None
    return Side(
        reciprocity_value=1.0, reply_cost=reply_cost(w, k, runs),
        answer_cost=beh["answer_cost"][runs], curvature=beh["size_curvature"][runs],
        beyond=beh["beyond_value"][runs], parity_value=beh["parity_value"][runs],
        precision=beh["precision"][runs],
        continuation=np.asarray(payoffs.continuation_share(
            1.0 - beh["discount_rate"][runs], 0, beh["late_loss"][runs]), dtype=float),
        misread=beh["perception_noise"][runs],
        token_share=terms.get("token_share", beh["token_share"][runs]),
        larger_ratio=terms.get("larger_ratio", beh["larger_ratio"][runs]),
        site_weight=beh["site_weight"][runs],
        share=beh["reassured_share"][runs] if reassured else 1.0,
        follows=follows, forgiveness=forgiveness)


def standing_threat(w: World, s: State, k: int, runs: Ints, today: dt.date) -> Floats:
    """A (1 - j): what pair k's actor pays for disowning its standing threat (waiting or
    letting go), excused in part while it waits for its counterpart's incoming
    administration; in units of its R."""
    a, b = w.pairs[k]
    excuse = (w.beh[a]["excuse_share"][runs] if prospect(w, a, b, today) is not None
              else np.zeros(runs.size))
    return np.asarray(payoffs.audience_cost(w.threat_costs[a][s.threat[k, runs], runs],
                                            excuse), dtype=float)


def unit(w: World, k: int, runs: Ints) -> Floats | None:
    """z of the pair's opening expulsion (`World.opening`), per run; None if it has none
    (the exchange game then measures against what is owed)."""
    if k not in w.opening:
        return None
    persons, facilities = w.opening[k]
    return np.asarray(sizes.weight(persons, facilities, w.beh[w.pairs[k][0]]["site_weight"][runs]),
                      dtype=float)


def reply_to(w: World, s: State, k: int, runs: Ints, persons: Ints, facilities: Ints,
             parity: Bools, today: dt.date) -> Floats:
    """q: the probability that the counterpart answers this measure, by its own decision
    rule applied to the state the measure creates.

    1. The measure settles what pair k owes; the counterpart banks only the excess
       (`sim.game.sizes.excess`), or, misreading with its perception noise, all of it
       (`take_effect`, the same rule).
    2. If it banks nothing it has nothing to answer. Otherwise, a counterpart that follows
       a rule answers if its policy's answer to that bank is not empty, unless it
       forgives (`Policy.reply_probability`); a strategic counterpart answers with the
       probability that its quantal response in the exchange game (`sim.game.qre.respond`,
       from its side, on its bank after the measure and the missions the measure leaves)
       does not let go. A wait counts as an answer: in the exchange game, it answers when
       its wait closes (its own prospect of a reset is not in the game).
    """
    a, b = w.pairs[k]
    kb = w.index[(b, a)]
    other = w.policies[b]
    owed_p, owed_f, offences = s.owed_p[k, runs], s.owed_f[k, runs], s.offences[k, runs]
    noise = w.beh[b]["perception_noise"][runs]
    my_staff = np.maximum(0, s.staff[kb, runs] - persons)
    my_sites = np.maximum(0, s.sites[kb, runs] - facilities)

    def answers(add_p: Ints, add_f: Ints) -> Floats:
        banked = (add_p > 0) | (add_f > 0)
        if not banked.any():
            return np.zeros(runs.size)
        held_p, held_f = s.owed_p[kb, runs] + add_p, s.owed_f[kb, runs] + add_f
        held_n, held_parity = s.offences[kb, runs] + 1, s.parity[kb, runs] | parity
        if other.exchange_rule() is not None:
            reply_p, reply_f, _ = other.size(Seen(
                persons=held_p, facilities=held_f, offences=held_n, parity=held_parity,
                their_staff=s.staff[k, runs], my_staff=my_staff,
                their_sites=s.sites[k, runs], my_sites=my_sites))
            some = (np.asarray(reply_p) > 0) | (np.asarray(reply_f) > 0)
            return np.asarray(banked & some, dtype=float) * other.reply_probability()
        zero = np.zeros(runs.size, dtype=np.int64)
        r = respond(
            owed_persons=held_p, owed_facilities=held_f, offences=held_n, parity=held_parity,
            their_owed_persons=zero, their_owed_facilities=zero, their_offences=zero,
            their_parity=np.zeros(runs.size, dtype=bool), their_staff=s.staff[k, runs],
            my_staff=my_staff, their_sites=s.sites[k, runs], my_sites=my_sites,
            me=side(w, s, kb, runs), them=side(w, s, k, runs),
            audience=standing_threat(w, s, kb, runs, today), unit=unit(w, kb, runs),
            depth=EXCHANGE_DEPTH)
        return np.where(banked, 1.0 - r.probabilities[..., LET_GO], 0.0)

    ex_p, ex_f = excess_counts(persons, facilities, owed_p, owed_f, parity, s.parity[k, runs])
    p_misread = np.where(offences > 0, noise, 0.0)
    q = (1.0 - p_misread) * answers(np.asarray(ex_p), np.asarray(ex_f))
    if (p_misread > 0).any():
        q = q + p_misread * answers(persons, facilities)
    return np.asarray(q, dtype=float)


def evaluate(w: World, s: State, k: int, runs: Ints, today: dt.date) -> Evaluation:
    """Pair k's look at its grievance, for the listed runs.

    A policy that follows a rule sizes its answer by it (`Policy.size`), and the reply it
    can expect is the counterpart's (`reply_to`). A strategic policy (`uses_beliefs`)
    plays the exchange game (`sim.game.qre.respond`): its quantal response over the menu
    of sizes, waiting and letting go, with its belief in a reset by the counterpart's
    incoming administration and the counterpart as a player (`exchange`).
    """
    a, b = w.pairs[k]
    policy = w.policies[a]
    cost = w.beh[a]["reciprocity_value"][runs] * reply_cost(w, k, runs)
    if policy.uses_beliefs:
        return exchange(w, s, k, runs, today, cost)
    kb = w.index[(b, a)]
    persons, facilities, parity = policy.size(Seen(
        persons=s.owed_p[k, runs], facilities=s.owed_f[k, runs], offences=s.offences[k, runs],
        parity=s.parity[k, runs], their_staff=s.staff[kb, runs], my_staff=s.staff[k, runs],
        their_sites=s.sites[kb, runs], my_sites=s.sites[k, runs]))
    persons = np.broadcast_to(np.asarray(persons, dtype=np.int64), runs.shape).copy()
    facilities = np.broadcast_to(np.asarray(facilities, dtype=np.int64), runs.shape).copy()
    parity = np.broadcast_to(np.asarray(parity, dtype=bool), runs.shape).copy()
    q = reply_to(w, s, k, runs, persons, facilities, parity, today)
    return Evaluation(runs, persons, facilities, parity, q, cost, None)


def exchange(w: World, s: State, k: int, runs: Ints, today: dt.date,
             cost: Floats) -> Evaluation:
    """The exchange game at one decision of a strategic policy (`evaluate`).

    1. The facts: the bank on both sides, the missions, the belief p in a reset by the
       counterpart's incoming administration and S = Delta V (0 without one in prospect),
       the value phi left by waiting to the close of its window, the audience cost of a
       standing threat, the two players (`side`), the opening measure's size (`unit`).
    2. A grievance already waited on, with no reset in prospect any more, is at the close
       of its wait: the state answers, at a size of its menu (`respond(late=True)`).
    3. `respond` solves the game to `EXCHANGE_DEPTH` by backward induction of logit
       responses; against a counterpart that follows a rule, the reply probability of
       each size is that rule's (`reply_to`), exactly as the day will apply it.
    4. The evaluation names the most likely size as its answer (`choose` may draw
       another) and keeps every term, so that a decision can say why.
    """
    a, b = w.pairs[k]
    kb = w.index[(b, a)]
    beh = w.beh[a]
    found = prospect(w, a, b, today)
    if found is None:
        p = spoil = days = np.zeros(runs.size)
    else:
        p = s.beliefs[s.belief_row[(k, found.key)], runs, 0]
        spoil = beh["reset_value"][runs] * beh["spoil_share"][runs]
        days = np.full(runs.size, max(0, (found.window_end - today).days))
    phi = np.asarray(payoffs.continuation_share(1.0 - beh["discount_rate"][runs], days,
                                                beh["late_loss"][runs]), dtype=float)
    audience = standing_threat(w, s, k, runs, today)
    late = s.waited[k, runs] & (found is None)
    n_courses = N_SIZES + 2
    courses = np.zeros((runs.size, n_courses))
    utilities = np.full((runs.size, n_courses), -np.inf)
    replies = np.zeros((runs.size, n_courses))
    persons = np.zeros((runs.size, N_SIZES), dtype=np.int64)
    facilities = np.zeros((runs.size, N_SIZES), dtype=np.int64)
    for flag in (False, True):
        at = np.flatnonzero(late == flag)
        if at.size == 0:
            continue
        rs = runs[at]
        zero = np.zeros(rs.size, dtype=np.int64)
        solve = in_context(w, k, rs, today)  # [format] the move's circumstances: model.md 4b
        r = solve(
            owed_persons=s.owed_p[k, rs], owed_facilities=s.owed_f[k, rs],
            offences=s.offences[k, rs], parity=s.parity[k, rs],
            their_owed_persons=s.owed_p[kb, rs], their_owed_facilities=s.owed_f[kb, rs],
            their_offences=s.offences[kb, rs], their_parity=s.parity[kb, rs],
            their_staff=s.staff[kb, rs], my_staff=s.staff[k, rs],
            their_sites=s.sites[kb, rs], my_sites=s.sites[k, rs],
            me=side(w, s, k, rs), them=side(w, s, kb, rs), p_reset=p[at] + zero,
            spoil=spoil[at], continuation=phi[at], audience=audience[at],
            their_audience=standing_threat(w, s, kb, rs, today), unit=unit(w, k, rs),
            depth=EXCHANGE_DEPTH, late=flag)
        courses[at], utilities[at], replies[at] = r.probabilities, r.utilities, \
            r.reply_probability
        persons[at], facilities[at] = r.persons, r.facilities
    nothing = courses.sum(axis=-1) == 0  # a close of a wait with nothing left to answer
    courses[nothing, LET_GO] = 1.0
    gap_p = np.maximum(0, s.staff[kb, runs] - s.staff[k, runs])
    gap_f = np.maximum(0, s.sites[kb, runs] - s.sites[k, runs])
    parity = sizes.is_cap(persons, facilities, gap_p[:, None], gap_f[:, None],
                          s.owed_p[k, runs][:, None], s.owed_f[k, runs][:, None],
                          s.parity[k, runs][:, None])
    available = np.isfinite(utilities[:, :N_SIZES])
    if w.policies[b].exchange_rule() is not None:  # the rule's reply, as the day applies it
        for j in range(N_SIZES):
            if available[:, j].any():
                replies[:, j] = np.where(available[:, j], reply_to(
                    w, s, k, runs, persons[:, j], facilities[:, j], parity[:, j], today), 0.0)
    best = np.argmax(utilities[:, :N_SIZES], axis=-1)  # the most likely size
    some = available.any(axis=-1)
    pick = np.arange(runs.size)
    chosen_p = np.where(some, persons[pick, best], 0)
    chosen_f = np.where(some, facilities[pick, best], 0)
    chosen_parity = np.where(some, parity[pick, best], s.parity[k, runs])
    three = np.stack([courses[:, :N_SIZES].sum(axis=-1), courses[:, WAIT],
                      courses[:, LET_GO]], axis=-1)
    e = Evaluation(runs, chosen_p, chosen_f, chosen_parity, replies[pick, best], cost,
                   _assessment(utilities, best, some, p, spoil, audience, three),
                   three, courses, (persons, facilities, parity), replies, utilities)
    return e


def _assessment(utilities: Floats, best: Ints, some: Bools, p: Floats, spoil: Floats,
                audience: Floats, three: Floats) -> Assessment:
    """The terms of a decision in the words of `sim.game.decision` (for its reasons and
    records): EU of the most likely answer, of waiting, of letting go (nan where not
    available), and the belief p* at which waiting and that answer are worth the same:
    with N = its value before the spoiling term and L the value of the answer at the
    close of the wait, p* = (N - L + A) / (S - L) (`decision.wait_threshold` with phi =
    L / N)."""
    pick = np.arange(best.size)

    def finite(x: Floats) -> Floats:
        return np.where(np.isfinite(x), x, np.nan)

    eu_r = np.where(some, finite(utilities[pick, best]), np.nan)
    eu_w, eu_l = finite(utilities[:, WAIT]), finite(utilities[:, LET_GO])
    net = eu_r + p * spoil
    with np.errstate(divide="ignore", invalid="ignore"):
        later = np.where(p < 1.0, (eu_w + audience) / (1.0 - p), np.nan)
        share = np.where(net != 0, later / net, np.nan)
    threshold = np.where(np.isfinite(share), wait_threshold(net, spoil, share, audience), np.inf)
    return Assessment(p, net, spoil, share, audience, eu_r, eu_w, eu_l, threshold,
                      np.argmax(three, axis=-1).astype(np.int64))


def choose(w: World, s: State, k: int, e: Evaluation) -> tuple[Ints, Ints]:
    """The decision (before any forgiveness) and why: the actor's policy decides when,
    given its answer and, if it plays the exchange game, the course its quantal response
    gives.

    The course is the most likely one of `sim.game.qre.ACTIONS` (each size of the menu,
    wait, let go): the one with the highest utility, whatever the precision. Unless the
    world samples choices (ensembles, sweeps): then the course is the one whose share of
    the logit probabilities (in the order of `sim.game.qre.ACTIONS`: the sizes, wait, let
    go) holds the grievance's uniform. That uniform is drawn once per grievance, at its
    first decision (in the fixed order of the day's decisions), and kept until the
    grievance is settled: a persistent disposition towards it (low: inclined to answer,
    high: to let go), as the shock of a random-utility model that belongs to the
    grievance, not to the day. Drawn afresh every day, a small chance of letting go would
    add up over a long wait into a near certainty.
    """
    policy = w.policies[w.pairs[k][0]]
    verdict = None
    if e.courses is not None:
        assert e.menu is not None and e.replies is not None and e.utilities is not None
        pick = np.arange(e.runs.size)
        available = np.isfinite(e.utilities[:, :N_SIZES])
        best = np.argmax(e.utilities[:, :N_SIZES], axis=-1)
        if w.sample:
            fresh = np.isnan(s.shock[k, e.runs])
            if fresh.any():
                s.shock[k, e.runs[fresh]] = s.draw(e.runs[fresh])
            u = s.shock[k, e.runs]
            cumulative = np.cumsum(e.courses, axis=-1)
            course = np.minimum((u[:, None] >= cumulative).sum(axis=-1), LET_GO)
            # rounding can leave u past the last available course: take the last one
            course = np.where(e.courses[pick, course] > 0, course,
                              np.argmax(np.where(e.courses > 0, np.arange(LET_GO + 1), -1),
                                        axis=-1))
        else:  # the most likely course, ties to the earlier (`ACTIONS` order)
            course = np.argmax(e.courses, axis=-1)
        answer = course < N_SIZES
        size = np.where(answer, course, best)
        named = answer | available.any(axis=-1)  # an answer taken, or one it could take
        e.persons = np.where(named, e.menu[0][pick, size], 0)
        e.facilities = np.where(named, e.menu[1][pick, size], 0)
        e.parity = np.where(named, e.menu[2][pick, size], e.parity)
        e.reply_probability = e.replies[pick, course]
        verdict = np.where(answer, Choice.RETALIATE,
                           np.where(course == WAIT, Choice.WAIT, Choice.LET_GO)).astype(np.int64)
    choice, why = policy.decide(move=Move(e.persons, e.facilities, e.parity), verdict=verdict)
    if e.probabilities is None:  # a rule, not a response: certain
        e.probabilities = np.eye(3)[choice]
    return choice, why


def held_for_wave(w: World, s: State, actor: str, day: int, today: dt.date) -> NDArray[np.bool_]:
    """Per run: does `actor` hold today's answers while a wave against it still breaks?"""
    b = w.beh[actor]
    last = s.last_offence[w.by_actor[actor]]  # (pairs of this actor, runs)
    days = np.where(last >= 0, day - last, -1).T
    return np.asarray(hold_for_wave_counts(
        days, initiators=b["wave_initiators"], window_days=b["wave_window_days"],
        quiet_days=b["wave_quiet_days"], war_quiet_days=b["war_quiet_days"],
        at_war=w.plan.at_war(actor, today)), dtype=bool)


def decide_and_carry_out(w: World, s: State, rec: Recorder, day: int, today: dt.date) -> None:
    """Phase 2 (see the module's docstring)."""
    open_ = s.offences > 0
    ready_all = open_ & (day - s.since >= w.deliberation)
    rows = np.flatnonzero((open_ if rec.detailed else ready_all).any(axis=1))
    holds: dict[str, NDArray[np.bool_]] = {}
    decided: list[Decisions] = []
    for k in (int(r) for r in rows):  # sorted by actor, then counterpart
        a, _ = w.pairs[k]
        ready = ready_all[k]
        looked_at = open_[k] if rec.detailed else ready
        evaluation = evaluate(w, s, k, np.flatnonzero(looked_at), today)
        if rec.detailed:
            rec.evaluated(int(k), evaluation)
        if not ready.any():
            continue
        if a not in holds:
            holds[a] = held_for_wave(w, s, a, day, today)
        held = ready & holds[a]
        for subset, deferred in (((ready & ~held)[looked_at], False), (held[looked_at], True)):
            if not subset.any():
                continue
            e = evaluation.subset(subset)
            runs = e.runs
            if deferred:
                choice = np.full(runs.size, Choice.WAIT, dtype=np.int64)
                why = np.full(runs.size, Why.WAVE, dtype=np.int64)
            else:
                choice, why = choose(w, s, k, e)
            owed = (s.owed_p[k, runs].copy(), s.owed_f[k, runs].copy(),
                    s.offences[k, runs].copy())
            decided.append(Decisions(int(k), day, e, choice, why, np.full(runs.size, np.nan),
                                     deferred, owed))
    for d in decided:
        carry_out(w, s, rec, d, day)


def carry_out(w: World, s: State, rec: Recorder, d: Decisions, day: int) -> None:
    """Draw forgiveness, record the decisions, then announce, let go or wait.

    The decisions are reported before their measures are announced, so a recorder can
    give a measure the reason of the decision that took it."""
    k, e = d.pair, d.evaluation
    runs = e.runs
    policy = w.policies[w.pairs[k][0]]
    if policy.stochastic and not d.deferred:
        retaliating = np.flatnonzero(d.choice == Choice.RETALIATE)
        if retaliating.size:
            draws = s.draw(runs[retaliating])
            d.draws[retaliating] = draws
            forgive = np.array([policy.forgives(float(u)) for u in draws], dtype=bool)
            d.choice[retaliating[forgive]] = Choice.LET_GO
            d.why[retaliating[forgive]] = Why.FORGIVES
    rec.decided(d)
    hit = d.choice == Choice.RETALIATE
    if hit.any():
        owed = settle(s, k, runs[hit])
        basis = np.where(e.parity[hit], Basis.PARITY.value, policy.basis.value)
        announce(w, s, rec, k, runs[hit], e.persons[hit], e.facilities[hit], e.parity[hit],
                 basis, owed, day, "model")
    gone = d.choice == Choice.LET_GO
    if gone.any():
        settle(s, k, runs[gone])
    if not d.deferred:
        waiting = runs[d.choice == Choice.WAIT]
        s.threat[k, waiting] = 0  # the threat is disowned
        s.waited[k, waiting] = True


# --- phase 3: information ------------------------------------------------------------------


def apply_information(w: World, s: State, rec: Recorder, today: dt.date) -> None:
    for index, ev in w.plan.events_on.get(today, []):
        if isinstance(ev, Signal):
            observe(w, s, rec, index, ev.about, ev, ev.by or "signal", today)
        elif isinstance(ev, Legislation):
            what = "veto-proof legislation" if ev.veto_proof else "legislation"
            observe(w, s, rec, index, ev.actor, ev, f"{what} against {ev.target}", today)
    rows, hazards = [], []
    for k, (observer, about) in enumerate(w.pairs):
        if not w.plan.with_prior[about]:
            continue
        p = prospect(w, observer, about, today)
        if p is None or p.start > today:
            continue
        rows.append(s.belief_row[(k, p.key)])
        hazards.append(w.beh[observer]["reset_hazard"])
    if rows:
        at = np.asarray(rows)
        quiet = beliefs.no_reset_likelihood(np.stack(hazards))  # (rows, runs, 4)
        s.beliefs[at] = beliefs.update(s.beliefs[at], quiet)


def observe(w: World, s: State, rec: Recorder, index: int, about: str,
            ev: Signal | Legislation, by: str, today: dt.date) -> None:
    """Each observer updates its belief; with perception noise it may misread.

    A binding law (veto-proof: `Legislation.binds`) is not evidence but a fact: it rules
    out the administration's freedom to reset (`beliefs.bind`), with no likelihood to
    judge, no uncertainty and no misreading (a vote count is not misread; its draws are
    still made up front, so streams do not shift).
    """
    binding = isinstance(ev, Legislation) and ev.binds
    base = w.judgements.likelihoods[index]  # (runs, 4): each run's own judgement
    column = w.info_column[index]
    used_all = (np.broadcast_to(beliefs.BINDING, base.shape) if binding else
                beliefs.perturbed(base, w.judgements.uncertainty[index], s.strength[:, column]))
    for obs in w.plan.observers(ev):
        k = w.index.get((obs, about))
        key = ev.administration
        if key is None:
            p = prospect(w, obs, about, today)
            key = p.key if p else None
        if k is None or key is None or (k, key) not in s.belief_row:
            continue
        draw = s.perception[:, w.obs_column[(index, obs)]]
        misread = (draw < w.beh[obs]["perception_noise"]) & (not binding)
        used = np.where(misread[:, None], beliefs.misread(used_all), used_all)
        row = s.belief_row[(k, key)]
        before = s.beliefs[row].copy()
        s.beliefs[row] = beliefs.update(before, used)
        if rec.detailed:
            rec.informed({
                "date": today.isoformat(), "observer": obs, "about": about,
                "administration": key, "by": by, "misread": bool(misread[0]),
                "p_reset_before": float(before[0, 0]),
                "p_reset_after": float(s.beliefs[row][0, 0]), "note": ev.note or ""})


# --- the whole day ---------------------------------------------------------------------------


def step(w: World, s: State, rec: Recorder, day: int) -> dt.date:
    """Phases 1 to 3 of day number `day` (0 is the scenario's start); returns its date."""
    today = w.spec.start + dt.timedelta(days=day)
    apply_acts(w, s, rec, day, today)
    decide_and_carry_out(w, s, rec, day, today)
    flush(w, s, rec, day, today)  # measures announced today bite after every decision
    apply_information(w, s, rec, today)
    return today
