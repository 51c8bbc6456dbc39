"""The public API that notebooks use: `import sim` and nothing else from the package."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pandas as pd

import sim
from sim.game.params import DEFAULTS, parameter_names
from sim.viz import charts
from tests.conftest import ROOT, SCENARIOS


def test_every_public_name_and_method_says_what_it_does():
    undocumented = []
    for name in sim.__all__:
        obj = getattr(sim, name)
        if not inspect.getdoc(obj):
            undocumented.append(name)
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if attr.startswith("_"):
                    continue
                target = member.fget if isinstance(member, property) else member
                if callable(target) and not inspect.getdoc(target):
                    undocumented.append(f"{name}.{attr}")
    for name, fn in inspect.getmembers(charts, inspect.isfunction):
        if not name.startswith("_") and fn.__module__ == charts.__name__ and not fn.__doc__:
            undocumented.append(f"charts.{name}")
    assert not undocumented


def test_charts_are_sim_charts_and_load_only_when_used():
    assert sim.charts is charts
    from sim import charts as imported

    assert imported is charts
    probe = "import sys, sim; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout.strip()
    assert out == "False"


def test_the_game_maths_are_reachable_from_sim():
    # 01_obama_putin_2016 works the first decision by hand through these.
    assert sim.game.decision.assess is not None
    assert sim.game.payoffs.reply_cost(0.3, 1.0, 1.0, 0.5) == 0.3


def test_compare_frame_of_the_2016_run(run_2016):
    frame = sim.compare_frame(run_2016)
    assert len(frame) == 4 and frame["category_match"].all()
    cap = frame.iloc[1]
    assert (cap["actor"], cap["recorded_persons"], cap["predicted_persons"],
            cap["predicted_facilities"]) == ("RUS", 755, 755, 2)
    closure = frame.iloc[2]
    assert (closure["actor"], closure["recorded_delay_days"], closure["predicted_delay_days"]) \
        == ("USA", 34, 31)
    assert pd.isna(frame.iloc[0]["predicted_delay_days"])
    assert frame.equals(sim.compare_frame(sim.compare(run_2016)))


def test_compare_frame_without_history_is_empty_with_the_same_columns(run_2016, run_hawkish):
    empty = sim.compare_frame(run_hawkish)
    full = sim.compare_frame(run_2016)
    assert empty.empty and list(empty.columns) == list(full.columns)
    assert (empty.dtypes.astype(str)[["category_match", "predicted_persons",
                                      "predicted_delay_days"]].tolist()
            == ["bool", "int64", "Int64"])


def test_parameters_table():
    table = sim.parameters()
    assert list(table.index) == list(parameter_names())
    row = table.loc["reset_value"]
    assert (row["default"], row["low"], row["high"], row["integer"]) == (5.0, 0.0, 20.0, False)
    assert table.loc["honeymoon_days", "integer"]
    assert table.loc["honeymoon_days", "default"] == DEFAULTS.honeymoon_days
    assert table["meaning"].str.len().min() > 10


def test_to_dict_round_trips_and_takes_edits():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        loaded = sim.load(path)
        assert sim.load(loaded.to_dict()).spec == loaded.spec
    data = sim.load(SCENARIOS / "2016.yaml").to_dict()
    assert isinstance(data["start"], str) and "history" in data
    data["events"] = [e for e in data["events"] if e["type"] != "legislation"]
    assert sim.outcome(sim.run(data))["action"] == "none"  # no bill: Russia keeps waiting
