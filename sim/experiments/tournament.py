"""A round-robin tournament of retaliation policies, in the manner of Axelrod's.

Every pair of policies (a policy against itself included) plays every episode of a
distribution generated from one seed, once in each seat: as the **target** of the
episode's opening expulsion and as its **initiator**. Episodes vary what the model says
should matter (docs/model.md section 14): whether the initiator has an incoming
administration the target may hope for a reset from, whether the two missions (and the
two states' power) are equal, and whether perception noise is on. Each run is the Mesa
model itself; each state's payoff is added up by `sim.game.scoring` from what it did and
suffered. All seatings of one episode share the model's seed (common random numbers), so
differences between policies are not differences of luck.

`play` returns one row per run; `summarise` turns them into rankings with bootstrap
confidence intervals over episodes, a policy-against-policy table and means by condition.
The command is `python -m sim tournament` (sim/cli/tournament.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.engine.mesa import RetaliationModel
from sim.execution.pools import process_pool
from sim.game import beliefs, payoffs, scoring
from sim.game.params import threat_rank
from sim.rules.policies import POLICIES
from sim.scenario import LoadedScenario, load
from sim.scenario.schema import PolicySpec

# The entrants: every named policy, with the parameters it plays with here.
ENTRANTS: dict[str, dict[str, float]] = {
    "best_response": {}, "in_kind": {}, "proportional": {"ratio": 0.5}, "parity": {},
    "token": {}, "generous": {"forgiveness": 0.3}, "grim": {}, "never": {},
}
TARGET, INITIATOR = "AAA", "BBB"
START = dt.date(2020, 1, 1)  # an arbitrary origin: only days between events matter
EPISODE_DAYS = 60
HONEYMOON_DAYS = 30
NOISE = 0.1
CONDITIONS = ("transition", "asymmetric", "noise")


@dataclass(frozen=True)
class Episode:
    """The facts of one generated episode (state AAA is the target, BBB the initiator)."""

    index: int
    seed: int
    transition: bool
    asymmetric: bool
    noise: bool
    staff_target: int  # AAA's staff in BBB
    staff_initiator: int  # BBB's staff in AAA
    sites_target: int
    sites_initiator: int
    power_target: float
    power_initiator: float
    dependence_target: float  # AAA's dependence on BBB
    dependence_initiator: float
    opening_persons: int
    opening_facilities: int
    threat: bool  # AAA's minister threatens reciprocity on the opening day
    second_persons: int  # a second expulsion by BBB (0: none)
    second_day: int
    takes_office_day: int
    prior_accommodating: float
    freedom: float
    signal_day: int
    signal_accommodating: float
    signal_hawkish: float

    def scenario(self) -> dict[str, Any]:
        """The episode as a scenario mapping (the format of docs/scenarios.md)."""
        def day(n: int) -> str:
            return (START + dt.timedelta(days=n)).isoformat()

        initiator: dict[str, Any] = {
            "name": "Initiator", "power": self.power_initiator,
            "dependence": {TARGET: self.dependence_initiator},
            "missions": {TARGET: self.staff_initiator},
            "facilities": {TARGET: self.sites_initiator},
        }
        events: list[dict[str, Any]] = [
            {"date": day(1), "type": "expel", "actor": INITIATOR, "target": TARGET,
             "persons": self.opening_persons, "facilities": self.opening_facilities}]
        if self.threat:
            events.append({"date": day(1), "type": "statement", "actor": TARGET,
                           "target": INITIATOR, "level": "minister"})
        if self.transition:
            initiator["administrations"] = {
                "outgoing": {"leader": "Outgoing", "start": day(-400),
                             "end": day(self.takes_office_day)},
                "incoming": {"leader": "Incoming", "start": day(self.takes_office_day),
                             "end": day(EPISODE_DAYS + 1000),
                             "prior": {"accommodating": self.prior_accommodating,
                                       "hawkish": 1 - self.prior_accommodating},
                             "freedom": self.freedom}}
            events.append({"date": day(self.signal_day), "type": "signal", "about": INITIATOR,
                           "administration": "incoming", "observers": [TARGET],
                           "likelihood": {"accommodating": self.signal_accommodating,
                                          "hawkish": self.signal_hawkish}})
        if self.second_persons:
            events.append({"date": day(self.second_day), "type": "expel", "actor": INITIATOR,
                           "target": TARGET, "persons": self.second_persons})
        events.sort(key=lambda e: e["date"])
        return {
            "name": f"episode-{self.index}", "title": "generated tournament episode",
            "start": START.isoformat(), "end": day(EPISODE_DAYS - 1), "seed": self.seed,
            "behaviour": {"honeymoon_days": HONEYMOON_DAYS,
                          "perception_noise": NOISE if self.noise else 0.0},
            "states": {
                TARGET: {"name": "Target", "power": self.power_target,
                         "dependence": {INITIATOR: self.dependence_target},
                         "missions": {INITIATOR: self.staff_target},
                         "facilities": {INITIATOR: self.sites_target}},
                INITIATOR: initiator,
            },
            "events": events,
        }

    def conditions(self) -> dict[str, bool]:
        return {c: getattr(self, c) for c in CONDITIONS}


def generate_episodes(n: int, seed: int) -> list[Episode]:
    """`n` episodes from `seed`, the eight combinations of conditions in turn.

    Within a combination the facts are drawn from the seeded generator: mission sizes,
    power and dependence, the opening expulsion, a threat (half the time), a second
    expulsion (half the time) and, with a transition, the successor's prior, freedom and
    a signal about its type. The same seed always gives the same episodes.
    """
    if n < 1:
        raise ValueError("at least one episode is needed")
    children = np.random.SeedSequence(seed).spawn(n)
    out = []
    for i, child in enumerate(children):
        rng = np.random.default_rng(child)
        transition, asymmetric, noise = (bool(i & 1), bool(i & 2), bool(i & 4))
        if asymmetric:
            big, small = int(rng.integers(200, 601)), int(rng.integers(30, 121))
            big_sites, small_sites = int(rng.integers(5, 11)), int(rng.integers(1, 5))
            strong, weak = float(rng.uniform(2.0, 5.0)), 1.0
            target_big = bool(rng.random() < 0.5)
        else:
            big = small = int(rng.integers(40, 301))
            big_sites = small_sites = int(rng.integers(2, 9))
            strong = weak = 1.0
            target_big = True
        staff_t, staff_i = (big, small) if target_big else (small, big)
        sites_t, sites_i = (big_sites, small_sites) if target_big else (small_sites, big_sites)
        power_t, power_i = (strong, weak) if target_big else (weak, strong)
        dependence = rng.uniform(0.0, 0.2, size=2) if asymmetric else np.zeros(2)
        opening = int(rng.integers(3, max(4, staff_t // 5)))
        out.append(Episode(
            index=i, seed=int(child.generate_state(1, np.uint32)[0]),
            transition=transition, asymmetric=asymmetric, noise=noise,
            staff_target=staff_t, staff_initiator=staff_i, sites_target=sites_t,
            sites_initiator=sites_i, power_target=power_t, power_initiator=power_i,
            dependence_target=float(dependence[0]) if power_i > power_t else 0.0,
            dependence_initiator=float(dependence[1]) if power_t > power_i else 0.0,
            opening_persons=opening, opening_facilities=int(rng.random() < 0.5),
            threat=bool(rng.random() < 0.5),
            second_persons=int(rng.integers(1, max(2, opening // 2 + 1)))
            if rng.random() < 0.5 else 0,
            second_day=int(rng.integers(15, 40)),
            takes_office_day=int(rng.integers(5, 16)),
            prior_accommodating=float(rng.uniform(0.2, 0.9)),
            freedom=float(rng.uniform(0.4, 1.0)),
            signal_day=int(rng.integers(16, 35)),
            signal_accommodating=float(rng.uniform(0.2, 0.9)),
            signal_hawkish=float(rng.uniform(0.2, 0.9)),
        ))
    return out


def seated(loaded: LoadedScenario, target: str, initiator: str,
           entrants: dict[str, dict[str, float]]) -> Any:
    """The episode's scenario with the two policies in their seats."""
    spec = loaded.spec
    states = dict(spec.states)
    for sid, name in ((TARGET, target), (INITIATOR, initiator)):
        policy = PolicySpec(name=name, **entrants[name])
        states[sid] = states[sid].model_copy(update={"policy": policy})
    return spec.model_copy(update={"states": states})


def _table(model: RetaliationModel, name: str) -> list[dict[str, Any]]:
    cols = model.datacollector.tables[name]
    keys = list(cols)
    return [dict(zip(keys, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def score_run(model: RetaliationModel, episode: Episode) -> dict[str, scoring.Score]:
    """Each state's payoff over a finished run, from its decisions, measures and threats."""
    spec = model.spec
    decisions = _table(model, "decisions")
    actions = [a for a in _table(model, "actions") if a["source"] == "model"]
    statements = _table(model, "statements")
    opening = scoring.presence_share(episode.opening_persons, episode.opening_facilities,
                                     episode.staff_target, episode.sites_target)
    out = {}
    for me, other in ((TARGET, INITIATOR), (INITIATOR, TARGET)):
        b = spec.behaviour_of(me)
        st, ot = spec.states[me], spec.states[other]
        reprisals, disowned, excuses = [], [], []
        first: dt.date | None = None
        waited = False
        threat: str | None = None
        timeline = sorted(
            [(s["date"], 0, s) for s in statements if s["actor"] == me]
            + [(d["date"], 1, d) for d in decisions if d["actor"] == me],
            key=lambda x: (x[0], x[1]))
        for date_text, kind, row in timeline:
            if kind == 0:  # a threat: the highest level made stands
                if threat_rank(row["level"]) > threat_rank(threat):
                    threat = row["level"]
                continue
            date = dt.date.fromisoformat(date_text)
            prospect = model.prospect(me, other, date) is not None
            first = first or date
            if row["choice"] == "retaliate":
                reprisals.append(scoring.Reprisal(
                    int(row["persons"]), int(row["facilities"]), int(row["owed_persons"]),
                    int(row["owed_facilities"]),
                    (date - first).days + b.deliberation_days, waited, prospect))
                first, waited, threat = None, False, None
                continue
            if threat is not None:
                disowned.append(b.reciprocity_value * getattr(b, f"audience_cost_{threat}"))
                excuses.append(b.excuse_share if prospect else 0.0)
                threat = None
            if row["choice"] == "wait":
                waited = True
            else:
                first, waited = None, False
        sizes = [scoring.measure_size(int(a["persons"]), int(a["facilities"]),
                                      st.missions.get(other, 0), st.facilities.get(other, 0),
                                      opening)
                 for a in actions if a["target"] == me]
        prior = next((beliefs.reset_probability(beliefs.prior(adm.prior.accommodating,
                                                              adm.freedom))
                      for adm in ot.administrations.values() if adm.prior is not None), 0.0)
        out[me] = scoring.episode_score(
            reprisals, sizes, disowned, excuse_shares=excuses,
            reciprocity_value=b.reciprocity_value, daily_discount=b.daily_discount,
            late_loss=b.late_loss,
            cost_of_reply=b.reciprocity_value * float(payoffs.reply_cost(
                b.reply_cost, st.power, ot.power, b.power_elasticity,
                st.dependence.get(other, 0.0), b.dependence_weight)),
            reset_value=b.reciprocity_value * b.reset_value, spoil_share=b.spoil_share,
            p_reset_prior=float(prior))
    return out


def play_episode(episode: Episode, entrants: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
    """Every ordered pair of entrants on one episode: one row per run."""
    loaded = load(episode.scenario())
    rows = []
    for target, initiator in itertools.product(entrants, repeat=2):
        model = RetaliationModel(seated(loaded, target, initiator, entrants),
                                 seed=episode.seed).run()
        scores = score_run(model, episode)
        row: dict[str, Any] = {"episode": episode.index, **episode.conditions(),
                               "target": target, "initiator": initiator}
        for seat, sid in (("target", TARGET), ("initiator", INITIATOR)):
            s = scores[sid]
            row.update({f"{seat}_score": s.total, f"{seat}_reciprocity": s.reciprocity,
                        f"{seat}_replies": s.replies, f"{seat}_spoiling": s.spoiling,
                        f"{seat}_audience": s.audience})
        row["measures"] = sum(1 for a in _table(model, "actions") if a["source"] == "model")
        rows.append(row)
    return rows


def play(episodes: Sequence[Episode], entrants: dict[str, dict[str, float]] | None = None,
         jobs: int = 1, progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None
         ) -> pd.DataFrame:
    """Run the round robin; rows in episode order whatever the number of processes."""
    entrants = dict(ENTRANTS if entrants is None else entrants)
    unknown = [name for name in entrants if name not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policies {unknown}; known: {', '.join(POLICIES)}")
    wrap = progress or (lambda it, total: it)
    results: dict[int, list[dict[str, Any]]] = {}
    if jobs <= 1:
        for ep in wrap(episodes, len(episodes)):
            results[ep.index] = play_episode(ep, entrants)
    else:
        with process_pool(jobs) as pool:
            futures = [pool.submit(play_episode, ep, entrants) for ep in episodes]
            for ep, fut in zip(episodes, wrap(futures, len(futures)), strict=True):
                results[ep.index] = fut.result()
    return pd.DataFrame([row for ep in episodes for row in results[ep.index]])


def entries(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per policy per run: its score, its opponent and its seat."""
    parts = []
    for seat, other in (("target", "initiator"), ("initiator", "target")):
        part = runs[["episode", *CONDITIONS, seat, other, f"{seat}_score"]].rename(
            columns={seat: "policy", other: "opponent", f"{seat}_score": "score"})
        parts.append(part.assign(seat=seat))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class Summary:
    ranking: pd.DataFrame  # policy, mean, ci_low, ci_high, as target, as initiator, metadata
    pairwise: pd.DataFrame  # row policy's mean score against the column policy
    conditions: pd.DataFrame  # policy x condition means


def bootstrap_interval(per_episode: pd.DataFrame, seed: int, draws: int = 2000,
                       level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap over episodes (the same resamples for every policy)."""
    values = per_episode.to_numpy()
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    picks = rng.integers(0, len(values), size=(draws, len(values)))
    means = values[picks].mean(axis=1)
    tail = (1 - level) / 2
    return np.quantile(means, tail, axis=0), np.quantile(means, 1 - tail, axis=0)


def summarise(runs: pd.DataFrame, seed: int) -> Summary:
    e = entries(runs)
    per_episode = e.pivot_table(index="episode", columns="policy", values="score",
                                aggfunc="mean")
    low, high = bootstrap_interval(per_episode, seed)
    seat = e.pivot_table(index="policy", columns="seat", values="score", aggfunc="mean")
    ranking = pd.DataFrame({
        "policy": per_episode.columns, "mean": per_episode.mean().to_numpy(),
        "ci_low": low, "ci_high": high,
        "as_target": seat.loc[per_episode.columns, "target"].to_numpy(),
        "as_initiator": seat.loc[per_episode.columns, "initiator"].to_numpy(),
    })
    for flag in ("uses_beliefs", "stochastic", "escalates"):
        ranking[flag] = [getattr(POLICIES[p], flag) for p in ranking["policy"]]
    ranking = ranking.sort_values(["mean", "policy"], ascending=[False, True],
                                  ignore_index=True)
    ranking.insert(0, "rank", range(1, len(ranking) + 1))
    order = list(ranking["policy"])
    pairwise = e.pivot_table(index="policy", columns="opponent", values="score",
                             aggfunc="mean").loc[order, order]
    cond = {}
    for c in CONDITIONS:
        by = e.groupby(["policy", c])["score"].mean().unstack().reindex(
            index=order, columns=[True, False])
        cond[f"{c}: yes"] = by[True]
        cond[f"{c}: no"] = by[False]
    conditions = pd.DataFrame(cond)  # NaN where no episode had the condition
    return Summary(ranking, pairwise, conditions)


def episodes_frame(episodes: Sequence[Episode]) -> pd.DataFrame:
    return pd.DataFrame([asdict(ep) for ep in episodes])
