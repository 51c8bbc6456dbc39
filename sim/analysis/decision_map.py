"""Trace a scenario once, then map the target's first response over prior and audience cost.

The pure replay lives in `sim.game.decision_regions`; this module supplies what it needs from
one run of the Mesa model. The traced run gives the successor a prior so close to
certainty of a reset (1 - 1e-6 for type and freedom) that the target waits for as long as
any prior would; on each of its decision days we record the belief it held (the evidence
so far, as a likelihood relative to that prior), the payoff terms of its assessment, and
what retaliating that day would have been (in kind, parity). The trace stops on the day
the traced target acts, by which day every lower prior has acted too (docs/model.md
section 15).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.engine.mesa import RetaliationModel
from sim.game import beliefs, payoffs
from sim.game.decision import Choice, wait_threshold
from sim.game.decision_regions import DecisionDays, DecisionMap, Outcome, decision_map
from sim.game.params import threat_rank
from sim.rules.sizing import Basis
from sim.scenario import LoadedScenario, ScenarioError
from sim.scenario.schema import Expel, TypePrior

NEAR_CERTAIN = 1.0 - 1e-6


@dataclass(frozen=True)
class Trace:
    actor: str
    counterpart: str
    dates: list[str]
    days: DecisionDays
    prior_accommodating: float  # the scenario's own prior: the point to mark
    freedom: float
    threat_level: str | None  # the threat standing at the first decision
    threat_cost: float  # its audience cost A in the scenario


def _fail(loaded: LoadedScenario, field: str, message: str) -> ScenarioError:
    return ScenarioError(message, file=loaded.origin.file, field=field)


def trace(loaded: LoadedScenario, seed: int | None = None) -> Trace:
    """Run the scenario once with the traced prior and record every decision day."""
    spec = loaded.spec
    opening = next((ev for ev in spec.events if isinstance(ev, Expel)), None)
    if opening is None:
        raise _fail(loaded, "events", "a decision map needs an expulsion to respond to")
    actor, counterpart = opening.target, opening.actor
    admins = spec.states[counterpart].administrations
    with_prior = {k: a for k, a in admins.items() if a.prior is not None}
    if not with_prior:
        raise _fail(loaded, f"states.{counterpart}.administrations",
                    f"no administration with a prior, so {actor}'s belief has nothing to "
                    "act on")
    first_key = min(with_prior, key=lambda k: with_prior[k].start)
    scenario_prior = with_prior[first_key].prior
    assert scenario_prior is not None
    traced = {k: a.model_copy(update={"prior": TypePrior(accommodating=NEAR_CERTAIN,
                                                            hawkish=1 - NEAR_CERTAIN),
                                      "freedom": NEAR_CERTAIN}) if k in with_prior else a
              for k, a in admins.items()}
    states = dict(spec.states)
    states[counterpart] = states[counterpart].model_copy(update={"administrations": traced})
    model = RetaliationModel(spec.model_copy(update={"states": states}), seed=seed)
    agent = model.state_of(actor)
    if not agent.policy.uses_beliefs:
        raise _fail(loaded, f"states.{actor}.policy",
                    f"{agent.policy.name} does not weigh beliefs; its first response does "
                    "not depend on the prior (use best_response)")
    behaviour = agent.behaviour
    reference = beliefs.prior(NEAR_CERTAIN, NEAR_CERTAIN)
    rows: list[tuple] = []
    dates: list[str] = []
    excuse0 = 0.0
    while model.running:
        upcoming = spec.start + dt.timedelta(days=model.steps)
        prospect = model.prospect(actor, counterpart, upcoming)
        ledger = agent.ledger(counterpart)
        held = ledger.beliefs.get(prospect.key) if prospect else None
        model.step()
        decision = next((d for d in agent.decisions if d.counterpart == counterpart), None)
        if decision is None:
            continue
        ev = ledger.evaluation
        assert ev is not None and ev.assessment is not None
        a = ev.assessment
        likelihood = (np.asarray(held) / reference if held is not None
                      else np.array([0.0, 1.0, 1.0, 1.0]))
        if not dates:
            excuse0 = behaviour.excuse_share if prospect else 0.0
        if ev.measure.empty:
            acting = Outcome.LETS_GO
        else:
            acting = {Basis.IN_KIND: Outcome.IN_KIND, Basis.PARITY: Outcome.PARITY}.get(
                ev.measure.basis, Outcome.OTHER)
        rows.append((likelihood / likelihood.max(), float(a.net_value), float(a.spoil),
                     float(a.continuation), float(a.audience), int(acting), ev.measure.empty))
        dates.append(model.today.isoformat())
        if decision.choice != Choice.WAIT:
            break
    if not rows:
        raise _fail(loaded, "end", f"{actor} never weighs its grievance against "
                    f"{counterpart} before the scenario ends")
    level = _standing_threat(model, actor, counterpart, dates[0])
    lk, n, s, phi, aud, outcomes, empty = zip(*rows, strict=True)
    days = DecisionDays(
        likelihood=np.array(lk), net_value=np.array(n), spoil=np.array(s),
        continuation=np.array(phi), audience=np.array(aud),
        outcome_if_acting=np.array(outcomes), excuse_first_day=excuse0,
        must_let_go=np.array(empty))
    return Trace(actor, counterpart, dates, days, scenario_prior.accommodating,
                 with_prior[first_key].freedom, level,
                 getattr(behaviour, f"audience_cost_{level}") if level else 0.0)


def _standing_threat(model: RetaliationModel, actor: str, counterpart: str, day: str
                     ) -> str | None:
    """The highest threat `actor` made against `counterpart` up to its first decision."""
    table = model.datacollector.tables["statements"]
    levels = [lvl for d, a, t, lvl in zip(table["date"], table["actor"], table["target"],
                                          table["level"], strict=True)
              if a == actor and t == counterpart and d <= day]
    return max(levels, key=threat_rank) if levels else None


def compute(loaded: LoadedScenario, resolution: int = 101, max_threat_cost: float = 2.0,
            seed: int | None = None) -> tuple[Trace, DecisionMap]:
    """Trace the scenario and map the first response on a resolution x resolution grid."""
    if resolution < 2:
        raise ValueError("resolution must be at least 2")
    tr = trace(loaded, seed)
    grid_x = np.linspace(0.0, 1.0, resolution)
    grid_y = np.linspace(0.0, max_threat_cost, resolution)
    return tr, decision_map(tr.days, grid_x, tr.freedom, grid_y)


def first_day_boundary(tr: Trace, threat_cost: np.ndarray) -> np.ndarray:
    """The prior of an accommodating successor above which the target waits on its first
    decision day, for each threat cost: p*(A) / freedom (nan where it is above 1)."""
    d = tr.days
    p_star = wait_threshold(d.net_value[0], d.spoil[0], d.continuation[0],
                            payoffs.audience_cost(threat_cost, d.excuse_first_day))
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.asarray(p_star, dtype=float) / tr.freedom
    return np.where((x >= 0) & (x <= 1), x, np.nan)
