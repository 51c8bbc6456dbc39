"""Scoring an episode by the payoff rules: what a state's policy earned it, after the fact.

The decision rule weighs *expected* payoffs before acting; a tournament needs the payoffs
a state actually collected over an episode. The same terms of `payoffs.py` are used,
applied to what happened (docs/model.md section 14):

- each reprisal a state takes earns R times the share of the grievance it answers (capped
  at 1: over-answering earns nothing extra), discounted by the days it waited, and less
  the late loss rho if it waited beyond deliberation: R a delta^d (1 - rho [waited]);
- each measure taken against it by the other side's policy costs it the reply cost C
  (`payoffs.reply_cost`: power and dependence) times the measure's size, where size is
  the share of its presence (staff and facilities) the measure removes relative to the
  share the episode's opening move removed: an answer in kind to the opening move costs C,
  a cut to parity many times C;
- its first reprisal while a reset is in prospect spoils it with the expected cost
  p0 S = p0 Delta V (`payoffs.spoiling_cost`), p0 the prior that a reset was coming;
- every threat it disowns (waiting or letting go while a threat stands) costs A(1-j)
  (`payoffs.audience_cost`).

The opening move, a fact of the episode, is not scored: it is the same whatever the
policies. Scores are in units of R.

That is the *ex-ante* score (`episode_score`): its spoiling term is the best responder's own
expected cost p0 S, so a tournament scored by it rewards the best responder by
construction. The tournament scores by **realised** payoffs instead (`realised_score`),
with nature's move drawn (docs/model.md section 14). Every term is in units of R
(`reciprocity_value`), so none is multiplied by it:

    U = sum over its reprisals    a delta^d (1 - rho [waited])
      - sum over measures against it   c_R m
      - sum over threats it disowned   A (1 - j)
      + V [the successor resets] [not spoiled]

with a, d, rho, m, j as above, c_R = c (P_j/P_i)^eta (1 + w d_ij) the reply cost per
opening-sized measure, A the audience cost and V the reset value, all in units of R.
Nature is drawn once per episode from the scenario's prior (`draw_successor`): the
successor is accommodating with probability pi and free with probability kappa; an
accommodating and free successor resets on a day drawn from the hazard lambda after it
takes office (day o + k - 1, k geometric with parameter lambda), or on the window's last
day (o + H - 1, H = `honeymoon_days`: the model's window is open from o to o + H - 1) if
none has come by then, so that p keeps its meaning (a reset within the window; with H = 0
there is no window and no reset). A reprisal taken on or before the reset day destroys the reset
if a uniform draw u is below the spoil share Delta (one draw per episode: a second
reprisal does not spoil twice). Reprisals after the reset leave it intact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from sim.game import payoffs


@dataclass(frozen=True)
class Reprisal:
    """A measure a state took to answer a grievance."""

    persons: int
    facilities: int
    owed_persons: int
    owed_facilities: int
    delay_days: int  # from the oldest unanswered offence to the reprisal
    waited: bool  # it waited at least once before answering
    reset_in_prospect: bool  # a reset by the other side's incoming administration was possible
    day: int | None = None  # day of the decision, from the episode's start (realised scoring)


@dataclass(frozen=True)
class Score:
    """A state's payoff over an episode, term by term (units of R)."""

    reciprocity: float = 0.0
    replies: float = 0.0  # negative: the cost of the other side's measures
    spoiling: float = 0.0  # negative
    audience: float = 0.0  # negative
    reset: float = 0.0  # realised scoring: V if the successor reset and it was not spoiled

    @property
    def total(self) -> float:
        return self.reciprocity + self.replies + self.spoiling + self.audience + self.reset


def answered_share(persons: int, facilities: int, owed_persons: int, owed_facilities: int
                   ) -> float:
    """Share of a grievance a measure answers, counting staff and sites alike, at most 1.

    A grievance with nothing to count (hostile legislation) is answered by any measure.
    """
    owed = owed_persons + owed_facilities
    if owed == 0:
        return 1.0 if persons + facilities > 0 else 0.0
    return min(1.0, (persons + facilities) / owed)


def reprisal_value(r: Reprisal, reciprocity_value: float, daily_discount: float,
                   late_loss: float) -> float:
    """R a delta^d (1 - rho if it waited): what answering was worth."""
    share = answered_share(r.persons, r.facilities, r.owed_persons, r.owed_facilities)
    keep = payoffs.continuation_share(daily_discount, r.delay_days,
                                      late_loss if r.waited else 0.0)
    return float(reciprocity_value * share * keep)


def presence_share(persons: int, facilities: int, staff: int, sites: int) -> float:
    """Mean share of a mission's staff and sites that a measure removes."""
    parts = [persons / staff] if staff > 0 else []
    if sites > 0:
        parts.append(facilities / sites)
    return sum(parts) / len(parts) if parts else 0.0


def measure_size(persons: int, facilities: int, staff: int, sites: int,
                 opening_share: float) -> float:
    """A measure's size relative to the opening move (1 = as large, in mission shares)."""
    if opening_share <= 0:
        raise ValueError("the opening move must remove something")
    return presence_share(persons, facilities, staff, sites) / opening_share


def episode_score(
    reprisals: list[Reprisal],
    sizes_suffered: list[float],
    threats_disowned: list[float],
    *,
    reciprocity_value: float,
    daily_discount: float,
    late_loss: float,
    cost_of_reply: float,
    reset_value: float,
    spoil_share: float,
    p_reset_prior: float,
    excuse_shares: list[float] | None = None,
) -> Score:
    """Add up one state's payoff terms over an episode.

    `threats_disowned` holds the audience cost A of each threat disowned and
    `excuse_shares` the share j excused at the time (0 when no transition was pending).
    """
    excuses = excuse_shares if excuse_shares is not None else [0.0] * len(threats_disowned)
    if len(excuses) != len(threats_disowned):
        raise ValueError("one excuse share per disowned threat")
    reciprocity = sum(reprisal_value(r, reciprocity_value, daily_discount, late_loss)
                      for r in reprisals)
    replies = -sum(cost_of_reply * s for s in sizes_suffered)
    spoiled = any(r.reset_in_prospect for r in reprisals)
    spoiling = -p_reset_prior * float(payoffs.spoiling_cost(reset_value, spoil_share)) \
        if spoiled else 0.0
    audience = -sum(float(payoffs.audience_cost(a, j))
                    for a, j in zip(threats_disowned, excuses, strict=True))
    return Score(float(reciprocity), float(replies), float(spoiling), float(audience))


# --- realised payoffs: nature drawn, the reset realised -----------------------------------


@dataclass(frozen=True)
class Successor:
    """Nature's draw about an incoming administration, for one episode.

    `reset_day` counts days from the episode's start (None: no reset comes); `spoil_draw`
    is a uniform number on [0, 1): a reprisal on or before the reset day spoils the reset
    iff it is below the spoil share Delta.
    """

    accommodating: bool
    free: bool
    reset_day: int | None
    spoil_draw: float


def draw_successor(rng: np.random.Generator, *, prior_accommodating: float, freedom: float,
                   office_day: int, window_days: int, hazard: float) -> Successor:
    """Draw the successor's type and freedom from the prior, and the day of its reset.

    The generator always yields the same four numbers in the same order (type, freedom,
    spoil, delay), whatever they turn out to be, so one seed gives one world: a policy's
    score never depends on what was drawn for a branch it did not reach. The reset of an
    accommodating and free successor comes k - 1 days after it takes office, k geometric
    with the daily hazard lambda, and at the latest on the window's last day, the day
    before a waiting state stops expecting it (the model's p is the chance of a reset
    *within* the window, docs/model.md section 2).
    """
    if not (0.0 <= prior_accommodating <= 1.0 and 0.0 <= freedom <= 1.0 and 0.0 <= hazard <= 1.0):
        raise ValueError("prior, freedom and hazard must be probabilities")
    if window_days < 0:
        raise ValueError("the window cannot be negative")
    u_type, u_free, u_spoil = (float(x) for x in rng.random(3))
    k = int(rng.geometric(hazard)) if hazard > 0 else window_days
    accommodating, free = u_type < prior_accommodating, u_free < freedom
    resets = accommodating and free and window_days > 0
    reset_day = office_day + min(k - 1, window_days - 1) if resets else None
    return Successor(accommodating, free, reset_day, u_spoil)


def reset_outcome(successor: Successor | None, reprisal_days: Sequence[int],
                  spoil_share: float) -> Literal["none", "kept", "spoiled"]:
    """Whether the reset came, and whether a reprisal on or before its day destroyed it.

    A reprisal on the reset day itself counts as before it: measures are the day's first
    business in the model.
    """
    if successor is None or successor.reset_day is None:
        return "none"
    day = successor.reset_day
    if successor.spoil_draw < spoil_share and any(d <= day for d in reprisal_days):
        return "spoiled"
    return "kept"


def realised_score(
    reprisals: list[Reprisal],
    sizes_suffered: list[float],
    threats_disowned: list[float],
    excuse_shares: list[float],
    *,
    daily_discount: float,
    late_loss: float,
    cost_of_reply: float,
    successor: Successor | None,
    reset_value: float,
    spoil_share: float,
) -> Score:
    """One state's realised payoff over an episode, in units of R (the formula above).

    `cost_of_reply` (c_R), `threats_disowned` (A) and `reset_value` (V) are in units of R;
    every reprisal must carry its `day`. `successor` is nature's draw about the other
    side's incoming administration, None when it has none.
    """
    if len(excuse_shares) != len(threats_disowned):
        raise ValueError("one excuse share per disowned threat")
    if any(r.day is None for r in reprisals):
        raise ValueError("realised scoring needs the day of every reprisal")
    reciprocity = sum(reprisal_value(r, 1.0, daily_discount, late_loss) for r in reprisals)
    replies = -sum(cost_of_reply * s for s in sizes_suffered)
    audience = -sum(float(payoffs.audience_cost(a, j))
                    for a, j in zip(threats_disowned, excuse_shares, strict=True))
    days = [int(r.day) for r in reprisals if r.day is not None]
    kept = reset_outcome(successor, days, spoil_share) == "kept"
    return Score(float(reciprocity), float(replies), 0.0, float(audience),
                 float(reset_value) if kept else 0.0)
