"""Charts, each drawn onto a matplotlib Axes the caller provides.

Every function has the form ``draw_x(ax, result, ...)`` and returns the Axes, so the
command line, notebooks and papers arrange figures as they like. Colours are the
Okabe-Ito palette (safe for colour-blind readers and in greyscale print).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.typing import RcKeyType

from sim.analysis import stats
from sim.engine.one_run import RunResult
from sim.experiments.ensemble import identical

COLORS = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#777777",
}
STYLE: dict[RcKeyType, Any] = {
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "axes.spines.top": False,
    "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "grid.linewidth": 0.5,
    "figure.dpi": 100, "savefig.dpi": 200, "font.family": "DejaVu Sans",
    "svg.hashsalt": "sim", "path.simplify": True,
}


# No timestamps or version strings in PNG files: the same run gives the same bytes.
PNG_METADATA = {"Software": None}


@contextmanager
def style() -> Iterator[None]:
    """The house style for every figure."""
    with plt.rc_context(STYLE):
        yield


def _x(when: pd.Timestamp) -> Any:
    """A date as an x value of an Axes method. Matplotlib converts dates through its units
    registry, but its type stubs accept only floats there: the date goes on unchanged,
    typed as Any."""
    return when


def _dates(frame: pd.DataFrame, column: str = "date") -> pd.Series:
    return pd.to_datetime(frame[column], format="ISO8601")


def _dyad(result: RunResult, actor: str, counterpart: str) -> pd.DataFrame:
    ts = result.timeseries
    return ts[(ts["actor"] == actor) & (ts["counterpart"] == counterpart)]


# What a chart draws, whatever the scenario: a valid scenario may have 7,000 events over
# 20 years or a state name of 500 kB, and drawing each label took minutes. Beyond these,
# marks are drawn as one collection and only the first are labelled.
MAX_LABEL = 40  # characters of a name or label in a chart
MAX_LABELLED = 6  # measures labelled on the timeline
MAX_MARKS = 60  # single marks drawn one by one; more are drawn as one collection
MAX_ANNOTATED = 12  # evidence or decisions annotated on the belief and utility charts


def short(text: object, limit: int = MAX_LABEL) -> str:
    """A label cut to `limit` characters, with an ellipsis when cut."""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _name(result: RunResult, sid: str) -> str:
    return short(result.scenario.spec.states[sid].name)


def _format_dates(ax: Axes, result: RunResult | None = None) -> None:
    """Concise date ticks; with `result`, the axis spans the scenario exactly: no margin
    reaching before year 1 (a scenario may start on 0001-01-01), no hourly ticks on a
    scenario of a few days."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if result is not None:
        spec = result.scenario.spec
        ax.set_xlim(_x(pd.Timestamp(spec.start)), _x(pd.Timestamp(spec.end)))
        if (spec.end - spec.start).days <= 10:  # whole days: the model steps by day
            ax.xaxis.set_major_locator(mdates.DayLocator())
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))


def _measure_label(row: pd.Series) -> str:
    parts = []
    if int(row["persons"]):
        parts.append(f"{int(row['persons'])} staff")
    if int(row["facilities"]):
        parts.append(f"{int(row['facilities'])} sites")
    what = " + ".join(parts)
    if row["action"] == "cap":
        day = pd.Timestamp(row["effective"]).strftime("%d %b")
        return f"{row['actor']} caps {row['target']} to parity: {what} (by {day})"
    verb = {"expel": "expels", "close": "closes"}[row["action"]]
    return f"{row['actor']} {verb} {what}"


def _mark_measures(ax: Axes, result: RunResult, pair: tuple[str, str], label: bool) -> None:
    """A dotted line at every measure between the pair (one collection per side), the
    first `MAX_LABELLED` labelled, and a note of how many more there are."""
    ev = result.events
    ev = ev[ev["actor"].isin(pair) & ev["target"].isin(pair)]
    top = ax.get_ylim()[1]
    spec = result.scenario.spec
    start, end = pd.Timestamp(spec.start), pd.Timestamp(spec.end)
    middle = start + (end - start) / 2
    for side, color in ((pair[0], COLORS["vermillion"]), (pair[1], COLORS["blue"])):
        days = pd.to_datetime(ev.loc[ev["actor"] == side, "date"]).unique()
        if len(days):
            ax.vlines(days, 0, 1, transform=ax.get_xaxis_transform(), color=color, lw=0.8,
                      ls=":", zorder=1)
    if not label:
        return
    for k, (_, row) in enumerate(ev.head(MAX_LABELLED).iterrows()):
        when = pd.Timestamp(row["date"])
        color = COLORS["vermillion"] if row["actor"] == pair[0] else COLORS["blue"]
        right = when > middle  # labels in the right half run leftwards, inside the axes
        ax.annotate(short(_measure_label(row), 60), (when, top),
                    xytext=(-3 if right else 3, -10 - 11 * (k % 3)),
                    textcoords="offset points", fontsize=7, color=color, va="top",
                    ha="right" if right else "left")
    if len(ev) > MAX_LABELLED:
        ax.annotate(f"{len(ev):,} measures; the first {MAX_LABELLED} labelled "
                    "(all in events.csv)", (1.0, 1.0), xycoords="axes fraction",
                    xytext=(0, 2), textcoords="offset points", ha="right", va="bottom",
                    fontsize=7, color=COLORS["grey"])


def draw_missions(ax: Axes, result: RunResult, actor: str | None = None,
                  counterpart: str | None = None) -> Axes:
    """Staff each side keeps in the other, day by day, with every measure marked."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    # The second line dashed and thinner over the first: where both sides hold the same
    # numbers (parity) both stay visible.
    ax.step(when, rows["staff_counterpart_in_actor"], where="post", color=COLORS["blue"],
            lw=2.6, label=f"{counterpart} staff in {actor}")
    ax.step(when, rows["staff_actor_in_counterpart"], where="post",
            color=COLORS["vermillion"], lw=1.4, ls="--",
            label=f"{actor} staff in {counterpart}")
    high = max(rows["staff_counterpart_in_actor"].max(), rows["staff_actor_in_counterpart"].max())
    ax.set_ylim(0, (high if np.isfinite(high) else 0) * 1.45 + 1)
    _format_dates(ax, result)
    _mark_measures(ax, result, (actor, counterpart), label=True)
    ax.set_ylabel("staff")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Missions and measures: {_name(result, actor)} and "
                 f"{_name(result, counterpart)}")
    ax.legend(loc="lower left", frameon=False)
    return ax


def draw_facilities(ax: Axes, result: RunResult, actor: str | None = None,
                    counterpart: str | None = None) -> Axes:
    """Facilities (posts, annexes, compounds) each side holds in the other."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    ax.step(when, rows["facilities_counterpart_in_actor"], where="post",
            color=COLORS["blue"], lw=2.4, label=f"{counterpart} sites in {actor}")
    ax.step(when, rows["facilities_actor_in_counterpart"], where="post",
            color=COLORS["vermillion"], lw=1.3, ls="--",
            label=f"{actor} sites in {counterpart}")
    high = max(rows["facilities_counterpart_in_actor"].max(),
               rows["facilities_actor_in_counterpart"].max())
    ax.set_ylim(0, (high if np.isfinite(high) else 0) + 1.5)
    _format_dates(ax, result)
    _mark_measures(ax, result, (actor, counterpart), label=False)
    ax.set_ylabel("facilities")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # sites are whole
    ax.legend(loc="lower left", frameon=False, ncols=2)
    return ax


def draw_belief(ax: Axes, result: RunResult, actor: str | None = None,
                counterpart: str | None = None) -> Axes:
    """Belief in a reset against the waiting threshold, with the evidence marked.

    Waiting is optimal where the belief lies above the threshold (shaded). A log scale
    shows both the high beliefs of the winter and the small ones after the evidence.
    """
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart).copy()
    # A belief of exactly 0 (a binding law: no reset can come) has no place on a log axis:
    # it is drawn on the axis's floor, and said so in the legend.
    floor = BELIEF_FLOOR
    zero = rows["p_reset"].to_numpy(dtype=float) == 0
    rows["p_reset"] = rows["p_reset"].clip(lower=floor)
    when = _dates(rows)
    p = rows["p_reset"].to_numpy(dtype=float)
    t = rows["threshold"].to_numpy(dtype=float)
    ax.plot(when, p, color=COLORS["blue"], lw=1.8,
            label=f"{_name(result, actor)}'s belief in a reset")
    ax.plot(when, t, color=COLORS["vermillion"], lw=1.5, ls="--", label="threshold p*")
    waiting = np.isfinite(p) & np.isfinite(t) & (p > t)
    ax.fill_between(when, t, p, where=waiting, color=COLORS["sky"], alpha=0.25, lw=0,
                    label="waiting pays")
    ax.set_yscale("log")
    ax.set_ylim(floor / 1.6, 1.3)
    if zero.any():
        ax.axhline(floor, color=COLORS["grey"], lw=0.6, ls=":", zorder=0,
                   label=f"belief 0 (drawn at {floor:g}): no reset can come")
    info = result.information
    info = info[(info["observer"] == actor) & (info["about"] == counterpart)]
    after = info["p_reset_after"].astype(float).clip(lower=floor)
    if len(info):
        ax.plot(pd.to_datetime(info["date"]), after.to_numpy(dtype=float),
                ls="", marker="o", ms=4, color=COLORS["black"], zorder=3)
    for k, (_, row) in enumerate(info.head(MAX_ANNOTATED).iterrows()):
        day = pd.Timestamp(row["date"])
        ax.annotate(short(row["by"], 30), (day, max(float(row["p_reset_after"]), floor)),
                    xytext=(2, 6 + 8 * (k % 2)), textcoords="offset points", fontsize=6.5,
                    rotation=20)
    offices = [adm for adm in result.scenario.spec.states[counterpart].administrations.values()
               if result.scenario.spec.start <= adm.start <= result.scenario.spec.end]
    for adm in offices[:MAX_ANNOTATED]:
        start = pd.Timestamp(adm.start)
        ax.axvline(_x(start), color=COLORS["grey"], lw=0.8)
        ax.annotate(f"{short(adm.leader, 30)} takes office", (start, 0.02), xytext=(3, 0),
                    textcoords="offset points", fontsize=7, color=COLORS["grey"], va="top")
    _mark_decisions(ax, result, actor, counterpart, rows, "p_reset")
    ax.set_ylabel("probability (log scale)")
    ax.set_title(f"Should {_name(result, actor)} wait? Belief in a reset with "
                 f"{_name(result, counterpart)} against the threshold")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.06), frameon=False)
    _format_dates(ax, result)
    return ax


def draw_utilities(ax: Axes, result: RunResult, actor: str | None = None,
                   counterpart: str | None = None) -> Axes:
    """Expected utility of retaliating, waiting and letting go, while a grievance is open."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    # A grievance open for a few days of a long scenario is a short stretch: each day is
    # then marked, so that it shows as points rather than a speck.
    days = int(np.isfinite(rows[["eu_retaliate", "eu_wait", "eu_let_go"]]
                           .to_numpy(dtype=float)).any(axis=1).sum())
    marker = "o" if days <= 30 else None
    for column, color, label, ls in (
        ("eu_retaliate", COLORS["vermillion"], "retaliate now", "-"),
        ("eu_wait", COLORS["blue"], "wait", "-"),
        ("eu_let_go", COLORS["grey"], "let go", ":"),
    ):
        ax.plot(when, rows[column], color=color, lw=1.6, ls=ls, label=label, marker=marker,
                ms=3)
    ax.axhline(0, color=COLORS["black"], lw=0.6)
    _mark_decisions(ax, result, actor, counterpart, rows, "eu_retaliate")
    ax.set_ylabel("expected utility (units of R)")
    ax.set_title(f"{_name(result, actor)}'s expected utilities towards "
                 f"{_name(result, counterpart)}")
    ax.legend(loc="lower right", frameon=False)
    _format_dates(ax, result)
    return ax


def _mark_decisions(ax: Axes, result: RunResult, actor: str, counterpart: str,
                    rows: pd.DataFrame, column: str) -> None:
    acts = result.decisions
    acts = acts[(acts["actor"] == actor) & (acts["counterpart"] == counterpart)
                & (acts["choice"] == "retaliate")]
    if acts.empty:
        return
    values = rows.drop_duplicates("date").set_index("date")[column]
    at = pd.to_numeric(values.reindex(acts["date"]), errors="coerce").to_numpy(dtype=float)
    keep = np.isfinite(at)
    days = pd.to_datetime(acts["date"].to_numpy()[keep])
    ax.plot(days, at[keep], ls="", marker="*", ms=11, color=COLORS["vermillion"], zorder=4)
    spec = result.scenario.spec
    middle = pd.Timestamp(spec.start) + (pd.Timestamp(spec.end) - pd.Timestamp(spec.start)) / 2
    for day, value in list(zip(days, at[keep], strict=True))[:MAX_ANNOTATED // 4]:
        right = day > middle  # run the label into the axes, away from the nearer edge
        ax.annotate(f"retaliates ({day.date()})", (day, value),
                    xytext=(-9 if right else 9, -3), textcoords="offset points", fontsize=7,
                    ha="right" if right else "left", va="top")


# --- the solved game: tournament and decision map (fed by pure computations) -------------

from sim.game.decision_regions import DecisionMap, Outcome  # noqa: E402  (kept with its charts)


def draw_policy_ranking(ax: Axes, ranking: pd.DataFrame) -> Axes:
    """Mean payoff per policy over the tournament's episodes, with its confidence interval.

    `ranking` is `tournament.Summary.ranking`: one row per policy, best first. Policies
    that weigh beliefs are blue, those whose answers can escalate vermillion, others grey.
    """
    rows = ranking.iloc[::-1]
    y = np.arange(len(rows))
    colors = [COLORS["blue"] if b else COLORS["vermillion"] if e else COLORS["grey"]
              for b, e in zip(rows["uses_beliefs"], rows["escalates"], strict=True)]
    mean = rows["mean"].to_numpy(dtype=float)
    err = np.vstack([mean - rows["ci_low"].to_numpy(dtype=float),
                     rows["ci_high"].to_numpy(dtype=float) - mean])
    ax.errorbar(mean, y, xerr=err, fmt="none", ecolor=COLORS["black"], elinewidth=1,
                capsize=3, zorder=2)
    ax.scatter(mean, y, c=colors, s=40, zorder=3)
    ax.axvline(0, color=COLORS["black"], lw=0.6)
    reads = rows["inspects_opponent"] if "inspects_opponent" in rows else [False] * len(rows)
    ax.set_yticks(y, [f"{p} †" if r else p for p, r in zip(rows["policy"], reads, strict=True)])
    ax.set_xlabel("mean realised payoff per episode (units of R), 95% bootstrap interval"
                  + ("\n† reads the opponent's policy" if any(reads) else ""))
    ax.set_title("Tournament: payoff by policy")
    handles = [Line2D([], [], ls="", marker="o", color=c, label=lab) for c, lab in (
        (COLORS["blue"], "weighs beliefs"), (COLORS["vermillion"], "can escalate"),
        (COLORS["grey"], "other"))]
    ax.legend(handles=handles, loc="lower right", frameon=False)
    ax.grid(axis="y", alpha=0)
    return ax


def draw_policy_matrix(ax: Axes, pairwise: pd.DataFrame) -> Axes:
    """Heat map: the row policy's mean payoff against the column policy (both seats)."""
    values = pairwise.to_numpy(dtype=float)
    bound = float(np.nanmax(np.abs(values))) or 1.0
    image = ax.imshow(values, cmap="PuOr", vmin=-bound, vmax=bound, aspect="auto")
    ax.set_xticks(range(len(pairwise.columns)), pairwise.columns, rotation=45, ha="right")
    ax.set_yticks(range(len(pairwise.index)), pairwise.index)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:+.2f}", ha="center", va="center", fontsize=6.5,
                color="white" if abs(v) > 0.6 * bound else COLORS["black"])
    ax.set_xlabel("against")
    ax.set_title("Payoff of the row policy against the column policy")
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="mean payoff (units of R)")
    return ax


# One colour per policy in the ecology, in this order (Okabe-Ito; yellow last, being faint),
# and a line style as well, so that lines stay apart in greyscale.
SERIES_COLORS = ("blue", "vermillion", "green", "orange", "purple", "sky", "black", "grey",
                 "yellow")
SERIES_STYLES = ("-", "--", "-.", ":")


def draw_ecology(ax: Axes, shares: pd.DataFrame) -> Axes:
    """Population shares by generation, one line per policy (the ecological tournament).

    `shares` is `tournament.ecology(...)`: a `generation` column and one column of shares
    per policy, in the ranking's order. Each line is labelled at its right end with the
    policy's final share.
    """
    gen = shares["generation"].to_numpy()
    policies = [c for c in shares.columns if c != "generation"]
    for i, policy in enumerate(policies):
        color = COLORS[SERIES_COLORS[i % len(SERIES_COLORS)]]
        style = SERIES_STYLES[(i // len(SERIES_COLORS) + i) % len(SERIES_STYLES)]
        y = shares[policy].to_numpy(dtype=float)
        ax.plot(gen, y, color=color, ls=style, lw=1.8, label=f"{policy} ({y[-1]:.2f})")
    ax.set_xlim(gen[0], gen[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("generation")
    ax.set_ylabel("share of the population")
    ax.set_title("Ecological tournament: shares grow with payoff against the population")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              title="policy (final share)")
    return ax


DECISION_COLORS = {0: COLORS["sky"], 1: COLORS["green"], 2: COLORS["vermillion"],
                   3: COLORS["grey"], 4: COLORS["purple"]}


def draw_decision_map(ax: Axes, decision_map: DecisionMap, *,
                      point: tuple[float, float] | None = None, point_label: str = "scenario",
                      boundary: np.ndarray | None = None, actor: str = "the target") -> Axes:
    """A state's first response over prior belief (x) and audience cost (y).

    `decision_map` is `sim.game.decision_regions.DecisionMap` (a pure computation); `point`
    marks the scenario's own values; `boundary` (one prior per audience cost, from
    `sim.analysis.decision_map.first_day_boundary`) is where waiting starts on the first day.
    """
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

    codes = sorted(DECISION_COLORS)
    cmap = ListedColormap([DECISION_COLORS[c] for c in codes])
    norm = BoundaryNorm(np.arange(len(codes) + 1) - 0.5, cmap.N)
    x, y = decision_map.prior_accommodating, decision_map.threat_cost
    ax.pcolormesh(x, y, decision_map.outcome, cmap=cmap, norm=norm, shading="nearest",
                  rasterized=True)
    if boundary is not None:
        ax.plot(boundary, y, color=COLORS["black"], lw=1.2, ls="--",
                label="waits on its first decision to the right")
    if point is not None:
        ax.plot(*point, marker="*", ms=14, color=COLORS["yellow"], mec=COLORS["black"],
                mew=0.8, ls="", label=point_label, zorder=4)
    present = sorted(set(np.unique(decision_map.outcome).tolist()))
    handles = [Patch(color=DECISION_COLORS[c], label=Outcome(c).label) for c in present]
    line_handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=handles + line_handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
              frameon=False)
    ax.set_xlim(x.min(), x.max())
    ax.set_ylim(y.min(), y.max())
    ax.set_xlabel("prior belief that the successor is accommodating")
    ax.set_ylabel("audience cost of the standing threat (units of R)")
    ax.set_title(f"First response of {actor} over prior and audience cost")
    ax.grid(False)
    return ax


MEASURES = (("category", "category right"), ("size", "size within 10%"),
            ("delay", "delay within 3 days"))


def draw_scorecard(ax: Axes, frame: pd.DataFrame) -> Axes:
    """Model against the tit-for-tat baseline: the three shares, side by side."""
    from sim.analysis.validation import shares

    model, base = shares(frame, "model"), shares(frame, "baseline")
    xs = range(len(MEASURES))
    width = 0.38
    for shift, f, label, color in ((-width / 2, model, "model", COLORS["blue"]),
                                   (width / 2, base, "tit for tat (same number, next day)",
                                    COLORS["orange"])):
        values = [getattr(f, key) for key, _ in MEASURES]
        bars = ax.bar([x + shift for x in xs], values, width, label=label, color=color)
        ax.bar_label(bars, labels=[f"{v:.0%}" for v in values], fontsize=8, padding=2)
    ax.set_xticks(list(xs), [text for _, text in MEASURES])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("share of recorded first responses")
    ax.set_title(f"Validation on {model.n} recorded first responses "
                 f"({frame['scenario'].nunique()} episodes)")
    ax.legend(frameon=False, loc="upper right")
    ax.grid(axis="x", visible=False)
    return ax

PREDICTOR_LABELS = {"model": "model", "tit_for_tat": "tit for tat", "base_rate": "base rate",
                    "logistic": "logistic"}
SPLIT_COLORS = {"train": COLORS["sky"], "cv": COLORS["blue"], "test": COLORS["vermillion"],
                "given": COLORS["green"]}
SPLIT_LABELS = {"train": "train (in sample)", "cv": "leave-one-episode-out",
                "test": "test (held out)", "given": "rows given"}


def draw_metrics(axes: Sequence[Axes], metrics: pd.DataFrame) -> Sequence[Axes]:
    """Accuracy (left) and log loss (right) of each predictor, one bar per split with its
    n in the legend: metrics.csv of `python -m sim validate` as a figure."""
    predictors = [p for p in PREDICTOR_LABELS if p in set(metrics["predictor"])]
    splits = [s for s in SPLIT_COLORS if s in set(metrics["split"])]
    width = 0.8 / max(len(splits), 1)
    for ax, column, label, fmt in ((axes[0], "accuracy", "category accuracy", "{:.0%}"),
                                   (axes[1], "log_loss", "log loss (lower is better)",
                                    "{:.2f}")):
        for j, split in enumerate(splits):
            part = metrics[metrics["split"] == split].set_index("predictor")[column]
            values = [float(part.get(p, float("nan"))) for p in predictors]
            ns = metrics.loc[metrics["split"] == split, "n"]
            n = int(ns.iloc[0]) if len(ns) else 0
            xs = [i + (j - (len(splits) - 1) / 2) * width for i in range(len(predictors))]
            bars = ax.bar(xs, values, width, color=SPLIT_COLORS[split],
                          label=f"{SPLIT_LABELS[split]}, n = {n}")
            ax.bar_label(bars, labels=[fmt.format(v) for v in values], fontsize=6, padding=1)
        ax.set_xticks(range(len(predictors)), [PREDICTOR_LABELS[p] for p in predictors])
        ax.set_ylabel(label)
        ax.grid(axis="x", visible=False)
    axes[0].set_ylim(0, 1.1)
    axes[0].yaxis.set_major_formatter(PercentFormatter(1.0))
    axes[0].legend(frameon=False, loc="upper left", fontsize=7)
    return axes


# --- Many runs: ensembles, sweeps, sensitivity ----------------------------------------
# These draw tables of runs (one row per run, `sim.analysis.outcomes.OUTCOME_COLUMNS`), of sweep
# points (`sim.experiments.sweep.point_table`) or of sensitivities, not a single RunResult.

OUTCOME_LABELS = {
    "p_waited": "probability of waiting at first",
    "p_retaliated": "probability of retaliating at all",
    "p_none": "probability of no retaliation",
    "persons_mean": "expected staff expelled in the answer",
    "facilities_mean": "expected sites closed in the answer",
    "delay_median": "median days to the answer",
    "delay": "mean days to the first answer (none: the whole scenario)",
    "persons": "mean staff expelled in the first answer",
}


Z_BAND = stats.Z95


def _runs_label(runs: pd.DataFrame) -> str:
    return f"{len(runs):,} run{'s' if len(runs) != 1 else ''}"


def draw_retaliation_probability(ax: Axes, runs: pd.DataFrame, start: dt.date, end: dt.date,
                                 marks: list[tuple[dt.date | str, str]] | None = None
                                 ) -> Axes:
    """Share of runs in which the target had answered by each date, with a 95% Wilson band.

    `runs` is an ensemble's table; `marks` are (date, label) of moves to show (the
    scenario's expulsions, say).
    """
    curve = stats.retaliation_curve(list(runs["first_response_date"]), start, end)
    when = pd.to_datetime(curve["date"])
    same = identical(runs)
    if not same:  # identical runs are one result: no interval to draw
        ax.fill_between(when, curve["lo"], curve["hi"], step="post", color=COLORS["sky"],
                        alpha=0.35, lw=0, label="95% interval (Wilson)")
    ax.step(when, curve["p"], where="post", color=COLORS["blue"], lw=1.8,
            label="every run (all identical: no randomness)" if same and len(runs) > 1
            else "share of runs")
    for day, text in marks or []:
        ax.axvline(_x(pd.Timestamp(day)), color=COLORS["vermillion"], lw=0.8, ls=":")
        ax.annotate(text, (pd.Timestamp(day), 0.5), xytext=(-3, 0), rotation=90,
                    textcoords="offset points", fontsize=7, color=COLORS["vermillion"],
                    ha="right", va="center")
    ax.set_ylim(-0.02, 1.08)
    ax.set_ylabel("probability")
    actor, target = (runs["actor"].iloc[0], runs["target"].iloc[0]) if len(runs) else ("", "")
    ax.set_title(f"Probability that {actor} has answered {target}, by date "
                 f"({_runs_label(runs)})")
    ax.legend(loc="upper left", frameon=False)
    _format_dates(ax)
    return ax


def draw_retaliation_size(ax: Axes, runs: pd.DataFrame, column: str = "persons") -> Axes:
    """Distribution of the size of the first answer (staff or sites), runs with no answer
    shown apart; bars carry 95% Wilson intervals. Many distinct sizes give a histogram."""
    n = len(runs)
    answered = runs[runs["category"] != "none"]
    none = n - len(answered)
    what = {"persons": "staff expelled", "facilities": "sites closed"}.get(column, column)
    sizes = answered[column].astype(int)
    values = np.sort(sizes.unique())
    if len(values) <= 12:
        labels = ["no answer", *(str(v) for v in values)]
        counts = np.array([none, *((sizes == v).sum() for v in values)])
        lo, hi = stats.wilson(counts, max(n, 1))
        share = counts / max(n, 1)
        colors = [COLORS["grey"]] + [COLORS["vermillion"]] * len(values)
        x = np.arange(len(labels))
        ax.bar(x, share, color=colors, width=0.6)
        if not identical(runs):  # identical runs are one result: no interval
            ax.errorbar(x, share, yerr=[share - lo, hi - share], fmt="none",
                        ecolor=COLORS["black"], elinewidth=0.8, capsize=3)
        ax.set_xticks(x, labels)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("share of runs")
        ax.set_xlabel(what)
    else:
        ax.hist(sizes, bins=30, color=COLORS["vermillion"], weights=np.full(len(sizes), 1 / n))
        ax.set_ylabel("share of runs")
        ax.set_xlabel(f"{what} ({none / n:.0%} of runs: no answer)")
    ax.set_title(f"Size of the first answer: {what} ({_runs_label(runs)})")
    ax.grid(axis="x", visible=False)
    return ax


def _cells(values: pd.Series) -> tuple[list[object], list[str]]:
    levels = [v.item() if hasattr(v, "item") else v for v in pd.unique(values)]
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in levels):
        levels = sorted(levels)
    return levels, [f"{v:g}" if isinstance(v, float) else str(v) for v in levels]


def _position(levels: list[object], value: object) -> float | None:
    """Where `value` falls on an axis of cells (between two cells if numeric)."""
    if value in levels:
        return float(levels.index(value))
    numbers = [v for v in levels if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) == len(levels) > 1 and isinstance(value, int | float) \
            and numbers[0] <= value <= numbers[-1]:
        return float(np.interp(value, np.asarray(numbers, dtype=float),
                               np.arange(len(numbers), dtype=float)))
    return None


def draw_sweep_heatmap(ax: Axes, points: pd.DataFrame, x: str, y: str, value: str,
                       mark: tuple[object, object] | None = None) -> Axes:
    """A sweep's outcome over two swept values; other swept values are averaged over.

    `mark` is the scenario's own (x, y), circled where it falls (between cells if it lies
    between swept values).
    """
    table = points.groupby([y, x], sort=False)[value].mean().reset_index()
    xs, xlabels = _cells(table[x])
    ys, ylabels = _cells(table[y])
    grid = np.full((len(ys), len(xs)), np.nan)
    for _, row in table.iterrows():
        grid[ys.index(row[y]), xs.index(row[x])] = row[value]
    probability = value.startswith("p_")
    image = ax.imshow(grid, origin="lower", aspect="auto", cmap="cividis",
                      vmin=0.0 if probability else None, vmax=1.0 if probability else None,
                      interpolation="nearest")
    if grid.size <= 144:
        middle = np.nanmean(grid) if np.isfinite(grid).any() else 0.0
        for (i, j), v in np.ndenumerate(grid):
            if np.isfinite(v):
                light = v < (0.5 if probability else middle)
                ax.text(j, i, f"{v:.2f}" if probability else f"{v:.3g}", ha="center",
                        va="center", fontsize=7,
                        color="white" if light else "black")
    if mark is not None:
        px, py = _position(xs, mark[0]), _position(ys, mark[1])
        if px is not None and py is not None:
            ax.plot([px], [py], marker="o", ms=22, mfc="none", mec=COLORS["vermillion"],
                    mew=2.2, ls="none")
            ax.annotate("scenario", (px, py), xytext=(12, 10), textcoords="offset points",
                        fontsize=7, color=COLORS["vermillion"], fontweight="bold",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                              "alpha": 0.85})
    ax.set_xticks(range(len(xs)), xlabels, rotation=45 if len(xs) > 8 else 0)
    ax.set_yticks(range(len(ys)), ylabels)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax, shrink=0.85)
    ax.set_title(OUTCOME_LABELS.get(value, value), loc="left")
    return ax


def draw_sweep_line(ax: Axes, points: pd.DataFrame, x: str, value: str,
                    mark: object = None) -> Axes:
    """A sweep's outcome along one swept value, with its 95% band (Wilson for
    probabilities, ±1.96 standard errors for means); the scenario's own value marked.
    Values that are not numbers (policies, mappings) get one tick each, in sweep order."""
    levels, labels = _cells(points[x])
    grouped = points.groupby(x, sort=False)
    y = grouped[value].mean().reindex(levels).to_numpy(dtype=float)
    if f"{value}_lo" in points:
        lo = grouped[f"{value}_lo"].mean().reindex(levels).to_numpy(dtype=float)
        hi = grouped[f"{value}_hi"].mean().reindex(levels).to_numpy(dtype=float)
    elif value.endswith("_mean") and f"{value[:-5]}_se" in points:
        se = grouped[f"{value[:-5]}_se"].mean().reindex(levels).to_numpy(dtype=float)
        lo, hi = y - Z_BAND * se, y + Z_BAND * se
    else:
        lo = hi = y
    if "identical" in points and bool(points["identical"].all()):
        lo = hi = y  # one run per point, or runs all alike: no band to draw
    banded = bool(np.any(hi > lo))
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in levels)
    if numeric:
        xs = np.asarray(levels, dtype=float)
        if banded:
            ax.fill_between(xs, lo, hi, color=COLORS["sky"], alpha=0.35, lw=0,
                            label="95% band")
        ax.plot(xs, y, color=COLORS["blue"], lw=1.8, marker="o", ms=3.5)
        where = float(mark) if isinstance(mark, int | float) else None
    else:
        xs = np.arange(len(levels), dtype=float)
        ax.errorbar(xs, y, yerr=[y - lo, hi - y] if banded else None, fmt="o",
                    color=COLORS["blue"], ms=5, ecolor=COLORS["sky"], elinewidth=6, capsize=0,
                    label="95% band" if banded else None)
        ax.set_xticks(xs, labels, rotation=15, ha="right", fontsize=7)
        ax.set_xlim(-0.5, len(levels) - 0.5)
        where = _position(levels, mark)
    if where is not None:
        ax.axvline(where, color=COLORS["vermillion"], lw=1.0, ls="--",
                   label="the scenario as written")
    if value.startswith("p_"):
        ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel(x)
    ax.set_title(OUTCOME_LABELS.get(value, value), loc="left")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", frameon=False)
    return ax


def draw_tornado(ax: Axes, table: pd.DataFrame, outcome: str, top: int = 12) -> Axes:
    """One-at-a-time swings: the outcome with each parameter at the ends of its documented
    range, the others as in the scenario; widest swing on top.

    `table` is `sim.experiments.sensitivity.one_at_a_time`'s (rows of one outcome are used).
    """
    rows = table[table["outcome"] == outcome].copy()
    rows["width"] = (rows["y_high"] - rows["y_low"]).abs()
    rows = rows.sort_values(["width", "parameter"], ascending=[True, False]).tail(top)
    base = float(rows["y_base"].iloc[0]) if len(rows) else 0.0
    y = np.arange(len(rows))
    ax.barh(y, rows["y_low"] - base, left=base, color=COLORS["sky"], height=0.6,
            label="parameter at the low end of its range")
    ax.barh(y, rows["y_high"] - base, left=base, color=COLORS["vermillion"], height=0.6,
            alpha=0.85, label="parameter at the high end")
    ax.axvline(base, color=COLORS["black"], lw=0.8)
    ax.set_yticks(y, [f"{p}  [{lo:g}, {hi:g}]" for p, lo, hi in
                      zip(rows["parameter"], rows["x_low"], rows["x_high"], strict=True)])
    # Wrapped: on one line, the longest outcome's label ran past the figure's edge.
    ax.set_xlabel(textwrap.fill(f"{OUTCOME_LABELS.get(outcome, outcome)} "
                                f"(scenario: {base:.3g})", 55))
    ax.set_title("One at a time, over each documented range", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False)
    return ax


def draw_flips(ax: Axes, details: pd.DataFrame, band: float = 0.2, top: int = 60) -> Axes:
    """The flip search as a tornado: per input, a bar from the nearest flip below the
    default to the nearest flip above it (relative changes), so a short bar is a fragile
    input; where a side does not flip, a pale bar shows how far it was searched. The band
    the story should survive is shaded; nearest flip on top.

    `details` is `sim.experiments.flips.Result.details()`.
    """
    rows = details.copy()
    rows["_d"] = rows["distance"].fillna(np.inf)
    rows = rows.sort_values(["_d", "parameter"], ascending=[False, True], kind="stable")
    rows = rows.tail(top)
    y = np.arange(len(rows))
    ax.axvspan(-band, band, color=COLORS["yellow"], alpha=0.25, lw=0,
               label=f"±{band:.0%}: the story should hold")
    for side, flip_col, reach_col in (("below", "lower", "searched_below"),
                                      ("above", "upper", "searched_above")):
        flip = pd.to_numeric(rows[flip_col], errors="coerce").to_numpy(dtype=float)
        reach = rows[reach_col].to_numpy(dtype=float)
        hit = np.isfinite(flip)
        color = COLORS["blue"] if side == "below" else COLORS["vermillion"]
        ax.barh(y[hit], flip[hit], color=color, height=0.6,
                label=f"nearest flip {side} the default")
        ax.barh(y[~hit], reach[~hit], color=COLORS["grey"], alpha=0.25, height=0.6,
                label="searched, no flip" if side == "below" else None)
    ax.axvline(0, color=COLORS["black"], lw=0.8)
    ax.set_yticks(y, [short(p, 60) for p in rows["parameter"]])
    ax.set_xlim(-1.05, 1.05)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:+.0%}")
    ax.set_xlabel("relative change of the input, the others at their values")
    ax.set_title("Distance to the nearest change of any first response", loc="left")
    ax.grid(axis="y", visible=False)
    # Below the axes: inside, it covered the bars of the inputs furthest from a flip.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=2, frameon=False)
    return ax


def draw_elasticities(ax: Axes, table: pd.DataFrame, outcome: str, top: int = 12) -> Axes:
    """Local elasticities at the scenario's values: % change of the outcome per % change
    of the parameter (central differences); parameters at zero have none and are left out."""
    rows = table[(table["outcome"] == outcome) & np.isfinite(table["elasticity"])].copy()
    rows = rows.reindex(rows["elasticity"].abs().sort_values().index).tail(top)
    y = np.arange(len(rows))
    colors = [COLORS["vermillion"] if e > 0 else COLORS["blue"] for e in rows["elasticity"]]
    ax.barh(y, rows["elasticity"], color=colors, height=0.6)
    ax.axvline(0, color=COLORS["black"], lw=0.8)
    ax.set_yticks(y, list(rows["parameter"]))
    ax.set_xlabel(textwrap.fill(f"elasticity of the {OUTCOME_LABELS.get(outcome, outcome)}",
                                45))  # on one line it ran past the figure's right edge
    ax.set_title("Local elasticities at the scenario's values", loc="left")
    ax.grid(axis="y", visible=False)
    return ax


def draw_sobol(ax: Axes, table: pd.DataFrame, outcome: str, top: int = 12) -> Axes:
    """Sobol indices with 95% bootstrap intervals: first order (the parameter alone) and
    total (with all its interactions); largest total on top."""
    rows = table[table["outcome"] == outcome].sort_values("ST").tail(top)
    y = np.arange(len(rows))
    ax.barh(y + 0.2, rows["ST"], height=0.38, color=COLORS["vermillion"],
            xerr=rows["ST_conf"], error_kw={"elinewidth": 0.8, "capsize": 2},
            label="total")
    ax.barh(y - 0.2, rows["S1"], height=0.38, color=COLORS["blue"],
            xerr=rows["S1_conf"], error_kw={"elinewidth": 0.8, "capsize": 2},
            label="first order")
    ax.set_yticks(y, list(rows["parameter"]))
    ax.set_xlabel(textwrap.fill("share of the variance of the "
                                f"{OUTCOME_LABELS.get(outcome, outcome)}", 55))
    ax.set_title("Sobol indices over the documented ranges", loc="left")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", frameon=False)
    return ax


BELIEF_FLOOR = 0.003  # the bottom of the belief chart's log axis

RESPONSE_COLORS = {"none": "grey", "smaller": "sky", "same": "blue", "larger": "vermillion"}


def draw_first_responses(ax: Axes, probabilities: list[dict[str, Any]]) -> Axes:
    """For each recorded first response, the model's distribution over none, smaller, same
    and larger (a stacked bar), with the recorded category outlined and its probability
    written beside the bar. `probabilities` as `sim.analysis.probabilities` gives them."""
    labels = [f"{p['actor']} on {short(p['target'], 12)} ({p['trigger_date']})"
              for p in probabilities][:MAX_LABELLED * 4]
    shown = probabilities[:len(labels)]
    y = np.arange(len(shown))[::-1]
    left = np.zeros(len(shown))
    for category, color in RESPONSE_COLORS.items():
        width = np.array([p["probabilities"][category] for p in shown], dtype=float)
        ax.barh(y, width, left=left, color=COLORS[color], height=0.6, label=category)
        for k, p in enumerate(shown):
            if p["recorded"] == category:
                ax.barh(y[k], width[k], left=left[k], height=0.6, fill=False,
                        edgecolor=COLORS["black"], lw=1.8)
        left += width
    for k, p in enumerate(shown):
        ax.annotate(f"P(recorded: {p['recorded']}) = {p['probabilities'][p['recorded']]:.2f}",
                    (1.01, y[k]), xycoords=("axes fraction", "data"), va="center",
                    fontsize=7)
    ax.set_yticks(y, labels, fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"probability over {shown[0]['runs'] if shown else 0} sampled runs "
                  "(recorded category outlined)")
    ax.set_title("First responses: the model's probabilities and what history recorded")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.06), ncols=4, fontsize=7,
              frameon=False)
    return ax
