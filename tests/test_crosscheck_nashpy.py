"""An independent cross-check of the solved game with nashpy (a test dependency).

The same two-player game (target against the other side, whose accommodating and free
successor may reset) is written here a second time, directly as a normal form from the
payoff terms, without the tree code. nashpy's vertex enumeration then lists its Nash
equilibria (vertex enumeration, not support enumeration, which misses equilibria in
degenerate games like this one, where the successor is indifferent off the path).

Nash equilibrium alone is too weak here: the other side can "threaten" never to reset
after a wait, which makes retaliation a best reply at any belief. Such threats are not
credible; backward induction rules them out. The normal-form counterpart of that
refinement is to drop the successor's weakly dominated plans. The checks:

1. the normal form equals the strategic form of our tree (`extensive.strategic_form`);
2. the tree's equilibrium (target action, successor resets whenever it can) is among
   nashpy's equilibria;
3. every nashpy equilibrium in which the successor plays no weakly dominated plan has the
   target play the tree's action, on both sides of p*;
4. the non-credible equilibria exist above p* (why the refinement is needed);
5. bisecting on the belief with nashpy's refined equilibria finds the threshold p* of
   `decision.wait_threshold` (to nashpy's tolerance, a band narrower than 1e-4).
"""

from __future__ import annotations

import itertools

import nashpy as nash  # a test dependency (pyproject [test])
import numpy as np
import pytest

from sim.game import beliefs
from sim.game.decision import wait_threshold
from sim.game.extensive import strategic_form
from sim.game.transition_game import Terms, build, solve_game

TARGET = ("retaliate", "wait", "let go")
# the successor's plan: reset or not after each move of the target it can observe
AFTER = ("let go", "retaliate", "wait")  # sorted, as extensive.pure_strategies orders them
PLANS = list(itertools.product((True, False), repeat=3))

CASES = {
    "2016 first decision": Terms(1.0, 1.0, 0.63, 5.0, 0.8, 0.999, 386, 0.1, 0.3, 0.5),
    "leader's threat, short window": Terms(1.0, 1.0, 0.3, 5.0, 0.8, 0.99, 60, 0.3, 1.0, 0.5),
    "cheap reset, no threat": Terms(1.0, 0.5, 0.6, 1.5, 0.9, 0.999, 200, 0.1, 0.0, 0.5),
    "costly reprisal": Terms(1.0, 1.0, 0.9, 10.0, 0.2, 0.995, 120, 0.2, 0.3, 0.0),
}


def closed(t: Terms) -> tuple[float, float, float, float]:
    n = t.reciprocity_value - t.reply_probability * t.cost_of_reply
    return n, t.reset_value * t.spoil_share, t.continuation, t.audience


def normal_form(p: float, free: float, t: Terms) -> tuple[np.ndarray, np.ndarray]:
    """Ex-ante payoffs of (target action, successor plan), written from the terms alone.

    With probability p (accommodating and free) the successor can reset: after a reprisal
    only if it did not spoil the reset (1 - Delta). Without a reset, a wait ends in the
    banked reprisal at phi of its value.
    """
    r, q, c, v, delta = (t.reciprocity_value, t.reply_probability, t.cost_of_reply,
                         t.reset_value, t.spoil_share)
    phi, a = t.continuation, t.audience
    n = r - q * c
    a_mat = np.empty((3, len(PLANS)))
    b_mat = np.empty_like(a_mat)
    for j, plan in enumerate(PLANS):
        reset = dict(zip(AFTER, plan, strict=True))
        ret = p * (1 - delta) * reset["retaliate"]
        wait = p * reset["wait"]
        go = p * reset["let go"]
        a_mat[:, j] = [n + ret * v, wait * v + (1 - wait) * phi * n - a, go * v - a]
        b_mat[:, j] = [ret * v, wait * v, go * v]
    return a_mat, b_mat


def equilibria(a_mat: np.ndarray, b_mat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    # shifting payoffs does not change equilibria; nashpy's polytopes need them positive
    game = nash.Game(a_mat - a_mat.min() + 1.0, b_mat - b_mat.min() + 1.0)
    return [(np.asarray(x), np.asarray(y)) for x, y in game.vertex_enumeration()]


def undominated(b_mat: np.ndarray) -> np.ndarray:
    """Columns not weakly dominated by another column (the successor's credible plans)."""
    keep = np.ones(b_mat.shape[1], dtype=bool)
    for j, k in itertools.permutations(range(b_mat.shape[1]), 2):
        if np.all(b_mat[:, k] >= b_mat[:, j]) and np.any(b_mat[:, k] > b_mat[:, j] + 1e-12):
            keep[j] = False
    return keep


def refined_actions(p: float, t: Terms, free: float = 0.8) -> set[str]:
    a_mat, b_mat = normal_form(p, free, t)
    credible = undominated(b_mat)
    found = set()
    for x, y in equilibria(a_mat, b_mat):
        if np.all(y[~credible] < 1e-9):
            assert np.max(x) > 1 - 1e-9, "the target mixes in a refined equilibrium"
            found.add(TARGET[int(np.argmax(x))])
    return found


def p_star(t: Terms) -> float:
    return float(wait_threshold(*closed(t)))


def sides(t: Terms) -> list[float]:
    s = p_star(t)
    return [x for x in (0.5 * s, 0.97 * s, 1.03 * s, min(0.99, 2 * s)) if 0 < x < 0.8]


@pytest.mark.parametrize("name", CASES)
def test_normal_form_is_the_strategic_form_of_the_tree(name):
    t = CASES[name]
    p, free = 0.3, 0.8
    rows, cols, a_tree, b_tree = strategic_form(build(beliefs.prior(p / free, free), t))
    assert [r["target"] for r in rows] == list(TARGET)
    assert [tuple(c[f"successor after {m}"] == "reset" for m in AFTER) for c in cols] == PLANS
    a_mat, b_mat = normal_form(p, free, t)
    np.testing.assert_allclose(a_tree, a_mat, atol=1e-12)
    np.testing.assert_allclose(b_tree, b_mat, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_nashpy_finds_the_backward_induction_equilibrium(name):
    t = CASES[name]
    checked = 0
    for p in sides(t):
        free = 0.8
        eq = solve_game(beliefs.prior(p / free, free), t)
        a_mat, b_mat = normal_form(p, free, t)
        spe = (TARGET.index(eq.action), PLANS.index((True, True, True)))
        pure = [(int(np.argmax(x)), int(np.argmax(y))) for x, y in equilibria(a_mat, b_mat)
                if max(x) > 1 - 1e-9 and max(y) > 1 - 1e-9]
        assert spe in pure
        assert refined_actions(p, t) == {eq.action}
        checked += 1
    assert checked >= 3


def test_both_sides_of_p_star_are_covered():
    seen = set()
    for t in CASES.values():
        for p in sides(t):
            seen |= refined_actions(p, t)
    assert {"retaliate", "wait"} <= seen


def test_unrefined_nash_equilibria_include_non_credible_threats():
    t = CASES["2016 first decision"]
    p = 2 * p_star(t)  # waiting is optimal
    a_mat, b_mat = normal_form(p, 0.8, t)
    never_after_wait = {j for j, plan in enumerate(PLANS) if not plan[AFTER.index("wait")]}
    threats = [(x, y) for x, y in equilibria(a_mat, b_mat)
               if np.argmax(x) == TARGET.index("retaliate") and max(x) > 1 - 1e-9
               and set(np.flatnonzero(y > 1e-9)) <= never_after_wait]
    assert threats, "nashpy should find retaliation propped up by a threat not to reset"


def edge(t: Terms, only: str, lo: float, hi: float, steps: int = 20) -> float:
    """Bisect for where nashpy's refined equilibria stop (start) being `only` retaliation
    (waiting): the last belief with {only} on the side of `lo`."""
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        if refined_actions(mid, t) == {only}:
            lo = mid
        else:
            hi = mid
    return lo


@pytest.mark.parametrize("name", ["2016 first decision", "leader's threat, short window"])
def test_the_threshold_from_nashpy(name):
    """nashpy labels a vertex with np.isclose (relative 1e-5), so within a narrow band
    around p* it reports both actions as equilibria; p* must lie in that band."""
    t = CASES[name]
    lo, hi = 1e-6, 0.79
    assert refined_actions(lo, t) == {"retaliate"} and refined_actions(hi, t) == {"wait"}
    last_retaliate = edge(t, "retaliate", lo, hi)
    first_wait = edge(t, "wait", hi, lo)
    assert last_retaliate <= p_star(t) <= first_wait
    assert first_wait - last_retaliate < 1e-4
