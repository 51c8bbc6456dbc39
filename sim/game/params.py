"""Behaviour parameters of a state, with their defaults: the one place they are set.

Every number that shapes *how* a state behaves (as opposed to the facts of an episode,
which live in scenario files) is a field of `Behaviour`. A scenario may override any
field for all states (top-level `behaviour:`) or for one state (`states.X.behaviour:`).
`docs/model.md` explains each term in the equations; the metadata of each field carries
its meaning, plausible range and source so that documentation and validation read it
from here rather than repeat it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any


def _param(default: float | int, doc: str, lo: float, hi: float, source: str) -> Any:
    return field(default=default, metadata={"doc": doc, "range": (lo, hi), "source": source})


SKETCH = "episodes.md model sketch (plausible ranges)"


@dataclass(frozen=True)
class Behaviour:
    """How a state weighs retaliation. Utilities are in units of `reciprocity_value`."""

    reciprocity_value: float = _param(
        1.0, "R: value of answering a grievance in full (the unit of utility)", 0.0, 10.0,
        "normalisation",
    )
    reply_cost: float = _param(
        0.3, "c: expected cost of the counterpart's reply, between equals, in units of R",
        0.0, 5.0, "assumption; Snyder & Borghard (2011) on the costs of escalation",
    )
    power_elasticity: float = _param(
        0.5, "eta: how the reply cost grows with the counterpart's relative power", 0.0, 2.0,
        "assumption",
    )
    dependence_weight: float = _param(
        2.0, "w: how the reply cost grows with dependence on the counterpart", 0.0, 10.0,
        "assumption",
    )
    reset_value: float = _param(
        5.0, "V: value of a reset with an incoming administration, in units of R", 0.0, 20.0,
        SKETCH + " (S/R 2-10 during a transition)",
    )
    spoil_share: float = _param(
        0.8, "Delta: share of the reset chance that retaliating now destroys", 0.0, 1.0,
        "assumption",
    )
    audience_cost_spokesman: float = _param(
        0.1, "A for disowning a spokesman's announced threat, in units of R", 0.0, 2.0,
        SKETCH + " (A/R 0-0.5 below the leader); Fearon (1994)",
    )
    audience_cost_minister: float = _param(
        0.3, "A for disowning a minister's announced threat, in units of R", 0.0, 2.0,
        SKETCH + " (A/R 0-0.5 below the leader); Fearon (1994)",
    )
    audience_cost_leader: float = _param(
        1.0, "A for disowning the leader's own announced threat, in units of R", 0.0, 5.0,
        SKETCH + " (A/R about 1 for the leader); Fearon (1994)",
    )
    excuse_share: float = _param(
        0.5, "j: share of the audience cost excused while a transition is pending", 0.0, 1.0,
        "Levendusky & Horowitz (2012): backing down is cheaper with new information",
    )
    daily_discount: float = _param(
        0.999, "delta: daily discount factor", 0.99, 1.0, SKETCH + " (0.999-0.9999)",
    )
    late_loss: float = _param(
        0.1, "rho: share of a reprisal's value lost by answering late", 0.0, 1.0,
        SKETCH + " (0-0.3)",
    )
    honeymoon_days: int = _param(
        365, "days after taking office during which a reset is still expected", 0, 2000,
        "assumption; Wolford (2007) on leadership turnover",
    )
    reset_hazard: float = _param(
        0.003, "lambda: daily chance that a free, accommodating administration in office "
        "shows a reset; each day without one is weak evidence against", 0.0, 0.1,
        "assumption",
    )
    reassured_share: float = _param(
        0.75, "share of an in-kind answer given to an initiator that said it wants channels "
        "kept open", 0.0, 1.0,
        "stylised fact: smaller responses are used to keep channels open (episodes.md)",
    )
    wave_initiators: int = _param(
        3, "initiators within the wave window that make a wave (answers are then batched)",
        2, 50, "assumption; the 2018 wave was answered in one batch (episodes.md)",
    )
    wave_window_days: int = _param(
        7, "days within which offences from several initiators count as one wave", 1, 60,
        "assumption",
    )
    wave_quiet_days: int = _param(
        3, "days without a new offence after which a wave is answered", 0, 60,
        "assumption; 2018: wave on 26-27 Mar, answers on 29-30 Mar (episodes.md)",
    )
    war_quiet_days: int = _param(
        10, "the same, for a state at war, which batches every answer", 0, 120,
        "fitted by `python -m sim calibrate` on the episode library (docs/model.md)",
    )
    deliberation_days: int = _param(
        1, "days between a grievance and the first decision on it", 0, 30,
        "stylised fact: median delay 2 days, 70% within 3 (episodes.md)",
    )
    cap_deadline_days: int = _param(
        30, "days a cap to parity gives the other side to withdraw staff", 0, 120,
        "Russian MFA parity demands: by 1 Sep in 2017 (35 days), one month in 2018",
    )
    perception_noise: float = _param(
        0.0, "epsilon: chance that a signal (likelihoods swapped) or an answer (taken for a "
        "fresh offence) is misread", 0.0, 0.5,
        "Signorino (1996); " + SKETCH + " (0.05-0.1)",
    )

    def updated(self, overrides: dict[str, float | int]) -> Behaviour:
        """Return a copy with some fields replaced (scenario or command-line overrides)."""
        return replace(self, **overrides)


DEFAULTS = Behaviour()

# Who can announce a threat, from the least to the most binding: the order in which a
# standing threat is replaced by a higher one, and the audience_cost_* field of each.
THREAT_LEVELS: tuple[str, ...] = ("spokesman", "minister", "leader")


def threat_rank(level: str | None) -> int:
    """0 for no threat, then 1, 2, 3 from spokesman to leader."""
    return 0 if level is None else THREAT_LEVELS.index(level) + 1


def threat_costs(b: Behaviour) -> tuple[float, ...]:
    """Audience cost by rank (`threat_rank`): none, spokesman, minister, leader."""
    return (0.0, *(getattr(b, f"audience_cost_{level}") for level in THREAT_LEVELS))


def parameter_names() -> tuple[str, ...]:
    """Names of every behaviour parameter, in declaration order."""
    return tuple(f.name for f in fields(Behaviour))


def parameter_table() -> list[dict[str, Any]]:
    """Name, default, meaning, range and source of every parameter (for docs and checks)."""
    return [
        {
            "name": f.name,
            "default": getattr(DEFAULTS, f.name),
            "doc": f.metadata["doc"],
            "range": f.metadata["range"],
            "source": f.metadata["source"],
        }
        for f in fields(Behaviour)
    ]
