"""Predictors of first responses to score the model against, and the model as one of them.

Every predictor is fitted on training rows only and then predicts any rows
(`Prediction`: probabilities over `CATEGORIES`, the probability of an answer within 3
days, the persons of the most likely answer). Four are scored (docs/data.md,
"Validation"):

- `TitForTat`: the same number, the next day. As a probability it puts ``1 - TFT_EPS`` on
  "same" and spreads `TFT_EPS` evenly over the other three (a rule that calls the others
  impossible would get an infinite log loss from one exception, which says nothing).
- `BaseRate`: the category shares of the training rows, the same for every row.
- `Logistic`: a multinomial logit of the category on the facts the model uses, coded from
  the row (`covariates`), with an L2 penalty (`LOGIT_L2`) on the standardised slopes
  and none on the intercepts, maximised by L-BFGS (scipy). Why not statsmodels' MNLogit:
  57 slopes on 144 rows with rare categories are separated (some covariate predicts a
  category perfectly), so the unpenalised maximum is at infinity; MNLogit on the training
  split stops unconverged with coefficients up to 189 in absolute value. A fixed ridge
  penalty keeps every fold finite and is the usual small-sample remedy (le Cessie and
  van Houwelingen 1992). The penalty is fixed in advance, not tuned on any split.
- `Model`: the quantal-response model with behaviour values fitted on the training rows
  (`sim.analysis.estimation.fit`, warm-started when given a start) and its predictions
  (`estimation.predict`). While that module is absent, the model runs with the current
  defaults and predicts from sampled engine runs (`sim.analysis.engine_predict`).

Sizes: the model's predicted persons are the median persons of its sampled answers in
its most likely category. Predictors without a size model use `SizeRule`: none is 0
persons, same is the move's persons, smaller and larger are the move's persons times the
median ratio of answer to move among training rows of that category. Timing: tit for tat
answers within 3 days; the others give ``sum_k p_k w_k`` with ``w_k`` the training share
of category-k answers that came within 3 days (0 for none); the model its own probability.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from sim.analysis import engine_predict
from sim.analysis.metrics import CATEGORIES, DELAY_WITHIN, category_index
from sim.scenario.dataset import FirstResponse

TFT_EPS = 0.03  # probability tit for tat leaves to the three other categories together
LOGIT_L2 = 1.0  # ridge penalty 0.5 * LOGIT_L2 * sum(beta^2) on standardised covariates
SAME = CATEGORIES.index("same")
NONE = CATEGORIES.index("none")


@dataclass(frozen=True)
class Prediction:
    """A predictor's view of some rows (see the module docstring)."""

    probabilities: NDArray[np.float64]
    within_3_days: NDArray[np.float64]
    persons: NDArray[np.float64]


def recorded(rows: Sequence[FirstResponse]) -> list[str]:
    """The recorded categories (every row must have one)."""
    out = [r.response_category for r in rows]
    if any(c is None for c in out):
        raise ValueError("a row without a recorded category cannot be scored")
    return [str(c) for c in out]


@dataclass(frozen=True)
class SizeRule:
    """Persons of an answer of each category from the move's persons (see the module
    docstring); `ratios` per category, NaN when no training row shows one."""

    ratios: tuple[float, ...]
    within: tuple[float, ...]

    @classmethod
    def of(cls, train: Sequence[FirstResponse]) -> SizeRule:
        """Median answer/move ratios and shares answered within 3 days, by category."""
        ratios, within = [], []
        for c in CATEGORIES:
            mine = [r for r in train if r.response_category == c]
            rs = [r.response_persons / r.move_persons for r in mine
                  if r.response_persons is not None and r.move_persons]
            ratios.append(float(np.median(rs)) if rs else math.nan)
            dated = [r.delay_days <= DELAY_WITHIN for r in mine if r.delay_days is not None]
            within.append(0.0 if c == "none" or not dated else float(np.mean(dated)))
        ratios[NONE], ratios[SAME] = 0.0, 1.0
        return cls(tuple(ratios), tuple(within))

    def persons(self, rows: Sequence[FirstResponse], categories: NDArray[np.int64]
                ) -> NDArray[np.float64]:
        """Predicted persons for each row given its predicted category index."""
        move = np.array([math.nan if r.move_persons is None else r.move_persons
                         for r in rows], dtype=np.float64)
        out = np.asarray(np.round(move * np.asarray(self.ratios)[categories]), dtype=np.float64)
        out[categories == NONE] = 0.0
        return out

    def within_probability(self, probabilities: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(answer within 3 days) = sum_k p_k w_k."""
        return np.asarray(probabilities @ np.asarray(self.within), dtype=np.float64)


def _finish(rows: Sequence[FirstResponse], p: NDArray[np.float64], sizes: SizeRule,
            within: NDArray[np.float64] | None = None) -> Prediction:
    argmax = np.asarray(np.argmax(p, axis=1), dtype=np.int64)
    return Prediction(p, sizes.within_probability(p) if within is None else within,
                      sizes.persons(rows, argmax))


class TitForTat:
    """The same number, the next day; nothing to fit but the size rule's defaults."""

    name = "tit_for_tat"

    def fit(self, train: Sequence[FirstResponse]) -> TitForTat:
        return self

    def predict(self, rows: Sequence[FirstResponse]) -> Prediction:
        p = np.full((len(rows), len(CATEGORIES)), TFT_EPS / (len(CATEGORIES) - 1))
        p[:, SAME] = 1.0 - TFT_EPS
        move = np.array([math.nan if r.move_persons is None else r.move_persons
                         for r in rows], dtype=np.float64)
        return Prediction(p, np.ones(len(rows)), move)


@dataclass
class BaseRate:
    """The training rows' category shares for every row."""

    name: str = "base_rate"
    shares: NDArray[np.float64] = field(default_factory=lambda: np.full(4, 0.25))
    sizes: SizeRule | None = None

    def fit(self, train: Sequence[FirstResponse]) -> BaseRate:
        counts = np.bincount(category_index(recorded(train)), minlength=len(CATEGORIES))
        return BaseRate(self.name, counts / counts.sum(), SizeRule.of(train))

    def predict(self, rows: Sequence[FirstResponse]) -> Prediction:
        assert self.sizes is not None, "fit first"
        return _finish(rows, np.tile(self.shares, (len(rows), 1)), self.sizes)


# --- The multinomial logit ----------------------------------------------------------

COVARIATES = (
    "log_move_persons", "move_persons_unknown", "log_move_facilities", "move_ceiling",
    "move_recall", "move_downgrade", "move_other", "initiator_stronger", "target_stronger",
    "dependence", "statement_level", "reassurance", "at_war", "log_coalition_size",
    "summit_pending", "status_not_accredited", "divided_initiator",
    "log_mission_ratio", "missions_known",
)
_LEVELS = {"none": 0.0, "low": 1.0, "high": 2.0, "spokesman": 1.0, "minister": 2.0,
           "leader": 3.0}


def covariates(rows: Sequence[FirstResponse]) -> NDArray[np.float64]:
    """The design matrix (rows x `COVARIATES`). An empty field is coded as its "no" or
    lowest level, with an indicator where that could mislead (persons, missions);
    ``log_mission_ratio`` is ln((target's staff in the initiator + 1) / (initiator's staff
    in the target + 1)) when both are recorded, else 0."""
    out = []
    for r in rows:
        known = r.initiator_staff_in_target is not None and r.target_staff_in_initiator is not None
        ratio = (math.log((r.target_staff_in_initiator or 0) + 1)
                 - math.log((r.initiator_staff_in_target or 0) + 1)) if known else 0.0
        out.append([
            math.log1p(r.move_persons or 0), float(r.move_persons is None),
            math.log1p(r.move_facilities or 0), float(r.move_type == "ceiling"),
            float(r.move_type == "recall"), float(r.move_type == "downgrade"),
            float(r.move_type not in ("expel", "ceiling", "recall", "downgrade")),
            float(r.power_asymmetry == "initiator_stronger"),
            float(r.power_asymmetry == "target_stronger"),
            _LEVELS.get(r.target_dependence or "none", 0.0),
            _LEVELS.get(r.statement_level or "none", 0.0),
            float(bool(r.reassurance)), float(r.at_war), math.log(max(r.coalition_size, 1)),
            float(bool(r.summit_pending)),
            float(r.status in ("non_accredited", "disputed")),
            float(bool(r.divided_initiator)), ratio, float(known),
        ])
    return np.asarray(out, dtype=np.float64).reshape(len(rows), len(COVARIATES))


def _softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)


def fit_logit(x: NDArray[np.float64], y: NDArray[np.int64], l2: float = LOGIT_L2,
              reference: int = SAME) -> NDArray[np.float64]:
    """Penalised multinomial logit by L-BFGS; returns (1 + k) x 4 coefficients (intercept
    first), the `reference` category's column fixed at 0.

    1. Objective: -sum_i ln softmax(X_i B)_{y_i} + 0.5 l2 ||B[1:]||^2.
    2. Gradient: X^T (P - Y) + l2 B (intercept row unpenalised).
    3. Start at 0 (every category equally likely); L-BFGS to gradient norm 1e-8.
    """
    n, k = x.shape
    design = np.hstack([np.ones((n, 1)), x])
    onehot = np.zeros((n, len(CATEGORIES)))
    onehot[np.arange(n), y] = 1.0
    free = [c for c in range(len(CATEGORIES)) if c != reference]
    mask = np.ones((k + 1, len(free)))
    mask[0] = 0.0

    def full(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        b = np.zeros((k + 1, len(CATEGORIES)))
        b[:, free] = theta.reshape(k + 1, len(free))
        return b

    def objective(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        b = full(theta)
        z = design @ b
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        beta = theta.reshape(k + 1, len(free)) * mask
        value = -float(np.sum(logp[np.arange(n), y])) + 0.5 * l2 * float(np.sum(beta ** 2))
        grad = design.T @ (np.exp(logp) - onehot)
        return value, (grad[:, free] + l2 * beta).ravel()

    result = minimize(objective, np.zeros((k + 1) * len(free)), jac=True, method="L-BFGS-B",
                      options={"gtol": 1e-8, "maxiter": 5000})
    return full(np.asarray(result.x, dtype=np.float64))


@dataclass
class Logistic:
    """Multinomial logit on `covariates`, standardised with the training mean and sd."""

    name: str = "logistic"
    l2: float = LOGIT_L2
    mean: NDArray[np.float64] | None = None
    sd: NDArray[np.float64] | None = None
    coefficients: NDArray[np.float64] | None = None
    sizes: SizeRule | None = None

    def fit(self, train: Sequence[FirstResponse]) -> Logistic:
        x = covariates(train)
        mean, sd = x.mean(axis=0), x.std(axis=0)
        sd[sd == 0] = 1.0  # a covariate constant in training carries no information
        coef = fit_logit((x - mean) / sd, category_index(recorded(train)), self.l2)
        return Logistic(self.name, self.l2, mean, sd, coef, SizeRule.of(train))

    def predict(self, rows: Sequence[FirstResponse]) -> Prediction:
        assert self.coefficients is not None and self.sizes is not None, "fit first"
        assert self.mean is not None and self.sd is not None
        x = (covariates(rows) - self.mean) / self.sd
        design = np.hstack([np.ones((len(rows), 1)), x])
        return _finish(rows, _softmax(design @ self.coefficients), self.sizes)


# --- The model ------------------------------------------------------------------------

def estimation_module() -> Any | None:
    """`sim.analysis.estimation` when it is installed (the fit branch), else None."""
    try:
        return importlib.import_module("sim.analysis.estimation")
    except ModuleNotFoundError:
        return None


@dataclass
class Model:
    """The quantal-response model; `overrides` are behaviour values ({} = defaults).

    `fit` estimates them on the training rows when `sim.analysis.estimation` exists
    (warm-started from the previous `estimates` when `warm` is set; values given by
    `--set` stay unless the fit estimates them) and otherwise keeps them; `fitted` says
    which happened."""

    name: str = "model"
    overrides: dict[str, float] = field(default_factory=dict)
    runs: int = engine_predict.RUNS
    seed: int = 0
    fitted: bool = False
    log_likelihood: float = math.nan
    sizes: SizeRule | None = None
    estimates: dict[str, float] = field(default_factory=dict)  # by estimation's names
    identified: tuple[str, ...] = ()  # the estimated names the data identify

    def fit(self, train: Sequence[FirstResponse], warm: bool = False,
            progress: Callable[[str], None] | None = None) -> Model:
        """Estimate on `train` (warm-started from this model's `estimates` with `warm`);
        without `sim.analysis.estimation`, keep the current values."""
        estimation = estimation_module()
        sizes = SizeRule.of(train)
        if estimation is None:
            return replace(self, sizes=sizes, fitted=False)
        result = estimation.fit(list(train), start=dict(self.estimates) if warm else None,
                                progress=progress, seed=self.seed)
        return replace(self, overrides={**self.overrides, **result.overrides()},
                       estimates=dict(result.estimates), fitted=True,
                       identified=tuple(n for n in result.free if result.identified.get(n)),
                       log_likelihood=float(result.log_likelihood), sizes=sizes)

    def predict(self, rows: Sequence[FirstResponse]) -> Prediction:
        """Predictions for `rows` (all must be `engine_predict.scorable`)."""
        sizes = self.sizes or SizeRule.of(rows)
        engine = engine_predict.predict(rows, self.overrides, self.runs, self.seed)
        if len(engine.kept_rows) != len(rows):
            raise ValueError("the model cannot score every row given: filter with "
                             "engine_predict.scorable first")
        p, within = engine.probabilities, engine.within_3_days
        estimation = estimation_module()
        if estimation is not None:
            p, within, _ = _aligned(estimation.predict(list(rows), self.overrides), rows)
        argmax = np.asarray(np.argmax(p, axis=1), dtype=np.int64)
        persons = engine.median_persons[np.arange(len(rows)), argmax]
        rule = sizes.persons(rows, argmax)
        return Prediction(p, within, np.where(np.isnan(persons), rule, persons))


def _aligned(result: tuple[Any, Any, Any], rows: Sequence[FirstResponse]
             ) -> tuple[NDArray[np.float64], NDArray[np.float64], list[FirstResponse]]:
    """estimation.predict's output in the order of `rows`; a row it dropped is an error."""
    probabilities, within, kept = result
    where = {r.response_id: i for i, r in enumerate(kept)}
    missing = [r.response_id for r in rows if r.response_id not in where]
    if missing:
        raise ValueError(f"estimation.predict left out {len(missing)} rows, e.g. {missing[0]}")
    order = [where[r.response_id] for r in rows]
    return (np.asarray(probabilities, dtype=np.float64)[order],
            np.asarray(within, dtype=np.float64)[order], [kept[i] for i in order])


def predictors(model: Model | None = None) -> list[Any]:
    """The four predictors, unfitted, in the order they are reported."""
    return [model or Model(), TitForTat(), BaseRate(), Logistic()]


def overrides_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """Behaviour overrides from `--set behaviour.NAME=VALUE` style assignments."""
    return {k.removeprefix("behaviour."): v for k, v in values.items()
            if k.startswith("behaviour.")}
