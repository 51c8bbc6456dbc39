"""The tournament: generated episodes, scores of known runs, determinism, the command."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import sim
from sim.engine.mesa import RetaliationModel
from sim.experiments.tournament import (
    CONDITIONS,
    ENTRANTS,
    Episode,
    generate_episodes,
    play,
    score_run,
    seated,
    summarise,
)
from tests.conftest import run_cli

SMALL = {"best_response": {}, "in_kind": {}, "never": {}}


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
    # AAA answers 10 staff and 1 site the day after: R delta^1 = 0.999; BBB suffers an answer
    # as large as its opening move, costing it C = 0.3 (equals, no dependence)
    s = scores(plain(), "in_kind", "never")
    assert s["AAA"].total == pytest.approx(0.999)
    assert s["BBB"].total == pytest.approx(-0.3)


def test_a_transition_makes_an_immediate_answer_spoil_the_reset():
    ep = plain(transition=True, prior_accommodating=0.5, freedom=0.8)
    s = scores(ep, "in_kind", "never")
    # p0 S = 0.4 * 4 = 1.6
    assert s["AAA"].spoiling == pytest.approx(-1.6)
    waiting = scores(ep, "best_response", "never")
    assert waiting["AAA"].spoiling == 0.0  # it waits out the window, then answers late
    assert 0 < waiting["AAA"].reciprocity < 0.9


def test_a_disowned_threat_costs_the_never_policy():
    s = scores(plain(threat=True), "never", "in_kind")
    assert s["AAA"].audience == pytest.approx(-0.3)  # minister's threat, no transition
    assert s["AAA"].reciprocity == 0.0


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
    # The order and the means, pinned (seed 2, 8 episodes): the best responder first, as it
    # does not spoil resets; letting everything go last.
    assert list(r["policy"]) == ["best_response", "in_kind", "never"]
    assert r["mean"].tolist() == pytest.approx([0.0739652, -0.1882688, -0.4917341], abs=1e-6)
    # Each mean is the mean over episodes of the policy's mean over its seatings, recomputed
    # here from the runs without pandas' pivots.
    for policy, mean in zip(r["policy"], r["mean"], strict=True):
        by_episode: dict[int, list[float]] = {}
        for row in runs.itertuples():
            for seat in ("target", "initiator"):
                if getattr(row, seat) == policy:
                    by_episode.setdefault(row.episode, []).append(getattr(row, f"{seat}_score"))
        assert mean == pytest.approx(sum(sum(v) / len(v) for v in by_episode.values()) / 8)
    # By hand: `never` as the target never answers, so it pays only for the minister's threat
    # it disowns, A = 0.3, half excused while a transition is pending (j = 0.5).
    by_hand = [-(0.3 * (0.5 if ep.transition else 1.0) if ep.threat else 0.0) for ep in episodes]
    assert sum(by_hand) / 8 == pytest.approx(-0.09375)
    never = r.set_index("policy").loc["never"]
    assert never["as_target"] == pytest.approx(sum(by_hand) / 8)
    assert summary.pairwise.shape == (3, 3)
    assert set(summary.conditions.columns) == {f"{c}: {v}" for c in CONDITIONS
                                               for v in ("yes", "no")}
    # the best responder is the one that waits for a reset: it pays no spoiling cost
    br = runs[runs["target"] == "best_response"]
    ik = runs[runs["target"] == "in_kind"]
    assert br["target_spoiling"].sum() > ik["target_spoiling"].sum()


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
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == [".sim-results", "conditions.csv", "episodes.csv", "pairwise.csv",
                     "ranking.csv", "runs.csv", "summary.json", "tournament.png"]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    meta = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert meta["kind"] == "tournament" and meta["runs"] == 2 * 9


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
