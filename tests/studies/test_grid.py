"""--param: the values of one swept path, and the grid they span."""

from __future__ import annotations

import pytest

from sim.experiments.grid import axes_from, parse_param, points, value_at
from sim.scenario import ScenarioError


def test_evenly_spaced_values_with_both_ends():
    axis = parse_param("behaviour.reset_value=0:10:6")
    assert axis.path == "behaviour.reset_value"
    assert axis.values == (0, 2, 4, 6, 8, 10)
    assert all(type(v) is int for v in axis.values)  # whole numbers stay whole (int fields)


def test_fractions_are_tidy():
    axis = parse_param("behaviour.spoil_share=0:1:11")
    assert axis.values[3] == 0.3  # not 0.30000000000000004
    assert axis.values == tuple(k / 10 for k in range(11))
    assert parse_param("behaviour.reply_cost=0.5:0.5:1").values == (0.5,)


def test_a_list_of_yaml_values():
    axis = parse_param("states.RUS.policy=in_kind,parity")
    assert axis.values == ("in_kind", "parity")
    assert parse_param("behaviour.honeymoon_days=30,365").values == (30, 365)
    assert not parse_param("states.RUS.policy=in_kind,parity").numeric
    prior = parse_param("x.prior={accommodating: 0.1, hawkish: 0.9},{accommodating: 1, "
                        "hawkish: 0}")
    assert prior.values == ({"accommodating": 0.1, "hawkish": 0.9},
                            {"accommodating": 1, "hawkish": 0})


@pytest.mark.parametrize("text, fragment", [
    ("behaviour.reset_value", "expected PATH=START:STOP:COUNT"),
    ("behaviour.reset_value=0:ten:3", "'ten' is not a number"),
    ("behaviour.reset_value=0:1:0", "COUNT must be a whole number"),
    ("behaviour.reset_value=0:1:2.5", "COUNT must be a whole number"),
    ("behaviour.reset_value=0:1:1", "one value between two different ends"),
    ("behaviour..reset_value=1,2", "empty path segment"),
    ("behaviour.reset_value=1,,2", "cannot read the values"),
    ("behaviour.reset_value=1,null", "an empty value"),
])
def test_malformed_params_are_one_line_errors(text, fragment):
    with pytest.raises(ScenarioError, match=fragment):
        parse_param(text)


def test_the_grid_varies_the_first_axis_slowest():
    axes = axes_from(["a.x=1,2", "b.y=10:30:3"])
    assert points(axes) == [
        (("a.x", 1), ("b.y", 10)), (("a.x", 1), ("b.y", 20)), (("a.x", 1), ("b.y", 30)),
        (("a.x", 2), ("b.y", 10)), (("a.x", 2), ("b.y", 20)), (("a.x", 2), ("b.y", 30)),
    ]
    assert points([]) == [()]


def test_a_path_given_twice_is_refused():
    with pytest.raises(ScenarioError, match="given twice"):
        axes_from(["a.x=1,2", "a.x=3,4"])


def test_value_at_follows_mappings_and_lists():
    data = {"events": [{"persons": 35}], "behaviour": {}}
    assert value_at(data, "events.0.persons") == 35
    assert value_at(data, "events.3.persons") is None
    assert value_at(data, "behaviour.reset_value") is None
