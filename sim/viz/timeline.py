"""The printed timeline: every act, every piece of evidence, and each decision with why.

Decisions are printed when they change, on the first day a grievance is weighed, and the
day after new evidence about the counterpart arrives (so the reader sees its effect);
unchanged waiting in between is left to `timeseries.csv`.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from sim.analysis.comparison import Comparison
from sim.engine.one_run import RunResult

ORDER = {"act": 0, "decision": 1, "measure": 2, "information": 3}


def describe_measure(row: pd.Series) -> str:
    """'expels 35 staff of RUS and closes 2 facilities' and the like."""
    persons, facilities, target = int(row["persons"]), int(row["facilities"]), row["target"]
    if row["action"] == "cap":
        text = f"caps the mission of {target} to parity: {persons} staff to leave"
    elif persons:
        text = f"expels {persons} staff of {target}"
    else:
        text = ""
    if facilities:
        sites = f"{facilities} {'facility' if facilities == 1 else 'facilities'}"
        text = f"{text} and closes {sites}" if text else f"closes {sites} of {target}"
    if row["effective"] != row["date"]:
        text += f" (effective {row['effective']})"
    return text


def lines(result: RunResult) -> list[str]:
    """The timeline as printable lines, in date order (ties: by kind, then by the row's
    position in its table)."""
    entries: list[tuple[str, int, int, str]] = []
    for i, (_, row) in enumerate(result.events.iterrows()):
        scenario = row["source"] == "scenario"
        text = f"{row['actor']} {describe_measure(row)}" + ("  [scenario]" if scenario else "")
        entries.append((row["date"], ORDER["act" if scenario else "measure"], i, text))
    for i, (_, row) in enumerate(result.statements.iterrows()):
        by = f" ({row['by']})" if row["by"] else ""
        what = ("threatens {t} with reciprocity" if row["kind"] == "threat"
                else "tells {t} it wants channels kept open").format(t=row["target"])
        entries.append((row["date"], ORDER["act"], 1000 + i,
                        f"{row['actor']} {what}, {row['level']} level{by}"))
    news_days: set[tuple[str, str, str]] = set()
    for i, (_, row) in enumerate(result.information.iterrows()):
        if not row["administration"]:  # an answer misread as a fresh offence
            entries.append((row["date"], ORDER["information"], i,
                            f"{row['observer']} misreads {row['by']} as a fresh offence"))
            continue
        flag = " (misread)" if row["misread"] else ""
        entries.append((row["date"], ORDER["information"], i,
                        f"{row['observer']} learns from {row['by']}{flag}: belief in a reset "
                        f"with {row['about']} {row['p_reset_before']:.2f} -> "
                        f"{row['p_reset_after']:.2f}"))
        news_days.add((row["date"], row["observer"], row["about"]))
    previous: dict[tuple[str, str], str] = {}
    last_date: dict[tuple[str, str], str] = {}
    for i, (_, row) in enumerate(result.decisions.iterrows()):
        key = (row["actor"], row["counterpart"])
        prior_day = last_date.get(key)
        changed = previous.get(key) != row["choice"]
        after_news = prior_day is not None and (prior_day, *key) in news_days
        previous[key], last_date[key] = row["choice"], row["date"]
        if not (changed or after_news):
            continue
        verb = {"wait": "waits", "retaliate": "retaliates", "let go": "lets go"}[row["choice"]]
        still = "still " if not changed else ""
        entries.append((row["date"], ORDER["decision"], i,
                        f"{row['actor']} {still}{verb} on {row['counterpart']}: {row['reason']}"))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    return [f"{date}  {text}" for date, _, _, text in entries]


def comparison_lines(rows: list[Comparison],
                     probabilities: list[dict[str, Any]] | None = None) -> list[str]:
    """The comparison with recorded history as an aligned text table; with `probabilities`
    (`sim.analysis.probabilities`), the model's probability of what was recorded too."""
    if not rows:
        return []
    head = (f"{'actor':5} {'target':6} {'trigger':10}  {'recorded':>22}  {'model':>22}  "
            f"{'delay rec/model':>15}")
    if probabilities:
        head += f"  {'P(recorded)':>11}"
    out = ["Recorded history against the model (first responses; model: most likely):", head]
    for k, r in enumerate(rows):
        rec = f"{r.recorded} {r.recorded_persons}+{r.recorded_facilities}f"
        pre = f"{r.predicted} {r.predicted_persons}+{r.predicted_facilities}f"
        delays = f"{_days(r.recorded_delay_days)}/{_days(r.predicted_delay_days)}"
        mark = "ok" if r.category_match else "MISS"
        line = (f"{r.actor:5} {r.target:6} {r.trigger_date:10}  {rec:>22}  {pre:>22}  "
                f"{delays:>15}")
        if probabilities and k < len(probabilities):
            line += f"  {probabilities[k]['probabilities'][r.recorded]:>11.2f}"
        out.append(f"{line}  {mark}")
    hits = sum(r.category_match for r in rows)
    out.append(f"category matches: {hits} of {len(rows)}")
    if probabilities:
        runs = probabilities[0]["runs"]
        mean = sum(p["probabilities"][p["recorded"]] for p in probabilities) / len(probabilities)
        out.append(f"P(recorded): the share of {runs} runs drawing every decision from its "
                   f"quantal response; mean {mean:.2f}")
    return out


def _days(value: int | None) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
