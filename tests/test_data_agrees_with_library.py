"""Where an episode has both a hand-written scenario (scenarios/) and rows in the data set
(data/first_responses.csv), the two record the same first responses.

A response of a scenario's history is matched to the data set's row of the same dyad
whose initiating move is within 3 days of the trigger. Known differences are listed with
their reason, as strict expectations: if one disappears, the list must shrink.
"""

from __future__ import annotations

from pathlib import Path

import sim
from sim.scenario.dataset import load_first_responses
from tests.conftest import ROOT

# (scenario, responder, initiator, trigger) -> why the category differs
KNOWN = {
    ("2018_skripal", "RUS", "GBR", "2018-03-14"):
        "Russia answered the 23 with 23 and closed the British Council and a consulate: the "
        "scenario counts persons first (same), the data set's codebook counts a heavier "
        "instrument added to the same number as larger",
}


def matches() -> tuple[list[tuple[str, str, str, str]], int, int]:
    rows = load_first_responses()
    by_dyad: dict[tuple[str, str], list] = {}
    for r in rows:
        by_dyad.setdefault((r.initiator, r.target), []).append(r)
    differ, agree, unmatched = [], 0, 0
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        history = sim.load(path).spec.history
        for resp in history.responses if history else []:
            near = [r for r in by_dyad.get((resp.target, resp.actor), [])
                    if abs((r.date - resp.trigger_date).days) <= 3]
            if not near:
                unmatched += 1
                continue
            if near[0].response_category == resp.category:
                agree += 1
            else:
                differ.append((Path(path).stem, resp.actor, resp.target,
                               resp.trigger_date.isoformat()))
    return differ, agree, unmatched


def test_the_data_set_and_the_library_record_the_same_first_responses():
    differ, agree, unmatched = matches()
    assert set(differ) == set(KNOWN)
    assert agree == 46
    # in the library but not the data set: Russia's cap answering the 2017 sanctions bill
    # (a law, not a move of the data set's kinds: the data set starts that exchange at the
    # cap), Russia's silence after the US closures of 31 Aug 2017, and NATO's 2018 cut
    # (no Russian answer to NATO was found)
    assert unmatched == 3
