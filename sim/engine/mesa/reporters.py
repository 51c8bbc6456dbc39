"""Model reporters: one column per measure and pair in play, for Mesa's own tools.

Mesa's `batch_run` and `mesa.visualization.make_plot_component` read the DataCollector's
model reporters only (its tables, where the dyad records live, are invisible to them).
So each pair (observer, about) in play gets six reporters, named by `reporter_name`:

- ``belief``: the observer's belief in a reset with `about`'s incoming administration
  (empty, NaN, when no reset is in prospect), as the ``p_reset`` column of the dyad table;
- ``threshold``: the belief above which waiting beats retaliating (NaN on days without an
  open grievance weighed by expected utility);
- ``eu_retaliate``, ``eu_wait``, ``eu_let_go``: the three expected utilities;
- ``missions``: staff the observer keeps in `about`'s country.

Each reporter reads the agents' ledgers and evaluations exactly as
`sim.engine.mesa.records.dyad_row` does, so its values equal the dyad table's, day by day.
Reporters are read-only: they draw no random number and change no state, so a run with
them writes the same files as one without.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.engine.mesa.model import RetaliationModel

MEASURES = ("belief", "threshold", "eu_retaliate", "eu_wait", "eu_let_go", "missions")
NAN = float("nan")

Reporter = Callable[["RetaliationModel"], float]


def reporter_name(measure: str, observer: str, about: str) -> str:
    """The model-reporter column of `measure` for the pair, e.g. ``belief RUS-USA``.

    One naming rule, so the page, notebooks and tests find a column without guessing.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; one of {', '.join(MEASURES)}")
    return f"{measure} {observer}-{about}"


def _belief(observer: str, about: str) -> Reporter:
    def report(model: RetaliationModel) -> float:
        if not model.plan.with_prior[about]:
            return NAN
        prospect = model.prospect(observer, about, model.today)
        if prospect is None:
            return NAN
        row = model.state.belief_row.get((model.world.index[(observer, about)], prospect.key))
        return NAN if row is None else float(model.state.beliefs[row, 0, 0])

    return report


def _assessed(observer: str, about: str, field: str) -> Reporter:
    def report(model: RetaliationModel) -> float:
        evaluation = model.recorder.evaluations.get(model.world.index[(observer, about)])
        assessment = evaluation.assessment if evaluation is not None else None
        return NAN if assessment is None else float(getattr(assessment, field))

    return report


def _missions(observer: str, about: str) -> Reporter:
    def report(model: RetaliationModel) -> float:
        return float(model.state.staff[model.world.index[(observer, about)], 0])

    return report


def model_reporters(model: RetaliationModel) -> dict[str, Reporter]:
    """The model_reporters dict for every pair the model has in play (`model.pairs`).

    Built from the pairs at construction: a scenario fixes them, so the columns are the
    same on every day and in every replicate of a `batch_run`.
    """
    reporters: dict[str, Reporter] = {}
    for observer, about in model.pairs:
        reporters[reporter_name("belief", observer, about)] = _belief(observer, about)
        reporters[reporter_name("threshold", observer, about)] = _assessed(
            observer, about, "threshold")
        for field in ("eu_retaliate", "eu_wait", "eu_let_go"):
            reporters[reporter_name(field, observer, about)] = _assessed(observer, about, field)
        reporters[reporter_name("missions", observer, about)] = _missions(observer, about)
    return reporters
