"""Sweeps: the grid times the replicates, as one tidy table, files and a heat map."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.experiments.ensemble import ensemble
from sim.experiments.sweep import point_table, scenario_value
from sim.scenario import ScenarioError
from tests.conftest import SCENARIOS

SCENARIO = SCENARIOS / "2016.yaml"
FREEDOM = "states.USA.administrations.trump.freedom"
COST = "behaviour.reply_cost"


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return sim.sweep(SCENARIO, {FREEDOM: [0.0, 0.7], COST: [0.3, 0.9]}, runs=2,
                     overrides={"behaviour.perception_noise": 0.2}, workers=1)


def test_the_table_is_tidy_and_in_grid_order(table):
    assert list(table.columns[:5]) == ["point", FREEDOM, COST, "run", "seed"]
    assert len(table) == 4 * 2
    assert list(table["point"]) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert list(table[FREEDOM]) == [0.0] * 4 + [0.7] * 4
    assert list(table[COST]) == [0.3, 0.3, 0.9, 0.9] * 2
    # the same seeds at every point: common random numbers
    assert table.groupby("point")["seed"].apply(tuple).nunique() == 1


def test_the_scenarios_own_point_gives_the_ensembles_rows(table):
    own = table[(table[FREEDOM] == 0.7) & (table[COST] == 0.3)]
    alone = ensemble(SCENARIO, 2, overrides={"behaviour.perception_noise": 0.2}, workers=1)
    columns = [c for c in alone.columns]
    assert own[columns].reset_index(drop=True).equals(alone)


def test_the_outcome_moves_with_the_swept_values(table):
    points = point_table(table, [FREEDOM, COST])
    at = points.set_index([FREEDOM, COST])
    # a successor certain to be bound: no reason to wait, Russia answers at once in kind
    assert at.loc[(0.0, 0.3), "p_waited"] == 0.0
    assert at.loc[(0.0, 0.3), "persons_mean"] == 35
    # a reply three times as costly: the cap still, since the US answers a cap with a cap
    # of its own in sites (closures), which costs Russia little
    assert at.loc[(0.7, 0.9), "p_none"] == 0.0
    assert at.loc[(0.7, 0.9), "persons_mean"] == 755


def test_a_mapping_can_be_swept_and_stays_one_readable_column():
    prior = "states.USA.administrations.trump.prior"
    table = sim.sweep(SCENARIO, [f"{prior}={{accommodating: 0.05, hawkish: 0.95}},"
                                 f"{{accommodating: 0.6, hawkish: 0.4}}"], workers=1,
                      overrides={"behaviour.precision": 1000})  # the most likely runs
    assert list(table[prior]) == ['{"accommodating": 0.05, "hawkish": 0.95}',
                                  '{"accommodating": 0.6, "hawkish": 0.4}']
    # expecting a hawkish successor, Russia answers in kind at once; as written, it waits
    assert list(table["first_choice"]) == ["retaliate", "wait"]
    assert list(table["persons"]) == [35, 755]
    loaded = sim.load(SCENARIO)
    assert scenario_value(loaded, prior) == table[prior].iloc[1]


def test_a_bad_value_stops_the_sweep_before_any_run():
    with pytest.raises(ScenarioError) as caught:
        sim.sweep(SCENARIO, ["behaviour.reset_value=0:30:3"])
    text = str(caught.value)
    assert text.startswith(str(SCENARIO)) and "behaviour.reset_value" in text
    assert "less than or equal to 20" in text and "override" in text
    with pytest.raises(ScenarioError, match="not a value to sweep"):
        sim.sweep(SCENARIO, ["seed=1,2"])


def test_scenario_values_include_effective_behaviour():
    loaded = sim.load(SCENARIO, {"states.RUS.behaviour.reply_cost": 0.5})
    assert scenario_value(loaded, FREEDOM) == 0.7
    assert scenario_value(loaded, COST) == 0.3  # the default
    assert scenario_value(loaded, "states.RUS.behaviour.reply_cost") == 0.5
    assert scenario_value(loaded, "states.USA.behaviour.reset_value") == 5.0
    assert scenario_value(loaded, "events.0.persons") == 35


def test_the_command_line_sweep(table, tmp_path: Path, cli):
    out = tmp_path / "sw"
    proc = cli("sweep", SCENARIO, "--param", f"{FREEDOM}=0,0.7", "--param",
                   f"{COST}=0.3:0.9:2", "--runs", "2", "--set",
                   "behaviour.perception_noise=0.2", "--out", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    names = {p.name for p in out.iterdir()}
    assert {"sweep.csv", "sweep.parquet", "points.csv", "heatmap.png", "summary.json",
            "sweep.json", "chunks"} <= names
    with (out / "sweep.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [r["category"] for r in rows] == list(table["category"])
    assert [int(r["seed"]) for r in rows] == list(table["seed"])
    parquet = pd.read_parquet(out / "sweep.parquet")
    assert parquet.equals(table)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario_values"] == {FREEDOM: 0.7, COST: 0.3}
    assert summary["sweep"]["tasks"] == 8
    assert (out / "heatmap.png").stat().st_size > 20_000
    assert "p_waited" in proc.stdout


def test_one_swept_value_draws_lines_and_bad_params_are_one_line_errors(tmp_path: Path, cli):
    out = tmp_path / "one"
    proc = cli("sweep", SCENARIO, "--param", f"{COST}=0.3,0.9", "--out", out,
                   "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert (out / "sweep.png").exists() and not (out / "heatmap.png").exists()
    bad = cli("sweep", SCENARIO, "--param", "behaviour.reply_cost=0:9:2",
                  "--out", tmp_path / "bad")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert "behaviour.reply_cost" in bad.stderr and "less than or equal to 5" in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_a_numeric_axis_is_checked_at_its_representatives():
    from sim.experiments.sweep import representatives

    assert representatives([1.0, 2.0, 3.0, 4.0]) == [1.0, 4.0]
    assert representatives([0.0, 0.5, 1.0, 1.5]) == [0.0, 0.5, 1.5]
    assert representatives([3, 1, 2]) == [3, 1]
    assert representatives(["a", "b"]) == ["a", "b"]
    assert representatives([{"x": 1}, 2]) == [{"x": 1}, 2]
