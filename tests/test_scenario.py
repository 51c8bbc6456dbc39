"""Loading scenarios: defaults and overrides, derived files, the --set paths."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.game.params import DEFAULTS, parameter_names
from tests.conftest import ROOT, SCENARIOS


def test_every_shipped_scenario_loads():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        assert sim.load(path).spec.states


def test_behaviour_defaults_then_scenario_then_state(tmp_path: Path):
    sc = sim.load(SCENARIOS / "2016.yaml", {
        "behaviour.reset_value": 3.0,
        "states.RUS.behaviour": {"reset_value": 7.0, "late_loss": 0.2},
    })
    assert sc.spec.behaviour_of("USA").reset_value == 3.0
    assert sc.spec.behaviour_of("RUS").reset_value == 7.0
    assert sc.spec.behaviour_of("RUS").late_loss == 0.2
    assert sc.spec.behaviour_of("USA").late_loss == DEFAULTS.late_loss


def test_set_strings_are_read_as_yaml():
    sc = sim.load(SCENARIOS / "2016.yaml", ["events.0.persons=30", "seed=5",
                                            "states.RUS.policy={name: proportional, ratio: 0.5}"])
    assert sc.spec.events[0].persons == 30
    assert sc.spec.seed == 5
    assert sc.spec.states["RUS"].policy_spec().params() == {"ratio": 0.5}


def test_set_on_a_missing_list_item_is_an_error():
    with pytest.raises(sim.ScenarioError,
                       match=r"2016\.yaml: override events\.99\.persons: no item"):
        sim.load(SCENARIOS / "2016.yaml", ["events.99.persons=1"])


def test_a_derived_scenario_changes_only_what_it_sets():
    base = sim.load(SCENARIOS / "2016.yaml").spec
    derived = sim.load(SCENARIOS / "2016_hawkish_successor.yaml")
    assert derived.spec.name == "2016_hawkish_successor"
    assert derived.spec.history is None
    assert derived.spec.events == base.events
    assert derived.spec.states["USA"].administrations["trump"].prior.hawkish == 0.95
    assert len(derived.origin.files) == 2


def test_errors_in_a_derived_file_point_at_its_own_line(tmp_path: Path):
    (tmp_path / "base.yaml").write_text((SCENARIOS / "2016.yaml").read_text())
    child = tmp_path / "child.yaml"
    child.write_text("base: base.yaml\nname: child\nset:\n  events.0.persons: -2\n")
    with pytest.raises(sim.ScenarioError) as info:
        sim.load(child)
    assert str(info.value).startswith(f"{child}:4: events[0].persons")


def test_a_dict_scenario_runs_like_a_file():
    import yaml

    data = yaml.safe_load((SCENARIOS / "2016.yaml").read_text())
    result = sim.run(data)
    assert result.model_actions()["persons"].tolist() == [755, 0]


def test_parameters_are_documented():
    doc = (ROOT / "docs" / "model.md").read_text()
    missing = [name for name in parameter_names() if f"`{name}`" not in doc]
    assert not missing, f"docs/model.md does not document {missing}"


def test_every_field_of_the_format_is_documented():
    from pydantic import BaseModel

    from sim.scenario import schema

    doc = (ROOT / "docs" / "scenarios.md").read_text()
    missing = []
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel) and \
                model.__module__ == schema.__name__ and model is not schema.Strict:
            missing += [f"{model.__name__}.{f}" for f in model.model_fields
                        if f"`{f}`" not in doc]
    assert not missing, f"docs/scenarios.md does not document {missing}"
