"""Honest validation on the first-response data set: train, leave-one-episode-out, test.

`evaluate(rows)` scores every predictor of `sim.analysis.baselines` on the frozen splits
of docs/data.md (section "Validation"):

1. Keep the rows the model can be put to (`engine_predict.scorable`: a recorded category
   and a scenario the format can express); every predictor is scored on the same rows, so
   the comparison is paired.
2. Fit each predictor on the training rows only; score it on them (``train``, in sample)
   and on the test rows (``test``), which nothing was fitted on.
3. With ``cv``: for each training episode, refit every predictor on the other training
   episodes and predict the held-out episode's rows; the pooled held-out predictions are
   the ``cv`` split. Episodes, not rows, are held out, because the rows of one
   coordinated wave share their facts. The model's refits (`fold_estimates`) are
   maximum-likelihood point estimates of the parameters the full-training fit
   identified, warm-started from its estimates, with the held-out episode's rows given
   weight 0; all folds' optimisers run in lockstep (`estimation.Lockstep`), so that the
   90 refits share engine passes instead of costing 90 full fits with profiles.
4. On each split, the exact McNemar test of the model against tit for tat on category
   correctness (`sim.analysis.metrics.mcnemar`).

`evaluate_given(rows, train)` scores rows given by the user (split ``given``) with
predictors fitted on `train` and the model at the current parameters, fitting nothing
on the given rows.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis import metrics
from sim.analysis.baselines import (
    Model,
    Prediction,
    SizeRule,
    estimation_module,
    predictors,
    recorded,
)
from sim.analysis.engine_predict import scorable
from sim.scenario.dataset import FirstResponse

Progress = Callable[[Iterable[Any], int, str], Iterable[Any]]  # items, total, label


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
    began = time.perf_counter()
    refits = fold_estimates(train, full, episodes, progress) if full.fitted else {}
    seconds["cv_model_fit"] = time.perf_counter() - began
    parts: dict[str, list[Prediction]] = {}
    order: list[FirstResponse] = []
    folds = progress(episodes, len(episodes), "held-out folds") if progress else episodes
    for episode in folds:
        held = [r for r in train if r.episode_id == episode]
        rest = [r for r in train if r.episode_id != episode]
        model = replace(full, overrides=refits[episode], sizes=SizeRule.of(rest)) \
            if refits else replace(full, fitted=False)
        for p in [model] + [b.fit(rest) for b in predictors()[1:]]:
            if p.name == "model" and not p.fitted:
                # nothing was estimated: the held-out predictions are the in-sample ones
                index = [train.index(r) for r in held]
                parts.setdefault(p.name, []).append(_take(model_in_sample, index))
            else:
                parts.setdefault(p.name, []).append(p.predict(held))
        order += held
    return order, {name: _concat(ps) for name, ps in parts.items()}


def fold_estimates(train: Sequence[FirstResponse], full: Model, episodes: Sequence[str],
                   progress: Progress | None = None) -> dict[str, dict[str, float]]:
    """The model's behaviour overrides refitted without each episode of `episodes`.

    1. The likelihood of the training rows (`likelihood.prepare`), over the parameters
       `full` identified, on estimation's transformed scale.
    2. Fold b weights each row 1, and the rows of episode b 0: the likelihood of the
       other episodes.
    3. Each fold's L-BFGS-B (estimation's bounds and tolerances) starts from the full
       fit's estimates, in its own thread; `estimation.Lockstep` evaluates all the folds'
       points in one engine batch per step.
    4. Each fold's estimates as field overrides (a product on its first field), on top
       of `full.overrides` (values `--set` gave and the parameters not identified)."""
    from scipy import optimize

    from sim.analysis import likelihood, row_workers

    estimation = estimation_module()
    assert estimation is not None and full.fitted
    names = [n for n in full.identified if n in full.estimates]
    if not names:
        return {e: dict(full.overrides) for e in episodes}
    lik = likelihood.prepare(list(train))
    params = [estimation.CANDIDATES[n] for n in names]
    row_episode = np.array([p.row.episode_id for p in lik.prepared])
    weights = np.stack([(row_episode != e).astype(float) for e in episodes])
    step = estimation.Lockstep(estimation.Objective(lik, params, False), weights)
    z0 = np.array([p.to_z(full.estimates[n]) for p, n in zip(params, names, strict=True)])
    bounds = [p.bounds for p in params]
    found: dict[str, dict[str, float]] = {}
    failed: list[BaseException] = []
    lock = threading.Lock()
    ticks = iter(progress(range(len(episodes)), len(episodes), "model refits")) \
        if progress else None

    def refit(b: int) -> None:
        try:
            r = optimize.minimize(step.objective(b).value_and_gradient, z0, jac=True,
                                  method="L-BFGS-B", bounds=bounds,
                                  options={"maxiter": 200, "ftol": 1e-10, "gtol": 1e-6})
            out = dict(full.overrides)
            for j, p in enumerate(params):
                values = p.settings(np.array([p.from_z(r.x[j])]))
                out.update({k: float(v[0]) for k, v in values.items()})
            found[episodes[b]] = out
        except BaseException as exc:  # raised again in the calling thread
            failed.append(exc)
        finally:
            step.done(b)
            with lock:
                if ticks is not None:
                    next(ticks, None)

    with row_workers.shared(lik):  # every core evaluates a share of the rows
        estimation.run_threads(refit, len(episodes))
    if ticks is not None:
        next(ticks, None)  # let a progress bar close
    if step.error is not None:
        raise step.error
    if failed:
        raise failed[0]
    return found


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
