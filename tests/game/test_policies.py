"""Every named policy is tested through one shared base class (as in the Axelrod library).

A policy test sets `policy`, its full `classifier` and the moves it makes against each
scripted opponent (`SCRIPTS`). The base class checks what must hold for any policy: the
classifier has every key and says what the test expects, sizes are feasible and
deterministic, the reply probability is a probability, forgiveness draws matter only for
a stochastic policy; and it plays the policy, through the engine (`sim.run`), against
each scripted opponent and compares every move it makes with the expected moves.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, ClassVar

import pytest

import sim
from sim.rules.policies import (
    CLASSIFIER_KEYS,
    POLICIES,
    BestResponse,
    Generous,
    Grim,
    InKind,
    Never,
    Parity,
    Policy,
    Proportional,
    Token,
    make_policy,
)
from sim.rules.sizing import Exposure, Grievance

FIRST = Grievance().add(35, 2, False)
AGAIN = FIRST.add(0, 0, False)
CAPPED = Grievance().add(720, 0, True)
UNEQUAL = Exposure(1210, 455, 6, 7)
SMALL = Exposure(10, 50, 1, 1)
LEVEL = Exposure(455, 455, 4, 4)

START = dt.date(2020, 1, 1)
# Scripted opponents: OPP expels AAA's staff (persons, facilities) on these days and never
# answers anything. AAA, the policy under test, keeps 40 staff and 3 sites in OPP, which
# keeps 100 and 5 in AAA: AAA is the smaller mission, so a cut to parity is large.
SCRIPTS: dict[str, dict[str, Any]] = {
    "once": {"moves": [(1, 10, 1)]},
    "twice before an answer": {"moves": [(1, 10, 0), (1, 5, 0)]},
    "a small expulsion": {"moves": [(1, 2, 0)]},
    "with a reset in prospect": {"moves": [(1, 10, 1)], "prospect": 0.95},
}


def play(policy: dict[str, Any], script: dict[str, Any]) -> list[tuple[int, str, int, int]]:
    """AAA's moves (day, action, persons, facilities) against a scripted opponent."""
    opp: dict[str, Any] = {"name": "Opponent", "missions": {"AAA": 100},
                           "facilities": {"AAA": 5}, "policy": "never"}
    if "prospect" in script:  # an incoming OPP administration AAA expects much of
        p = script["prospect"]
        opp["administrations"] = {
            "old": {"leader": "O One", "start": "2019-01-01", "end": "2020-01-20"},
            "new": {"leader": "O Two", "start": "2020-01-20", "end": "2024-01-20",
                    "prior": {"accommodating": p, "hawkish": 1 - p}, "freedom": 1.0}}
    events = [{"date": (START + dt.timedelta(days=d)).isoformat(), "type": "expel",
               "actor": "OPP", "target": "AAA", "persons": n, "facilities": f}
              for d, n, f in script["moves"]]
    scenario = {
        "name": "scripted", "title": "a policy against a scripted opponent",
        "start": START.isoformat(), "end": (START + dt.timedelta(days=20)).isoformat(),
        "seed": 1,
        "states": {"AAA": {"name": "Alpha", "missions": {"OPP": 40}, "facilities": {"OPP": 3},
                           "policy": policy},
                   "OPP": opp},
        "events": events,
    }
    mine = sim.run(scenario).model_actions()
    return [((dt.date.fromisoformat(r.date) - START).days, r.action, int(r.persons),
             int(r.facilities)) for r in mine.itertuples() if r.actor == "AAA"]


class PolicyTest:
    policy: ClassVar[Policy]
    classifier: ClassVar[dict[str, Any]]
    # script name -> AAA's moves: (day, action, persons, facilities)
    moves: ClassVar[dict[str, list[tuple[int, str, int, int]]]]

    def spec(self) -> dict[str, Any]:
        return {"name": self.policy.name, **self.policy.params()}

    def test_classifier_has_every_key_and_says_what_is_expected(self):
        assert set(self.policy.classifier) == set(CLASSIFIER_KEYS)
        assert self.policy.classifier == self.classifier
        for key in ("uses_beliefs", "stochastic", "escalates", "retaliates"):
            assert getattr(self.policy, key) is self.classifier[key], key
        assert POLICIES[self.policy.name] is type(self.policy)

    @pytest.mark.parametrize("script", sorted(SCRIPTS))
    def test_plays_each_scripted_opponent_as_expected(self, script):
        assert play(self.spec(), SCRIPTS[script]) == self.moves[script]

    def test_escalates_only_if_classified_so(self):
        beyond = [m for moves in self.moves.values() for m in moves
                  if m[2] > 15]  # more persons than any script expels
        assert bool(beyond) <= self.policy.escalates

    @pytest.mark.parametrize("grievance", [FIRST, AGAIN, CAPPED])
    @pytest.mark.parametrize("exposure", [UNEQUAL, SMALL, LEVEL])
    def test_sizes_are_feasible_and_deterministic(self, grievance, exposure):
        m = self.policy.measure(grievance, exposure)
        assert 0 <= m.persons <= exposure.their_staff_here
        assert 0 <= m.facilities <= exposure.their_facilities_here
        assert m == self.policy.measure(grievance, exposure)

    def test_reply_probability_is_a_probability(self):
        assert 0.0 <= self.policy.reply_probability() <= 1.0

    def test_is_a_small_documented_class(self):
        cls = type(self.policy)
        doc = cls.__dict__.get("__doc__") or ""
        assert doc and not doc.startswith(f"{cls.__name__}("), "write a docstring"

    def test_forgiveness_draws_matter_only_if_stochastic(self):
        answers = [self.policy.forgives(u) for u in (0.0, 0.25, 0.5, 0.75, 0.999)]
        if self.policy.stochastic:
            assert len(set(answers)) == 2  # some draws forgive, others do not
        else:
            assert answers == [False] * 5


class TestBestResponse(PolicyTest):
    policy = BestResponse()
    classifier = {"uses_beliefs": True, "stochastic": False, "escalates": True,
                  "memory_depth": math.inf, "inspects_opponent": True, "retaliates": True}
    # The opponent never replies: answering larger then risks nothing, and its value
    # (up to R (1 + 0.2)) beats the cost of cutting more of OPP's presence here (0.5 R for
    # all of it): twice what is owed. Re-provoked before answering, equal standing is
    # claimed and the cap of OPP's 100 to AAA's 25 takes effect by its deadline.
    moves = {
        "once": [(2, "expel", 20, 2)],
        "twice before an answer": [(2, "cap", 75, 2)],
        "a small expulsion": [(2, "expel", 4, 0)],
        "with a reset in prospect": [],  # p = 0.95: waiting is worth more
    }

    def test_ladder_in_kind_then_parity(self):  # its named answer (`Policy.measure`)
        assert self.policy.measure(FIRST, UNEQUAL).persons == 35
        assert self.policy.measure(AGAIN, UNEQUAL).persons == 755


class TestInKind(PolicyTest):
    policy = InKind()
    classifier = {"uses_beliefs": False, "stochastic": False, "escalates": False,
                  "memory_depth": 1, "inspects_opponent": False, "retaliates": True}
    moves = {"once": [(2, "expel", 10, 1)], "twice before an answer": [(2, "expel", 15, 0)],
             "a small expulsion": [(2, "expel", 2, 0)],
             "with a reset in prospect": [(2, "expel", 10, 1)]}


class TestProportional(PolicyTest):
    policy = Proportional(ratio=0.5)
    classifier = TestInKind.classifier
    moves = {"once": [(2, "expel", 5, 1)], "twice before an answer": [(2, "expel", 8, 0)],
             "a small expulsion": [(2, "expel", 1, 0)],
             "with a reset in prospect": [(2, "expel", 5, 1)]}


class TestParity(PolicyTest):
    policy = Parity()
    classifier = {"uses_beliefs": False, "stochastic": False, "escalates": True,
                  "memory_depth": 0, "inspects_opponent": False, "retaliates": True}
    moves = {"once": [(2, "cap", 70, 3)], "twice before an answer": [(2, "cap", 75, 2)],
             "a small expulsion": [(2, "cap", 62, 2)],
             "with a reset in prospect": [(2, "cap", 70, 3)]}


class TestToken(PolicyTest):
    policy = Token()
    classifier = TestInKind.classifier
    moves = {"once": [(2, "expel", 3, 1)], "twice before an answer": [(2, "expel", 4, 0)],
             "a small expulsion": [(2, "expel", 1, 0)],
             "with a reset in prospect": [(2, "expel", 3, 1)]}


class TestGenerous(PolicyTest):
    policy = Generous(forgiveness=0.3)
    classifier = {"uses_beliefs": False, "stochastic": True, "escalates": False,
                  "memory_depth": 1, "inspects_opponent": False, "retaliates": True}
    # seed 1 draws 0.51, 0.95, 0.14, ...: one draw per expulsion taking effect, then one
    # for forgiveness: 0.95 after one expulsion (answers), 0.14 after two (forgives)
    moves = {"once": [(2, "expel", 10, 1)], "twice before an answer": [],
             "a small expulsion": [(2, "expel", 2, 0)],
             "with a reset in prospect": [(2, "expel", 10, 1)]}

    def test_forgives_below_g(self):
        assert self.policy.forgives(0.29) and not self.policy.forgives(0.31)
        assert self.policy.reply_probability() == pytest.approx(0.7)

    def test_always_forgiving_never_answers(self):
        assert play({"name": "generous", "forgiveness": 1.0}, SCRIPTS["once"]) == []


class TestGrim(PolicyTest):
    policy = Grim()
    classifier = {"uses_beliefs": False, "stochastic": False, "escalates": True,
                  "memory_depth": 1, "inspects_opponent": False, "retaliates": True}
    # twice what is owed, at least the parity gap, taken at once (no deadline)
    moves = {"once": [(2, "expel", 70, 3)], "twice before an answer": [(2, "expel", 75, 2)],
             "a small expulsion": [(2, "expel", 62, 2)],
             "with a reset in prospect": [(2, "expel", 70, 3)]}


class TestNever(PolicyTest):
    policy = Never()
    classifier = {"uses_beliefs": False, "stochastic": False, "escalates": False,
                  "memory_depth": 0, "inspects_opponent": False, "retaliates": False}
    moves: ClassVar[dict[str, list[tuple[int, str, int, int]]]] = {key: [] for key in SCRIPTS}

    def test_never_replies(self):
        assert self.policy.reply_probability() == 0.0


def test_every_policy_has_a_test_class():
    tested = {cls.policy.name for cls in PolicyTest.__subclasses__()}
    assert tested == set(POLICIES)


def test_a_classifier_missing_a_key_is_refused():
    with pytest.raises(TypeError, match="lacks"):
        class Half(InKind):  # defining it is the test
            """Half a classifier."""

            name = "half"
            classifier = {"uses_beliefs": False}


def test_make_policy_rejects_unknown_names_and_parameters():
    with pytest.raises(ValueError, match="unknown policy"):
        make_policy("tit_for_two_tats")
    with pytest.raises(ValueError, match="takes ratio"):
        make_policy("proportional", share=0.5)
