"""The many-day waiting problem, solved by dynamic programming over a grid of beliefs.

The daily agent re-solves the one-shot game every day with the belief and the window it
has that day (`decision.assess`). That rule ignores one thing: that by waiting it will
*learn*. News arrives during the window (signals, and each quiet day in office that makes
a reset less likely), and a state that waits can still retaliate tomorrow if the news is
bad. The value of that option is the value of information. This module computes the
optimal policy that counts it, by value iteration backwards over the days of the window,
and evaluates the daily rule in the same world, so the two can be compared
(docs/model.md section 13).

The world, on day t = 0 .. T of a window that closes T days after the first decision
(T = `Terms.days_to_resolution`), with p the belief that a reset is coming:

- retaliate today: worth delta^t N now, and the reset, if coming, survives with 1 - Delta:
  delta^t N + p (1 - Delta) V;
- let go: p V (minus the audience cost on day 0, when a threat stands);
- wait (day t < T): if a reset is coming and the successor is in office, it shows today
  with probability lambda (worth V, and the matter is settled); otherwise a quiet day
  (Bayes: p -> p (1 - lambda) / (1 - p lambda)), then a signal arrives with probability
  sigma, good with probability g1 if a reset is coming and g0 if not; tomorrow the state
  decides again;
- wait on the last day (t = T): the window closes: a reset still coming arrives (V);
  otherwise the banked reprisal is taken late, worth max(delta^T (1 - rho) N, 0).

Values are in units of R, discounted to the first decision day; the reset value is not
discounted, as in the one-shot game. The audience cost A(1-j) is paid on day 0 only: a
first wait disowns the threat (model.py). Ties go to stopping: retaliate, then let go.

With no information (lambda = 0 and sigma = 0) the belief never moves, nothing is gained
by waiting except the reset, and the optimal policy equals the daily rule on every day
and every belief: `tests/game/test_waiting.py` checks it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.game import payoffs
from sim.game.decision import Choice, choose, expected_utilities
from sim.game.transition_game import Terms

TIE = 1e-12


@dataclass(frozen=True)
class Information:
    """What a waiting state may learn each day of the window."""

    hazard: float = 0.0  # lambda: daily chance that a coming reset shows itself
    signal_rate: float = 0.0  # sigma: daily chance that a signal arrives
    good_if_reset: float = 0.5  # P(good signal | a reset is coming)
    good_if_not: float = 0.5  # P(good signal | no reset)
    office_day: int = 0  # first day the successor is in office (the hazard applies from then)

    def __post_init__(self) -> None:
        for name in ("hazard", "signal_rate", "good_if_reset", "good_if_not"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability")
        if self.office_day < 0:
            raise ValueError("office_day must be zero or positive")


@dataclass(frozen=True)
class WaitingPolicy:
    """A policy over (day, belief): the action on every grid point, and its value on day 0."""

    grid: NDArray[np.float64]  # beliefs p, from 0 to 1
    action: NDArray[np.int8]  # (T + 1, len(grid)) Choice codes, day 0 first
    value0: NDArray[np.float64]  # value on day 0 (absolute, units of R)
    reset_value: float

    @property
    def days(self) -> int:
        """T: the number of days from the first decision to the close of the window."""
        return int(self.action.shape[0]) - 1

    def waits(self, day: int) -> NDArray[np.bool_]:
        return np.asarray(self.action[day] == Choice.WAIT, dtype=np.bool_)

    def threshold(self, day: int) -> float:
        """The lowest belief on the grid at which the policy waits on `day` (+inf: never)."""
        waiting = self.grid[self.waits(day)]
        return float(waiting.min()) if len(waiting) else float("inf")

    def thresholds(self) -> NDArray[np.float64]:
        return np.array([self.threshold(d) for d in range(self.days + 1)])

    @property
    def relative_value0(self) -> NDArray[np.float64]:
        """Day-0 value less the baseline p V: comparable with decision's EU terms."""
        return self.value0 - self.grid * self.reset_value


def _beliefs_after_a_day(p: NDArray[np.float64], hazard: float, info: Information
                         ) -> tuple[NDArray[np.float64], list[tuple[NDArray[np.float64],
                                                                    NDArray[np.float64]]]]:
    """P(reset shows today), and (probability, belief tomorrow) for each quiet-day outcome."""
    shows = p * hazard
    quiet = p * (1 - hazard) / np.maximum(1 - shows, 1e-300)
    g1, g0 = info.good_if_reset, info.good_if_not
    p_good = quiet * g1 + (1 - quiet) * g0
    with np.errstate(divide="ignore", invalid="ignore"):
        after_good = np.where(p_good > 0, quiet * g1 / p_good, quiet)
        after_bad = np.where(p_good < 1, quiet * (1 - g1) / (1 - p_good), quiet)
    sigma = info.signal_rate
    outcomes = [((1 - shows) * (1 - sigma), quiet),
                ((1 - shows) * sigma * p_good, after_good),
                ((1 - shows) * sigma * (1 - p_good), after_bad)]
    return shows, outcomes


def _stop_values(p: NDArray[np.float64], day: int, t: Terms, n: float
                 ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    discount = float(t.daily_discount) ** day
    retaliate = discount * n + p * (1 - t.spoil_share) * t.reset_value
    let_go = p * t.reset_value
    return retaliate, let_go


def _pick(retaliate: NDArray[np.float64], wait: NDArray[np.float64],
          let_go: NDArray[np.float64]) -> NDArray[np.int8]:
    """Ties go to stopping: retaliate, then let go, and wait only when strictly better."""
    out = np.full(retaliate.shape, Choice.WAIT, dtype=np.int8)
    scale = TIE * np.maximum(1.0, np.abs(wait))
    out[let_go >= wait - scale] = Choice.LET_GO
    out[(retaliate >= wait - scale) & (retaliate >= let_go - scale)] = Choice.RETALIATE
    return out


def _window_days(t: Terms) -> int:
    days = round(t.days_to_resolution)
    if days < 0 or days != t.days_to_resolution:
        raise ValueError("days_to_resolution must be a whole number of days, zero or more")
    return days


def _backward(t: Terms, info: Information, grid: int,
              rule: NDArray[np.int8] | None) -> WaitingPolicy:
    """Value iteration from the close of the window back to day 0; with `rule`, policy
    evaluation of that fixed policy instead of maximisation."""
    if grid < 2:
        raise ValueError("the belief grid needs at least two points")
    p = np.linspace(0.0, 1.0, grid)
    days = _window_days(t)
    n = float(payoffs.net_retaliation_value(t.reciprocity_value, t.reply_probability,
                                            t.cost_of_reply))
    v, late = t.reset_value, float(t.daily_discount) ** days * (1 - t.late_loss) * n
    action = np.empty((days + 1, grid), dtype=np.int8)
    nxt = np.zeros(grid)
    for day in range(days, -1, -1):
        if day == days:
            wait = p * v + (1 - p) * max(late, 0.0)
        else:
            hazard = info.hazard if day >= info.office_day else 0.0
            shows, outcomes = _beliefs_after_a_day(p, hazard, info)
            wait = shows * v + sum(w * np.interp(q, p, nxt) for w, q in outcomes)
        retaliate, let_go = _stop_values(p, day, t, n)
        if day == 0:
            wait, let_go = wait - t.audience, let_go - t.audience
        chosen = _pick(retaliate, wait, let_go) if rule is None else rule[day]
        action[day] = chosen
        nxt = np.choose(chosen, [retaliate, wait, let_go])
    return WaitingPolicy(p, action, nxt, v)


def solve_waiting(t: Terms, info: Information, grid: int = 1001) -> WaitingPolicy:
    """The optimal waiting policy by value iteration over `grid` beliefs and the window."""
    return _backward(t, info, grid, None)


def daily_rule(t: Terms, grid: int = 1001) -> NDArray[np.int8]:
    """What the daily agent does on each day and belief: the one-shot game re-solved with
    that day's window (phi = delta^(T-t) (1 - rho)) and the threat cost on day 0 only."""
    p = np.linspace(0.0, 1.0, grid)
    days = _window_days(t)
    n = payoffs.net_retaliation_value(t.reciprocity_value, t.reply_probability, t.cost_of_reply)
    s = payoffs.spoiling_cost(t.reset_value, t.spoil_share)
    out = np.empty((days + 1, grid), dtype=np.int8)
    for day in range(days + 1):
        phi = payoffs.continuation_share(t.daily_discount, days - day, t.late_loss)
        a = t.audience if day == 0 else 0.0
        out[day] = choose(*expected_utilities(p, n, s, phi, a))
    return out


def evaluate_daily_rule(t: Terms, info: Information, grid: int = 1001) -> WaitingPolicy:
    """The daily rule's actions and what they are worth in the world of `info`."""
    return _backward(t, info, grid, daily_rule(t, grid))
