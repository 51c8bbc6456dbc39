"""The tournament: generated episodes, realised scores of known runs, the exclusion of
policies that read the opponent, intervals, neighbour tests, the ecology, the command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.engine.mesa import RetaliationModel
from sim.experiments.tournament import (
    CONDITIONS,
    ENTRANTS,
    Episode,
    bootstrap,
    ecology,
    entries,
    generate_episodes,
    holm,
    nature,
    play,
    score_run,
    seated,
    sign_flip_p,
    signed_rank_p,
    summarise,
    without_inspecting,
)
from tests.conftest import run_cli

SMALL = {"best_response": {}, "in_kind": {}, "never": {}}
# Seed 2, 8 episodes, realised payoffs. The best responder plays the exchange game: it
# answers at the size that pays best and seldom waits when no reset is likely, and comes
# first; in kind second; never, which gives up every grievance's value, last.
PINNED_ORDER = ["best_response", "in_kind", "never"]
PINNED_MEANS = [0.6340628, 0.5127457, -0.1813702]


def test_episodes_are_reproducible_and_balanced():
    a, b = generate_episodes(16, 5), generate_episodes(16, 5)
    assert a == b
    assert a != generate_episodes(16, 6)
    combos = {tuple(getattr(e, c) for c in CONDITIONS) for e in a}
    assert len(combos) == 8
    for e in a:
        loaded = sim.load(e.scenario())
        assert set(loaded.spec.states) == {"AAA", "BBB"}
        if not e.asymmetric:
            assert e.staff_target == e.staff_initiator and e.power_target == e.power_initiator


def plain(**changes) -> Episode:
    """A symmetric episode without transition, noise, threat or second expulsion."""
    facts = dict(transition=False, asymmetric=False, noise=False, threat=False,
                 second_persons=0, staff_target=100, staff_initiator=100, sites_target=4,
                 sites_initiator=4, opening_persons=10, opening_facilities=1)
    return dataclasses.replace(generate_episodes(1, 0)[0], **{**facts, **changes})


def scores(ep: Episode, target: str, initiator: str):
    loaded = sim.load(ep.scenario())
    model = RetaliationModel(seated(loaded, target, initiator, ENTRANTS), seed=ep.seed).run()
    return score_run(model, ep)


def test_in_kind_against_never_by_hand():
    # AAA answers 10 staff and 1 site the day after: delta^1 = 0.999; BBB suffers an answer
    # as large as its opening move, costing it c = 0.3 (equals, no dependence)
    s = scores(plain(), "in_kind", "never")
    assert s["AAA"].realised.total == pytest.approx(0.999)
    assert s["BBB"].realised.total == pytest.approx(-0.3)
    assert s["AAA"].reset == "none" and s["AAA"].realised.reset == 0.0


def sure_reset(seed: int) -> Episode:
    """A transition whose successor is surely accommodating and free (it will reset)."""
    return plain(transition=True, prior_accommodating=1.0, freedom=1.0, seed=seed,
                 takes_office_day=10)


def successor_of(ep: Episode):
    return nature(ep.seed, sim.load(ep.scenario()).spec, "AAA", "BBB")


def test_the_reset_realised_by_hand():
    # Seeds whose spoil draw falls below Delta = 0.8 and at or above it
    seeds = {s: successor_of(sure_reset(s)) for s in range(12)}
    low = next(s for s, d in seeds.items() if d.spoil_draw < 0.8)
    high = next(s for s, d in seeds.items() if d.spoil_draw >= 0.8)
    for seed in (low, high):
        ep = sure_reset(seed)
        drawn = seeds[seed]
        assert drawn.accommodating and drawn.free
        assert 10 <= drawn.reset_day <= 39  # the window is open on days 10-39
        # in kind answers on day 2, before the reset: spoiled iff the draw is below 0.8
        s = scores(ep, "in_kind", "never")["AAA"]
        assert s.reset == ("spoiled" if seed == low else "kept")
        assert s.realised.total == pytest.approx(0.999 + (0.0 if seed == low else 5.0))
        # the ex-ante score charges p0 Delta V = 4 whatever happened
        assert s.ex_ante.spoiling == pytest.approx(-4.0)
        # the best responder waits (p = 1) and answers on day 40, the first day out of the
        # window, after the reset: V = 5 plus the banked reprisal, delta^(38 + 1) (1 - rho)
        b = scores(ep, "best_response", "never")["AAA"]
        assert b.reset == "kept"
        assert b.realised.total == pytest.approx(5.0 + 0.999**39 * 0.9)


def test_drawing_the_successor_changes_payoffs_across_seeds():
    # `never` as the target: no threat, no reprisal; it scores V = 5 exactly when nature
    # draws an accommodating and free successor (prior 0.5 x 0.8 = 0.4)
    got = []
    for seed in range(20):
        ep = plain(transition=True, prior_accommodating=0.5, freedom=0.8, seed=seed)
        drawn = successor_of(ep)
        total = scores(ep, "never", "in_kind")["AAA"].realised.total
        assert total == (5.0 if drawn.accommodating and drawn.free else 0.0)
        got.append(total)
    assert set(got) == {0.0, 5.0}
    assert 3 <= got.count(5.0) <= 14  # 8 expected of 20


def test_a_disowned_threat_costs_the_never_policy():
    s = scores(plain(threat=True), "never", "in_kind")
    assert s["AAA"].realised.audience == pytest.approx(-0.3)  # minister's threat, no transition
    assert s["AAA"].realised.reciprocity == 0.0


def test_a_small_tournament_and_its_summary():
    episodes = generate_episodes(8, 2)
    runs = play(episodes, SMALL)
    assert len(runs) == 8 * 9
    assert (runs.loc[runs["target"] == "never", "target_reciprocity"] == 0).all()
    summary = summarise(runs, 2)
    r = summary.ranking
    assert list(r["rank"]) == [1, 2, 3]
    assert set(r["policy"]) == set(SMALL)
    assert (r["ci_low"] <= r["mean"]).all() and (r["mean"] <= r["ci_high"]).all()
    # The order and the means, pinned (seed 2, 8 episodes, realised payoffs)
    assert list(r["policy"]) == PINNED_ORDER
    assert r["mean"].tolist() == pytest.approx(PINNED_MEANS, abs=1e-6)
    # Each mean is the mean over episodes of the policy's mean over its seatings, recomputed
    # here from the runs without pandas' pivots.
    for policy, mean in zip(r["policy"], r["mean"], strict=True):
        by_episode: dict[int, list[float]] = {}
        for row in runs.itertuples():
            for seat in ("target", "initiator"):
                if getattr(row, seat) == policy:
                    by_episode.setdefault(row.episode, []).append(getattr(row, f"{seat}_score"))
        assert mean == pytest.approx(sum(sum(v) / len(v) for v in by_episode.values()) / 8)
    # By hand: `never` as the target never answers, so it pays for the minister's threat it
    # disowns, A = 0.3, half excused while a transition is pending (j = 0.5), and collects
    # V = 5 whenever nature's successor resets (it cannot spoil what it never answers).
    by_hand = []
    for ep in episodes:
        drawn = successor_of(ep) if ep.transition else None
        reset = 5.0 if drawn is not None and drawn.reset_day is not None else 0.0
        by_hand.append(reset - (0.3 * (0.5 if ep.transition else 1.0) if ep.threat else 0.0))
    never = r.set_index("policy").loc["never"]
    assert never["as_target"] == pytest.approx(sum(by_hand) / 8)
    assert summary.pairwise.shape == (3, 3)
    assert set(summary.conditions.columns) == {f"{c}: {v}" for c in CONDITIONS
                                               for v in ("yes", "no")}
    # the classifier is in the table, and the neighbour test in the rows but the last
    assert list(r["inspects_opponent"]) == [p == "best_response" for p in r["policy"]]
    assert r["vs_next_p"].iloc[:-1].between(0, 1).all() and np.isnan(r["vs_next_p"].iloc[-1])
    # with 8 episodes the first two cannot be told apart (bootstrap ranks 1-2), never
    # is last in every replicate
    assert list(r["rank_low"]) == [1, 1, 3] and list(r["rank_high"]) == [2, 2, 3]
    # nature's draw is one per episode, shared by every seating (common random numbers)
    assert (runs.groupby("episode")["reset_day"].nunique(dropna=False) == 1).all()


def test_excluding_inspecting_policies_is_playing_without_them():
    episodes = generate_episodes(4, 3)
    runs = play(episodes, SMALL)
    without = summarise(runs, 3, exclude_inspecting=True)
    assert "best_response" not in set(without.ranking["policy"])
    assert set(without_inspecting(runs)["target"]) == {"in_kind", "never"}
    alone = summarise(play(episodes, {"in_kind": {}, "never": {}}), 3)
    pd.testing.assert_frame_equal(without.ranking, alone.ranking)
    with pytest.raises(ValueError, match="no runs"):
        summarise(runs[runs["target"] == "best_response"], 3, exclude_inspecting=True)


def test_bootstrap_intervals_cover_the_mean_and_repeat_for_a_seed():
    # Coverage: 300 samples of 30 episodes from a skewed law with known mean 1 (exponential);
    # a 95% percentile interval should cover it close to 95% of the time.
    rng = np.random.default_rng(5)
    covered = 0
    for i in range(300):
        sample = rng.exponential(1.0, size=(30, 1))
        b = bootstrap(sample, seed=i, draws=1000)
        assert b.low[0] <= sample.mean() <= b.high[0]
        covered += bool(b.low[0] <= 1.0 <= b.high[0])
    assert 0.87 <= covered / 300 <= 0.99
    # Deterministic for a seed, different for another; ranks: a policy ahead in every
    # episode by far is ranked first in every resample
    values = np.column_stack([rng.normal(size=20) + 10, rng.normal(size=20),
                              rng.normal(size=20)])
    one, two = bootstrap(values, 4), bootstrap(values, 4)
    assert np.array_equal(one.low, two.low) and np.array_equal(one.rank_high, two.rank_high)
    assert not np.array_equal(one.low, bootstrap(values, 5).low)
    assert (one.rank_low[0], one.rank_high[0]) == (1, 1)
    assert one.rank_low[1] >= 2 and one.rank_high[2] == 3


def test_neighbour_tests_on_constructed_differences():
    # Ten episodes, all in favour: both tests are exact, p = 2 / 2^10
    ahead = np.arange(1.0, 11.0)
    assert sign_flip_p(ahead, 0) == pytest.approx(2 / 1024)
    assert signed_rank_p(ahead) == pytest.approx(2 / 1024)
    # Perfectly balanced differences: no evidence either way
    balanced = np.array([1.0, -1.0, 2.0, -2.0, 3.0, -3.0])
    assert sign_flip_p(balanced, 0) == pytest.approx(1.0)
    assert signed_rank_p(balanced) == pytest.approx(1.0)
    # Equal scores in every episode: p = 1, not an error
    assert sign_flip_p(np.zeros(8), 0) == 1.0 and signed_rank_p(np.zeros(8)) == 1.0
    assert sign_flip_p(np.array([0.0, 3.0]), 0) == 1.0 == signed_rank_p(np.array([3.0]))
    # A policy that loses 0.1 in 14 episodes and wins 2 in 6 (a reset kept): the mean
    # difference is +0.53 and the sign-flip test finds it (only all six big ones sharing a
    # sign reaches it: p = 2/64), while the signed ranks balance exactly (105 against 105)
    reset_like = np.array([-0.1] * 14 + [2.0] * 6)
    assert sign_flip_p(reset_like, 0) == pytest.approx(2 / 64, abs=0.006)
    assert signed_rank_p(reset_like) == pytest.approx(1.0)
    # Holm by hand: sorted 0.01, 0.03, 0.04 -> 3 x 0.01, 2 x 0.03, max(0.06, 1 x 0.04)
    assert holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06])


def test_the_ecology_of_a_tournament():
    runs = play(generate_episodes(2, 9), {"in_kind": {}, "grim": {}, "never": {}})
    summary = summarise(runs, 9)
    shares = ecology(summary.pairwise, 50)
    assert list(shares.columns) == ["generation", *summary.pairwise.index]
    assert len(shares) == 51
    assert np.allclose(shares.drop(columns="generation").sum(axis=1), 1.0)
    assert shares.iloc[0, 1:].tolist() == pytest.approx([1 / 3] * 3)
    # the mean payoffs of entries() against the population decide who grows first
    e = entries(runs)
    m = e.pivot_table(index="policy", columns="opponent", values="score").loc[
        summary.pairwise.index, summary.pairwise.index]
    fitness = m.to_numpy() @ np.full(3, 1 / 3)
    grows = shares.iloc[1, 1:].to_numpy() > 1 / 3
    assert list(grows) == list(fitness > fitness.mean())


def test_processes_do_not_change_the_results():
    episodes = generate_episodes(2, 9)
    one = play(episodes, {"in_kind": {}, "grim": {}}, jobs=1)
    two = play(episodes, {"in_kind": {}, "grim": {}}, jobs=2)
    assert one.equals(two)


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="unknown policies"):
        play(generate_episodes(1, 0), {"tit_for_two_tats": {}})


def test_the_command_is_reproducible(tmp_path: Path):
    args = ["tournament", "--episodes", "2", "--seed", "4", "--policies", "in_kind,never,grim",
            "--jobs", "1"]
    first = run_cli(*args, "--out", tmp_path / "a")
    second = run_cli(*args, "--out", tmp_path / "b", "--quiet")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "rank  policy" in first.stdout and "95% interval" in first.stdout
    assert "Wilcoxon" in first.stdout and "ecology after 200 generations" in first.stdout
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == [".sim-results", "conditions.csv", "ecology.csv", "ecology.png",
                     "episodes.csv", "pairwise.csv", "ranking.csv", "runs.csv", "summary.json",
                     "tournament.png"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    meta = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert meta["kind"] == "tournament" and meta["runs"] == 2 * 9
    assert meta["scoring"] == "realised" and meta["excluded"] == []
    eco = pd.read_csv(tmp_path / "a" / "ecology.csv")
    assert len(eco) == 201 and np.allclose(eco.drop(columns="generation").sum(axis=1), 1.0)
    ranking = pd.read_csv(tmp_path / "a" / "ranking.csv")
    for column in ("rank_low", "rank_high", "vs_next_p", "vs_next_p_holm",
                   "vs_next_p_wilcoxon", "inspects_opponent", "memory_depth"):
        assert column in ranking.columns


def test_the_command_excludes_policies_that_read_the_opponent(tmp_path: Path):
    done = run_cli("tournament", "--episodes", "1", "--seed", "2", "--policies",
                   "best_response,in_kind,never", "--exclude-inspecting", "--jobs", "1",
                   "--no-charts", "--generations", "5", "--out", tmp_path / "x")
    assert done.returncode == 0, done.stderr
    assert "excluded (classifier inspects_opponent): best_response" in done.stdout
    ranking = pd.read_csv(tmp_path / "x" / "ranking.csv")
    assert sorted(ranking["policy"]) == ["in_kind", "never"]
    assert not ranking["inspects_opponent"].any()
    meta = json.loads((tmp_path / "x" / "summary.json").read_text())
    assert meta["excluded"] == ["best_response"] and meta["runs"] == 4
    assert len(pd.read_csv(tmp_path / "x" / "ecology.csv")) == 6
    lonely = run_cli("tournament", "--policies", "best_response,in_kind",
                     "--exclude-inspecting", "--out", tmp_path / "y")
    assert lonely.returncode == 2 and lonely.stderr.count("\n") == 1
    assert "fewer than two" in lonely.stderr and not (tmp_path / "y").exists()


def test_the_command_refuses_bad_input(tmp_path: Path):
    bad = run_cli("tournament", "--policies", "in_kind,nope", "--out", tmp_path / "x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "unknown: nope" in bad.stderr and "Traceback" not in bad.stderr
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    refused = run_cli("tournament", "--episodes", "1", "--out", other)
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert (other / "notes.txt").read_text() == "keep me"
