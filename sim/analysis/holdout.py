"""Honest validation on the first-response data set: train, leave-one-episode-out, test.

`evaluate(rows)` scores every predictor of `sim.analysis.baselines` on the frozen splits
of docs/data.md (section "Validation"):

1. Keep the rows the model can be put to (`engine_predict.scorable`: a recorded category
   and a scenario the format can express); every predictor is scored on the same rows, so
   the comparison is paired.
2. Fit each predictor on the training rows only; score it on them (``train``, in sample)
   and on the test rows (``test``), which nothing was fitted on.
3. With ``cv``: for each training episode, refit every predictor on the other training
   episodes (the model warm-started from the full-train fit) and predict the held-out
   episode's rows; the pooled held-out predictions are the ``cv`` split. Episodes, not
   rows, are held out, because the rows of one coordinated wave share their facts.
4. On each split, the exact McNemar test of the model against tit for tat on category
   correctness (`sim.analysis.metrics.mcnemar`).

`evaluate_given(rows, train)` scores rows given by the user (split ``given``) with
predictors fitted on `train` and the model at the current parameters, fitting nothing
on the given rows.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import metrics
from sim.analysis.baselines import Model, Prediction, SizeRule, predictors, recorded
from sim.analysis.engine_predict import scorable
from sim.scenario.dataset import FirstResponse

Progress = Callable[[Iterable[Any], int], Iterable[Any]]


@dataclass
class Evaluation:
    """metrics.csv, mcnemar.csv and predictions.csv as frames, with what produced them."""

    metrics: pd.DataFrame
    mcnemar: pd.DataFrame
    predictions: pd.DataFrame
    model: Model
    left_out: list[str] = field(default_factory=list)  # rows no predictor could score
    seconds: dict[str, float] = field(default_factory=dict)


def _nan(value: int | None) -> float:
    return math.nan if value is None else float(value)


def score_rows(name: str, split: str, rows: Sequence[FirstResponse],
               prediction: Prediction) -> metrics.Scores:
    """Every metric of one predictor's `prediction` of `rows`."""
    return metrics.score(
        name, split, prediction.probabilities, recorded(rows),
        predicted_persons=prediction.persons,
        recorded_persons=[math.nan if r.move_persons is None else _nan(r.response_persons)
                          for r in rows],
        within_probability=prediction.within_3_days,
        delay_days=[_nan(r.delay_days) for r in rows])


def _correct(rows: Sequence[FirstResponse], prediction: Prediction) -> np.ndarray:
    y = metrics.category_index(recorded(rows))
    return np.asarray(metrics.predicted_categories(prediction.probabilities) == y)


def _tables(by_split: dict[str, tuple[list[FirstResponse], dict[str, Prediction]]]
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    scores, tests = [], []
    for split, (rows, preds) in by_split.items():
        if not rows:
            continue
        scores += [score_rows(name, split, rows, p).as_dict() for name, p in preds.items()]
        test = metrics.mcnemar(_correct(rows, preds["model"]),
                               _correct(rows, preds["tit_for_tat"]))
        tests.append({"split": split, "first": "model", "second": "tit_for_tat",
                      **test.as_dict()})
    mcnemar_columns = ["split", "first", "second", "n", "first_only", "second_only",
                       "p_value"]
    return (pd.DataFrame(scores, columns=list(metrics.METRIC_COLUMNS)),
            pd.DataFrame(tests, columns=mcnemar_columns))


def _prediction_frame(by_split: dict[str, tuple[list[FirstResponse], dict[str, Prediction]]]
                      ) -> pd.DataFrame:
    """One row per data row: id, split, recorded, each predictor's probabilities (and,
    for training rows under cross-validation, the held-out ones as ``cv_*`` columns)."""
    frames = []
    for split, (rows, preds) in by_split.items():
        if split == "cv":
            continue
        frame = pd.DataFrame({"response_id": [r.response_id for r in rows],
                              "split": split, "recorded": recorded(rows)})
        for name, p in preds.items():
            for k, c in enumerate(metrics.CATEGORIES):
                frame[f"{name}_{c}"] = p.probabilities[:, k]
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if "cv" in by_split:
        rows, preds = by_split["cv"]
        cv = pd.DataFrame({"response_id": [r.response_id for r in rows]})
        for name, p in preds.items():
            for k, c in enumerate(metrics.CATEGORIES):
                cv[f"cv_{name}_{c}"] = p.probabilities[:, k]
        out = out.merge(cv, on="response_id", how="left")
    return out


def _fit_all(train: Sequence[FirstResponse], model: Model, warm: bool,
             fit_model: bool = True) -> list[Any]:
    first = model.fit(train, warm=warm) if fit_model else \
        replace(model, sizes=SizeRule.of(train))
    return [first] + [p.fit(train) for p in predictors()[1:]]


def evaluate(rows: Sequence[FirstResponse], *, cv: bool = False, model: Model | None = None,
             fit_model: bool = True, progress: Progress | None = None) -> Evaluation:
    """Train, test and (with `cv`) leave-one-episode-out scores of every predictor.

    `fit_model=False` takes `model` as already fitted on the training split (a notebook
    that has just run the fit) instead of fitting it again."""
    kept = [r for r in rows if scorable(r)]
    left_out = [r.response_id for r in rows if not scorable(r)]
    train = [r for r in kept if r.split == "train"]
    test = [r for r in kept if r.split == "test"]
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    fitted = _fit_all(train, model or Model(), warm=False, fit_model=fit_model)
    seconds["fit"] = time.perf_counter() - start
    by_split: dict[str, tuple[list[FirstResponse], dict[str, Prediction]]] = {}
    start = time.perf_counter()
    for split, part in (("train", train), ("test", test)):
        by_split[split] = (part, {p.name: p.predict(part) for p in fitted})
    seconds["predict"] = time.perf_counter() - start
    if cv:
        start = time.perf_counter()
        by_split["cv"] = _cross_validate(train, fitted[0], by_split["train"][1]["model"],
                                         progress, seconds)
        seconds["cv"] = time.perf_counter() - start
    table, tests = _tables(by_split)
    return Evaluation(table, tests, _prediction_frame(by_split), fitted[0], left_out, seconds)


def _cross_validate(train: list[FirstResponse], full: Model, model_in_sample: Prediction,
                    progress: Progress | None, seconds: dict[str, float]
                    ) -> tuple[list[FirstResponse], dict[str, Prediction]]:
    """Held-out predictions for every training row, one fold per episode; the time the
    model's refits take is added to ``seconds["cv_model_fit"]``."""
    episodes = sorted({r.episode_id for r in train})
    parts: dict[str, list[Prediction]] = {}
    order: list[FirstResponse] = []
    folds: Iterable[str] = progress(episodes, len(episodes)) if progress else episodes
    for episode in folds:
        held = [r for r in train if r.episode_id == episode]
        rest = [r for r in train if r.episode_id != episode]
        began = time.perf_counter()
        model = full.fit(rest, warm=True)
        seconds["cv_model_fit"] = seconds.get("cv_model_fit", 0.0) + time.perf_counter() - began
        for p in [model] + [b.fit(rest) for b in predictors()[1:]]:
            if p.name == "model" and not p.fitted:
                # nothing was estimated: the held-out predictions are the in-sample ones
                index = [train.index(r) for r in held]
                parts.setdefault(p.name, []).append(_take(model_in_sample, index))
            else:
                parts.setdefault(p.name, []).append(p.predict(held))
        order += held
    return order, {name: _concat(ps) for name, ps in parts.items()}


def _take(p: Prediction, index: list[int]) -> Prediction:
    return Prediction(p.probabilities[index], p.within_3_days[index], p.persons[index])


def _concat(ps: list[Prediction]) -> Prediction:
    return Prediction(np.vstack([p.probabilities for p in ps]),
                      np.concatenate([p.within_3_days for p in ps]),
                      np.concatenate([p.persons for p in ps]))


def evaluate_given(rows: Sequence[FirstResponse], train: Sequence[FirstResponse], *,
                   model: Model | None = None) -> Evaluation:
    """Scores on `rows` (split ``given``): the baselines fitted on `train`, the model at
    `model`'s parameters (the current defaults unless given), nothing fitted on `rows`."""
    kept = [r for r in rows if scorable(r)]
    left_out = [r.response_id for r in rows if not scorable(r)]
    fit_on = [r for r in train if scorable(r)]
    current = replace(model or Model(), sizes=SizeRule.of(fit_on))
    fitted = [current] + [p.fit(fit_on) for p in predictors()[1:]]
    start = time.perf_counter()
    by_split = {"given": (kept, {p.name: p.predict(kept) for p in fitted})}
    seconds = {"predict": time.perf_counter() - start}
    table, tests = _tables(by_split)
    return Evaluation(table, tests, _prediction_frame(by_split), current, left_out, seconds)
