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
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Score:
    """A state's payoff over an episode, term by term (units of R)."""

    reciprocity: float = 0.0
    replies: float = 0.0  # negative: the cost of the other side's measures
    spoiling: float = 0.0  # negative
    audience: float = 0.0  # negative

    @property
    def total(self) -> float:
        return self.reciprocity + self.replies + self.spoiling + self.audience


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
