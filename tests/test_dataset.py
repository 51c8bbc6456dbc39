"""The first-response data set (data/*.csv) and its loader, sim.scenario.dataset.

The counts below are the real figures of the frozen release described in docs/data.md; a
change to the data must change them here on purpose.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest

from sim.scenario.dataset import (
    CATEGORIES,
    COLUMNS,
    MOVE_TYPES,
    RESPONSE_TYPES,
    FirstResponse,
    load_first_responses,
    load_sources,
    split_of,
)
from sim.scenario.errors import ScenarioError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "first_responses.csv"


@pytest.fixture(scope="module")
def rows() -> list[FirstResponse]:
    return load_first_responses()


def test_counts(rows):
    episodes = {r.episode_id for r in rows}
    assert len(rows) == 203
    assert len(episodes) == 124
    neither = [r for r in rows if not {"RUS", "SUN"} & {r.initiator, r.target}]
    assert len(neither) == 58
    assert len({r.episode_id for r in neither}) == 52
    by_split = Counter(split_of(e) for e in episodes)
    assert by_split == {"train": 90, "test": 34}
    assert Counter(r.split for r in rows) == {"train": 160, "test": 43}


def test_targets_of_the_project_are_met(rows):
    assert len(rows) >= 150
    assert len({r.episode_id for r in rows}) >= 50
    assert sum(not r.involves_russia_or_ussr for r in rows) >= 25


def test_category_counts(rows):
    assert Counter(r.response_category for r in rows) == {
        "same": 111, "none": 40, "smaller": 33, "larger": 16, None: 3}


def test_every_cited_source_exists_and_every_source_is_cited(rows):
    sources = load_sources()
    cited = {s for r in rows for s in r.sources}
    # sources the scenario files cite by key, e.g. [S2]
    for path in (Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"):
        cited |= set(re.findall(r"\[(S\d+)\]", path.read_text()))
    assert cited - set(sources) == set()
    assert set(sources) - cited == set()
    assert len(sources) == 567  # 559 for the rows, 8 (S2-S9) for scenarios/2016.yaml
    assert {s[0] for s in sources} == {"A", "B", "C", "D", "E", "S"}  # S: cited by scenario files


def test_enum_columns_hold_schema_values_only():
    with open(DATA, newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    assert tuple(raw[0]) == COLUMNS
    assert {r["move_type"] for r in raw} <= MOVE_TYPES
    assert {r["response_type"] for r in raw} <= RESPONSE_TYPES
    assert {r["response_category"] for r in raw} <= CATEGORIES | {""}
    assert {r["at_war"] for r in raw} == {"yes", "no"}
    assert {r["status"] for r in raw} <= {"accredited", "non_accredited", "disputed", ""}
    assert {r["statement_level"] for r in raw} <= {"none", "spokesman", "minister", "leader", ""}
    for col in ("reassurance", "summit_pending", "divided_initiator",
                "initiator_transition_pending", "target_transition_pending"):
        assert {r[col] for r in raw} <= {"yes", "no", ""}, col


def test_delay_is_the_date_difference_and_nothing_is_dated_2024_or_later(rows):
    for r in rows:
        assert r.date.year < 2024 and r.date.year >= 1945, r.response_id
        if r.response_date is None:
            assert r.delay_days is None, r.response_id
        else:
            assert r.response_date.year < 2024
            assert r.delay_days == (r.response_date - r.date).days, r.response_id


def test_split_column_is_the_frozen_hash_rule(rows):
    for r in rows:
        h = int(hashlib.sha256(r.episode_id.encode()).hexdigest()[:8], 16)
        assert r.split == ("test" if h / 2**32 < 0.30 else "train"), r.episode_id
    assert split_of("2018-03-skripal-wave") == "train"
    assert split_of("2022-03-ukraine-war-wave") == "train"


def test_one_episode_one_split_and_unique_ids(rows):
    splits: dict[str, set[str]] = {}
    for r in rows:
        splits.setdefault(r.episode_id, set()).add(r.split)
    assert all(len(s) == 1 for s in splits.values())
    assert len({r.response_id for r in rows}) == len(rows)


def test_real_values_of_known_rows(rows):
    by_id = {r.response_id: r for r in rows}
    skripal_uk = by_id["2018-03-skripal-wave:GBR-RUS"]
    assert (skripal_uk.move_persons, skripal_uk.response_persons) == (23, 23)
    assert skripal_uk.response_category == "larger" and skripal_uk.delay_days == 3
    spain = by_id["2022-03-ukraine-war-wave:ESP-RUS"]
    assert (spain.move_persons, spain.response_persons, spain.response_category) == (27, 27,
                                                                                      "same")
    assert "E1" in spain.sources
    assert by_id["1983-04-fra-sun-farewell:FRA-SUN"].at_war is False
    assert by_id["2021-04-usa-rus:POL-RUS"].coalition_size == 2
    assert not any(r.episode_id == "2021-10-tur-kavala-10" for r in rows)


def _write(tmp_path: Path, edit) -> Path:
    with open(DATA, newline="", encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    edit(raw)
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(raw)
    return path


@pytest.mark.parametrize(("field", "value", "message"), [
    ("move_type", "kidnap", "is not one of"),
    ("delay_days", "999", "is not response_date - date"),
    ("date", "2024-02-01", "outside 1945-01-01..2023-12-31"),
    ("move_persons", "about 25", "is not a non-negative integer"),
    ("split", "test" if split_of(
        "2018-03-skripal-wave") == "train" else "train", "breaks the frozen rule"),
    ("at_war", "", "must not be empty"),
])
def test_malformed_row_gives_file_line_field(tmp_path, field, value, message):
    def edit(raw):
        row = next(r for r in raw if r["episode_id"] == "2018-03-skripal-wave")
        row[field] = value
    path = _write(tmp_path, edit)
    with open(path, newline="", encoding="utf-8") as f:
        line = next(i for i, r in enumerate(csv.DictReader(f), start=2)
                    if r["episode_id"] == "2018-03-skripal-wave")
    with pytest.raises(ScenarioError) as err:
        load_first_responses(path)
    text = str(err.value)
    assert text.startswith(f"{path}:{line}: {field}: "), text
    assert message in text and "\n" not in text


def test_bad_header_and_missing_file(tmp_path):
    bad = tmp_path / "h.csv"
    bad.write_text("episode_id,initiator\nx,y\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"h\.csv:1: header does not match"):
        load_first_responses(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_first_responses(tmp_path / "nope.csv")
