"""Event data (ICEWS, GDELT 1.0/2.0, POLECAT) into episode skeletons: the layouts, the noise
filter, the grouping, the errors, bounded memory, the command line and the scoring.

The fixtures in tests/fixtures/events/ are hand-made rows in each layout's columns, not
copies of licensed data; each holds noise the filter must drop (161 without diplomats, 174
deporting others, no state on one side), duplicates on one day and an answer outside the
window.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest

from sim.scenario import ScenarioError
from sim.scenario.countries import iso3
from sim.scenario.events import (
    GDELT1_COLUMNS,
    GDELT2_COLUMNS,
    Event,
    ReadStats,
    Skeleton,
    detect_layout,
    import_events,
    is_diplomat_expulsion,
    read_events,
    read_skeletons,
    skeletons,
)
from tests.conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "events"
D = dt.date


def rows_of(result) -> list[tuple]:
    return [(s.initiator, s.target, s.first_date.isoformat(), s.answered,
             s.answer_date.isoformat() if s.answer_date else None, s.delay_days, s.events,
             ";".join(s.codes)) for s in result.skeletons]


# --- exact skeletons of each fixture -----------------------------------------------------

EXPECTED = {
    "icews.tab": ("icews", dict(rows=13, coded=11, no_state=1, same_state=0, not_diplomats=2,
                                kept=8), [
        ("USA", "RUS", "2021-04-15", True, "2021-04-16", 1, 2, "161"),
        ("CZE", "RUS", "2021-04-17", True, "2021-04-18", 1, 1, "174"),
        ("UKR", "HUN", "2021-05-05", False, None, None, 1, "174"),
        ("HUN", "UKR", "2021-08-10", False, None, None, 1, "174"),
        ("BGR", "MKD", "2021-09-01", False, None, None, 1, "161"),
    ]),
    "gdelt1.csv": ("gdelt1", dict(rows=12, coded=11, no_state=1, same_state=0,
                                  not_diplomats=3, kept=7), [
        ("USA", "RUS", "2001-03-22", True, "2001-03-23", 1, 2, "161"),
        ("SRB", "HRV", "2001-04-10", False, None, None, 1, "161"),
        ("PAK", "IND", "2001-04-15", False, None, None, 1, "174"),
        ("IND", "PAK", "2001-07-02", False, None, None, 1, "174"),
        ("HRV", "SRB", "2001-08-01", False, None, None, 1, "174"),
    ]),
    "gdelt2.export.csv": ("gdelt2", dict(rows=15, coded=13, no_state=2, same_state=1,
                                         not_diplomats=2, kept=8), [
        ("GBR", "RUS", "2018-03-14", True, "2018-03-17", 3, 2, "161"),
        ("USA", "RUS", "2018-03-26", True, "2018-03-29", 3, 1, "161"),
        ("CZE", "RUS", "2018-04-05", False, None, None, 1, "174"),
        ("NLD", "TUR", "2018-04-10", False, None, None, 1, "161"),
        ("RUS", "CZE", "2018-06-20", False, None, None, 1, "174"),
    ]),
    "polecat.tsv": ("polecat", dict(rows=12, coded=10, no_state=1, same_state=0,
                                    not_diplomats=2, kept=8), [
        ("POL", "RUS", "2022-03-23", False, None, None, 1, "COERCE/deport"),
        ("DEU", "RUS", "2022-04-04", True, "2022-04-25", 21, 2, "SANCTION/expel"),
        ("LTU", "RUS", "2022-04-05", True, "2022-05-10", 35, 1, "COERCE/deport"),
        ("LVA", "RUS", "2022-04-05", False, None, None, 1, "COERCE/deport"),
        ("RUS", "POL", "2022-06-01", False, None, None, 1, "SANCTION/expel"),
    ]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_gives_its_exact_skeletons(name: str):
    layout, counts, expected = EXPECTED[name]
    result = import_events(FIXTURES / name)
    assert result.stats.layout == layout
    assert {k: getattr(result.stats, k) for k in counts} == counts
    assert rows_of(result) == expected
    assert {s.source_layout for s in result.skeletons} == {layout}


def test_icews_unknown_country_names_are_counted_not_guessed():
    result = import_events(FIXTURES / "icews.tab")
    assert result.stats.unknown_names == {"Atlantis": 1}


def test_duplicates_on_one_day_count_as_reports_not_as_new_episodes():
    # GDELT 2.0 rows 1 and 2: two articles on 14 March about the same British expulsion.
    result = import_events(FIXTURES / "gdelt2.export.csv")
    gbr = [s for s in result.skeletons if (s.initiator, s.target) == ("GBR", "RUS")]
    assert len(gbr) == 1 and gbr[0].events == 2 and gbr[0].first_date == D(2018, 3, 14)


def test_a_recall_that_names_an_ambassador_passes_the_filter_known_noise():
    # docs/data.md: 161 with an ambassador mentioned is kept, though it may be a recall.
    result = import_events(FIXTURES / "gdelt2.export.csv")
    assert ("NLD", "TUR") in {(s.initiator, s.target) for s in result.skeletons}


def test_a_wider_window_turns_a_late_answer_into_an_answer_and_drops_its_own_skeleton():
    result = import_events(FIXTURES / "gdelt2.export.csv", window=90)
    got = {(s.initiator, s.target): (s.answered, s.delay_days) for s in result.skeletons}
    assert got[("CZE", "RUS")] == (True, 76)
    assert ("RUS", "CZE") not in got
    assert len(result.skeletons) == 4
    assert result.median_delay == 3.0


def test_window_zero_counts_only_same_day_answers():
    result = import_events(FIXTURES / "gdelt2.export.csv", window=0)
    assert [s.answered for s in result.skeletons] == [False] * 7
    assert [(s.initiator, s.target) for s in result.skeletons][:3] == [
        ("GBR", "RUS"), ("RUS", "GBR"), ("USA", "RUS")]


def test_codes_174_alone_leaves_the_161_rows_out():
    result = import_events(FIXTURES / "gdelt2.export.csv", codes=["174"])
    assert rows_of(result) == [
        ("RUS", "GBR", "2018-03-17", False, None, None, 1, "174"),
        ("CZE", "RUS", "2018-04-05", False, None, None, 1, "174"),
        ("RUS", "CZE", "2018-06-20", False, None, None, 1, "174"),
    ]
    assert result.stats.coded == 5  # the 174 rows: three kept, one migrants, one same state


def test_only_161_and_174_are_expulsion_codes():
    with pytest.raises(ScenarioError, match=r"only CAMEO 161 and 174.*163"):
        import_events(FIXTURES / "gdelt2.export.csv", codes=["161", "163"])


# --- the filter -----------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "text", "kept"), [
    ("161", "https://x.org/us-cuts-diplomatic-relations-with-caracas", False),
    ("161", "https://x.org/2018/moscow-expels-60-us-officials", True),
    ("161", "https://x.org/britain_expels_russian_diplomats.html", True),
    ("161", "RUSSIA | EMBASSY", True),
    ("161", "Government (Venezuela) | Government", False),
    ("161", "CHINA | JAPAN", False),
    ("174", "https://x.org/us-deports-hundreds-of-migrants", False),
    ("174", "https://x.org/russia-expels-suspects", False),  # an expulsion, not of diplomats
    ("174", "Diplomat (Czech Republic)", True),
    ("174", "SERBIAN CONSUL", True),
    ("174", "Consultant (Germany)", False),  # "consul" is a whole word, not a prefix
    ("174", "declared persona non grata", True),
    ("163", "expels diplomats", False),  # any other code
])
def test_the_noise_filter(code: str, text: str, kept: bool):
    assert is_diplomat_expulsion(code, text) is kept


def test_country_names_resolve_to_alpha3():
    assert iso3("Russian Federation") == "RUS"
    assert iso3("  united   states ") == "USA"
    assert iso3("Korea, Republic of") == "KOR"
    assert iso3("North Macedonia") == "MKD"
    assert iso3("Europe") is None


# --- layouts --------------------------------------------------------------------------------

def _gdelt_row(columns, **values) -> list[str]:
    row = dict.fromkeys(columns, "")
    row.update(GLOBALEVENTID="1", SQLDATE="20200101", IsRootEvent="1")
    row.update(values)
    return [row[c] for c in columns]


def test_gdelt_1_daily_files_with_their_58th_field_sourceurl_are_read(tmp_path: Path):
    columns = (*GDELT1_COLUMNS, "SOURCEURL")
    lines = [_gdelt_row(columns, SQLDATE="20130402", Actor1CountryCode="FRA",
                        Actor2CountryCode="IRN", EventCode="161",
                        SOURCEURL="https://x.fr/paris-expels-iranian-diplomat")]
    path = tmp_path / "20130402.export.CSV"
    path.write_text("\n".join("\t".join(r) for r in lines) + "\n")
    result = import_events(path)
    assert result.stats.layout == "gdelt1"
    assert rows_of(result) == [("FRA", "IRN", "2013-04-02", False, None, None, 1, "161")]


@pytest.mark.parametrize("delimiter", ["\t", ","])
def test_gdelt_with_a_header_row_tab_or_comma(tmp_path: Path, delimiter: str):
    rows = [list(GDELT2_COLUMNS),
            _gdelt_row(GDELT2_COLUMNS, SQLDATE="20200301", Actor1CountryCode="SVK",
                       Actor2CountryCode="RUS", EventCode="161",
                       SOURCEURL="https://x.sk/slovakia-expels-three-russian-diplomats"),
            _gdelt_row(GDELT2_COLUMNS, SQLDATE="20200302", Actor1CountryCode="RUS",
                       Actor2CountryCode="SVK", EventCode="174", Actor2Name="DIPLOMAT, SLOVAK",
                       SOURCEURL="https://x.ru/moscow-answers")]
    path = tmp_path / "bq.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\n").writerows(rows)
    result = import_events(path)
    assert result.stats.layout == "gdelt2"
    assert rows_of(result) == [("SVK", "RUS", "2020-03-01", True, "2020-03-02", 1, 1, "161")]


def test_detect_layout_names_every_layout():
    assert detect_layout((FIXTURES / "icews.tab").read_text().splitlines()[0]).name == "icews"
    assert detect_layout((FIXTURES / "polecat.tsv").read_text().splitlines()[0]).name == "polecat"
    g1 = detect_layout((FIXTURES / "gdelt1.csv").read_text().splitlines()[0])
    g2 = detect_layout((FIXTURES / "gdelt2.export.csv").read_text().splitlines()[0])
    assert (g1.name, g1.header, len(g1.columns)) == ("gdelt1", False, 57)
    assert (g2.name, g2.header, len(g2.columns)) == ("gdelt2", False, 61)


def test_polecat_event_intensity_header_variant_and_datetime_dates(tmp_path: Path):
    text = (FIXTURES / "polecat.tsv").read_text().replace("\tIntensity\t", "\tEvent Intensity\t")
    text = text.replace("2022-04-25\t", "2022-04-25T00:00:00\t", 1)
    path = tmp_path / "polecat.txt"
    path.write_text(text)
    assert rows_of(import_events(path)) == EXPECTED["polecat.tsv"][2]


# --- grouping -----------------------------------------------------------------------------------

def _ev(day: int, src: str, tgt: str, code: str = "161") -> Event:
    return Event(day, D(2020, 1, 1) + dt.timedelta(days=day), src, tgt, code, code, "")


def test_same_day_expulsions_both_ways_open_in_alphabetical_order():
    got = skeletons([_ev(0, "RUS", "EST"), _ev(0, "EST", "RUS")], window=60)
    assert [(s.initiator, s.target, s.delay_days) for s in got] == [("EST", "RUS", 0)]


def test_an_answer_is_the_first_reverse_expulsion_in_the_window_not_a_later_one():
    got = skeletons([_ev(0, "A" * 3, "BBB"), _ev(5, "BBB", "AAA"), _ev(9, "BBB", "AAA"),
                     _ev(200, "AAA", "BBB")], window=60)
    assert [(s.initiator, s.target, s.delay_days, s.events) for s in got] == [
        ("AAA", "BBB", 5, 2)]


def test_a_reverse_expulsion_before_the_window_closes_on_a_later_opening_is_not_reused():
    # BBB's expulsion on day 100 opens its own exchange (AAA's came 100 days before), and
    # AAA's on day 130 answers it.
    got = skeletons([_ev(0, "AAA", "BBB"), _ev(100, "BBB", "AAA"), _ev(130, "AAA", "BBB")],
                    window=60)
    assert [(s.initiator, s.target, s.first_date.isoformat(), s.delay_days) for s in got] == [
        ("AAA", "BBB", "2020-01-01", None), ("BBB", "AAA", "2020-04-10", 30)]


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError):
        skeletons([], window=-1)


# --- errors: one line, FILE:LINE: FIELD: message ----------------------------------------------

def _edit(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    lines = (FIXTURES / name).read_text().splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def _error(path: Path, **kwargs) -> str:
    with pytest.raises(ScenarioError) as info:
        import_events(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


def test_a_malformed_gdelt_date_names_file_line_and_field(tmp_path: Path):
    path = _edit(tmp_path, "gdelt2.export.csv", 4, "\t20180317\t", "\t2018-3-17\t")
    assert _error(path) == (f"{path}:4: SQLDATE: '2018-3-17' is not a date written YYYYMMDD")


def test_an_impossible_icews_date(tmp_path: Path):
    path = _edit(tmp_path, "icews.tab", 5, "2021-04-17", "2021-02-30")
    assert _error(path) == f"{path}:5: Event Date: '2021-02-30' is not a date written YYYY-MM-DD"


def test_a_malformed_polecat_date(tmp_path: Path):
    path = _edit(tmp_path, "polecat.tsv", 3, "2022-04-04", "04/04/2022")
    assert _error(path) == f"{path}:3: Event Date: '04/04/2022' is not a date written YYYY-MM-DD"


def test_a_bad_date_on_a_row_of_another_code_is_not_read(tmp_path: Path):
    # Line 3 is a CAMEO 042 visit: only rows with a wanted code are parsed beyond their width.
    path = _edit(tmp_path, "gdelt2.export.csv", 3, "\t20180315\t", "\tsoon\t")
    assert len(import_events(path).skeletons) == 5


def test_a_gdelt_row_with_a_field_missing(tmp_path: Path):
    lines = (FIXTURES / "gdelt2.export.csv").read_text().splitlines()
    lines[6] = lines[6].rsplit("\t", 1)[0]
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n")
    assert _error(path) == f"{path}:7: row: expected 61 fields (gdelt2), found 60"


def test_an_icews_header_without_target_country(tmp_path: Path):
    path = _edit(tmp_path, "icews.tab", 1, "\tTarget Country\t", "\tTarget Nation\t")
    assert _error(path) == f"{path}:1: header: the header lacks 'Target Country'"


@pytest.mark.parametrize(("content", "expected"), [
    ("date,actor,target\n2020-01-01,USA,RUS\n",
     "1: layout: unknown layout (no tab): expected an ICEWS or POLECAT header"),
    ("1\t2\t3\n", "1: layout: unknown layout (3 tab-separated fields)"),
    ("", "1: layout: the file is empty"),
    ("a\x00b\tc\n", "1: layout: unknown layout (2 tab-separated fields)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00".decode("latin-1"), "1: layout: unknown layout (no tab)"),
])
def test_unknown_layouts(tmp_path: Path, content: str, expected: str):
    path = tmp_path / "x.tsv"
    path.write_text(content)
    assert _error(path).startswith(f"{path}:{expected}")


def test_a_missing_file(tmp_path: Path):
    assert _error(tmp_path / "nope.tsv") == (
        f"{tmp_path / 'nope.tsv'}: cannot read the file: No such file or directory")


# --- bounded memory ------------------------------------------------------------------------------

def test_a_200000_row_file_is_streamed_in_little_memory(tmp_path: Path):
    """200,000 GDELT 2.0 rows (about 30 MB): every 100th a 161 between one of 20 pairs.
    The rows are never held: the peak of traced memory stays under 3 MB, a tenth of the
    file, while reading all of them and grouping the 2,000 kept events."""
    path = tmp_path / "big.export.CSV"
    states = ["AUT", "BEL", "CZE", "DNK", "EST", "FIN", "GRC", "HUN", "IRL", "ITA"]
    with path.open("w") as fh:
        for i in range(200_000):
            day = (D(2015, 1, 1) + dt.timedelta(days=i // 200)).strftime("%Y%m%d")
            if i % 100 == 0:
                k = (i // 100) % 20
                src, tgt = states[k % 10], states[(k // 10 + k + 1) % 10]
                code, url = "161", f"https://x.org/{i}/expels-diplomats"
            else:
                src, tgt, code, url = "USA", "CHN", "042", f"https://x.org/{i}/visit"
            fields = [str(i + 1), day, day[:6], day[:4], "2015.0"]
            fields += ["", "", src] + [""] * 7 + ["", "", tgt] + [""] * 7
            fields += ["1", code, code, code[:2], "1", "1.0", "1", "1", "1", "0.0"]
            fields += [""] * 24 + [day + "000000", url]  # three empty places, then the rest
            row = "\t".join(fields)
            assert row.count("\t") == 60
            fh.write(row + "\n")
    assert path.stat().st_size > 25_000_000
    stats = ReadStats()
    tracemalloc.start()
    try:
        found = skeletons(read_events(path, stats=stats), window=60)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stats.rows == 200_000 and stats.coded == 2_000 and stats.kept == 2_000
    # 20 ordered pairs, none answered (no pair has its reverse), 100 events each.
    assert len(found) == 20 and sum(s.events for s in found) == 2_000
    assert not any(s.answered for s in found)
    assert peak < 3_000_000, f"peak traced memory {peak} bytes"


# --- episodes.csv back in ----------------------------------------------------------------------

def test_skeletons_round_trip_through_episodes_csv(tmp_path: Path):
    from sim.cli.import_events import episodes_csv

    result = import_events(FIXTURES / "polecat.tsv")
    path = tmp_path / "episodes.csv"
    path.write_text(episodes_csv(result))
    assert read_skeletons(path) == result.skeletons


@pytest.mark.parametrize(("old", "new", "expected"), [
    (",21,2,", ",20,2,", "3: delay_days: '20' is not answer_date - first_date = 21"),
    ("DEU,RUS", "Germany,RUS", "3: initiator: 'Germany' is not a state code"),
    (",yes,2022-04-25", ",maybe,2022-04-25", "3: answered: 'maybe' is not yes or no"),
])
def test_a_broken_episodes_csv_names_the_line(tmp_path: Path, old: str, new: str,
                                              expected: str):
    from sim.cli.import_events import episodes_csv

    text = episodes_csv(import_events(FIXTURES / "polecat.tsv"))
    assert old in text
    path = tmp_path / "episodes.csv"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ScenarioError) as info:
        read_skeletons(path)
    assert str(info.value).startswith(f"{path}:{expected}")


# --- the command line -----------------------------------------------------------------------------

def test_cli_import_events_writes_episodes_and_a_summary(tmp_path: Path):
    out = tmp_path / "events"
    proc = run_cli("import", "events", FIXTURES / "gdelt2.export.csv", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[:6] == [
        "layout: gdelt2",
        "rows read: 15; with code 161,174: 13",
        "dropped: 2 without a state on both sides, 1 within one state, 2 not about diplomats",
        "events kept: 8",
        "pairs: 5; answered within 60 days: 2 (40%)",
        "median delay: 3 days",
    ]
    assert (out / "episodes.csv").read_text().splitlines() == [
        "initiator,target,first_date,answered,answer_date,delay_days,events,source_layout,codes",
        "GBR,RUS,2018-03-14,yes,2018-03-17,3,2,gdelt2,161",
        "USA,RUS,2018-03-26,yes,2018-03-29,3,1,gdelt2,161",
        "CZE,RUS,2018-04-05,no,,,1,gdelt2,174",
        "NLD,TUR,2018-04-10,no,,,1,gdelt2,161",
        "RUS,CZE,2018-06-20,no,,,1,gdelt2,174",
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["scenario"]["name"], summary["window_days"], summary["pairs"],
            summary["events_kept"]) == ("import-events", 60, 5, 8)
    # Run again with another window: the folder is its own, so it is replaced.
    again = run_cli("import", "events", FIXTURES / "gdelt2.export.csv", "--out", out,
                    "--window", "90", "--codes", "161,174")
    assert again.returncode == 0, again.stderr
    assert "CZE,RUS,2018-04-05,yes,2018-06-20,76,1,gdelt2,174" in (out / "episodes.csv").read_text()


def test_cli_never_writes_over_a_folder_it_did_not_write(tmp_path: Path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    proc = run_cli("import", "events", FIXTURES / "icews.tab", "--out", out)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("argv", [
    ["import", "events", "README.md"],
    ["import", "events", "no/such/file.tsv"],
    ["import", "events", "tests/fixtures/events/icews.tab", "--window", "-3"],
    ["import", "events", "tests/fixtures/events/icews.tab", "--codes", "161,163"],
    ["import"],
    ["import", "everything"],
])
def test_cli_bad_input_is_exit_2_one_line_no_traceback_nothing_written(tmp_path: Path, argv):
    out = tmp_path / "out"
    proc = run_cli(*argv, "--out", out) if len(argv) > 2 else run_cli(*argv)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "error:" in proc.stderr.strip().splitlines()[-1]
    assert not out.exists()


def test_cli_validate_events_scores_model_and_baseline(tmp_path: Path):
    events = tmp_path / "events"
    assert run_cli("import", "events", FIXTURES / "polecat.tsv", "--out", events).returncode == 0
    out = tmp_path / "val"
    proc = run_cli("validate", "--events", events / "episodes.csv", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == (
        f"skeletons: 5 from {events / 'episodes.csv'} (window 60 days); recorded as answered: 2")
    with (out / "skeleton_scorecard.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["initiator"], r["target"], r["recorded_delay_days"], r["baseline_answered_ok"],
             r["baseline_delay_ok"]) for r in rows] == [
        ("POL", "RUS", "", "False", "False"),
        ("DEU", "RUS", "21", "True", "False"),
        ("LTU", "RUS", "35", "True", "False"),
        ("LVA", "RUS", "", "False", "False"),
        ("RUS", "POL", "", "False", "False"),
    ]
    # No facts: one prediction for every pair (docs/data.md says so).
    assert len({(r["predicted_answered"], r["predicted_delay_days"]) for r in rows}) == 1
    summary = json.loads((out / "summary.json").read_text())
    assert summary["baseline"] == {"n": 5, "answered": 0.4, "delay": 0.0}
    # docs/data.md says that, with today's defaults, the model answers every skeleton the
    # next day, as the baseline does: if this fails, the model tells pairs apart; update it.
    assert summary["model"] == summary["baseline"]
    assert summary["scenario"]["name"] == "validate-events"
    both = run_cli("validate", "scenarios", "--events", events / "episodes.csv")
    assert both.returncode == 2 and "one or the other" in both.stderr


def test_cli_validate_events_rejects_a_file_that_is_not_episodes(tmp_path: Path):
    proc = run_cli("validate", "--events", FIXTURES / "icews.tab", "--out", tmp_path / "v")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "1: header: missing column(s) initiator" in proc.stderr


# --- the scoring, in process ------------------------------------------------------------

def test_skeleton_scenario_is_two_equal_states_and_one_expulsion():
    import sim
    from sim.analysis.skeleton_scores import (
        EXPELLED_PERSONS,
        MISSION_STAFF,
        score_skeletons,
        skeleton_scenario,
        skeleton_shares,
    )

    sk = Skeleton("EST", "RUS", D(2022, 1, 10), D(2022, 1, 12), 3, "polecat", ("COERCE/deport",))
    spec = sim.load(skeleton_scenario(sk, 30)).spec
    assert (spec.start, spec.end) == (D(2022, 1, 10), D(2022, 2, 9))
    assert {k: (s.power, dict(s.missions)) for k, s in spec.states.items()} == {
        "EST": (1.0, {"RUS": MISSION_STAFF}), "RUS": (1.0, {"EST": MISSION_STAFF})}
    assert [(e.actor, e.target, e.persons) for e in spec.events] == [
        ("EST", "RUS", EXPELLED_PERSONS)]
    frame = score_skeletons([sk], window=30)
    row = frame.iloc[0]
    assert bool(row["recorded_answered"]) and int(row["recorded_delay_days"]) == 2
    assert bool(row["baseline_delay_ok"])  # 1 day against 2: within 3
    assert bool(row["answered_ok"]) == bool(row["predicted_answered"])
    shares = skeleton_shares(frame, "baseline")
    assert (shares.n, shares.answered, shares.delay) == (1, 1.0, 1.0)
