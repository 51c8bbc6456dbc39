"""Fitted values are data: the defaults file, its provenance, and what reads and writes it.

`sim.game.params.Behaviour` takes its defaults from the packaged
sim/game/behaviour_defaults.yaml; `python -m sim calibrate --write` rewrites that file
(never Python source), recording with each fitted value when, on which files, by which
objective and with which score it was fitted.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib
from dataclasses import fields
from importlib import resources
from pathlib import Path

import pytest
import yaml

import sim
from sim.analysis import calibration
from sim.game import params
from sim.game.params import DEFAULTS, GROUPS, Behaviour, DefaultsError
from tests.conftest import ROOT, SCENARIOS

PACKAGED = ROOT / "sim" / "game" / "behaviour_defaults.yaml"
PARAMS_SOURCE = ROOT / "sim" / "game" / "params.py"
DEFAULTS_SOURCE = {row["name"]: row["source"] for row in params.parameter_table()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "behaviour_defaults.yaml"
    shutil.copy(PACKAGED, target)
    return target


def test_the_packaged_file_holds_every_default_and_behaviour_reads_it():
    raw = yaml.safe_load(PACKAGED.read_text())["parameters"]
    assert list(raw) == [f.name for f in fields(Behaviour)]
    assert {name: entry["value"] for name, entry in raw.items()} == vars(DEFAULTS)
    assert vars(Behaviour()) == vars(DEFAULTS)
    assert all(entry["source"].strip() for entry in raw.values())
    # the one fitted value carries its provenance; the others say where they come from
    fitted = [name for name, entry in raw.items() if "fit" in entry]
    assert fitted == ["war_quiet_days"]
    fit = raw["war_quiet_days"]["fit"]
    assert fit["date"] == "2026-11-24" and len(fit["data"]) == 7
    assert fit["score"] == pytest.approx(0.8667, abs=1e-4)
    assert fit["score_before"] == pytest.approx(0.86)
    assert fit["previous"]["value"] == 14 and "calibrate" in raw["war_quiet_days"]["source"]


def test_a_calibration_written_to_a_copy_changes_the_defaults_read_from_it(copy: Path):
    source_before, packaged_before = digest(PARAMS_SOURCE), digest(PACKAGED)
    paths = [SCENARIOS / "2016.yaml"]
    grid = {"deliberation_days": [2, 1]}
    trials = calibration.search(paths, grid)
    before = calibration.evaluate(paths, {"deliberation_days": DEFAULTS.deliberation_days})
    fit = calibration.provenance(paths, grid, trials[0], before)
    written = calibration.write_defaults({"wave_quiet_days": 5, "reassured_share": 0.6}, fit,
                                         copy)
    assert written == copy
    changed = params.defaults_from(copy)
    assert (changed.wave_quiet_days, changed.reassured_share) == (5, 0.6)
    assert type(changed.reassured_share) is float and type(changed.wave_quiet_days) is int
    untouched = {k: v for k, v in vars(changed).items()
                 if k not in ("wave_quiet_days", "reassured_share")}
    assert untouched == {k: v for k, v in vars(DEFAULTS).items() if k in untouched}
    entry = params.read_defaults(copy)["wave_quiet_days"]
    assert entry["fit"]["previous"] == {"value": 3, "source": DEFAULTS_SOURCE["wave_quiet_days"]}
    assert entry["fit"]["data"] == [{"file": (SCENARIOS / "2016.yaml").as_posix(),
                                     "sha256": digest(SCENARIOS / "2016.yaml")}]
    assert entry["fit"]["score"] == trials[0].score == 1.0
    assert entry["fit"]["grid"] == {"deliberation_days": [2, 1]}
    assert entry["fit"]["objective"] == calibration.OBJECTIVE
    # nothing but the copy changed: not the Python source, not the packaged data
    assert digest(PARAMS_SOURCE) == source_before and digest(PACKAGED) == packaged_before
    assert DEFAULTS.wave_quiet_days == 3
    # what was written reads back as written, header included, and is plain YAML
    assert copy.read_text().startswith(calibration.HEADER)
    assert list(copy.parent.iterdir()) == [copy]  # no temporary file left beside it


def test_a_write_that_would_break_the_defaults_leaves_the_file_whole(copy: Path):
    before = copy.read_bytes()
    fit = {"date": "2026-01-01", "data": [], "objective": "test", "score": 0.0}
    with pytest.raises(DefaultsError, match=r"wave_quiet_days: 500 is outside its range 0 to 60"):
        calibration.write_defaults({"wave_quiet_days": 500}, fit, copy)
    with pytest.raises(ValueError, match="'no_such' is not a behaviour parameter"):
        calibration.write_defaults({"no_such": 1}, fit, copy)
    assert copy.read_bytes() == before


@pytest.mark.parametrize("edit, message", [
    (lambda e: e.pop("late_loss"), "late_loss: missing"),
    (lambda e: e.update(typo_days={"value": 1, "source": "x"}), "unknown parameter 'typo_days'"),
    (lambda e: e["honeymoon_days"].update(value=365.0), "honeymoon_days: 365.0 is not a int"),
    (lambda e: e["reset_value"].update(value=5), "reset_value: 5 is not a float"),
    (lambda e: e["spoil_share"].update(value=1.5), "spoil_share: 1.5 is outside its range"),
    (lambda e: e["reply_cost"].update(source=" "), "reply_cost: no source"),
])
def test_a_malformed_defaults_file_is_refused_with_the_reason(copy: Path, edit, message):
    document = yaml.safe_load(copy.read_text())
    edit(document["parameters"])
    copy.write_text(yaml.safe_dump(document, sort_keys=False))
    with pytest.raises(DefaultsError, match=message):
        params.defaults_from(copy)


def test_the_defaults_file_is_package_data():
    assert resources.files("sim.game").joinpath(params.DEFAULTS_FILE).is_file()
    assert params.packaged_defaults() == PACKAGED
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    package_data = project["tool"]["setuptools"]["package-data"]
    assert params.DEFAULTS_FILE in package_data["sim.game"]
    assert "py.typed" in package_data["sim"] and (ROOT / "sim" / "py.typed").is_file()


def test_parameters_are_grouped_by_kind():
    table = sim.parameters()
    assert list(table.columns) == ["name", "default", "low", "high", "integer", "meaning",
                                   "source", "group"]
    counts = table["group"].value_counts().to_dict()
    assert counts == {"utility": 12, "timing": 6, "beliefs": 2, "sizing": 8, "noise": 3,
                      "context": 13}
    assert set(counts) == set(GROUPS)
    assert table.loc["discount_rate", "group"] == "utility"
    assert table.loc["reset_hazard", "group"] == "beliefs"
    assert table.loc["perception_noise", "group"] == "noise"
    assert table.loc["war_quiet_days", "source"].startswith("fitted by")


@pytest.mark.parametrize("doc", ["model.md", "scenarios.md"])
def test_the_docs_list_each_parameter_under_its_group(doc: str):
    """Each document has one table per group (after a marker naming the group's key),
    holding exactly that group's parameters with the packaged defaults, so docs and code
    cannot disagree on the grouping or the values."""
    text = (ROOT / "docs" / doc).read_text()
    by_group: dict[str, list[tuple[str, str]]] = {}
    for row in params.parameter_table():
        by_group.setdefault(row["group"], []).append((row["name"], repr(row["default"])))
    assert list(by_group) == list(GROUPS)
    for group, expected in by_group.items():
        marker = f"<!-- parameters: {group} -->"
        assert text.count(marker) == 1, f"docs/{doc}: no table for group {group}"
        table = text.split(marker)[1].split("\n\n")[1]
        cells = [line.split("|") for line in table.splitlines()[2:]]
        listed = [(c[1].strip().strip("`"), c[2].strip()) for c in cells]
        assert listed == expected, f"docs/{doc}, group {group}"
