"""The batch engine: many seeded runs of one scenario at once, as numpy arrays.

It walks the same plan (`sim.engine.plan`) through the same day as the Mesa model
(`sim.engine.mesa.model`), calls the same game functions (`sim.game`) on arrays with one entry
per run instead of one number, and draws the same random numbers: each run has its own
generator seeded as `Model(rng=seed)` seeds Mesa's, and every draw is made in the order
the Mesa model makes it. So, seed for seed, it gives the same runs, only much faster: a
day of a dyad costs a few numpy calls for all runs together.

What it keeps of a run is what ensembles need: every measure taken (date, actor, target,
action, staff, facilities, what was owed), not the daily time series.

The correspondence with the Mesa model is checked run by run in tests/test_batch.py; a
change to the day in one must be made in the other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.plan import Plan, Prospect
from sim.game import beliefs, payoffs
from sim.game.decision import Choice, assess
from sim.game.params import Behaviour, threat_costs, threat_rank
from sim.rules import timing
from sim.rules.policies import Policy, make_policy
from sim.rules.sizing import excess_counts, soften_counts
from sim.scenario import LoadedScenario
from sim.scenario.schema import Expel, Legislation, Scenario, Signal, Statement

ACTION_COLUMNS = ["run", "seed", "date", "actor", "target", "action", "persons", "facilities",
                  "source", "owed_persons", "owed_facilities"]


@dataclass
class _Effect:
    """A measure waiting to take effect, for a subset of runs."""

    pair: int  # index of (actor, target)
    runs: np.ndarray
    persons: np.ndarray
    facilities: np.ndarray
    parity: np.ndarray
    owed_persons: np.ndarray
    owed_facilities: np.ndarray
    owed_offences: np.ndarray


class BatchEngine:
    """Runs of one scenario for the given seeds; `run()` returns every measure taken."""

    def __init__(self, scenario: LoadedScenario | Scenario, seeds: Sequence[int]) -> None:
        spec = scenario.spec if isinstance(scenario, LoadedScenario) else scenario
        self.spec = spec
        self.plan = Plan(spec)
        self.seeds = np.asarray([int(s) for s in seeds], dtype=np.int64)
        n = self.n = len(self.seeds)
        self.all_runs = np.arange(n)
        self.behaviour: dict[str, Behaviour] = {s: spec.behaviour_of(s) for s in spec.states}
        self.policy: dict[str, Policy] = {}
        for sid, st in spec.states.items():
            pol = st.policy_spec()
            self.policy[sid] = make_policy(pol.name, **pol.params())
        self.pairs = self.plan.pairs
        self.index = {pair: k for k, pair in enumerate(self.pairs)}
        p = len(self.pairs)
        # missions of the first state of each pair in the second, and the ledger of the
        # first about the second; rows are pairs, columns runs
        self.staff = np.array([[spec.states[a].missions.get(b, 0)] * n for a, b in self.pairs],
                              dtype=np.int64).reshape(p, n)
        self.sites = np.array([[spec.states[a].facilities.get(b, 0)] * n for a, b in self.pairs],
                              dtype=np.int64).reshape(p, n)
        self.owed_p = np.zeros((p, n), dtype=np.int64)
        self.owed_f = np.zeros((p, n), dtype=np.int64)
        self.offences = np.zeros((p, n), dtype=np.int64)
        self.parity = np.zeros((p, n), dtype=bool)
        self.since = np.full((p, n), -1, dtype=np.int64)
        self.last_offence = np.full((p, n), -1, dtype=np.int64)
        self.threat = np.zeros((p, n), dtype=np.int64)
        self.reassured = np.zeros(p, dtype=bool)
        self.deliberation = np.array([self.behaviour[a].deliberation_days for a, _ in self.pairs],
                                     dtype=np.int64)
        self.by_actor: dict[str, list[int]] = defaultdict(list)
        for k, (a, _) in enumerate(self.pairs):
            self.by_actor[a].append(k)
        # beliefs: one row per (pair, administration with a prior of the counterpart)
        self.belief_row: dict[tuple[int, str], int] = {}
        rows = []
        for k, (_, b) in enumerate(self.pairs):
            for key, adm in self.plan.with_prior[b]:
                assert adm.prior is not None
                self.belief_row[(k, key)] = len(rows)
                rows.append(beliefs.prior(adm.prior.accommodating, adm.freedom))
        self.beliefs = (np.repeat(np.asarray(rows)[:, None, :], n, axis=1) if rows
                        else np.zeros((0, n, 4)))
        self.prior_pairs = [k for k, (_, b) in enumerate(self.pairs) if self.plan.with_prior[b]]
        # the same draws, in the same order, as Model(rng=seed) makes at construction
        self.rngs = [np.random.default_rng(int(s)) for s in self.seeds]
        n_obs, n_info = len(self.plan.observations), len(self.plan.informative)
        # Model draws random(n_obs), then random((n_info, 2)): the same stream as one call
        draws = np.array([g.random(n_obs + 2 * n_info) for g in self.rngs]).reshape(
            n, n_obs + 2 * n_info)
        self.perception = draws[:, :n_obs]
        self.strength = draws[:, n_obs:].reshape(n, n_info, 2)
        self.obs_column = {obs: c for c, obs in enumerate(self.plan.observations)}
        self.info_column = {i: c for c, i in enumerate(self.plan.informative)}
        self.effects: dict[int, list[_Effect]] = defaultdict(list)
        self.actions: list[dict[str, object]] = []  # one block of runs per announcement
        # what the main dyad's actor first chose about its grievance, per run (-1: never)
        self.main = self.index.get(self.plan.main_dyad)
        self.first = np.full(n, -1, dtype=np.int64)

    # --- helpers -------------------------------------------------------------------------

    def draw(self, runs: np.ndarray) -> np.ndarray:
        """One uniform from each listed run's own generator."""
        return np.array([self.rngs[r].random() for r in runs], dtype=float)

    def bank(self, k: int, runs: np.ndarray, persons: np.ndarray, facilities: np.ndarray,
             parity: np.ndarray, day: int) -> None:
        """As Ledger.bank, for the listed runs of pair k."""
        if runs.size == 0:
            return
        fresh = self.offences[k, runs] == 0
        self.since[k, runs] = np.where(fresh, day, self.since[k, runs])
        self.last_offence[k, runs] = day
        self.owed_p[k, runs] += persons
        self.owed_f[k, runs] += facilities
        self.offences[k, runs] += 1
        self.parity[k, runs] |= parity

    def settle(self, k: int, runs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """As Ledger.settle: clear the bank and the threat, return what it held."""
        held = (self.owed_p[k, runs].copy(), self.owed_f[k, runs].copy(),
                self.offences[k, runs].copy())
        self.owed_p[k, runs] = 0
        self.owed_f[k, runs] = 0
        self.offences[k, runs] = 0
        self.parity[k, runs] = False
        self.since[k, runs] = -1
        self.threat[k, runs] = 0
        return held

    # --- the day, as in RetaliationModel.step ----------------------------------------------

    def run(self) -> pd.DataFrame:
        for day in range(self.plan.days):
            today = self.spec.start + dt.timedelta(days=day)
            self.apply_acts(day, today)
            self.decide_and_carry_out(day, today)
            self.flush(day)
            self.apply_information(today)
        return self.frame()

    def apply_acts(self, day: int, today: dt.date) -> None:
        zeros = np.zeros(self.n, dtype=np.int64)
        for _, ev in self.plan.events_on.get(today, []):
            if isinstance(ev, Expel):
                k = self.index[(ev.actor, ev.target)]
                self.announce(k, self.all_runs, np.full(self.n, ev.persons),
                              np.full(self.n, ev.facilities), np.zeros(self.n, dtype=bool),
                              (zeros, zeros, zeros), day, "scenario")
            elif isinstance(ev, Statement) and ev.kind == "threat":
                k = self.index[(ev.actor, ev.target)]
                self.threat[k] = np.maximum(self.threat[k], threat_rank(ev.level))
            elif isinstance(ev, Statement):
                self.reassured[self.index[(ev.target, ev.actor)]] = True
            elif isinstance(ev, Legislation) and ev.hostile:
                k = self.index[(ev.target, ev.actor)]
                self.bank(k, self.all_runs, zeros, zeros, np.zeros(self.n, dtype=bool), day)
        self.flush(day)

    def flush(self, day: int) -> None:
        for effect in self.effects.pop(day, []):
            self.take_effect(effect, day)

    def announce(self, k: int, runs: np.ndarray, persons: np.ndarray, facilities: np.ndarray,
                 parity: np.ndarray, owed: tuple[np.ndarray, np.ndarray, np.ndarray],
                 day: int, source: str) -> None:
        """As RetaliationModel.announce, for the listed runs."""
        actor, target = self.pairs[k]
        delayed = parity & (persons > 0)
        action = np.where(delayed, "cap", np.where(persons > 0, "expel", "close"))
        self.actions.append({"run": runs, "day": day, "actor": actor, "target": target,
                             "action": action, "persons": persons, "facilities": facilities,
                             "source": source, "owed_persons": owed[0],
                             "owed_facilities": owed[1]})
        late = np.where(delayed, self.behaviour[actor].cap_deadline_days, 0)
        for value in sorted(set(late.tolist())):
            subset = late == value
            self.effects[day + value].append(_Effect(
                k, runs[subset], persons[subset], facilities[subset], parity[subset],
                owed[0][subset], owed[1][subset], owed[2][subset]))

    def take_effect(self, e: _Effect, day: int) -> None:
        """As RetaliationModel.take_effect: one draw per run, staff leave, excess banked."""
        actor, target = self.pairs[e.pair]
        kt = self.index[(target, actor)]
        misread = self.draw(e.runs) < self.behaviour[target].perception_noise
        void = misread & (e.owed_offences > 0)
        owed_p = np.where(void, 0, e.owed_persons)
        owed_f = np.where(void, 0, e.owed_facilities)
        self.staff[kt, e.runs] = np.maximum(0, self.staff[kt, e.runs] - e.persons)
        self.sites[kt, e.runs] = np.maximum(0, self.sites[kt, e.runs] - e.facilities)
        ep, ef = excess_counts(e.persons, e.facilities, owed_p, owed_f)
        hit = (ep > 0) | (ef > 0)
        self.bank(kt, e.runs[hit], ep[hit], ef[hit], e.parity[hit], day)

    def held_for_wave(self, actor: str, day: int, today: dt.date) -> np.ndarray:
        b = self.behaviour[actor]
        ks = self.by_actor[actor]
        last = self.last_offence[ks]  # (pairs of this actor, runs)
        days = np.where(last >= 0, day - last, -1).T
        return timing.hold_for_wave_counts(
            days, initiators=b.wave_initiators, window_days=b.wave_window_days,
            quiet_days=b.wave_quiet_days, war_quiet_days=b.war_quiet_days,
            at_war=self.plan.at_war(actor, today))

    def decide_and_carry_out(self, day: int, today: dt.date) -> None:
        decisions = []
        holds: dict[str, np.ndarray] = {}
        ready_all = (self.offences > 0) & (day - self.since >= self.deliberation[:, None])
        for k in np.flatnonzero(ready_all.any(axis=1)):  # sorted by actor, then counterpart
            a, b = self.pairs[k]
            ready = ready_all[k]
            if a not in holds:
                holds[a] = self.held_for_wave(a, day, today)
            held = ready & holds[a]
            runs = np.flatnonzero(ready & ~held)
            if runs.size:
                decisions.append((k, runs, *self.evaluate(k, a, b, runs, day, today)))
            if held.any():
                decisions.append((k, np.flatnonzero(held), None, None, None, None))
        for k, runs, choice, persons, facilities, parity in decisions:
            a, _ = self.pairs[k]
            if choice is None:  # held for a wave: not a strategic wait, threats stand
                self.note_first(k, runs, np.full(runs.size, Choice.WAIT))
                continue
            policy = self.policy[a]
            if policy.stochastic:
                retaliating = choice == Choice.RETALIATE
                if retaliating.any():
                    draws = self.draw(runs[retaliating])
                    forgive = np.array([policy.forgives(float(u)) for u in draws], dtype=bool)
                    choice = choice.copy()
                    choice[np.flatnonzero(retaliating)[forgive]] = Choice.LET_GO
            self.note_first(k, runs, choice)
            hit = choice == Choice.RETALIATE
            if hit.any():
                owed = self.settle(k, runs[hit])
                self.announce(k, runs[hit], persons[hit], facilities[hit], parity[hit], owed,
                              day, "model")
            gone = choice == Choice.LET_GO
            if gone.any():
                self.settle(k, runs[gone])
            waits = runs[choice == Choice.WAIT]
            self.threat[k, waits] = 0  # the threat is disowned

    def note_first(self, k: int, runs: np.ndarray, choice: np.ndarray) -> None:
        """Remember the main dyad's first decision in each run (`outcomes.first_choice`)."""
        if k == self.main:
            fresh = self.first[runs] < 0
            self.first[runs[fresh]] = choice[fresh]

    def evaluate(self, k: int, a: str, b: str, runs: np.ndarray, day: int, today: dt.date):
        """As StateAgent.evaluate and StateAgent.choose, for the listed runs of pair k."""
        beh, policy, other = self.behaviour[a], self.policy[a], self.policy[b]
        kb = self.index[(b, a)]
        persons, facilities, parity = policy.counts(
            self.owed_p[k, runs], self.owed_f[k, runs], self.offences[k, runs],
            self.parity[k, runs], self.staff[kb, runs], self.staff[k, runs],
            self.sites[kb, runs], self.sites[k, runs])
        persons, facilities = np.asarray(persons), np.asarray(facilities)
        parity = np.asarray(parity, dtype=bool)
        if self.reassured[k] and policy.uses_beliefs:
            persons, facilities = soften_counts(persons, facilities, beh.reassured_share)
            persons, facilities = np.asarray(persons), np.asarray(facilities)
        empty = (persons == 0) & (facilities == 0)
        choice = np.full(runs.size, Choice.RETALIATE, dtype=np.int64)
        if not policy.retaliates:
            choice[:] = Choice.LET_GO
            return choice, persons, facilities, parity
        choice[empty] = Choice.LET_GO
        if not policy.uses_beliefs:
            return choice, persons, facilities, parity
        reply_p, reply_f, _ = other.counts(
            self.owed_p[kb, runs] + persons, self.owed_f[kb, runs] + facilities,
            self.offences[kb, runs] + 1, self.parity[kb, runs] | parity,
            self.staff[k, runs], self.staff[kb, runs] - persons,
            self.sites[k, runs], self.sites[kb, runs] - facilities)
        answered = (np.asarray(reply_p) > 0) | (np.asarray(reply_f) > 0)
        q = np.where(empty | ~answered, 0.0, other.reply_probability())
        st_a, st_b = self.spec.states[a], self.spec.states[b]
        cost = float(payoffs.reply_cost(beh.reply_cost, st_a.power, st_b.power,
                                        beh.power_elasticity, st_a.dependence.get(b, 0.0),
                                        beh.dependence_weight))
        prospect = self.plan.prospect(b, beh.honeymoon_days, today)
        if prospect is None:
            p, value, days, excuse = np.zeros(runs.size), 0.0, 0, 0.0
        else:
            p = self.beliefs[self.belief_row[(k, prospect.key)], runs, 0]
            value = beh.reset_value
            days = max(0, (prospect.window_end - today).days)
            excuse = beh.excuse_share
        threat_cost = np.asarray(threat_costs(beh))[self.threat[k, runs]]
        verdict = assess(
            p_reset=p, reciprocity_value=beh.reciprocity_value, reply_probability=q,
            cost_of_reply=cost, reset_value=value, spoil_share=beh.spoil_share,
            daily_discount=beh.daily_discount, days_to_resolution=days,
            late_loss=beh.late_loss, threat_cost=threat_cost * beh.reciprocity_value,
            excuse_share=excuse)
        return np.where(empty, Choice.LET_GO, verdict.choice), persons, facilities, parity

    def apply_information(self, today: dt.date) -> None:
        for index, ev in self.plan.events_on.get(today, []):
            if isinstance(ev, Signal):
                self.observe(index, ev.about, ev, today)
            elif isinstance(ev, Legislation):
                self.observe(index, ev.actor, ev, today)
        rows, hazards = [], []
        prospects: dict[tuple[str, int], Prospect | None] = {}
        for k in self.prior_pairs:  # in pair order, as the Mesa model; rows are independent
            observer, about = self.pairs[k]
            beh = self.behaviour[observer]
            key = (about, beh.honeymoon_days)
            if key not in prospects:
                prospects[key] = self.plan.prospect(about, beh.honeymoon_days, today)
            p = prospects[key]
            if p is None or p.start > today:
                continue
            rows.append(self.belief_row[(k, p.key)])
            hazards.append(beh.reset_hazard)
        if rows:
            at = np.asarray(rows)
            quiet = beliefs.no_reset_likelihood(np.asarray(hazards))[:, None, :]
            self.beliefs[at] = beliefs.update(self.beliefs[at], quiet)

    def observe(self, index: int, about: str, ev: Signal | Legislation, today: dt.date) -> None:
        lk = ev.likelihood
        base = (beliefs.type_likelihood(lk["accommodating"], lk["hawkish"])
                if "accommodating" in lk else beliefs.freedom_likelihood(lk["free"], lk["bound"]))
        spread = np.full(self.n, ev.uncertainty)
        used_all = beliefs.perturbed(base, spread, self.strength[:, self.info_column[index]])
        for obs in self.plan.observers(ev):
            k = self.index.get((obs, about))
            beh = self.behaviour[obs]
            key = ev.administration
            if key is None:
                p = self.plan.prospect(about, beh.honeymoon_days, today)
                key = p.key if p else None
            if k is None or key is None or (k, key) not in self.belief_row:
                continue
            misread = self.perception[:, self.obs_column[(index, obs)]] < beh.perception_noise
            used = np.where(misread[:, None], beliefs.misread(used_all), used_all)
            row = self.belief_row[(k, key)]
            self.beliefs[row] = beliefs.update(self.beliefs[row], used)

    # --- results -------------------------------------------------------------------------

    def first_choices(self) -> list[str | None]:
        """Per run, the main dyad's first choice as `outcomes.first_choice` names it."""
        return [Choice(int(c)).label if c >= 0 else None for c in self.first]

    def frame(self) -> pd.DataFrame:
        """Every measure of every run, ordered by run then as taken."""
        if not self.actions:
            return pd.DataFrame(columns=ACTION_COLUMNS)
        sizes = [len(block["run"]) for block in self.actions]
        run = np.concatenate([block["run"] for block in self.actions])
        columns: dict[str, object] = {"run": run, "seed": self.seeds[run]}
        columns["date"] = np.repeat(
            [(self.spec.start + dt.timedelta(days=b["day"])).isoformat() for b in self.actions],
            sizes)
        for key in ("actor", "target", "source"):
            columns[key] = np.repeat([b[key] for b in self.actions], sizes)
        for key in ("action", "persons", "facilities", "owed_persons", "owed_facilities"):
            columns[key] = np.concatenate([np.asarray(b[key]) for b in self.actions])
        frame = pd.DataFrame(columns)[ACTION_COLUMNS]
        for key in ("run", "seed", "persons", "facilities", "owed_persons", "owed_facilities"):
            frame[key] = frame[key].astype(np.int64)
        frame = frame.astype({k: object for k in ("date", "actor", "target", "action",
                                                  "source")})
        return frame.sort_values(["run"], kind="stable").reset_index(drop=True)
