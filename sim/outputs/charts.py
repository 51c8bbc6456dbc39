"""Charts, each drawn onto a matplotlib Axes the caller provides.

Every function has the form ``draw_x(ax, result, ...)`` and returns the Axes, so the
command line, notebooks and papers arrange figures as they like. Colours are the
Okabe-Ito palette (safe for colour-blind readers and in greyscale print).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from sim.results import RunResult

COLORS = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#777777",
}
STYLE = {
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "axes.spines.top": False,
    "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.3, "grid.linewidth": 0.5,
    "figure.dpi": 100, "savefig.dpi": 200, "font.family": "DejaVu Sans",
    "svg.hashsalt": "sim", "path.simplify": True,
}


@contextmanager
def style() -> Iterator[None]:
    """The house style for every figure."""
    with plt.rc_context(STYLE):
        yield


def _dates(frame: pd.DataFrame, column: str = "date") -> pd.Series:
    return pd.to_datetime(frame[column])


def _dyad(result: RunResult, actor: str, counterpart: str) -> pd.DataFrame:
    ts = result.timeseries
    return ts[(ts["actor"] == actor) & (ts["counterpart"] == counterpart)]


def _name(result: RunResult, sid: str) -> str:
    return result.scenario.spec.states[sid].name


def _format_dates(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


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
    ev = result.events
    ev = ev[ev["actor"].isin(pair) & ev["target"].isin(pair)]
    top = ax.get_ylim()[1]
    for k, (_, row) in enumerate(ev.iterrows()):
        when = pd.Timestamp(row["date"])
        color = COLORS["vermillion"] if row["actor"] == pair[0] else COLORS["blue"]
        ax.axvline(when, color=color, lw=0.8, ls=":", zorder=1)
        if label:
            ax.annotate(_measure_label(row), (when, top), xytext=(3, -10 - 11 * (k % 3)),
                        textcoords="offset points", fontsize=7, color=color, va="top")


def draw_missions(ax: Axes, result: RunResult, actor: str | None = None,
                  counterpart: str | None = None) -> Axes:
    """Staff each side keeps in the other, day by day, with every measure marked."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    ax.step(when, rows["staff_counterpart_in_actor"], where="post", color=COLORS["blue"],
            lw=1.8, label=f"{counterpart} staff in {actor}")
    ax.step(when, rows["staff_actor_in_counterpart"], where="post",
            color=COLORS["vermillion"], lw=1.8,
            label=f"{actor} staff in {counterpart}")
    high = max(rows["staff_counterpart_in_actor"].max(), rows["staff_actor_in_counterpart"].max())
    ax.set_ylim(0, high * 1.45 + 1)
    _mark_measures(ax, result, (actor, counterpart), label=True)
    ax.set_ylabel("staff")
    ax.set_title(f"Missions and measures: {_name(result, actor)} and "
                 f"{_name(result, counterpart)}")
    ax.legend(loc="lower left", frameon=False)
    _format_dates(ax)
    return ax


def draw_facilities(ax: Axes, result: RunResult, actor: str | None = None,
                    counterpart: str | None = None) -> Axes:
    """Facilities (posts, annexes, compounds) each side holds in the other."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    ax.step(when, rows["facilities_counterpart_in_actor"], where="post",
            color=COLORS["blue"], lw=1.5, label=f"{counterpart} sites in {actor}")
    ax.step(when, rows["facilities_actor_in_counterpart"], where="post",
            color=COLORS["vermillion"], lw=1.5, label=f"{actor} sites in {counterpart}")
    high = max(rows["facilities_counterpart_in_actor"].max(),
               rows["facilities_actor_in_counterpart"].max())
    ax.set_ylim(0, high + 1.5)
    _mark_measures(ax, result, (actor, counterpart), label=False)
    ax.set_ylabel("facilities")
    ax.legend(loc="lower left", frameon=False, ncols=2)
    _format_dates(ax)
    return ax


def draw_belief(ax: Axes, result: RunResult, actor: str | None = None,
                counterpart: str | None = None) -> Axes:
    """Belief in a reset against the waiting threshold, with the evidence marked.

    Waiting is optimal where the belief lies above the threshold (shaded). A log scale
    shows both the high beliefs of the winter and the small ones after the evidence.
    """
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
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
    ax.set_ylim(0.003, 1.3)
    info = result.information
    info = info[(info["observer"] == actor) & (info["about"] == counterpart)]
    for k, (_, row) in enumerate(info.iterrows()):
        day = pd.Timestamp(row["date"])
        ax.plot([day], [row["p_reset_after"]], marker="o", ms=4, color=COLORS["black"], zorder=3)
        ax.annotate(row["by"], (day, row["p_reset_after"]), xytext=(2, 6 + 8 * (k % 2)),
                    textcoords="offset points", fontsize=6.5, rotation=20)
    for adm in result.scenario.spec.states[counterpart].administrations.values():
        start = pd.Timestamp(adm.start)
        if result.scenario.spec.start <= adm.start <= result.scenario.spec.end:
            ax.axvline(start, color=COLORS["grey"], lw=0.8)
            ax.annotate(f"{adm.leader} takes office", (start, 0.0035), xytext=(3, 0),
                        textcoords="offset points", fontsize=7, color=COLORS["grey"])
    _mark_decisions(ax, result, actor, counterpart, rows, "p_reset")
    ax.set_ylabel("probability (log scale)")
    ax.set_title(f"Should {_name(result, actor)} wait? Belief in a reset with "
                 f"{_name(result, counterpart)} against the threshold")
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 0.06), frameon=False)
    _format_dates(ax)
    return ax


def draw_utilities(ax: Axes, result: RunResult, actor: str | None = None,
                   counterpart: str | None = None) -> Axes:
    """Expected utility of retaliating, waiting and letting go, while a grievance is open."""
    actor, counterpart = (actor, counterpart) if actor and counterpart else result.main_dyad()
    rows = _dyad(result, actor, counterpart)
    when = _dates(rows)
    for column, color, label, ls in (
        ("eu_retaliate", COLORS["vermillion"], "retaliate now", "-"),
        ("eu_wait", COLORS["blue"], "wait", "-"),
        ("eu_let_go", COLORS["grey"], "let go", ":"),
    ):
        ax.plot(when, rows[column], color=color, lw=1.6, ls=ls, label=label)
    ax.axhline(0, color=COLORS["black"], lw=0.6)
    _mark_decisions(ax, result, actor, counterpart, rows, "eu_retaliate")
    ax.set_ylabel("expected utility (units of R)")
    ax.set_title(f"{_name(result, actor)}'s expected utilities towards "
                 f"{_name(result, counterpart)}")
    ax.legend(loc="lower right", frameon=False)
    _format_dates(ax)
    return ax


def _mark_decisions(ax: Axes, result: RunResult, actor: str, counterpart: str,
                    rows: pd.DataFrame, column: str) -> None:
    acts = result.decisions
    acts = acts[(acts["actor"] == actor) & (acts["counterpart"] == counterpart)
                & (acts["choice"] == "retaliate")]
    for _, row in acts.iterrows():
        value = rows.loc[rows["date"] == row["date"], column]
        if len(value) and np.isfinite(value.iloc[0]):
            day = pd.Timestamp(row["date"])
            ax.plot([day], [value.iloc[0]], marker="*", ms=11, color=COLORS["vermillion"],
                    zorder=4)
            ax.annotate(f"retaliates ({row['date']})", (day, value.iloc[0]), xytext=(-9, -3),
                        textcoords="offset points", fontsize=7, ha="right", va="top")


# --- the solved game: tournament and decision map (fed by pure computations) -------------

from sim.game.decision_map import DecisionMap, Outcome  # noqa: E402  (kept with its charts)


def draw_policy_ranking(ax: Axes, ranking: pd.DataFrame) -> Axes:
    """Mean payoff per policy over the tournament's episodes, with its confidence interval.

    `ranking` is `sim.tournament.Summary.ranking`: one row per policy, best first. Policies
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
    ax.set_yticks(y, rows["policy"])
    ax.set_xlabel("mean payoff per episode (units of R), 95% bootstrap interval")
    ax.set_title("Tournament: payoff by policy")
    handles = [plt.Line2D([], [], ls="", marker="o", color=c, label=lab) for c, lab in (
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


DECISION_COLORS = {0: COLORS["sky"], 1: COLORS["green"], 2: COLORS["vermillion"],
                   3: COLORS["grey"], 4: COLORS["purple"]}


def draw_decision_map(ax: Axes, decision_map: DecisionMap, *,
                      point: tuple[float, float] | None = None, point_label: str = "scenario",
                      boundary: np.ndarray | None = None, actor: str = "the target") -> Axes:
    """A state's first response over prior belief (x) and audience cost (y).

    `decision_map` is `sim.game.decision_map.DecisionMap` (a pure computation); `point`
    marks the scenario's own values; `boundary` (one prior per audience cost, from
    `sim.decision_map.first_day_boundary`) is where waiting starts on the first day.
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
    from sim.validation import shares

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
