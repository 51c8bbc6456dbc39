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
from sim.game import beliefs, payoffs
from sim.game.decision import Assessment, Choice, assess
from sim.game.params import threat_rank
from sim.game.qre import logit
from sim.rules.policies import Move, Seen, Why
from sim.rules.sizing import Basis, excess_counts, soften_counts
from sim.rules.timing import hold_for_wave_counts
from sim.scenario.schema import Expel, Legislation, Signal, Statement

Ints = NDArray[np.int64]


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
        probabilities = None if self.probabilities is None else self.probabilities[keep]
        return Evaluation(self.runs[keep], self.persons[keep], self.facilities[keep],
                          self.parity[keep], self.reply_probability[keep],
                          self.cost_of_reply[keep], a, probabilities)


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


def settle(s: State, k: int, runs: Ints) -> tuple[Ints, Ints, Ints]:
    """Clear pair k's bank (answered or let go) and its standing threat; return what the
    bank held (persons, facilities, offences)."""
    held = (s.owed_p[k, runs].copy(), s.owed_f[k, runs].copy(), s.offences[k, runs].copy())
    s.owed_p[k, runs] = 0
    s.owed_f[k, runs] = 0
    s.offences[k, runs] = 0
    s.parity[k, runs] = False
    s.since[k, runs] = -1
    s.threat[k, runs] = 0
    s.shock[k, runs] = np.nan
    return held


# --- measures: announce, take effect ------------------------------------------------------


def action_of(persons: Ints, parity: NDArray[np.bool_]) -> NDArray[np.str_]:
    """What a measure is called: a cap to parity (with a deadline), an expulsion, a closure."""
    return np.where(parity & (persons > 0), "cap", np.where(persons > 0, "expel", "close"))


def announce(w: World, s: State, rec: Recorder, k: int, runs: Ints, persons: Ints,
             facilities: Ints, parity: NDArray[np.bool_], basis: NDArray[np.str_],
             owed: tuple[Ints, Ints, Ints], day: int, source: str, note: str = "") -> None:
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
            owed[0][subset], owed[1][subset], owed[2][subset]))


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
    ep, ef = excess_counts(e.persons, e.facilities, owed_p, owed_f)
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
                     no, np.full(n, Basis.SCENARIO.value), (zeros, zeros, zeros), day,
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


def expected_reply(w: World, s: State, k: int, runs: Ints, persons: Ints, facilities: Ints,
                   parity: NDArray[np.bool_]) -> NDArray[np.float64]:
    """q: the probability that the counterpart answers this measure, by the rule the day
    applies when it takes effect.

    The measure settles what pair k owes; the counterpart banks only the excess over that
    (`take_effect`), or, misreading with its perception noise, all of it. It answers only
    if it banks something and its policy would then answer with something.
    """
    a, b = w.pairs[k]
    kb = w.index[(b, a)]
    other = w.policies[b]
    owed_p, owed_f, offences = s.owed_p[k, runs], s.owed_f[k, runs], s.offences[k, runs]
    noise = w.beh[b]["perception_noise"][runs]

    def answers(add_p: Ints, add_f: Ints) -> NDArray[np.bool_]:
        banked = (add_p > 0) | (add_f > 0)
        reply_p, reply_f, _ = other.size(Seen(
            persons=s.owed_p[kb, runs] + add_p, facilities=s.owed_f[kb, runs] + add_f,
            offences=s.offences[kb, runs] + 1, parity=s.parity[kb, runs] | parity,
            their_staff=s.staff[k, runs], my_staff=s.staff[kb, runs] - persons,
            their_sites=s.sites[k, runs], my_sites=s.sites[kb, runs] - facilities))
        return banked & ((np.asarray(reply_p) > 0) | (np.asarray(reply_f) > 0))

    ex_p, ex_f = excess_counts(persons, facilities, owed_p, owed_f)
    nothing = np.zeros(runs.size)
    settled = (answers(ex_p, ex_f).astype(float) if ((ex_p > 0) | (ex_f > 0)).any()
               else nothing)
    p_misread = np.where(offences > 0, noise, 0.0)
    misread = (answers(persons, facilities).astype(float) if (p_misread > 0).any()
               else nothing)
    q = other.reply_probability()
    return np.asarray((1.0 - p_misread) * settled * q + p_misread * misread * q, dtype=float)


def evaluate(w: World, s: State, k: int, runs: Ints, today: dt.date) -> Evaluation:
    """Size pair k's answer with its actor's policy, and weigh it by expected utility if
    the policy does (`sim.game.decision.assess`). Every term is in units of the
    reciprocity value R: scaling R alone changes no decision."""
    a, b = w.pairs[k]
    kb = w.index[(b, a)]
    beh, policy = w.beh[a], w.policies[a]
    persons, facilities, parity = policy.size(Seen(
        persons=s.owed_p[k, runs], facilities=s.owed_f[k, runs], offences=s.offences[k, runs],
        parity=s.parity[k, runs], their_staff=s.staff[kb, runs], my_staff=s.staff[k, runs],
        their_sites=s.sites[kb, runs], my_sites=s.sites[k, runs]))
    persons = np.broadcast_to(np.asarray(persons, dtype=np.int64), runs.shape).copy()
    facilities = np.broadcast_to(np.asarray(facilities, dtype=np.int64), runs.shape).copy()
    parity = np.broadcast_to(np.asarray(parity, dtype=bool), runs.shape).copy()
    if s.reassured[k] and policy.uses_beliefs:
        persons, facilities = (np.asarray(x, dtype=np.int64) for x in soften_counts(
            persons, facilities, beh["reassured_share"][runs]))
    q = expected_reply(w, s, k, runs, persons, facilities, parity)
    st_a, st_b = w.spec.states[a], w.spec.states[b]
    r = beh["reciprocity_value"][runs]
    cost = r * np.asarray(payoffs.reply_cost(
        beh["reply_cost"][runs], st_a.power, st_b.power, beh["power_elasticity"][runs],
        st_a.dependence.get(b, 0.0), beh["dependence_weight"][runs]), dtype=float)
    if not policy.uses_beliefs:
        return Evaluation(runs, persons, facilities, parity, q, cost, None)
    found = prospect(w, a, b, today)
    if found is None:
        p = np.zeros(runs.size)
        value = days = excuse = np.zeros(runs.size)
    else:
        p = s.beliefs[s.belief_row[(k, found.key)], runs, 0]
        value = r * beh["reset_value"][runs]
        days = np.full(runs.size, max(0, (found.window_end - today).days))
        excuse = beh["excuse_share"][runs]
    threat_cost = w.threat_costs[a][s.threat[k, runs], runs]
    assessment = assess(
        p_reset=p, reciprocity_value=r, reply_probability=q, cost_of_reply=cost,
        reset_value=value, spoil_share=beh["spoil_share"][runs],
        daily_discount=beh["daily_discount"][runs], days_to_resolution=days,
        late_loss=beh["late_loss"][runs], threat_cost=threat_cost * r, excuse_share=excuse)
    e = Evaluation(runs, persons, facilities, parity, q, cost, assessment)
    e = in_context(w, s, k, e, r, today)  # [format] the move's circumstances: model.md 4b
    # lambda per unit of R; with R = 0 every utility is 0 and any precision gives the same
    precision = np.divide(beh["precision"][runs], r, out=beh["precision"][runs].astype(float),
                          where=r > 0)
    e.probabilities = quantal_response(e, precision)
    return e


def quantal_response(e: Evaluation, precision: NDArray[np.float64]) -> NDArray[np.float64]:
    """Logit probabilities of retaliating, waiting and letting go (McKelvey & Palfrey 1995).

    Utilities are in units of R, so the precision per unit of R is applied to them divided
    by R. With nothing to answer, retaliating is not available. As the precision grows the
    probabilities approach the argmax of `sim.game.decision.choose`.
    """
    a = e.assessment
    assert a is not None
    utilities = np.stack(np.broadcast_arrays(
        np.asarray(a.eu_retaliate, dtype=float), np.asarray(a.eu_wait, dtype=float),
        np.asarray(a.eu_let_go, dtype=float)), axis=-1)
    available = np.stack([~e.empty, np.ones_like(e.empty), np.ones_like(e.empty)], axis=-1)
    probabilities = logit(utilities, precision, available)
    # nothing to answer: every policy lets go (`Policy.decide`), with certainty
    return np.where(e.empty[:, None], np.array([0.0, 0.0, 1.0]), probabilities)


def choose(w: World, s: State, k: int, e: Evaluation) -> tuple[Ints, Ints]:
    """The decision (before any forgiveness) and why: the actor's policy decides when,
    given its answer and, if it weighs them, the verdict of its quantal response.

    The verdict is the most likely course, unless the world samples choices (ensembles,
    sweeps): then the course is the one whose share of the logit probabilities
    (`quantal_response`, in the order retaliate, wait, let go) holds the grievance's
    uniform. That uniform is drawn once per grievance, at its first decision (in the fixed
    order of the day's decisions), and kept until the grievance is settled: a persistent
    disposition towards it (low: inclined to answer, high: to let go), as the shock of a
    random-utility model that belongs to the grievance, not to the day. Drawn afresh every
    day, a small chance of letting go would add up over a long wait into a near certainty.
    """
    policy = w.policies[w.pairs[k][0]]
    verdict = None
    if e.probabilities is not None:
        if w.sample:
            fresh = np.isnan(s.shock[k, e.runs])
            if fresh.any():
                s.shock[k, e.runs[fresh]] = s.draw(e.runs[fresh])
            u = s.shock[k, e.runs]
            cumulative = np.cumsum(e.probabilities, axis=-1)
            verdict = np.minimum((u[:, None] >= cumulative).sum(axis=-1), 2).astype(np.int64)
        else:  # the most likely course, ties to the earlier (retaliate, wait, let go)
            verdict = np.argmax(e.probabilities, axis=-1).astype(np.int64)
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
        s.threat[k, runs[d.choice == Choice.WAIT]] = 0  # the threat is disowned


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
