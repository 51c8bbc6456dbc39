"""Model reporters: Mesa's own tools (batch_run, make_plot_component) see the dyads.

Mesa reads model reporters only, so without them `mesa.batch_run` returned no measure of
interest. The values must equal the dyad table's (the same ledgers, read the same way),
and adding them must not change what a run writes (tests/test_determinism.py holds the
bytes; here the tables are compared with a model built without reporters).
"""

from __future__ import annotations

import math

import mesa
import pandas as pd
import pytest

import sim
from sim.engine.mesa import RetaliationModel
from sim.engine.mesa.reporters import MEASURES, model_reporters, reporter_name


@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    loaded = sim.load("scenarios/2016.yaml")
    out = mesa.batch_run(RetaliationModel, parameters={"spec": loaded}, rng=[2016],
                         number_processes=1, data_collection_period=1,
                         display_progress=False)
    return pd.DataFrame(out).set_index("date")


def test_batch_run_reports_russias_belief_and_threshold(rows: pd.DataFrame):
    # 30 Dec 2016: Moscow waits; its belief in a reset rises to 0.60 on the president-
    # elect's words, against a threshold of about 0.16 (README's timeline).
    day = rows.loc["2016-12-30"]
    assert day["belief RUS-USA"] == pytest.approx(0.60)
    assert day["threshold RUS-USA"] == pytest.approx(0.1564, abs=1e-4)
    assert day["eu_retaliate RUS-USA"] == pytest.approx(-0.702, abs=1e-3)
    # 28 Jul 2017: the veto-proof sanctions bill binds the successor: no belief in a reset.
    day = rows.loc["2017-07-28"]
    assert day["belief RUS-USA"] == 0.0
    assert day["threshold RUS-USA"] == pytest.approx(0.1544, abs=1e-4)
    assert day["eu_retaliate RUS-USA"] > day["eu_wait RUS-USA"]
    # missions: 1,210 US staff in Russia until the cap bites on 1 September (455 after).
    assert rows.loc["2017-07-28", "missions USA-RUS"] == 1210
    assert rows.loc["2017-09-30", "missions USA-RUS"] == 455
    assert rows.loc["2016-12-29", "missions RUS-USA"] == 490 - 35


def test_reporters_equal_the_dyad_table():
    result = sim.run("scenarios/2016.yaml")
    model = RetaliationModel(sim.load("scenarios/2016.yaml")).run()
    frame = model.datacollector.get_model_vars_dataframe().set_index("date")
    ts = result.timeseries.set_index(["actor", "counterpart", "date"]).sort_index()
    for (a, b), column in [(("RUS", "USA"), "p_reset"), (("RUS", "USA"), "threshold"),
                           (("USA", "RUS"), "eu_wait"), (("USA", "RUS"), "eu_let_go")]:
        measure = {"p_reset": "belief"}.get(column, column)
        ours = frame[reporter_name(measure, a, b)]
        theirs = ts.loc[(a, b)][column].astype(float)
        pd.testing.assert_series_equal(ours, theirs.reindex(ours.index), check_names=False)
    assert (frame[reporter_name("missions", "RUS", "USA")].to_numpy()
            == ts.loc[("RUS", "USA")]["staff_actor_in_counterpart"].to_numpy()).all()


def test_one_column_per_measure_and_pair():
    model = RetaliationModel(sim.load("scenarios/2016.yaml"))
    names = set(model_reporters(model))
    assert names == {reporter_name(m, a, b) for a, b in model.pairs for m in MEASURES}
    assert len(names) == 2 * len(MEASURES)
    assert math.isnan(model_reporters(model)["threshold RUS-USA"](model))  # nothing weighed yet
    with pytest.raises(ValueError, match="unknown measure"):
        reporter_name("anger", "RUS", "USA")


def test_mesa_reserves_scenario_so_the_model_takes_spec():
    loaded = sim.load("scenarios/2016.yaml")
    model = RetaliationModel(spec=loaded, seed=3)
    assert model.spec is loaded.spec and model.seed == 3
    assert model.scenario is not loaded  # Mesa's own Scenario object, untouched
