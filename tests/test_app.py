"""The page's inputs, without a browser: what the sliders write into a scenario, the seed
box, the picker, and the `python -m sim app` command line."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

import sim
from sim.cli import app as cli_app
from sim.scenario import ScenarioError

page = pytest.importorskip("sim.viz.page", reason="the page needs the app extra")
ROOT = Path(__file__).resolve().parents[1]


def test_sliders_write_the_successors_prior_and_only_what_changed():
    spec = sim.load(ROOT / "scenarios/2016.yaml").spec
    heir = page.successor(spec)
    assert (heir.state, heir.key, heir.accommodating, heir.freedom) == ("USA", "trump", 0.6, 0.7)
    assert page.overrides(spec, prior=0.6, freedom=0.7, audience_costs=1.0,
                          reset_value=5.0) == {}
    got = page.overrides(spec, prior=0.05, freedom=0.7, audience_costs=2.0, reset_value=3.0)
    assert got["states.USA.administrations.trump.prior"] == {"accommodating": 0.05,
                                                             "hawkish": 0.95}
    assert got["states.RUS.behaviour.audience_cost_minister"] == pytest.approx(0.6)
    assert got["behaviour.reset_value"] == 3.0


def test_a_hawkish_page_model_answers_in_kind(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(page.ENV_ROOTS, str(ROOT))
    model = page.PageModel(episode="scenarios/2016.yaml", prior=0.05, seed="")
    while model.running and not len(model.result().decisions):
        model.step()
    first = model.result().decisions.iloc[0]
    assert (first["date"], first["actor"], first["choice"]) == ("2016-12-30", "RUS",
                                                                "retaliate")
    assert page.decision_lines(model.result(), "2016-12-30")[0].startswith(
        "RUS retaliates on USA: belief in reset 0.03 <= threshold")


def test_picker_lists_the_scenarios_and_refuses_other_labels(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(page.ENV_ROOTS, str(ROOT))
    found = page.catalog()
    assert "scenarios/2016.yaml" in found and "scenarios/2018_skripal.yaml" in found
    with pytest.raises(ScenarioError, match="unknown scenario"):
        page.PageModel(episode="/etc/passwd")
    assert page.parse_seed(" 7 ") == 7 and page.parse_seed("") is None
    with pytest.raises(ScenarioError, match="whole number"):
        page.parse_seed("x")


def test_app_command_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)
    args = argparse.Namespace(scenario=Path("scenarios/2016.yaml"), host="127.0.0.1",
                              port=9999, no_open=True)
    argv, env = cli_app.command(args)
    assert argv[1:4] == ["-m", "solara", "run"] and "sim.viz.page" in argv
    assert argv[argv.index("--port") + 1] == "9999" and "--no-open" in argv
    assert env["SIM_APP_SCENARIO"] == str((ROOT / "scenarios/2016.yaml").resolve())
    args.scenario = Path("missing.yaml")
    with pytest.raises(ScenarioError, match="no such scenario"):
        cli_app.command(args)


def test_the_page_has_a_precision_slider_and_says_how_likely_each_decision_was():
    from sim.viz import page

    params = page.model_params("scenarios/2016.yaml") if "scenarios/2016.yaml" in \
        page.catalog() else page.model_params()
    assert params["precision"]["value"] == 20.0
    model = page.PageModel(precision=5.0)
    assert model.settings == {"behaviour.precision": 5.0}
    while model.today.isoformat() < "2017-07-28":
        model.step()
    said = page.decision_probabilities(model.result(), "2017-07-28")
    assert said and said[0].startswith("RUS on USA: P(retaliate) ")
