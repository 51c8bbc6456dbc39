"""A round-robin tournament of retaliation policies, in the manner of Axelrod's.

Every pair of policies (a policy against itself included) plays every episode of a
distribution generated from one seed, once in each seat: as the **target** of the
episode's opening expulsion and as its **initiator**. Episodes vary what the model says
should matter (docs/model.md section 14): whether the initiator has an incoming
administration the target may hope for a reset from, whether the two missions (and the
two states' power) are equal, and whether perception noise is on. Each run is the Mesa
model itself; each state's payoff is added up by `sim.game.scoring` from what it did and
suffered, with nature's move realised: the initiator's successor's type and freedom are
drawn from the episode's prior and the reset comes, or not, and is spoiled, or not, by
what the target actually did (`scoring.realised_score`). Scoring by the best responder's
own expected objective would make it win by construction. All seatings of one episode
share the model's seed and nature's draw (common random numbers), so differences between
policies are not differences of luck.

`play` returns one row per run; `summarise` turns them into a ranking with bootstrap
intervals over episodes (of the mean and of the rank), a paired test of each policy
against the next in the ranking, a policy-against-policy table and means by condition;
it can leave out policies whose classifier says they read the opponent's policy
(`inspects_opponent`). `ecology` lets population shares evolve by those payoffs. The
command is `python -m sim tournament` (sim/cli/tournament.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from sim.engine.mesa import RetaliationModel
from sim.execution.pools import process_pool
from sim.game import beliefs, payoffs, scoring
from sim.game import ecology as replicator_dynamics
from sim.game.params import threat_rank
from sim.rules.policies import CLASSIFIER_KEYS, POLICIES
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
NATURE_STREAM = 2  # nature's draws: SeedSequence([episode seed, this, the successor's state])
GENERATIONS = 200  # of the ecological run


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


class Scored(NamedTuple):
    """A state's payoff over a run: realised (the tournament's score) and ex ante."""

    realised: scoring.Score
    ex_ante: scoring.Score  # the best responder's own objective, for comparison only
    reset: str  # what became of the other side's successor's reset: none, kept, spoiled


def nature(seed: int, spec: Any, me: str, other: str) -> scoring.Successor | None:
    """Nature's draw about `other`'s incoming administration, as `me` faces it.

    The generator is derived from the episode's seed and the successor's state alone, so
    every seating of an episode meets the same successor on the same day (common random
    numbers). The window and the hazard are those `me` believes in: the model's p is then
    the true chance of a reset within the window.
    """
    adm = next((a for a in spec.states[other].administrations.values() if a.prior is not None),
               None)
    if adm is None:
        return None
    b = spec.behaviour_of(me)
    index = sorted(spec.states).index(other)
    rng = np.random.default_rng(np.random.SeedSequence([seed, NATURE_STREAM, index]))
    return scoring.draw_successor(
        rng, prior_accommodating=adm.prior.accommodating, freedom=adm.freedom,
        office_day=(adm.start - spec.start).days, window_days=b.honeymoon_days,
        hazard=b.reset_hazard)


def score_run(model: RetaliationModel, episode: Episode) -> dict[str, Scored]:
    """Each state's payoff over a finished run, from its decisions, measures and threats.

    Reprisals come from its decisions to retaliate, replies from the measures the other
    side's policy took against it (the run's actions table), audience costs from the
    threats it made and then disowned by waiting or letting go; the reset from nature's
    draw (`nature`) and the days of its reprisals.
    """
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
                    (date - first).days + b.deliberation_days, waited, prospect,
                    day=(date - spec.start).days))
                first, waited, threat = None, False, None
                continue
            if threat is not None:
                disowned.append(getattr(b, f"audience_cost_{threat}"))
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
        cost = float(payoffs.reply_cost(b.reply_cost, st.power, ot.power, b.power_elasticity,
                                        st.dependence.get(other, 0.0), b.dependence_weight))
        successor = nature(episode.seed, spec, me, other)
        realised = scoring.realised_score(
            reprisals, sizes, disowned, excuses, daily_discount=1.0 - b.discount_rate,
            late_loss=b.late_loss, cost_of_reply=cost, successor=successor,
            reset_value=b.reset_value, spoil_share=b.spoil_share)
        prior = next((beliefs.reset_probability(beliefs.prior(adm.prior.accommodating,
                                                              adm.freedom))
                      for adm in ot.administrations.values() if adm.prior is not None), 0.0)
        ex_ante = scoring.episode_score(
            reprisals, sizes, disowned, excuse_shares=excuses, reciprocity_value=1.0,
            daily_discount=1.0 - b.discount_rate, late_loss=b.late_loss, cost_of_reply=cost,
            reset_value=b.reset_value, spoil_share=b.spoil_share, p_reset_prior=float(prior))
        outcome = scoring.reset_outcome(successor, [r.day for r in reprisals if r.day is not None],
                                        b.spoil_share)
        out[me] = Scored(realised, ex_ante, outcome)
    return out


def successor_facts(spec: Any, episode: Episode) -> dict[str, Any]:
    """What nature drew about the initiator's successor (empty cells without one)."""
    drawn = nature(episode.seed, spec, TARGET, INITIATOR)
    if drawn is None:
        return {"successor_accommodating": None, "successor_free": None, "reset_day": None}
    return {"successor_accommodating": drawn.accommodating, "successor_free": drawn.free,
            "reset_day": drawn.reset_day}


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
            s = scores[sid].realised
            row.update({f"{seat}_score": s.total, f"{seat}_reciprocity": s.reciprocity,
                        f"{seat}_replies": s.replies, f"{seat}_audience": s.audience,
                        f"{seat}_reset": s.reset, f"{seat}_reset_outcome": scores[sid].reset,
                        f"{seat}_ex_ante": scores[sid].ex_ante.total})
        row.update(successor_facts(loaded.spec, episode))
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


def inspects_opponent(policy: str) -> bool:
    """Whether the policy reads its counterpart's policy or parameters (its classifier)."""
    return bool(POLICIES[policy].classifier["inspects_opponent"])


def without_inspecting(runs: pd.DataFrame) -> pd.DataFrame:
    """The runs in which neither seat reads the other's policy: the tournament as if the
    inspecting policies had not entered (runs are independent, so this is exact)."""
    keep = ~runs["target"].map(inspects_opponent) & ~runs["initiator"].map(inspects_opponent)
    return runs[keep.to_numpy()].reset_index(drop=True)


def entries(runs: pd.DataFrame, column: str = "score") -> pd.DataFrame:
    """One row per policy per run: its score, its opponent and its seat.

    `column` is the score to read: `score` (realised) or `ex_ante`.
    """
    parts = []
    for seat, other in (("target", "initiator"), ("initiator", "target")):
        part = runs[["episode", *CONDITIONS, seat, other, f"{seat}_{column}"]].rename(
            columns={seat: "policy", other: "opponent", f"{seat}_{column}": "score"})
        parts.append(part.assign(seat=seat))
    return pd.concat(parts, ignore_index=True)


@dataclass(frozen=True)
class Summary:
    ranking: pd.DataFrame  # policy, mean, intervals, neighbour test, by seat, classifier
    pairwise: pd.DataFrame  # row policy's mean score against the column policy
    conditions: pd.DataFrame  # policy x condition means


@dataclass(frozen=True)
class Bootstrap:
    """Percentile-bootstrap intervals over episodes, one entry per policy (column)."""

    low: np.ndarray  # of the mean
    high: np.ndarray
    rank_low: np.ndarray  # of the rank (1 = best; ties share the better rank)
    rank_high: np.ndarray
    weights: np.ndarray  # draws x episodes: how often each episode was drawn


def bootstrap(per_episode: np.ndarray, seed: int, draws: int = 2000, level: float = 0.95
              ) -> Bootstrap:
    """Resample episodes with replacement (the same resamples for every policy, seeded).

    Episodes are the units of replication: within one, every policy met the same facts,
    seeds and successor. Each resample's means give each policy a rank; the intervals are
    the (1 - level)/2 and (1 + level)/2 quantiles of the means and of the ranks.
    """
    values = np.asarray(per_episode, dtype=float)
    n = values.shape[0]
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    weights = rng.multinomial(n, np.full(n, 1.0 / n), size=draws).astype(float)
    means = weights @ values / n  # draws x policies
    ranks = 1 + (means[:, None, :] > means[:, :, None]).sum(axis=2)
    tail = (1 - level) / 2
    return Bootstrap(np.quantile(means, tail, axis=0), np.quantile(means, 1 - tail, axis=0),
                     np.quantile(ranks, tail, axis=0, method="lower"),
                     np.quantile(ranks, 1 - tail, axis=0, method="higher"), weights)


def signed_rank_p(differences: np.ndarray, tolerance: float = 1e-12) -> float:
    """Two-sided p-value of Wilcoxon's signed-rank test of paired differences.

    Episodes where the two scores are equal (within `tolerance`) are dropped: they say
    nothing about which policy does better. With fewer than two left the p-value is 1.
    scipy picks the exact null distribution for small samples without ties, the normal
    approximation otherwise.
    """
    d = np.asarray(differences, dtype=float)
    d = d[np.abs(d) > tolerance]
    if d.size < 2:
        return 1.0
    return float(stats.wilcoxon(d, zero_method="wilcox", alternative="two-sided").pvalue)


def sign_flip_p(differences: np.ndarray, seed: int, resamples: int = 9999,
                tolerance: float = 1e-12) -> float:
    """Two-sided p-value of the paired permutation (sign-flip) test of a mean difference.

    Under the null that the two policies are exchangeable within each episode (they met
    the same facts, seeds and successor), each difference is as likely to carry either
    sign; the p-value is the share of sign assignments whose mean is at least as far from
    zero as the observed one. Exact (every assignment) when there are at most
    `resamples` of them, else `resamples` random ones from `seed`, (b + 1) / (R + 1).
    Episodes with equal scores carry no sign and are dropped; with fewer than two left
    every sign assignment is as extreme as the one observed, and p is 1.
    """
    d = np.asarray(differences, dtype=float)
    d = d[np.abs(d) > tolerance]
    if d.size < 2:
        return 1.0
    result = stats.permutation_test(
        (d,), np.mean, permutation_type="samples", vectorized=True, n_resamples=resamples,
        alternative="two-sided", rng=np.random.default_rng(np.random.SeedSequence([seed, 9])))
    return float(min(1.0, result.pvalue))


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjustment: family-wise error at most the level over all tests."""
    p = np.asarray(p_values, dtype=float)
    order = np.argsort(p, kind="stable")
    m = p.size
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def neighbours(per_episode: pd.DataFrame, order: Sequence[str], boot: Bootstrap, seed: int,
               level: float = 0.95) -> pd.DataFrame:
    """Each policy against the next in the ranking, paired by episode.

    The mean difference, its paired-bootstrap interval (the ranking's resamples), the
    sign-flip permutation test of the mean difference (`vs_next_p`, raw and Holm-adjusted
    over the neighbours) and, for contrast, Wilcoxon's signed-rank test. Pairing removes
    what the episodes share (the same facts, seeds and successor), which is why two
    policies whose intervals overlap can still be told apart. The permutation test is the
    one that answers the ranking's question (is the *mean* difference zero?); the
    signed-rank test asks whether the differences are centred on zero, and says otherwise
    when one policy loses a little in many episodes and wins a lot in a few.
    """
    rows = []
    tail = (1 - level) / 2
    n = len(per_episode)
    for a, b in itertools.pairwise(order):
        d = (per_episode[a] - per_episode[b]).to_numpy(dtype=float)
        boot_means = boot.weights @ d / n
        rows.append({"policy": a, "next": b, "vs_next_diff": float(d.mean()),
                     "vs_next_low": float(np.quantile(boot_means, tail)),
                     "vs_next_high": float(np.quantile(boot_means, 1 - tail)),
                     "vs_next_p": sign_flip_p(d, seed),
                     "vs_next_p_wilcoxon": signed_rank_p(d)})
    frame = pd.DataFrame(rows, columns=["policy", "next", "vs_next_diff", "vs_next_low",
                                        "vs_next_high", "vs_next_p", "vs_next_p_wilcoxon"])
    frame.insert(6, "vs_next_p_holm", holm(frame["vs_next_p"].tolist()))
    return frame


def summarise(runs: pd.DataFrame, seed: int, *, exclude_inspecting: bool = False,
              column: str = "score", draws: int = 2000) -> Summary:
    """Ranking, policy-against-policy means and means by condition of a round robin.

    `exclude_inspecting` leaves out the policies whose classifier says they read the
    opponent's policy (and every run they played); `column` picks the realised `score`
    or, for comparison, the `ex_ante` one.
    """
    if exclude_inspecting:
        runs = without_inspecting(runs)
    if runs.empty:
        raise ValueError("no runs left to rank")
    e = entries(runs, column)
    per_episode = e.pivot_table(index="episode", columns="policy", values="score",
                                aggfunc="mean")
    policies = list(per_episode.columns)
    boot = bootstrap(per_episode.to_numpy(), seed, draws)
    seat = e.pivot_table(index="policy", columns="seat", values="score", aggfunc="mean")
    ranking = pd.DataFrame({
        "policy": policies, "mean": per_episode.mean().to_numpy(),
        "ci_low": boot.low, "ci_high": boot.high,
        "rank_low": boot.rank_low.astype(int), "rank_high": boot.rank_high.astype(int),
        "as_target": seat.loc[policies, "target"].to_numpy(),
        "as_initiator": seat.loc[policies, "initiator"].to_numpy(),
    })
    ranking = ranking.sort_values(["mean", "policy"], ascending=[False, True],
                                  ignore_index=True)
    ranking.insert(0, "rank", range(1, len(ranking) + 1))
    order = list(ranking["policy"])
    tests = neighbours(per_episode, order, boot, seed).drop(columns="next")
    ranking = ranking.merge(tests, on="policy", how="left")
    for flag in CLASSIFIER_KEYS:
        ranking[flag] = [POLICIES[p].classifier[flag] for p in ranking["policy"]]
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


def ecology(pairwise: pd.DataFrame, generations: int = GENERATIONS) -> pd.DataFrame:
    """Population shares by generation (one column per policy), from equal shares, under
    the discrete replicator dynamics of `sim.game.ecology` on the mean payoff matrix."""
    shares = replicator_dynamics.replicator(pairwise.to_numpy(dtype=float), generations)
    frame = pd.DataFrame(shares, columns=list(pairwise.index))
    frame.insert(0, "generation", range(generations + 1))
    return frame


NATURE_COLUMNS = ["successor_accommodating", "successor_free", "reset_day"]


def episodes_frame(episodes: Sequence[Episode], runs: pd.DataFrame | None = None
                   ) -> pd.DataFrame:
    """The generated facts, one row per episode, and nature's draw if `runs` are given."""
    frame = pd.DataFrame([asdict(ep) for ep in episodes])
    if runs is not None and not runs.empty:
        drawn = runs.groupby("episode", sort=False)[NATURE_COLUMNS].first()
        frame = frame.join(drawn, on="index")
    return frame
