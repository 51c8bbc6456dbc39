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
(T = `Terms.days_to_resolution`), with p the belief that a reset is coming, and a menu of
answers k = 0 .. K-1, answer k worth G_k now (before spoiling) and destroying a share
Delta_k of a coming reset worth V:

- answer k today: worth delta^t G_k now, and the reset, if coming, survives with
  1 - Delta_k: delta^t G_k + p (1 - Delta_k) V;
- let go: p V (minus the audience cost on day 0, when a threat stands);
- wait (day t < T): if a reset is coming and the successor is in office, it shows today
  with probability lambda (worth V, and the matter is settled); otherwise a quiet day
  (Bayes: p -> p (1 - lambda) / (1 - p lambda)), then a signal arrives with probability
  sigma, good with probability g1 if a reset is coming and g0 if not; tomorrow the state
  decides again;
- wait on the last day (t = T): the window closes: a reset still coming arrives (V);
  otherwise the banked reprisal is taken late at the best size, worth
  max(max_k delta^T (1 - rho) G_k, 0). The 0 is this module's convention, kept from the
  one-size problem: at the close a state whose best answer is worth less than nothing
  lets the matter go. The exchange game's late decision (`qre`) has no let go and takes
  the best answer even then (as does the daily rule below, which counts a wait at
  (1 - p) phi_t G* whatever its sign); the two differ only where every G_k < 0.

The one-size problem is the menu with the one answer N = R - q C and Delta = the
terms' spoil share: `solve_waiting`, `daily_rule` and `evaluate_daily_rule` call the menu
code with that answer, one source of truth.

Values are in units of R, discounted to the first decision day; the reset value is not
discounted, as in the one-shot game. The audience cost A(1-j) is paid on day 0 only: a
first wait disowns the threat (model.py). Ties go to stopping: answer, then let go; among
answers, to the earlier one (the order of the exchange game's courses, `qre.ACTIONS`).

With no information (lambda = 0 and sigma = 0) the belief never moves, nothing is gained
by waiting except the reset, and the optimal policy equals the daily rule on every day
and every belief: `tests/game/test_waiting.py` checks it.

**Proposition (one spoil share: the menu is its best answer).** If every answer spoils a
coming reset with the same Delta (the exchange game's case: `qre` subtracts one p S from
every answer), then, with G* = max_k G_k and k* its first maximiser, the optimal
policy over the menu is the one-size policy with N = G*: on every day and grid belief
the two have the same value, the menu answers with k* exactly where the one-size problem
retaliates, and waits or lets go exactly where it does. The same holds for the daily rule
and for its value in any world of news. Hence every comparison of the one-size problem
(the daily rule's loss, the thresholds) holds for the full menu with N = G*.

*Proof.* Backward induction on the day. At the close (t = T) the wait value is
p V + (1 - p) max(max_k delta^T (1 - rho) G_k, 0) = p V + (1 - p) max(delta^T (1 - rho) G*, 0),
since delta^T (1 - rho) >= 0; at every day t the best answer is worth
max_k (delta^t G_k + p (1 - Delta) V) = delta^t G* + p (1 - Delta) V, reached at k*
(delta^t > 0), and letting go is p V in both problems. Suppose the two value functions
agree on the grid on day t + 1 (they do at T + 1, where neither is used). The wait value
of day t is the same linear map of the grid values of day t + 1 in both problems
(the same hazard, signals, Bayes' rule and interpolation), so it agrees; the three
values compared on day t (best answer, wait, let go) are the same numbers, the same tie
rule picks the same course, and the values agree on day t. Down to day 0. The daily
rule compares G_k - p Delta V, whose maximum over k is G* - p Delta V at k*, against
(1 - p) phi_t G* - a and -a: the one-size rule's three utilities with N = G*, so the
same course; and a policy evaluation of the same courses with the same values gives the
same values. QED. (In floating point, delta^t G_k + c is non-decreasing in G_k, so the
maximum is the one-size number to the bit; `tests/game/test_waiting_menu.py` checks
actions and values on random menus, with and without news.)

Where spoil shares differ (a token that spoils less than a mirror), the best answer
depends on the belief and the day: answer k's value delta^t G_k - p Delta_k V + p V
favours low Delta_k at high p and, as delta^t shrinks the spread of the G_k, on later
days. Then the menu can be worth more than any one of its answers, and `solve_menu_waiting`
says which answer, where.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.game import payoffs
from sim.game.decision import Choice, expected_utilities
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


@dataclass(frozen=True)
class MenuWaitingPolicy(WaitingPolicy):
    """A policy over (day, belief) with a menu of answers: whether it answers, waits or lets
    go (`action`, `Choice` codes as in `WaitingPolicy`), and which answer (`answer`)."""

    answer: NDArray[np.int64]  # (T + 1, len(grid)): index into `answers` where it answers, else -1
    answers: tuple[float, ...]  # G_k: the value of answering now with answer k, before spoiling
    spoil_shares: tuple[float, ...]  # Delta_k: the share of a coming reset answer k destroys

    @property
    def course(self) -> NDArray[np.int64]:
        """One code per (day, belief), in the order of the exchange game's courses
        (`qre.ACTIONS`): k < K answers with answer k, K waits, K + 1 lets go. With one
        answer these are the `Choice` codes."""
        k = len(self.answers)
        return np.where(self.action == Choice.RETALIATE, self.answer,
                        np.where(self.action == Choice.WAIT, k, k + 1)).astype(np.int64)


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


def _menu(t: Terms, answers: Sequence[float], spoil_shares: Sequence[float] | None
          ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The menu as arrays (G_k, Delta_k), checked: the DP needs at least one answer, a
    finite value for each, and a probability of spoiling for each."""
    g = np.asarray(answers, dtype=np.float64).reshape(-1)
    if g.size == 0:
        raise ValueError("the menu needs at least one answer")
    if not np.all(np.isfinite(g)):
        raise ValueError("every answer needs a finite value")
    shares = [t.spoil_share] * g.size if spoil_shares is None else spoil_shares
    d = np.asarray(shares, dtype=np.float64).reshape(-1)
    if d.size != g.size:
        raise ValueError("spoil_shares needs one share for each answer")
    if not np.all((d >= 0.0) & (d <= 1.0)):
        raise ValueError("every spoil share must be a probability")
    return g, d


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


def _backward(t: Terms, info: Information, g: NDArray[np.float64], d: NDArray[np.float64],
              grid: int, rule: NDArray[np.int64] | None
              ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.float64]]:
    """Value iteration from the close of the window back to day 0 over the menu (G_k,
    Delta_k); with `rule` (course codes, see `MenuWaitingPolicy.course`), policy
    evaluation of that fixed policy instead of maximisation. Returns (grid, courses,
    day-0 values).

    One code path for one size and for many: with one answer every array below has one
    row, the max over the menu is that row, and the arithmetic is the one-size problem's,
    operation for operation (so `solve_waiting` gives the same bits as before the menu)."""
    if grid < 2:
        raise ValueError("the belief grid needs at least two points")
    p = np.linspace(0.0, 1.0, grid)
    days = _window_days(t)
    k = g.size
    v = t.reset_value
    # the close of the window takes the best answer late: max_k delta^T (1 - rho) G_k is
    # delta^T (1 - rho) max_k G_k, since the factor is not negative
    late = float(t.daily_discount) ** days * (1 - t.late_loss) * float(g.max())
    keep = (1 - d)[:, None]  # the share of a coming reset each answer leaves standing
    course = np.empty((days + 1, grid), dtype=np.int64)
    nxt = np.zeros(grid)
    for day in range(days, -1, -1):
        if day == days:
            wait = p * v + (1 - p) * max(late, 0.0)
        else:
            hazard = info.hazard if day >= info.office_day else 0.0
            shows, outcomes = _beliefs_after_a_day(p, hazard, info)
            wait = shows * v + sum(w * np.interp(q, p, nxt) for w, q in outcomes)
        discount = float(t.daily_discount) ** day
        answer = discount * g[:, None] + p * keep * v  # (K, grid): each answer now
        let_go = p * v
        if day == 0:
            wait, let_go = wait - t.audience, let_go - t.audience
        if rule is None:
            best = np.argmax(answer, axis=0)  # the best answer: ties to the earlier
            choice = _pick(answer[best, np.arange(grid)], wait, let_go)
            chosen = np.where(choice == Choice.RETALIATE, best,
                              np.where(choice == Choice.WAIT, k, k + 1))
        else:
            chosen = rule[day]
        course[day] = chosen
        values = np.vstack([answer, wait[None], let_go[None]])
        nxt = np.take_along_axis(values, chosen[None], axis=0)[0]
    return p, course, nxt


def _policy(t: Terms, g: NDArray[np.float64], d: NDArray[np.float64], p: NDArray[np.float64],
            course: NDArray[np.int64], value0: NDArray[np.float64]) -> MenuWaitingPolicy:
    k = g.size
    action = np.where(course < k, Choice.RETALIATE,
                      np.where(course == k, Choice.WAIT, Choice.LET_GO)).astype(np.int8)
    answer = np.where(course < k, course, -1).astype(np.int64)
    return MenuWaitingPolicy(p, action, value0, t.reset_value, answer,
                             tuple(float(x) for x in g), tuple(float(x) for x in d))


def _one_size(t: Terms) -> list[float]:
    """The one-size menu: N = R - q C (`payoffs.net_retaliation_value`)."""
    return [float(payoffs.net_retaliation_value(t.reciprocity_value, t.reply_probability,
                                                t.cost_of_reply))]


def solve_menu_waiting(t: Terms, info: Information, answers: Sequence[float],
                       spoil_shares: Sequence[float] | None = None,
                       grid: int = 1001) -> MenuWaitingPolicy:
    """The optimal waiting policy over a menu of answers, by value iteration over `grid`
    beliefs and the window.

    `answers` are the values G_k of answering now (in units of R, before the spoiling
    term: the exchange game's utility of answer k plus p S); `spoil_shares` the share
    Delta_k of a coming reset that answer k destroys (default: `t.spoil_share` for every
    answer, as the exchange game has it). The reset value, discount, window, late loss
    and audience cost are `t`'s; its R, q and C are not used (the menu replaces N).
    """
    g, d = _menu(t, answers, spoil_shares)
    p, course, value0 = _backward(t, info, g, d, grid, None)
    return _policy(t, g, d, p, course, value0)


def menu_daily_rule(t: Terms, answers: Sequence[float],
                    spoil_shares: Sequence[float] | None = None,
                    grid: int = 1001) -> NDArray[np.int64]:
    """What the daily agent does over the menu on each day and belief, as course codes
    (`MenuWaitingPolicy.course`: k < K answers with answer k, K waits, K + 1 lets go).

    Each day it re-solves the one-shot exchange game as the day does at infinite
    precision: the argmax, ties to the earlier course, of

        answer k:  G_k - p Delta_k V
        wait:      (1 - p) phi_t max_k G_k - a     (the best answer late, worth phi_t)
        let go:    -a

    with phi_t = delta^(T-t) (1 - rho) and a = A(1-j) on day 0 only (a first wait
    disowns the threat), exactly as `daily_rule` does for one size."""
    g, d = _menu(t, answers, spoil_shares)
    return _menu_rule(t, g, d, grid)


def _menu_rule(t: Terms, g: NDArray[np.float64], d: NDArray[np.float64],
               grid: int) -> NDArray[np.int64]:
    p = np.linspace(0.0, 1.0, grid)
    days = _window_days(t)
    s = np.asarray(payoffs.spoiling_cost(t.reset_value, d))[:, None]  # S_k = Delta_k V
    best = g.max()
    out = np.empty((days + 1, grid), dtype=np.int64)
    for day in range(days + 1):
        phi = payoffs.continuation_share(t.daily_discount, days - day, t.late_loss)
        a = t.audience if day == 0 else 0.0
        _, eu_wait, eu_let_go = expected_utilities(p, best, 0.0, phi, a)
        eu = np.vstack([g[:, None] - p * s, np.broadcast_to(eu_wait, p.shape)[None],
                        np.broadcast_to(eu_let_go, p.shape)[None]])
        out[day] = np.argmax(eu, axis=0)  # ties to the earlier course, as `choose`
    return out


def evaluate_menu_daily_rule(t: Terms, info: Information, answers: Sequence[float],
                             spoil_shares: Sequence[float] | None = None,
                             grid: int = 1001) -> MenuWaitingPolicy:
    """The menu daily rule's courses and what they are worth in the world of `info`
    (policy evaluation on the same grid as `solve_menu_waiting`)."""
    g, d = _menu(t, answers, spoil_shares)
    p, course, value0 = _backward(t, info, g, d, grid, _menu_rule(t, g, d, grid))
    return _policy(t, g, d, p, course, value0)


def solve_waiting(t: Terms, info: Information, grid: int = 1001) -> WaitingPolicy:
    """The optimal waiting policy by value iteration over `grid` beliefs and the window:
    the menu problem with the one answer N = R - q C."""
    policy = solve_menu_waiting(t, info, _one_size(t), None, grid)
    return WaitingPolicy(policy.grid, policy.action, policy.value0, policy.reset_value)


def daily_rule(t: Terms, grid: int = 1001) -> NDArray[np.int8]:
    """What the daily agent does on each day and belief: the one-shot game re-solved with
    that day's window (phi = delta^(T-t) (1 - rho)) and the threat cost on day 0 only.
    With one answer the course codes are the `Choice` codes (retaliate, wait, let go)."""
    return menu_daily_rule(t, _one_size(t), None, grid).astype(np.int8)


def evaluate_daily_rule(t: Terms, info: Information, grid: int = 1001) -> WaitingPolicy:
    """The daily rule's actions and what they are worth in the world of `info`."""
    policy = evaluate_menu_daily_rule(t, info, _one_size(t), None, grid)
    return WaitingPolicy(policy.grid, policy.action, policy.value0, policy.reset_value)
