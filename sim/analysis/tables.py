"""pandas views that a notebook wants next to a run's own tables.

A `RunResult` already holds its records as DataFrames. Two things a researcher reaches for
in a notebook are not records of a run: the comparison with recorded history (a list of
`Comparison`, made by `sim.analysis.comparison.compare`) and the table of behaviour parameters (held
as field metadata in `sim.game.params`, which may not import pandas, with the values in
its data file). This module turns
each into a DataFrame, reading from those sources, never repeating them.
"""

from __future__ import annotations

import pandas as pd

from sim.analysis.comparison import Comparison, compare
from sim.engine.one_run import RunResult
from sim.game.params import parameter_table

COMPARISON_COLUMNS = [
    "actor", "target", "trigger_date", "recorded", "predicted", "category_match",
    "recorded_persons", "predicted_persons", "recorded_facilities", "predicted_facilities",
    "recorded_delay_days", "predicted_delay_days", "predicted_action", "predicted_date",
]
PARAMETER_COLUMNS = ["name", "default", "low", "high", "integer", "meaning", "source", "group"]


def compare_frame(result: RunResult | list[Comparison]) -> pd.DataFrame:
    """The comparison with recorded history, one row per recorded first response.

    Accepts a run (compared here with `sim.compare`) or a list of comparisons already
    made. Columns: who answered whom after which trigger, the recorded and predicted
    categories (none / smaller / same / larger) and whether they match, then sizes and
    delays side by side. Empty, with the same columns, when the scenario has no history
    (a counterfactual), so code that reads it needs no special case.
    """
    rows = compare(result) if isinstance(result, RunResult) else result
    frame = pd.DataFrame([c.as_row() for c in rows], columns=COMPARISON_COLUMNS)
    # The same dtypes with or without rows; a delay that did not happen stays missing.
    return frame.astype({
        "category_match": bool, "recorded_persons": "int64", "predicted_persons": "int64",
        "recorded_facilities": "int64", "predicted_facilities": "int64",
        "recorded_delay_days": "Int64", "predicted_delay_days": "Int64",
    })


def parameters() -> pd.DataFrame:
    """The behaviour parameters: name, default, plausible range (low, high), meaning, source,
    and group (utility, beliefs, sizing, timing, noise: `sim.game.params.GROUPS`).

    Read from `sim.game.params` (which reads the defaults from its data file), so that a
    sensitivity analysis varies each parameter within the range the model documents for
    it, and a reader sees which kind of assumption each is. `integer`
    marks the parameters counted in days, which an override must give as whole numbers
    (the numeric columns hold floats for all). Index: the parameter name, which is also
    its override path under ``behaviour.``.
    """
    rows = [
        {"name": p["name"], "default": p["default"], "low": p["range"][0],
         "high": p["range"][1], "integer": isinstance(p["default"], int),
         "meaning": p["doc"], "source": p["source"], "group": p["group"]}
        for p in parameter_table()
    ]
    return pd.DataFrame(rows, columns=PARAMETER_COLUMNS).set_index("name", drop=False)
