"""The interactive page: a Mesa SolaraViz over one scenario, with sliders, Step and Play.

``python -m sim app [SCENARIO]`` serves this module with ``solara run``; a notebook can
show `Page()` directly. What the page holds, and why:

- a scenario picker over ``scenarios/`` and the data set's episodes (``data/``), found
  under the folders named in the environment (`ENV_ROOTS`); the browser chooses among
  these labels only, never a path of its own, so a visitor cannot make the server read
  an arbitrary file;
- sliders for the inputs that decide the outcome: the prior that the successor is
  accommodating, its freedom to change policy, the audience costs (as a multiple of the
  scenario's) and the value of a reset; a seed box; Mesa's Step, Play and Reset;
- the same charts as the results folder (`sim.viz.charts`: belief against threshold,
  missions and measures) drawn from the run so far, the expected utilities drawn by
  Mesa's own `make_plot_component` from the model reporters
  (`sim.engine.mesa.reporters`), the decision of the day with its reason in words, and on
  demand an ensemble: the probability of each first response over seeded replicates.

One model per browser session: `Page` builds its model inside the component, so each
visitor (each Solara virtual kernel) has its own; a model made at import time would be
shared by every visitor until someone pressed Reset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the server draws PNGs; no window, whatever the platform default

import pandas as pd
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz
from mesa.visualization.components.matplotlib_components import PlotMatplotlib
from mesa.visualization.utils import update_counter

from sim.engine.mesa import RetaliationModel
from sim.engine.mesa.reporters import reporter_name
from sim.engine.one_run import RunResult, collect
from sim.engine.plan import Plan
from sim.experiments.ensemble import run_many
from sim.scenario import LoadedScenario, ScenarioError, load
from sim.scenario.schema import Scenario
from sim.viz import charts

ENV_SCENARIO = "SIM_APP_SCENARIO"  # the scenario the page opens with (a path)
ENV_ROOTS = "SIM_APP_ROOTS"  # folders holding scenarios/ and data/, os.pathsep-separated
AUDIENCE_LEVELS = ("spokesman", "minister", "leader")
ENSEMBLE_RUNS = 40
VERBS = {"wait": "waits", "retaliate": "retaliates", "let go": "lets go"}


# --- what can be opened ------------------------------------------------------------------


def _is_scenario(path: Path) -> bool:
    """A cheap test that a YAML file is a scenario (or a counterfactual of one), so that
    the data set's other files (codebooks, sources) stay out of the picker."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return ("states:" in text and "events:" in text) or "base:" in text


Source = Path | dict[str, Any]  # a scenario file, or a scenario as data (a data-set row)


def catalog(roots: list[Path] | None = None) -> dict[str, Source]:
    """Scenario label -> file or data: ``scenarios/*.yaml``, the data set's episodes (each
    row of ``data/first_responses.csv`` the format can express, as ``data: RESPONSE_ID``,
    and any ``data/**/*.yaml``) under each root, plus the scenario the page was opened
    with."""
    roots = roots if roots is not None else _roots()
    found: dict[str, Source] = {}
    for root in roots:
        files = sorted((root / "scenarios").glob("*.yaml")) + sorted(
            (root / "data").glob("**/*.yaml"))
        for path in files:
            if _is_scenario(path):
                found.setdefault(path.relative_to(root).as_posix(), path.resolve())
        table = root / "data" / "first_responses.csv"
        if table.is_file():
            from sim.scenario.from_data import episodes, scenario_of

            try:
                rows = episodes(str(table))
            except ScenarioError:
                rows = {}  # a broken table is the validator's to report, not the page's
            for rid, row in rows.items():
                found.setdefault(f"data: {rid}", scenario_of(row))
    opened = os.environ.get(ENV_SCENARIO)
    if opened:
        path = Path(opened).resolve()
        if path not in found.values():
            found[path.name] = path
    return found


def _roots() -> list[Path]:
    named = [Path(p) for p in os.environ.get(ENV_ROOTS, "").split(os.pathsep) if p]
    return named or [Path.cwd()]


def default_label(found: Mapping[str, Source]) -> str:
    """The label of the scenario the page opens with: the one named on the command line,
    else the 2016 case, else the first one found."""
    opened = os.environ.get(ENV_SCENARIO)
    if opened:
        path = Path(opened).resolve()
        for label, candidate in found.items():
            if candidate == path:
                return label
    for label in found:
        if label.endswith("2016.yaml"):
            return label
    if not found:
        raise ScenarioError("no scenario found: pass one to `python -m sim app SCENARIO`")
    return next(iter(found))


# --- the inputs that decide the outcome ---------------------------------------------------


@dataclass(frozen=True)
class Successor:
    """The incoming administration the main actor holds a prior about."""

    state: str
    key: str
    accommodating: float
    freedom: float


def successor(spec: Scenario) -> Successor | None:
    """The first administration of the main dyad's initiator that carries a prior (the
    one whose coming makes waiting worth something), or None if there is none."""
    _, initiator = Plan(spec).main_dyad
    admins = sorted(spec.states[initiator].administrations.items(), key=lambda kv: kv[1].start)
    for key, adm in admins:
        if adm.prior is not None:
            return Successor(initiator, key, float(adm.prior.accommodating), float(adm.freedom))
    return None


def overrides(spec: Scenario, *, prior: float | None, freedom: float | None,
              audience_costs: float, reset_value: float | None,
              precision: float | None = None) -> dict[str, Any]:
    """The ``--set`` assignments that put the sliders' values into a scenario.

    Audience costs scale the main actor's own (so 1 leaves the scenario as it is); the
    prior and freedom go to the successor, when the scenario has one. A value equal to
    the scenario's is left out, so the page lists only what the visitor changed.
    """
    actor, _ = Plan(spec).main_dyad
    out: dict[str, Any] = {}
    found = successor(spec)
    if found is not None:
        base = f"states.{found.state}.administrations.{found.key}"
        if prior is not None and round(float(prior), 6) != round(found.accommodating, 6):
            p = round(float(prior), 6)
            out[f"{base}.prior"] = {"accommodating": p, "hawkish": round(1.0 - p, 6)}
        if freedom is not None and round(float(freedom), 6) != round(found.freedom, 6):
            out[f"{base}.freedom"] = round(float(freedom), 6)
    behaviour = spec.behaviour_of(actor)
    if audience_costs != 1.0:
        for level in AUDIENCE_LEVELS:
            field = f"audience_cost_{level}"
            value = getattr(behaviour, field) * float(audience_costs)
            out[f"states.{actor}.behaviour.{field}"] = round(value, 6)
    if reset_value is not None and float(reset_value) != behaviour.reset_value:
        out["behaviour.reset_value"] = round(float(reset_value), 6)
    if precision is not None and float(precision) != behaviour.precision:
        out["behaviour.precision"] = round(float(precision), 6)
    return out


def parse_seed(text: object) -> int | None:
    """The seed box: blank means the scenario's own seed; anything else must be an int."""
    value = str(text if text is not None else "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise ScenarioError(f"seed: {value!r} is not a whole number") from None


class PageModel(RetaliationModel):
    """A `RetaliationModel` built from the page's inputs, as Mesa's Reset passes them.

    SolaraViz makes a new model from the inputs' current values on Reset, by keyword; so
    every input is an argument here. The scenario is named by its label in `catalog()`.
    """

    def __init__(self, episode: str = "", prior: float | None = None,
                 freedom: float | None = None, audience_costs: float = 1.0,
                 reset_value: float | None = None, precision: float | None = None,
                 seed: str | int | None = "") -> None:
        found = catalog()
        label = episode or default_label(found)
        if label not in found:
            raise ScenarioError(f"unknown scenario {label!r}")
        base = load(found[label])
        self.label = label
        self.settings = overrides(base.spec, prior=prior, freedom=freedom,
                                  audience_costs=audience_costs, reset_value=reset_value,
                                  precision=precision)
        self.loaded: LoadedScenario = load(found[label], self.settings)
        super().__init__(self.loaded, seed=parse_seed(seed))

    def result(self) -> RunResult:
        """The records so far, for the charts."""
        return collect(self, self.loaded)


def model_params(label: str | None = None) -> dict[str, Any]:
    """SolaraViz's inputs, their starting values those of the scenario opened first."""
    found = catalog()
    label = label or default_label(found)
    spec = load(found[label]).spec
    heir = successor(spec)
    actor, _ = Plan(spec).main_dyad
    params: dict[str, Any] = {
        "episode": {"type": "Select", "value": label, "values": list(found),
                    "label": "Scenario"},
    }
    if heir is not None:
        params["prior"] = {"type": "SliderFloat", "value": heir.accommodating, "min": 0.05,
                           "max": 0.95, "step": 0.05,
                           "label": f"Prior: {heir.key} accommodating"}
        params["freedom"] = {"type": "SliderFloat", "value": heir.freedom, "min": 0.0,
                             "max": 1.0, "step": 0.05, "label": f"Freedom of {heir.key}"}
    params["audience_costs"] = {"type": "SliderFloat", "value": 1.0, "min": 0.0, "max": 3.0,
                                "step": 0.1, "label": "Audience costs (x scenario)"}
    params["reset_value"] = {"type": "SliderFloat",
                             "value": spec.behaviour_of(actor).reset_value,
                             "min": 0.0, "max": 20.0, "step": 0.5,
                             "label": "Value of a reset V"}
    params["precision"] = {"type": "SliderFloat",
                           "value": spec.behaviour_of(actor).precision,
                           "min": 1.0, "max": 100.0, "step": 1.0,
                           "label": "Precision of the response (lambda)"}
    params["seed"] = {"type": "InputText", "value": "", "label": "Seed (blank: scenario's)"}
    return params


# --- what the page shows -----------------------------------------------------------------


def decision_lines(result: RunResult, day: str) -> list[str]:
    """The decisions taken on `day`, each with its reason in words."""
    if not len(result.decisions):
        return []
    rows = result.decisions[result.decisions["date"] == day]
    return [f"{r['actor']} {VERBS.get(r['choice'], r['choice'])} on {r['counterpart']}: "
            f"{r['reason']}" for _, r in rows.iterrows()]


def decision_probabilities(result: RunResult, day: str) -> list[str]:
    """The quantal-response probabilities of each decision taken on `day`: the run takes
    the most likely course, and the page says how likely it was."""
    if not len(result.decisions) or "p_retaliate" not in result.decisions:
        return []
    rows = result.decisions[result.decisions["date"] == day]
    return [f"{r['actor']} on {r['counterpart']}: P(retaliate) {r['p_retaliate']:.2f}, "
            f"P(wait) {r['p_wait']:.2f}, P(let go) {r['p_let_go']:.2f}"
            for _, r in rows.iterrows()]


def first_responses(runs: pd.DataFrame, actor: str, target: str) -> pd.Series:
    """Share of replicates whose first response of `actor` to `target` falls in each
    category (larger, in kind, smaller, none), from `run_many`'s outcome rows."""
    rows = runs[(runs["actor"] == actor) & (runs["target"] == target)]
    first = rows.sort_values(["seed", "first_response_date"], na_position="last")
    first = first.drop_duplicates("seed")
    return first["category"].value_counts(normalize=True).sort_index()


def _figure() -> tuple[Figure, Any]:
    """A figure with fixed margins: a layout engine would cost about half the time of
    every step's redraw."""
    with charts.style():
        fig = Figure(figsize=(7.5, 3.6))
        fig.subplots_adjust(left=0.1, right=0.98, bottom=0.13, top=0.9)
        ax = fig.add_subplot()
    return fig, ax


def _chart(model: PageModel, draw: Callable[[Any, RunResult], Any]) -> None:
    if model.steps == 0:
        solara.Info("Press Step or Play to start the run.")
        return
    fig, ax = _figure()
    with charts.style():
        draw(ax, model.result())
    solara.FigureMatplotlib(fig, format="png")


def _line(text: str, css_class: str) -> None:
    """A line of text the browser tests find by its class."""
    solara.v.Html(tag="div", children=[text], class_=css_class, style_="margin: 4px 0")


@solara.component
def DecisionPanel(model: PageModel) -> None:
    """The day, the decision of the day and its reason, and the latest measure."""
    update_counter.get()
    with solara.Card("Decision of the day"):
        if model.steps == 0:
            _line(f"{model.spec.title}: day 0, nothing decided yet", "sim-decision")
            return
        day = model.today.isoformat()
        result = model.result()
        said = decision_lines(result, day)
        text = f"Day {model.steps}, {day}: " + (
            " | ".join(said) if said else "no decision today")
        _line(text, "sim-decision")
        for chances in decision_probabilities(result, day):
            _line(chances, "sim-probabilities")
        if len(result.decisions):
            last = result.decisions.iloc[-1]
            _line(f"Latest decision ({last['date']}): {last['actor']} "
                  f"{VERBS.get(last['choice'], last['choice'])} on {last['counterpart']}",
                  "sim-latest")
        if model.settings:
            _line("Changed: " + ", ".join(f"{k}={v}" for k, v in model.settings.items()),
                  "sim-settings")


@solara.component
def BeliefChart(model: PageModel) -> None:
    """`charts.draw_belief` on the run so far."""
    update_counter.get()
    _chart(model, charts.draw_belief)


@solara.component
def MissionsChart(model: PageModel) -> None:
    """`charts.draw_missions` on the run so far."""
    update_counter.get()
    _chart(model, charts.draw_missions)


@solara.component
def UtilitiesPlot(model: PageModel) -> None:
    """The three expected utilities of the main dyad, by Mesa's own plot of reporters."""
    update_counter.get()
    if model.steps == 0:
        solara.Info("Expected utilities appear once a grievance is weighed.")
        return
    actor, other = model.plan.main_dyad
    measure = {reporter_name(m, actor, other): color for m, color in (
        ("eu_retaliate", charts.COLORS["vermillion"]), ("eu_wait", charts.COLORS["blue"]),
        ("eu_let_go", charts.COLORS["grey"]))}
    PlotMatplotlib(model, measure, post_process=lambda ax: ax.set_title(
        f"{actor}'s expected utilities towards {other} (by step)"))


@solara.component
def EnsemblePanel(model: PageModel) -> None:
    """On demand: run seeded replicates of the current inputs and show the probability
    of each first response. Not on every step: replicates take seconds, steps should not."""
    done, set_done = solara.use_state((0, None))  # (id of the model, shares): Reset clears
    shares = done[1] if done[0] == id(model) else None
    actor, other = model.plan.main_dyad

    def run() -> None:
        runs = run_many(model.loaded, runs=ENSEMBLE_RUNS, seed=model.seed)
        set_done((id(model), first_responses(runs, actor, other)))

    with solara.Card("Ensemble: first response"):
        solara.Button(f"Run {ENSEMBLE_RUNS} replicates", on_click=run, color="secondary")
        if shares is not None:
            fig, ax = _figure()
            with charts.style():
                ax.bar(shares.index.astype(str), shares.to_numpy(), color=charts.COLORS["blue"])
                ax.set_ylim(0, 1)
                ax.set_ylabel("probability")
                ax.set_title(f"First response of {actor} to {other}, "
                             f"{ENSEMBLE_RUNS} replicates")
            solara.FigureMatplotlib(fig, format="png")
            _line(", ".join(f"P({k}) = {v:.2f}" for k, v in shares.items()), "sim-ensemble")


COMPONENTS = [(DecisionPanel, 0), (BeliefChart, 0), (MissionsChart, 0), (UtilitiesPlot, 0),
              (EnsemblePanel, 0)]


@solara.component
def Page() -> None:
    """The page: one model per browser session (see the module's docstring)."""
    params = solara.use_memo(model_params, [])
    model = solara.use_memo(lambda: PageModel(
        **{k: v["value"] for k, v in params.items()}), [])
    SolaraViz(model, components=COMPONENTS, model_params=params,
              name="sim: diplomatic retaliation", play_interval=150)
