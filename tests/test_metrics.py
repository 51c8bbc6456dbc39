"""Validation metrics, baselines and the data-set mode of `python -m sim validate`, on
inputs small enough to compute by hand."""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from sim.analysis import baselines, metrics
from sim.scenario.dataset import load_first_responses
from tests.conftest import SCENARIOS, run_cli

P = [[0.1, 0.2, 0.6, 0.1],
     [0.5, 0.5, 0.0, 0.0]]
RECORDED = ["same", "same"]


def test_log_loss_clips_an_impossible_answer_at_the_stated_epsilon():
    # -ln 0.6 = 0.510826; the second row called "same" impossible: -ln 1e-4 = 9.210340
    assert metrics.log_loss(P, RECORDED) == pytest.approx((0.510826 + 9.210340) / 2, abs=1e-6)
    assert metrics.log_loss(P, RECORDED, eps=0.01) == pytest.approx((0.510826 + 4.605170) / 2,
                                                                     abs=1e-6)


def test_brier_is_the_squared_distance_to_the_recorded_category():
    # row 1: .01 + .04 + .16 + .01 = .22; row 2: .25 + .25 + 1 + 0 = 1.5
    assert metrics.brier(P, RECORDED) == pytest.approx(0.86)


def test_accuracy_breaks_ties_towards_the_earlier_category():
    # row 2 ties none and smaller: none, which is wrong
    assert metrics.accuracy(P, RECORDED) == 0.5
    assert metrics.predicted_categories(P).tolist() == [2, 0]


def test_bad_probabilities_and_categories_are_refused():
    with pytest.raises(ValueError, match="sum to 1"):
        metrics.brier([[0.5, 0.5, 0.5, 0.0]], ["same"])
    with pytest.raises(ValueError, match="unknown categories"):
        metrics.brier([[0, 0, 1, 0]], ["equal"])


def test_size_within_ten_percent_counts_a_missing_prediction_as_wrong():
    # 34 of 37 is within 10%, 30 is not, no prediction for 5 is wrong, unrecorded is skipped
    assert metrics.size_within([34, 30, math.nan, 0], [37, 37, 5, math.nan]) == \
        pytest.approx(1 / 3)


def test_delay_within_three_days_scores_the_event_answered_within_three_days():
    # truth: answered day 1 (yes), none (no), answered day 10 (no), undated answer (left out)
    # predicted: 0.9 yes, 0.2 no, 0.6 yes -> right, right, wrong
    got = metrics.delay_within([0.9, 0.2, 0.6, 0.5], ["same", "none", "smaller", "larger"],
                               [1, math.nan, 10, math.nan])
    assert got == pytest.approx(2 / 3)


def test_exact_mcnemar_on_the_discordant_pairs():
    # 8 rows only the model gets right, 2 only tit for tat:
    # p = 2 * P(X <= 2 | n = 10, 1/2) = 2 * (1 + 10 + 45) / 1024 = 0.109375
    model = [True] * 8 + [False] * 2 + [True] * 5
    tft = [False] * 8 + [True] * 2 + [True] * 5
    test = metrics.mcnemar(model, tft)
    assert (test.n, test.first_only, test.second_only) == (15, 8, 2)
    assert test.p_value == pytest.approx(0.109375)
    assert metrics.mcnemar([True, False], [True, False]).p_value == 1.0


# --- Baselines on a tiny table --------------------------------------------------------

def tiny() -> list:
    """Four training rows: categories same, same, none, larger (made from one real row)."""
    base = load_first_responses()[0]
    spec = [("same", 4, 4, 1), ("same", 6, 6, 5), ("none", 1, 0, None), ("larger", 20, 60, 2)]
    return [dataclasses.replace(base, response_id=f"t{i}", episode_id=f"e{i}",
                                response_category=c, move_persons=m, response_persons=r,
                                delay_days=d, move_type="expel")
            for i, (c, m, r, d) in enumerate(spec)]


def test_tit_for_tat_puts_one_minus_eps_on_same_and_answers_the_next_day():
    rows = tiny()
    p = baselines.TitForTat().fit(rows).predict(rows)
    assert p.probabilities[0].tolist() == pytest.approx([0.01, 0.01, 0.97, 0.01])
    assert p.persons.tolist() == [4, 6, 1, 20]
    assert p.within_3_days.tolist() == [1, 1, 1, 1]


def test_base_rate_uses_the_training_shares_sizes_and_timing():
    rows = tiny()
    p = baselines.BaseRate().fit(rows).predict(rows[:1])
    assert p.probabilities[0].tolist() == pytest.approx([0.25, 0.0, 0.5, 0.25])
    assert p.persons.tolist() == [4]  # most likely "same": the move's 4 persons
    # within 3 days: same 1 of 2 (delays 1 and 5), larger 1 of 1, none 0
    assert p.within_3_days[0] == pytest.approx(0.5 * 0.5 + 0.25 * 1.0)
    rule = baselines.SizeRule.of(rows)
    # none 0, same 1, larger 60 / 20; no smaller row in training: no ratio (NaN)
    assert rule.ratios[0] == 0.0 and rule.ratios[2:] == (1.0, 3.0)
    assert math.isnan(rule.ratios[1])
    assert rule.persons(rows, np.array([3, 0, 2, 3])).tolist() == [12, 0, 1, 60]


def test_logistic_with_a_huge_penalty_is_the_base_rate():
    rows = tiny()
    p = baselines.Logistic(l2=1e6).fit(rows).predict(rows)
    assert p.probabilities.sum(axis=1) == pytest.approx(np.ones(4))
    assert p.probabilities[0].tolist() == pytest.approx([0.25, 0.0, 0.5, 0.25], abs=2e-3)


def test_logistic_learns_a_covariate_that_separates():
    rows = tiny()  # move persons 1 (none) < 4, 6 (same) < 20 (larger): intervals
    p = baselines.Logistic(l2=0.01).fit(rows).predict(rows)
    assert metrics.predicted_categories(p.probabilities).tolist() == [2, 2, 0, 3]


# --- The command ----------------------------------------------------------------------

ROWS = ["1954-06-usa-sun-attaches:USA-SUN", "1963-02-aus-sun-skripov:AUS-SUN"]


def header_and_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open() as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def test_validate_rows_writes_metrics_with_the_columns(tmp_path: Path):
    out = tmp_path / "v"
    proc = run_cli("validate", "--rows", *ROWS, "--runs", "40", "--out", out)
    assert proc.returncode == 0, proc.stderr
    header, rows = header_and_rows(out / "metrics.csv")
    assert header == list(metrics.METRIC_COLUMNS)
    assert {r["split"] for r in rows} == {"given"}
    assert [r["predictor"] for r in rows] == ["model", "tit_for_tat", "base_rate", "logistic"]
    assert {r["n"] for r in rows} == {"2"}
    # the recorded answers are smaller and same: tit for tat gets one of two
    assert next(r for r in rows if r["predictor"] == "tit_for_tat")["accuracy"] == "0.5"
    _, predictions = header_and_rows(out / "predictions.csv")
    assert [p["response_id"] for p in predictions] == ROWS
    assert (out / "metrics.png").stat().st_size > 10_000
    assert not (out / "scorecard.csv").exists()


@pytest.mark.parametrize("args, message", [
    (["--rows", "no-such-row"], "--rows: 'no-such-row' is not a response_id"),
    (["--cv", str(SCENARIOS / "2016.yaml")], "--cv cross-validates"),
    (["--runs", "0"], "--runs: 0 must be at least 1"),
    (["--rows", "2012-02-blr-eu-pol:BLR-EU"], "none of the rows given can be scored"),
])
def test_validate_refuses_bad_input_with_one_line(tmp_path: Path, args, message):
    out = tmp_path / "v"
    proc = run_cli("validate", *args, "--out", out)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert not out.exists()


def test_validate_refuses_a_data_file_with_a_bad_row(tmp_path: Path):
    data = Path(__file__).resolve().parent.parent / "data" / "first_responses.csv"
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "bad.csv"
    bad.write_text(lines[0] + lines[1].replace(",expel,", ",expulsion,", 1), encoding="utf-8")
    proc = run_cli("validate", bad, "--out", tmp_path / "v")
    assert proc.returncode == 2
    assert f"{bad}:2: move_type: 'expulsion' is not one of" in proc.stderr
    assert not (tmp_path / "v").exists()


@pytest.mark.slow
def test_validate_on_the_data_set_fits_on_train_only(tmp_path: Path):
    out = tmp_path / "v"
    proc = run_cli("validate", "--runs", "40", "--quiet", "--out", out, timeout=900)
    assert proc.returncode == 0, proc.stderr
    header, rows = header_and_rows(out / "metrics.csv")
    assert header == list(metrics.METRIC_COLUMNS)
    assert [(r["predictor"], r["split"]) for r in rows] == [
        (p, s) for s in ("train", "test") for p in ("model", "tit_for_tat", "base_rate",
                                                    "logistic")]
    _, predictions = header_and_rows(out / "predictions.csv")
    train = [p for p in predictions if p["split"] == "train"]
    test = [p for p in predictions if p["split"] == "test"]
    assert (len(train), len(test)) == tuple(int(r["n"]) for r in rows[::4])
    # the base rate of every row, test rows included, is the training split's share
    share = sum(p["recorded"] == "same" for p in train) / len(train)
    assert {round(float(p["base_rate_same"]), 5) for p in test} == {round(share, 5)}
    _, tests = header_and_rows(out / "mcnemar.csv")
    assert [t["split"] for t in tests] == ["train", "test"]
    assert (out / "scorecard.csv").exists() and (out / "metrics.png").exists()


def test_validate_rows_twice_gives_the_same_bytes(tmp_path: Path):
    for out in ("a", "b"):
        proc = run_cli("validate", "--rows", ROWS[0], "--runs", "30", "--seed", "3",
                       "--out", tmp_path / out)
        assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert {"metrics.csv", "predictions.csv", "metrics.png", "summary.json"} <= set(names)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), \
            name


@pytest.mark.slow
def test_lockstep_fold_refits_equal_fits_without_the_episode():
    """Cross-validation's refits (one weighted likelihood per fold, all in lockstep) give
    what estimation.fit gives on the other episodes, started from the same values."""
    from sim.analysis import engine_predict, estimation, holdout

    rows = [r for r in load_first_responses() if r.split == "train"
            and engine_predict.scorable(r)]
    episodes = sorted({r.episode_id for r in rows})[12:40]
    rows = [r for r in rows if r.episode_id in episodes]
    full = baselines.Model().fit(rows)
    assert full.fitted and full.identified
    folds = holdout.fold_estimates(rows, full, episodes[:3])
    moved = 0
    params = [estimation.CANDIDATES[n] for n in full.identified]
    for episode, got in folds.items():
        # the fold's claim: the L-BFGS-B maximum of the likelihood without the episode,
        # from the full estimates (not the profile restarts `estimation.fit` adds)
        rest = [r for r in rows if r.episode_id != episode]
        obj = estimation.Objective(estimation.prepare(rest), params, delay=False)
        z0 = np.array([p.to_z(full.estimates[p.name]) for p in params])
        alone = estimation._optimise(obj, z0).x
        for p, z in zip(params, alone, strict=True):
            for name, value in p.settings(np.array([float(p.from_z(z))])).items():
                assert got[name] == pytest.approx(float(value[0]), rel=1e-4), (episode, name)
                moved += got[name] != pytest.approx(full.overrides[name], rel=1e-6)
    assert moved  # holding an episode out changes some estimate: its weight is 0
