"""The runner interface: every registered runner gives, task by task, exactly the row
`sim.outcome(sim.run(...))` gives. A batch engine registered in RUNNERS is checked here
against the Mesa model with no new test to write."""

from __future__ import annotations

import pickle

import pytest

import sim
from sim.analysis.outcomes import OUTCOME_COLUMNS
from sim.execution.tasks import Runner, ScenarioSource, Task
from sim.experiments.runners import RUNNERS
from sim.scenario import ScenarioError
from tests.conftest import SCENARIOS

NOISY = {"behaviour.perception_noise": 0.3, "behaviour.precision": 3.0}


@pytest.fixture(scope="module")
def source() -> ScenarioSource:
    return ScenarioSource.of(sim.load(SCENARIOS / "2016.yaml", NOISY))


def test_the_source_is_the_same_scenario_as_plain_picklable_data(source):
    loaded = sim.load(SCENARIOS / "2016.yaml", NOISY)
    assert source.load().spec == loaded.spec
    again = pickle.loads(pickle.dumps(source))
    assert again.load().spec == loaded.spec
    assert again.fingerprint() == source.fingerprint()
    point = (("behaviour.reset_value", 3),)
    assert source.load(point).spec == sim.load(SCENARIOS / "2016.yaml",
                                               {**NOISY, "behaviour.reset_value": 3}).spec


def test_a_derived_scenario_round_trips_too():
    loaded = sim.load(SCENARIOS / "2016_hawkish_successor.yaml")
    assert ScenarioSource.of(loaded).load().spec == loaded.spec


def test_a_bad_point_names_the_file_and_the_field(source):
    with pytest.raises(ScenarioError) as caught:
        source.load((("behaviour.reset_value", 99),))
    text = str(caught.value)
    assert text.startswith(str(SCENARIOS / "2016.yaml"))
    assert "behaviour.reset_value" in text and "override" in text
    assert str(pickle.loads(pickle.dumps(caught.value))) == text


@pytest.mark.parametrize("name", sorted(RUNNERS))
def test_every_runner_matches_the_mesa_model_run_by_run(name, source):
    runner = RUNNERS[name]
    assert isinstance(runner, Runner) and runner.chunk_size >= 1
    tasks = [Task((), 11), Task((), 12), Task((("behaviour.reset_value", 1),), 11),
             Task((("states.USA.administrations.trump.freedom", 0.2),), 13),
             Task((), 14), Task((), 15)]
    rows = runner.run(source, tasks)
    assert len(rows) == len(tasks)
    for task, row in zip(tasks, rows, strict=True):
        expected = sim.outcome(sim.run(source.load(task.point), seed=task.seed, sample=True))
        assert {c: row[c] for c in OUTCOME_COLUMNS} == {c: expected[c] for c in OUTCOME_COLUMNS}
    assert len({r["category"] for r in rows}) > 1  # the tasks do differ


@pytest.mark.parametrize("name", sorted(RUNNERS))
def test_points_that_differ_in_behaviour_run_side_by_side_as_the_mesa_model_runs_them(
        name, source):
    # One run per point, every point a different behaviour (scenario-wide, a state's own,
    # integers and the structural honeymoon): the batch runner puts the behaviour-only
    # points into one engine, each run with its own values.
    points = [(("behaviour.reset_value", v), ("states.RUS.behaviour.reply_cost", c),
               ("behaviour.deliberation_days", d))
              for v in (0.5, 3.0, 12.0) for c in (0.1, 2.0) for d in (0, 3)]
    points.append((("behaviour.honeymoon_days", 30),))
    points.append((("states.USA.behaviour.reset_value", 0.0), ("behaviour.reset_value", 9.0)))
    tasks = [Task(p, 20 + i) for i, p in enumerate(points)]
    rows = RUNNERS[name].run(source, tasks)
    for task, row in zip(tasks, rows, strict=True):
        expected = sim.outcome(sim.run(source.load(task.point), seed=task.seed, sample=True))
        assert {c: row[c] for c in OUTCOME_COLUMNS} == {c: expected[c] for c in OUTCOME_COLUMNS}
    assert len({r["first_response_date"] for r in rows}) > 3  # behaviour does matter here


def test_the_batch_runner_groups_points_by_structure_only():
    from sim.experiments.runners import behaviour_items

    structure, values = behaviour_items((("behaviour.reset_value", 3),
                                         ("states.RUS.behaviour.deliberation_days", 2),
                                         ("behaviour.honeymoon_days", 100),
                                         ("states.RUS.power", 2.0)))
    assert structure == (("behaviour.honeymoon_days", 100), ("states.RUS.power", 2.0))
    assert values == (("reset_value", None, 3), ("deliberation_days", "RUS", 2))
