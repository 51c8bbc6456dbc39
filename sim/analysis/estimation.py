"""Maximum-likelihood estimation of behaviour parameters on the first-response data set.

The model gives each data row a distribution over the recorded categories (none,
smaller, same, larger) through its quantal response (`sim.analysis.likelihood`); the fit
maximises the likelihood of the recorded categories over a few behaviour parameters.
Method, step by step:

1. **Likelihood.** For row i with recorded category y_i, the model's probability p_i(y_i;
   theta) is mixed with a uniform tremble, (1 - EPSILON) p + EPSILON / 4 (Harless &
   Camerer 1994: an error term keeps an answer the model deems impossible, e.g. a
   "larger" answer where the policy's size is in kind, from making the likelihood zero;
   such a row then adds a constant and does not move the fit). This fixed floor is
   not the behaviour parameter `tremble`, which is part of the model's own p (the share
   of answers it does not explain, `sim.game.sizes.trembled`) and is estimated like any
   other parameter, so that the reported probabilities are calibrated on the training
   rows; the floor only keeps the logarithm finite. Optionally (`delay`) a
   Bernoulli term for an answer within 3 days given an answer (see `nll`).
2. **Parameters.** Each free parameter is estimated on a transformed, unbounded-looking
   scale: log for a positive one, logit for a share, with L-BFGS-B box bounds from its
   range in `sim.game.params` (Byrd, Lu, Nocedal & Zhu 1995). Parameters that enter the
   model only as a product are one `Parameter` setting both fields (`CANDIDATES`). R
   (reciprocity_value) is the unit of utility and is never fitted.
3. **Gradient.** Central finite differences on the transformed scale, every shifted
   vector being one more run of the same batch (one engine pass per iteration).
4. **Standard errors.** The Hessian of the negative log-likelihood on the transformed
   scale, by finite differences (again one batch), inverted; the delta method maps each
   standard error back to natural units (se_x = |dx/dz| se_z). At a bound, none.
5. **Bootstrap.** Episodes, not rows, are resampled with replacement (a cluster
   bootstrap: the rows of one episode are not independent), with a seeded numpy
   Generator; each replicate is a weighted likelihood refitted from the estimate
   (warm start); 95% percentile intervals.
6. **Profiles and identification.** Each parameter's profile log-likelihood over a grid
   spanning its whole range (and finer near the estimate), the others re-optimised at
   every grid point, all grid points' optimisers in lockstep. A parameter whose profile
   never falls by more than the 95% cut (chi2(1) / 2 = 1.92) anywhere in its range is
   not identified: the data cannot reject any value of it. It is then fixed at its
   default and the rest refitted. A profile point better than the optimum restarts the
   optimiser from it.

Only training rows may be fitted: `fit` refuses any row of the test split.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

from sim.analysis import row_workers
from sim.analysis.likelihood import Likelihood, prepare
from sim.game.params import DEFAULTS, Behaviour
from sim.scenario.dataset import FirstResponse

__all__ = ["CANDIDATES", "FREE", "FitError", "FitResult", "Parameter", "fit", "predict"]

Floats = NDArray[np.float64]
EPSILON = 0.01  # tremble: the share of answers drawn at random over the four categories
CUT = 1.920729410347062  # chi2(1) 0.95 quantile / 2: a profile's 95% line
STEP = 1e-4  # finite-difference step on the transformed scale (gradient)
HESSIAN_STEP = 1e-3
SCAN_POINTS = 13  # values per parameter in the starting sweep
# Iterations of each profile point's refit. A profile point starts at the optimum with one
# coordinate moved and settles within a few iterations; all points step in lockstep, so
# the slowest sets the cost. On the data set's train split a cap of 20 gave the same
# profile (every value within 1e-4) as the fit's own 200, in 25 engine passes instead of 38.
PROFILE_MAXITER = 20
FLOOR = 1e-4  # lower bound of a positive parameter whose range starts at 0 (log scale)


class FitError(ValueError):
    """Input a fit cannot use (test rows, nothing to fit); one line."""


@dataclass(frozen=True)
class Parameter:
    """A fitted quantity: the behaviour field(s) it sets and its scale.

    `fields` holds one field, or two for a product whose factors the data cannot tell
    apart: the first carries the product, the second stays at its default (so the
    product equals the fitted value)."""

    name: str
    fields: tuple[str, ...]
    scale: str  # "log" (positive) or "logit" (a share within its range)
    low: float
    high: float

    @property
    def default(self) -> float:
        value = 1.0
        for f in self.fields:
            value *= float(getattr(DEFAULTS, f))
        return value

    def to_z(self, x: float | Floats) -> Floats:
        x = np.asarray(x, dtype=float)
        if self.scale == "log":
            return np.log(np.clip(x, max(self.low, FLOOR), self.high))
        u = np.clip((x - self.low) / (self.high - self.low), 1e-9, 1 - 1e-9)
        return np.log(u / (1 - u))

    def from_z(self, z: float | Floats) -> Floats:
        z = np.asarray(z, dtype=float)
        if self.scale == "log":
            return np.exp(z)
        return self.low + (self.high - self.low) / (1.0 + np.exp(-z))

    def dx_dz(self, z: float) -> float:
        """Derivative of the natural value with respect to the transformed one (delta
        method)."""
        if self.scale == "log":
            return float(np.exp(z))
        s = 1.0 / (1.0 + math.exp(-z))
        return (self.high - self.low) * s * (1 - s)

    @property
    def bounds(self) -> tuple[float, float]:
        """L-BFGS-B bounds on the transformed scale: the range of `sim.game.params`."""
        if self.scale == "log":
            return math.log(max(self.low, FLOOR)), math.log(self.high)
        return -12.0, 12.0  # logit: within 6e-6 of either end of the range

    def settings(self, values: Floats) -> dict[str, Floats]:
        """The behaviour fields this parameter sets, one value per run."""
        out = {self.fields[0]: values / self._others()}
        for f in self.fields[1:]:
            out[f] = np.full(values.shape, float(getattr(DEFAULTS, f)))
        return out

    def _others(self) -> float:
        value = 1.0
        for f in self.fields[1:]:
            value *= float(getattr(DEFAULTS, f))
        return value


def _single(name: str, scale: str) -> Parameter:
    meta = next(f.metadata for f in Behaviour.__dataclass_fields__.values()
                if f.name == name)
    low, high = meta["range"]
    return Parameter(name, (name,), scale, float(low), float(high))


def _product(name: str, first: str, second: str) -> Parameter:
    a, b = (next(f.metadata["range"] for f in Behaviour.__dataclass_fields__.values()
                 if f.name == n) for n in (first, second))
    return Parameter(name, (first, second), "log", float(a[0] * b[0]), float(a[1] * b[1]))


# Every quantity the fit knows how to estimate, with its scale. The utilities are in units
# of R, which is the unit and not a parameter. Integer parameters (deliberation, wave and
# war days, the cap's deadline) are steps, not slopes: a gradient method cannot fit them.
CANDIDATES: dict[str, Parameter] = {p.name: p for p in (
    _single("precision", "log"),
    _single("tremble", "logit"),
    _single("late_loss", "logit"),
    _single("audience_cost_spokesman", "log"),
    _single("audience_cost_minister", "log"),
    _single("audience_cost_leader", "log"),
    _single("reply_cost", "log"),
    _single("power_elasticity", "log"),
    _single("dependence_weight", "log"),
    _single("excuse_share", "logit"),
    _single("answer_cost", "log"),
    _single("size_curvature", "logit"),
    _single("beyond_value", "log"),
    # S = V x Delta: a reset's value and the share of it retaliating spoils enter every
    # utility only as their product (sim.game.decision: EU(retaliate) = N - p V Delta)
    _product("reset_value*spoil_share", "reset_value", "spoil_share"),
)}

# What the fit frees by default: quantities that move the first decisions of the data
# set's rows (docs/model.md 8b). No row has a reset in prospect (from_data sets no prior),
# so V x Delta and the excuse share never enter. On the exchange-game engine (the menu of
# sizes) a scan that moves each parameter alone over its range also finds the rows moved
# by reply_cost, power_elasticity, dependence_weight, answer_cost, beyond_value and
# size_curvature (smoothly) and by token_share, larger_ratio and reassured_share (through
# rounding steps, no slope); they are candidates, left out of the default list because
# each engine pass now costs seconds (docs/model.md 8b, Limits). `answer_cost` is freed:
# chosen on leave-one-episode-out cross-validation of the training split alone (accuracy
# 72.9% against 67.1% without it), never on the test split. Each remaining smooth
# candidate added alone changed cross-validated accuracy by at most one row of 155
# (docs/model.md 8b), so none is freed. `tremble` is the share of
# answers the model does not explain (calibration; it moves no most likely category).
FREE: tuple[str, ...] = ("precision", "tremble", "late_loss", "audience_cost_spokesman",
                         "audience_cost_minister", "audience_cost_leader", "answer_cost")


@dataclass
class FitResult:
    """A fit: estimates and their uncertainty in natural units, keyed by parameter name."""

    free: tuple[str, ...]
    estimates: dict[str, float]
    std_errors: dict[str, float]
    log_likelihood: float
    n: int
    converged: bool
    identified: dict[str, bool]
    intervals: dict[str, tuple[float, float]]
    interval_method: str
    log_likelihood_defaults: float
    profiles: dict[str, Profile] = field(default_factory=dict)
    bootstrap: Floats | None = None  # (B, parameters) estimates in natural units
    skipped: dict[str, str] = field(default_factory=dict)
    episodes: int = 0
    evaluations: int = 0
    seconds: float = 0.0
    delay: bool = False
    message: str = ""

    def overrides(self) -> dict[str, float]:
        """Behaviour values to run the model with: each identified estimate on its
        field(s) (a product on its first field, the second at its default)."""
        out: dict[str, float] = {}
        for name in self.free:
            if not self.identified.get(name, False):
                continue
            values = CANDIDATES[name].settings(np.array([self.estimates[name]]))
            out.update({k: float(v[0]) for k, v in values.items()})
        return out


class Objective:
    """Negative log-likelihood of many parameter vectors at once (one run each)."""

    def __init__(self, lik: Likelihood, params: Sequence[Parameter], delay: bool,
                 weights: Floats | None = None) -> None:
        self.lik = lik
        self.params = list(params)
        self.delay = delay
        self.observed = lik.observed
        self.soon = lik.soon
        self.weights = np.ones(len(self.observed)) if weights is None else weights
        self.evaluations = 0

    def settings(self, z: Floats) -> dict[str, Floats]:
        """Behaviour arrays for the runs whose transformed vectors are the rows of z."""
        out: dict[str, Floats] = {}
        for j, p in enumerate(self.params):
            out.update(p.settings(p.from_z(z[:, j])))
        return out

    def batch(self, z: Floats) -> Floats:
        """The negative log-likelihood of each row of z (runs, parameters)."""
        dist, soon = self.lik.evaluate(self.settings(np.atleast_2d(z)))
        self.evaluations += 1
        return nll(dist, soon, self.observed, self.soon if self.delay else None,
                   self.weights)

    def value_and_gradient(self, z: Floats) -> tuple[float, Floats]:
        """f(z) and its central-difference gradient, all 2k + 1 points in one batch."""
        k = z.size
        shifts = np.vstack([np.zeros(k), STEP * np.eye(k), -STEP * np.eye(k)])
        values = self.batch(z[None, :] + shifts)
        return float(values[0]), (values[1:k + 1] - values[k + 1:]) / (2 * STEP)

    def hessian(self, z: Floats) -> Floats:
        """The Hessian at z by finite differences, every point in one batch."""
        k, h = z.size, HESSIAN_STEP
        e = np.eye(k)
        points = [z]
        for i in range(k):
            points += [z + h * e[i], z - h * e[i]]
        pairs = [(i, j) for i in range(k) for j in range(i + 1, k)]
        for i, j in pairs:
            points += [z + h * (e[i] + e[j]), z + h * (e[i] - e[j]),
                       z - h * (e[i] - e[j]), z - h * (e[i] + e[j])]
        f = self.batch(np.asarray(points))
        out = np.zeros((k, k))
        for i in range(k):
            out[i, i] = (f[1 + 2 * i] - 2 * f[0] + f[2 + 2 * i]) / h ** 2
        base = 1 + 2 * k
        for m, (i, j) in enumerate(pairs):
            pp, pm, mp, mm = f[base + 4 * m: base + 4 * m + 4]
            out[i, j] = out[j, i] = (pp - pm - mp + mm) / (4 * h * h)
        return out


def nll(dist: Floats, soon: Floats, observed: NDArray[np.int64], recorded_soon: Floats | None,
        weights: Floats) -> Floats:
    """Negative log-likelihood per run: dist (rows, runs, 4), soon (rows, runs).

    Category term: -sum_i w_i log((1 - EPSILON) p_i(y_i) + EPSILON / 4). Delay term (if
    `recorded_soon` is given): for each row with a recorded answer and delay, the
    probability of an answer within 3 days given an answer, P(soon) / P(answer), trembled
    the same way, or one minus it."""
    rows = np.arange(dist.shape[0])
    p = (1 - EPSILON) * dist[rows, :, observed] + EPSILON / 4
    w = weights[:, None] if weights.ndim == 1 else weights
    out = -(w * np.log(p)).sum(axis=0)
    if recorded_soon is not None:
        answered = np.isfinite(recorded_soon) & (observed != 0)
        if answered.any():
            given = soon[answered] / np.maximum(1.0 - dist[answered, :, 0], 1e-12)
            q = (1 - EPSILON) * np.clip(given, 0.0, 1.0) + EPSILON / 2
            hit = recorded_soon[answered][:, None] == 1.0
            out -= (w[answered] * np.log(np.where(hit, q, 1 - q))).sum(axis=0)
    return np.asarray(out)


def _check_rows(rows: Sequence[FirstResponse]) -> None:
    test = [r.response_id for r in rows if r.split != "train"]
    if test:
        raise FitError(f"{len(test)} row(s) of the test split given (first: {test[0]}); "
                       "the test split is never used for fitting")


def _optimise(obj: Objective, z0: Floats, maxiter: int = 200) -> optimize.OptimizeResult:
    bounds = [p.bounds for p in obj.params]
    z0 = np.clip(z0, [b[0] for b in bounds], [b[1] for b in bounds])
    return optimize.minimize(obj.value_and_gradient, z0, jac=True, method="L-BFGS-B",
                             bounds=bounds, options={"maxiter": maxiter, "ftol": 1e-10,
                                                     "gtol": 1e-6})


def _standard_errors(obj: Objective, z: Floats) -> Floats:
    """Natural-unit standard errors (nan at a bound or where the Hessian is singular)."""
    k = z.size
    se = np.full(k, np.nan)
    at_bound = np.array([min(abs(z[j] - lo), abs(z[j] - hi)) < 1e-6
                         for j, (lo, hi) in enumerate(p.bounds for p in obj.params)])
    inner = np.flatnonzero(~at_bound)
    if inner.size == 0:
        return se
    h = obj.hessian(z)[np.ix_(inner, inner)]
    try:
        cov = np.linalg.inv(h)
    except np.linalg.LinAlgError:
        return se
    variances = np.diag(cov)
    for m, j in enumerate(inner):
        if variances[m] > 0:
            se[j] = obj.params[j].dx_dz(float(z[j])) * math.sqrt(variances[m])
    return se


def _scan(obj: Objective, z: Floats, points: int) -> Floats:
    """A starting point: from z, each parameter in turn moved to the best of `points`
    values spanning its range, the others at their values so far (one sweep of
    coordinate search, one batch per parameter). The defaults can lie far from the
    optimum (a precision of 20 where the data say about 1), and L-BFGS-B then spends most
    of its iterations getting near, or stalls where a log or logit scale flattens the
    likelihood near a bound."""
    best = z.copy()
    for j, p in enumerate(obj.params):
        grid = np.union1d(np.linspace(*p.bounds, points), [best[j]])
        block = np.repeat(best[None, :], grid.size, axis=0)
        block[:, j] = grid
        best[j] = grid[int(np.argmin(obj.batch(block)))]
    return best


def _better(profiles: Mapping[str, Profile], best: float) -> Floats | None:
    """The full parameter vector of the profile point that beats the optimum `best` by
    most, if by more than 1e-6 (None if none): L-BFGS-B stopped short of a maximum."""
    gain, at = max(((float(pr.log_likelihood.max()) - best,
                     pr.points[int(np.argmax(pr.log_likelihood))])
                    for pr in profiles.values()), key=lambda g: g[0])
    return at if gain > 1e-6 else None


@dataclass(frozen=True)
class Profile:
    """One parameter's profile: its values (natural units), the log-likelihood at each,
    and the full transformed vector where each was reached."""

    values: Floats
    log_likelihood: Floats
    points: Floats


def _grid(p: Parameter, at: float, points: int) -> Floats:
    """Values of one parameter (transformed scale) for its profile: `points` spanning
    its range, and four within one unit of the estimate (a factor e on a log scale)."""
    lo, hi = p.bounds
    near = np.clip(at + np.array([-1.0, -0.5, 0.5, 1.0]), lo, hi)
    return np.union1d(np.union1d(np.linspace(lo, hi, points), near), [at])


def _profiles(obj: Objective, z: Floats, points: int) -> dict[str, Profile]:
    """Each parameter's profile log-likelihood: at each grid value (`_grid`) the others
    are re-optimised from z (Venzon & Moolgavkar 1988); holding them fixed instead would
    give a curve at least as steep and call a ridge identified. Every grid point's
    optimiser runs in lockstep with the others (`Lockstep`), so one iteration of all of
    them is one engine pass."""
    k = z.size
    members = [(j, g) for j, p in enumerate(obj.params) for g in _grid(p, float(z[j]), points)]
    full = np.repeat(z[None, :], len(members), axis=0)
    for m, (j, g) in enumerate(members):
        full[m, j] = g
    if k == 1:
        values = -obj.batch(full)
    else:
        group = Lockstep(obj, np.repeat(obj.weights[None, :], len(members), axis=0))
        values = np.zeros(len(members))

        def refit(m: int) -> None:
            j, g = members[m]
            try:
                r = _optimise(group.objective(m, fixed=j, at=g), np.delete(z, j),
                             maxiter=PROFILE_MAXITER)
                full[m] = np.insert(r.x, j, g)
                values[m] = -float(r.fun)
            finally:
                group.done(m)

        run_threads(refit, len(members))
        if group.error is not None:
            raise group.error
    out = {}
    for j, p in enumerate(obj.params):
        mine = [m for m, (i, _) in enumerate(members) if i == j]
        out[p.name] = Profile(p.from_z(np.array([members[m][1] for m in mine])),
                              values[mine], full[mine])
    return out


def run_threads(target: Callable[[int], None], count: int) -> None:
    """Run target(0), ..., target(count - 1), each in its own thread, and wait for all.

    The threads are daemons: they only compute, and when Ctrl-C stops the waiting thread
    the process must end then, not once every optimiser has finished on its own."""
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def fit(rows: Sequence[FirstResponse], free: Sequence[str] | None = None,
        start: Mapping[str, float] | None = None,
        progress: Callable[[str], None] | None = None, seed: int = 0, *,
        bootstrap: int = 0, delay: bool = False, profile_points: int = 7,
        workers: int | None = None) -> FitResult:
    """Fit `free` (default `FREE`) to the recorded categories of `rows` (training rows
    only) by maximum likelihood; see the module's docstring for the method.

    `start` gives starting values (default: the current defaults, improved by one sweep
    of coordinate search, `_scan`); `progress`, if given, is called with a short label
    after each stage (the fit, the profiles, the standard errors, each bootstrap
    replicate: `stages(bootstrap)` of them); `seed` seeds the bootstrap's generator;
    `bootstrap` is the number of replicates (0: Wald intervals from the standard errors,
    on the transformed scale); `delay` adds the within-3-days term; `profile_points` is
    the number of grid values spanning each parameter's range in its profile; `workers`
    is the number of processes the rows are shared among (`row_workers.planned_workers`:
    by default every core, for data sets large enough to repay it). The estimates do not
    depend on `workers`."""
    began = time.perf_counter()
    _check_rows(rows)
    names = tuple(free if free is not None else FREE)
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        raise FitError(f"cannot fit {unknown[0]!r}: known are {', '.join(CANDIDATES)}")
    if not names:
        raise FitError("no parameter to fit")
    lik = prepare(rows)
    if not lik.prepared:
        raise FitError("no row with a recorded category that can be a scenario")
    with row_workers.shared(lik, workers):
        return _fit(lik, names, start, progress, seed, bootstrap, delay, profile_points,
                    began)


def _fit(lik: Likelihood, names: tuple[str, ...], start: Mapping[str, float] | None,
         progress: Callable[[str], None] | None, seed: int, bootstrap: int, delay: bool,
         profile_points: int, began: float) -> FitResult:
    """`fit`, once the rows are prepared (and shared out)."""
    tell = progress or (lambda _label: None)
    params = [CANDIDATES[n] for n in names]
    starting = {n: float((start or {}).get(n, CANDIDATES[n].default)) for n in names}
    obj = Objective(lik, params, delay)
    at_defaults = -float(obj.batch(np.array([[p.to_z(p.default) for p in params]]))[0])

    z0 = np.array([p.to_z(starting[p.name]) for p in params])
    if start is None:
        z0 = _scan(obj, z0, SCAN_POINTS)
    result = _optimise(obj, z0)
    tell("fit")
    profiles = _profiles(obj, result.x, profile_points)
    for _ in range(3):  # a profile point better than the optimum: restart from it
        better = _better(profiles, -float(result.fun))
        if better is None:
            break
        result = _optimise(obj, better)
        profiles = _profiles(obj, result.x, profile_points)
    identified = {n: bool(pr.log_likelihood.max() - pr.log_likelihood.min() > CUT)
                  for n, pr in profiles.items()}
    kept = [n for n in names if identified[n]]
    z_full = result.x
    if kept and len(kept) < len(names):  # fix what the data do not identify, refit
        params = [CANDIDATES[n] for n in kept]
        obj = Objective(lik, params, delay)
        z0 = np.array([z_full[names.index(n)] for n in kept])
        result = _optimise(obj, z0)
    tell("profiles")
    z = result.x
    se = _standard_errors(obj, z) if kept else np.zeros(0)
    tell("standard errors")
    estimates = {n: (float(CANDIDATES[n].from_z(z[kept.index(n)])) if n in kept
                     else CANDIDATES[n].default) for n in names}
    std_errors = {n: (float(se[kept.index(n)]) if n in kept else math.nan) for n in names}

    draws = None
    intervals: dict[str, tuple[float, float]] = {}
    if bootstrap > 0 and kept:
        draws = _bootstrap(lik, params, delay, z, bootstrap, seed, tell)
        for j, n in enumerate(kept):
            lo, hi = np.percentile(draws[:, j], [2.5, 97.5])
            intervals[n] = (float(lo), float(hi))
        method = f"cluster bootstrap over episodes, {bootstrap} replicates, percentile 95%"
    else:
        for j, n in enumerate(kept):
            half = 1.959963984540054 * se[j] / params[j].dx_dz(float(z[j])) \
                if np.isfinite(se[j]) else math.nan
            if math.isfinite(half):
                lo_z, hi_z = params[j].bounds
                pair = params[j].from_z(np.clip([z[j] - half, z[j] + half], lo_z, hi_z))
                intervals[n] = (float(pair[0]), float(pair[1]))
            else:
                intervals[n] = (math.nan, math.nan)
        method = "Wald 95% on the transformed scale (no bootstrap)"
    for n in names:
        intervals.setdefault(n, (math.nan, math.nan))
    log_lik = -float(obj.batch(z[None, :])[0]) if kept else at_defaults
    episodes = len({p.row.episode_id for p in lik.prepared})
    return FitResult(
        free=names, estimates=estimates, std_errors=std_errors, log_likelihood=log_lik,
        n=len(lik.prepared), converged=bool(result.success), identified=identified,
        intervals=intervals, interval_method=method, log_likelihood_defaults=at_defaults,
        profiles=profiles, bootstrap=draws, skipped=dict(lik.skipped), episodes=episodes,
        evaluations=obj.evaluations, seconds=time.perf_counter() - began, delay=delay,
        message=str(result.message))


def stages(bootstrap: int) -> int:
    """How many times `fit` calls `progress` (for a progress bar's total)."""
    return 3 + max(0, bootstrap)


def _bootstrap(lik: Likelihood, params: Sequence[Parameter], delay: bool, z: Floats,
               replicates: int, seed: int, tell: Callable[[str], None]) -> Floats:
    """Cluster bootstrap: episodes drawn with replacement (all draws made first, from one
    seeded generator), each replicate a weighted likelihood refitted from z; returns
    (replicates, parameters) in natural units.

    The replicates' optimisers run in lockstep (`Lockstep`): each iteration of every
    replicate is one run of a single shared batch, so B refits cost about as many engine
    passes as one (a pass costs nearly the same for 10 runs as for 300)."""
    rng = np.random.default_rng(seed)
    episode = [p.row.episode_id for p in lik.prepared]
    ids = sorted(set(episode))
    position = {e: i for i, e in enumerate(ids)}
    member = np.array([position[e] for e in episode])
    weights = np.stack([np.bincount(rng.integers(0, len(ids), len(ids)),
                                    minlength=len(ids))[member].astype(float)
                        for _ in range(replicates)])  # (replicates, rows)
    base = Objective(lik, params, delay)
    step = Lockstep(base, weights)
    out = np.zeros((replicates, len(params)))

    def refit(b: int) -> None:
        try:
            r = _optimise(step.objective(b), z)
            out[b] = [p.from_z(r.x[j]) for j, p in enumerate(params)]
        finally:
            step.done(b)
        tell(f"bootstrap {b + 1}")

    run_threads(refit, replicates)
    if step.error is not None:
        raise step.error
    return out


class Lockstep:
    """Many weighted objectives evaluated together: each optimiser (one thread each) asks
    for its points, and once every optimiser still running has asked, one batch of the
    engine evaluates them all. Runs of a batch are independent, so each optimiser sees
    exactly the values it would alone; the batch only shares the engine's overhead."""

    def __init__(self, base: Objective, weights: Floats) -> None:
        self.base = base
        self.weights = weights
        self.active = len(weights)
        self.pending: dict[int, Floats] = {}
        self.results: dict[int, Floats] = {}
        self.error: BaseException | None = None
        self.cond = threading.Condition()

    def objective(self, b: int, fixed: int | None = None, at: float = 0.0) -> _Member:
        """Member b's objective; with `fixed`, over the other parameters, that one held
        at `at` (a profile point)."""
        return _Member(self, b, fixed, at)

    def ask(self, b: int, z: Floats) -> Floats:
        with self.cond:
            self.pending[b] = z
            self._maybe_run()
            while b not in self.results and self.error is None:
                self.cond.wait()
            if self.error is not None:
                raise RuntimeError("a lockstep batch failed") from self.error
            return self.results.pop(b)

    def done(self, b: int) -> None:
        with self.cond:
            self.active -= 1
            self._maybe_run()

    def _maybe_run(self) -> None:
        if not self.pending or len(self.pending) < self.active:
            return
        order = sorted(self.pending)
        blocks = [self.pending[b] for b in order]
        sizes = [len(x) for x in blocks]
        try:
            dist, soon = self.base.lik.evaluate(self.base.settings(np.vstack(blocks)))
            self.base.evaluations += 1
            weights = np.concatenate([np.repeat(self.weights[b][:, None], n, axis=1)
                                      for b, n in zip(order, sizes, strict=True)], axis=1)
            values = nll(dist, soon, self.base.observed,
                         self.base.soon if self.base.delay else None, weights)
        except BaseException as exc:  # every waiting optimiser must hear of it
            self.error = exc
            self.cond.notify_all()
            raise
        start = 0
        for b, n in zip(order, sizes, strict=True):
            self.results[b] = values[start:start + n]
            start += n
        self.pending.clear()
        self.cond.notify_all()


class _Member(Objective):
    """One optimiser's view of a `Lockstep`: its points go into the shared batch."""

    def __init__(self, group: Lockstep, b: int, fixed: int | None, at: float) -> None:
        params = [p for j, p in enumerate(group.base.params) if j != fixed]
        super().__init__(group.base.lik, params, group.base.delay, group.weights[b])
        self.group, self.b, self.fixed, self.at = group, b, fixed, at

    def batch(self, z: Floats) -> Floats:
        z = np.atleast_2d(z)
        if self.fixed is not None:
            z = np.insert(z, self.fixed, self.at, axis=1)
        return self.group.ask(self.b, z)


def predict(rows: Sequence[FirstResponse], overrides: Mapping[str, float]
            ) -> tuple[Floats, Floats, list[FirstResponse]]:
    """The model's category probabilities (n, 4; order none, smaller, same, larger) and
    P(answer within 3 days) (n,) for the rows that can be scenarios and have a recorded
    category, with behaviour `overrides` (field -> value, e.g. `FitResult.overrides()`),
    and those rows. The fixed EPSILON of the likelihood is not added; the behaviour's
    `tremble` (an estimated parameter, none at the defaults) is part of the model."""
    lik = prepare(rows)
    settings = {k: np.array([float(v)]) for k, v in overrides.items()}
    dist, soon = lik.evaluate(settings)
    return dist[:, 0, :], soon[:, 0], lik.rows


def accuracy(probabilities: Floats, observed: NDArray[np.int64]) -> float:
    """Share of rows whose most likely category is the recorded one."""
    return float(np.mean(probabilities.argmax(axis=1) == observed))

