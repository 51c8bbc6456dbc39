"""`qre.respond` solves each distinct run of a batch once (`qre._distinct`): the answers
must be exactly those of the runs solved one by one, whatever repeats."""

from __future__ import annotations

import numpy as np
import pytest

from sim.game import qre
from sim.game.qre import Side, respond


@pytest.fixture(autouse=True)
def _small_batches_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batches here are small: let them be made distinct all the same."""
    monkeypatch.setattr(qre, "_MIN_RUNS", 2)


def _facts(n: int, seed: int) -> dict[str, object]:
    """A batch of n runs drawn from a few states, so that rows repeat."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, 3, size=n)
    owed = np.array([35, 3, 0])[pick]
    return {
        "owed_persons": owed, "owed_facilities": np.array([2, 0, 1])[pick],
        "offences": np.array([1, 2, 1])[pick], "parity": np.array([False, True, False])[pick],
        "their_owed_persons": np.array([0, 4, 0])[pick],
        "their_staff": np.array([400, 300, 50])[pick],
        "my_staff": np.array([300, 300, 60])[pick], "their_sites": np.array([5, 3, 1])[pick],
        "my_sites": np.array([3, 3, 1])[pick], "p_reset": np.array([0.0, 0.4, 0.2])[pick],
        "spoil": np.array([0.0, 1.5, 0.5])[pick], "audience": np.array([0.0, 0.3, 0.0])[pick],
        "me": Side(precision=np.array([np.inf, 4.0, 2.0])[pick],
                   misread=np.array([0.0, 0.1, 0.0])[pick], reply_cost=0.4),
        "them": Side(precision=3.0, misread=np.array([0.1, 0.0, 0.0])[pick]),
    }


def _row(facts: dict[str, object], i: int) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in facts.items():
        if isinstance(value, Side):
            out[key] = Side(**{name: (np.asarray(v)[i:i + 1]
                                      if name in qre._PER_RUN and np.ndim(v) else v)
                               for name, v in vars(value).items()})
        else:
            out[key] = np.asarray(value)[i:i + 1]
    return out


@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("late", [False, True])
def test_a_batch_with_repeats_answers_each_run_as_alone(depth: int, late: bool) -> None:
    facts = _facts(40, seed=depth)
    batch = respond(**facts, depth=depth, late=late)  # type: ignore[arg-type]
    for i in range(40):
        alone = respond(**_row(facts, i), depth=depth, late=late)  # type: ignore[arg-type]
        for name, got, want in zip(batch._fields, batch, alone, strict=True):
            assert np.asarray(got)[i].tobytes() == np.asarray(want)[0].tobytes(), name


def test_rows_that_collide_in_the_hash_are_still_told_apart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    facts = _facts(30, seed=7)
    want = respond(**facts, depth=2)  # type: ignore[arg-type]
    monkeypatch.setattr(qre, "_MIX", np.zeros_like(qre._MIX))  # every row hashes alike
    got = respond(**facts, depth=2)  # type: ignore[arg-type]
    for a, b in zip(got, want, strict=True):
        assert np.asarray(a).tobytes() == np.asarray(b).tobytes()


def test_distinct_keeps_the_first_run_of_each_kind_in_order() -> None:
    facts = _facts(25, seed=3)
    r = respond(**facts, depth=2)  # type: ignore[arg-type]
    assert r.probabilities.shape == (25, len(qre.ACTIONS))
    arrays = [np.asarray(np.broadcast_to(np.asarray(facts[k]), (25,))) for k in (
        "owed_persons", "owed_facilities", "offences", "parity")]
    found = qre._distinct_runs([*arrays, *[np.zeros(25, dtype=np.int64)] * 12,
                                np.ones(25), np.ones(25)], (Side(), Side()))
    assert found is not None
    first, inverse = found
    assert list(first) == sorted(first) and first[0] == 0
    for j, row in enumerate(first):
        assert all(np.asarray(a)[row] == np.asarray(a)[i] for a in arrays
                   for i in np.flatnonzero(inverse == j))


@pytest.mark.parametrize("depth", [2, 3])
def test_children_shared_by_runs_are_solved_once_with_the_same_answers(
        depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # runs that differ only in their belief and spoiling term: distinct decisions, the
    # same children (`qre._child`); the threshold lowered so that the small batch uses it
    facts = _facts(24, seed=5)
    rng = np.random.default_rng(9)
    facts["p_reset"] = rng.uniform(0.0, 0.9, size=24)
    facts["spoil"] = rng.uniform(0.0, 2.0, size=24)
    calls: list[int] = []
    solve = qre._node

    def counted(*args: object) -> qre._Node:
        calls.append(int(np.prod(np.shape(args[1][0]))))  # type: ignore[index]
        return solve(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(qre, "_CHILD_ROWS", 1)
    monkeypatch.setattr(qre, "_node", counted)
    batch = respond(**facts, depth=depth)  # type: ignore[arg-type]
    assert calls[0] == 24 and 0 < calls[1] < 24  # the children: fewer than one per run
    monkeypatch.setattr(qre, "_node", solve)
    for i in range(24):
        alone = respond(**_row(facts, i), depth=depth)  # type: ignore[arg-type]
        for name, got, want in zip(batch._fields, batch, alone, strict=True):
            assert np.asarray(got)[i].tobytes() == np.asarray(want)[0].tobytes(), name
