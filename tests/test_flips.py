"""The flip search (`python -m sim sensitivity --flip`) and the veto-proof binding.

The flip search must find the threshold the exchange game gives (solved here by hand with
`sim.game.qre.respond`); on 2016 it must show that no input flips any first response
within ±20%, except the two it cannot be asked of (stated, with their values); a
veto-proof law must leave no belief in a free administration; the command must write its
files and refuse bad input in one line.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

import sim
from sim.engine.batch import BatchEngine
from sim.experiments import flips
from sim.game import beliefs
from sim.game.params import DEFAULTS
from sim.game.qre import N_SIZES, WAIT, Side, respond
from sim.scenario import ScenarioError
from tests.conftest import SCENARIOS, run_cli

PRIOR = 0.5
EXPEL = dt.date(2020, 1, 10)
SUCCESSOR = dt.date(2020, 6, 1)


def waiting_case() -> dict:
    """B is expelled by A; A's successor takes office after the scenario ends, so B's
    belief stays at its prior (no evidence, no quiet days) and B waits throughout exactly
    when prior x freedom > p* on its first decision day."""
    return {
        "name": "flip-threshold", "title": "threshold", "start": "2020-01-01",
        "end": "2020-03-01", "seed": 1,
        "states": {
            "GBR": {"name": "A", "missions": {"NOR": 50}, "facilities": {"NOR": 2},
                    "administrations": {
                        "now": {"leader": "a", "start": "2016-01-01", "end": "2020-06-01"},
                        "next": {"leader": "b", "start": SUCCESSOR.isoformat(),
                                 "end": "2024-06-01",
                                 "prior": {"accommodating": PRIOR, "hawkish": 1 - PRIOR},
                                 "freedom": 1.0}}},
            "NOR": {"name": "B", "missions": {"GBR": 50}, "facilities": {"GBR": 2}},
        },
        "events": [{"date": EXPEL.isoformat(), "type": "expel", "actor": "GBR",
                    "target": "NOR", "persons": 5}],
    }


def waiting_threshold() -> float:
    """The belief at which NOR's most likely course turns from answering to waiting, from
    the exchange game with the facts of `waiting_case` worked out by hand: NOR owes 5
    staff; 50 of GBR's staff and 2 sites in NOR, 45 of NOR's (after the expulsion) and 2
    in GBR, so in kind (5) is also parity; no threat; the window closes `honeymoon_days`
    after the successor takes office; both sides at the default terms."""
    d = DEFAULTS
    decided = EXPEL + dt.timedelta(days=d.deliberation_days)
    window = (SUCCESSOR + dt.timedelta(days=d.honeymoon_days) - decided).days
    side = Side(reply_cost=d.reply_cost, answer_cost=d.answer_cost, curvature=d.size_curvature,
                beyond=d.beyond_value, parity_value=d.parity_value, precision=d.precision,
                continuation=1 - d.late_loss, misread=d.perception_noise,
                token_share=d.token_share, larger_ratio=d.larger_ratio,
                site_weight=d.site_weight)

    def gap(p: float) -> float:
        r = respond(owed_persons=5, owed_facilities=0, their_staff=50, my_staff=45,
                    their_sites=2, my_sites=2, me=side, them=side, p_reset=p,
                    spoil=d.reset_value * d.spoil_share,
                    continuation=(1 - d.discount_rate) ** window * (1 - d.late_loss),
                    unit=5, depth=2)
        return float(np.max(r.utilities[:N_SIZES]) - r.utilities[WAIT])

    return float(brentq(gap, 0.0, 1.0, xtol=1e-12))


def test_bisection_finds_the_exchange_game_threshold_within_tolerance():
    p_star = waiting_threshold()
    assert 0.05 < p_star < PRIOR  # B waits at the default: the search has a flip to find
    r_star = p_star / PRIOR - 1.0
    tol = 0.002
    result = flips.search(waiting_case(), tolerance=tol,
                          names=["states.GBR.administrations.next.prior.accommodating"])
    lower = result.lower[0]
    assert lower.at is not None
    assert r_star - tol - 1e-9 <= lower.at <= r_star + 1e-12  # the flip side, within tol
    assert lower.safe > r_star  # and the last value known not to flip is on the other side
    assert result.upper[0].at is None  # more hope only waits longer
    assert result.base_story == (None,)
    assert result.describe(result.lower[0].story).startswith("NOR on GBR: none -> expel 5+0f")


@pytest.fixture(scope="module")
def flips_2016() -> flips.Result:
    return flips.search(SCENARIOS / "2016.yaml")


# Inputs of 2016 that the ±20% test cannot be asked of, and why (docs/model.md, 16a):
# - cap_deadline_days: the US answers Russia's cap when it bites, so the day of its answer
#   follows the deadline day for day (the same closures): 4 days (13%) moves it beyond
#   the 3 days within which the validation counts a day as the same;
# - perception_noise: 0 in the scenario, so no relative change moves it.
NOT_ASKED = {"behaviour.cap_deadline_days", "behaviour.perception_noise"}


@pytest.mark.slow
def test_2016_no_input_flips_a_first_response_within_20_percent(flips_2016):
    table = flips_2016.table()
    assert list(table.columns) == ["parameter", "default", "lower", "upper"]
    assert len(table) == 56  # 44 behaviour parameters and 12 judgement inputs
    # the most likely course is the one of highest utility: the precision moves it only
    # through the counterpart's response, and not within the searched range here
    precision = table.set_index("parameter").loc["behaviour.precision"]
    assert math.isnan(precision["lower"]) and math.isnan(precision["upper"])
    assert flips_2016.base_story == (
        None, ("2017-07-28", "cap", 755, 2, "larger"), ("2017-08-28", "close", 0, 3, "smaller"),
        None)
    for row in table.itertuples():
        if row.parameter in NOT_ASKED:
            continue
        assert math.isnan(row.lower) or row.lower < -0.2, row
        assert math.isnan(row.upper) or row.upper > 0.2, row


@pytest.mark.slow
def test_2016_the_inputs_it_cannot_be_asked_of(flips_2016):
    d = flips_2016.details().set_index("parameter")
    deadline = d.loc["behaviour.cap_deadline_days"]
    assert deadline["lower"] == pytest.approx(-4 / 30)
    assert deadline["upper"] == pytest.approx(4 / 30)
    assert deadline["change_above"] == ("USA on RUS after 2017-07-28: close 0+3f on 2017-08-28 "
                                        "(smaller) -> close 0+3f on 2017-09-01 (smaller)")
    # a shift of 3 days or less is no flip: the validation counts it as the same day
    assert math.isnan(d.loc["behaviour.discount_rate", "upper"])  # a rate, not a factor
    assert d.loc["behaviour.perception_noise", "searched_above"] == 0


@pytest.mark.slow
def test_2016_freedom_no_longer_flips_and_the_bill_has_no_likelihood(flips_2016):
    d = flips_2016.details().set_index("parameter")
    # Before the binding, freedom 0.70 -> 0.84 (+19.5%) kept Russia waiting after the bill.
    assert math.isnan(d.loc["states.USA.administrations.trump.freedom", "upper"])
    assert d.loc["states.USA.administrations.trump.freedom", "lower"] < -0.3
    assert not any(p.startswith("events.8.") for p in d.index)
    assert not d.loc["behaviour.reply_cost", "upper"] <= 0.6  # none, or beyond +60%
    assert flips_2016.evaluations > 1000 and flips_2016.batches < 40


def test_bind_leaves_no_mass_on_free_cells():
    b = beliefs.prior(0.6, 0.7)
    bound = beliefs.bind(b)
    assert bound[0] == 0 and bound[2] == 0
    assert bound[1] == pytest.approx(0.6 * 0.3 / 0.3)  # P(accommodating | bound)
    assert bound.sum() == pytest.approx(1.0)
    with pytest.raises(ValueError):
        beliefs.bind(beliefs.prior(0.6, 1.0))


def test_the_veto_proof_bill_binds_the_successor_in_every_run_even_misread():
    loaded = sim.load(SCENARIOS / "2016.yaml", {"behaviour.perception_noise": 0.5})
    engine = BatchEngine(loaded, list(range(40)))
    engine.run()
    rus_usa = engine.world.index[("RUS", "USA")]
    row = engine.state.belief_row[(rus_usa, "trump")]
    held = engine.state.beliefs[row]  # (runs, 4) at the scenario's end
    assert np.all(held[:, 0] == 0) and np.all(held[:, 2] == 0)
    assert np.allclose(held.sum(axis=1), 1.0)


def test_the_bound_belief_in_the_recorded_run(run_2016):
    ts = run_2016.timeseries
    mine = ts[(ts["actor"] == "RUS") & (ts["counterpart"] == "USA")]
    before = mine[mine["date"] == "2017-07-26"].iloc[0]
    after = mine[mine["date"] == "2017-07-27"].iloc[0]
    assert 0.2 < before["p_free"] < 1 and after["p_free"] == 0 and after["p_reset"] == 0


def test_a_binding_law_refuses_a_likelihood():
    data = sim.load(SCENARIOS / "2016.yaml").to_dict()
    data["events"][8]["likelihood"] = {"free": 0.05, "bound": 0.95}
    with pytest.raises(ScenarioError, match=r"veto-proof law binds .* drop its likelihood"):
        sim.load(data)
    data["events"][8].pop("likelihood")
    data["states"]["USA"]["administrations"]["trump"]["freedom"] = 1.0
    with pytest.raises(ScenarioError, match="evidence impossible"):
        sim.load(data)


@pytest.mark.slow
def test_cli_writes_flips_and_refuses_bad_input(tmp_path: Path):
    out = tmp_path / "f"
    done = run_cli("sensitivity", SCENARIOS / "2016.yaml", "--flip", "--quiet", "--out", out,
                   "--params", "behaviour.cap_deadline_days,"
                               "states.USA.administrations.trump.freedom")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(out / "flips.csv")
    assert list(table.columns) == ["parameter", "default", "lower", "upper"]
    assert list(table["parameter"]) == ["behaviour.cap_deadline_days",
                                        "states.USA.administrations.trump.freedom"]
    assert table["lower"].iloc[0] == pytest.approx(-4 / 30, abs=1e-6)
    assert math.isnan(table["upper"].iloc[1])
    assert (out / "flips.png").stat().st_size > 10_000
    summary = json.loads((out / "summary.json").read_text())
    assert summary["kind"] == "flips"
    assert summary["within_range"] == ["behaviour.cap_deadline_days"]
    for bad, says in ((["--flip", "--range", "-1"], "--range -1.0: must be a number above 0"),
                      (["--tolerance", "0.01"], "--tolerance belongs to the flip search"),
                      (["--flip", "--params", "nope"], "no input 'nope'"),
                      (["--flip", "--range", "0.5", "--limit", "0.3"],
                       "--limit 0.3: must be at least --range 0.5")):
        done = run_cli("sensitivity", SCENARIOS / "2016.yaml", "--out", tmp_path / "x", *bad)
        assert done.returncode == 2, bad
        assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert not (tmp_path / "x").exists()
