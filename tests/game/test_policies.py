"""Every named policy is tested through one shared base class (as in the Axelrod library).

A policy test sets `policy` and `metadata`; the base class checks what must hold for any
policy (metadata, feasible and deterministic sizes, a valid reply probability), and each
subclass adds the cases that define that policy.
"""

from __future__ import annotations

from typing import ClassVar

import pytest

from sim.rules.policies import (
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


class PolicyTest:
    policy: ClassVar[Policy]
    metadata: ClassVar[dict[str, bool]]

    def test_metadata(self):
        for key, value in self.metadata.items():
            assert getattr(self.policy, key) is value, key
        assert POLICIES[self.policy.name] is type(self.policy)

    @pytest.mark.parametrize("grievance", [FIRST, AGAIN, CAPPED])
    @pytest.mark.parametrize("exposure", [UNEQUAL, SMALL, LEVEL])
    def test_sizes_are_feasible_and_deterministic(self, grievance, exposure):
        m = self.policy.size(grievance, exposure)
        assert 0 <= m.persons <= exposure.their_staff_here
        assert 0 <= m.facilities <= exposure.their_facilities_here
        assert m == self.policy.size(grievance, exposure)

    def test_reply_probability_is_a_probability(self):
        assert 0.0 <= self.policy.reply_probability() <= 1.0

    def test_is_a_small_documented_class_with_boolean_metadata(self):
        cls = type(self.policy)
        doc = cls.__dict__.get("__doc__") or ""
        assert doc and not doc.startswith(f"{cls.__name__}("), "write a docstring"
        for flag in ("uses_beliefs", "stochastic", "escalates", "retaliates"):
            assert isinstance(getattr(cls, flag), bool), flag

    def test_forgiveness_draws_only_if_stochastic(self):
        if not self.policy.stochastic:
            assert self.policy.forgives(0.0) == self.policy.forgives(0.999)


class TestBestResponse(PolicyTest):
    policy = BestResponse()
    metadata = {"uses_beliefs": True, "stochastic": False, "escalates": True}

    def test_ladder_in_kind_then_parity(self):
        assert self.policy.size(FIRST, UNEQUAL).persons == 35
        assert self.policy.size(AGAIN, UNEQUAL).persons == 755


class TestInKind(PolicyTest):
    policy = InKind()
    metadata = {"uses_beliefs": False, "stochastic": False, "escalates": False}

    def test_same_number_even_when_re_provoked(self):
        m = self.policy.size(AGAIN, UNEQUAL)
        assert (m.persons, m.facilities) == (35, 2)


class TestProportional(PolicyTest):
    policy = Proportional(ratio=0.5)
    metadata = {"uses_beliefs": False, "stochastic": False, "escalates": False}

    def test_half(self):
        m = self.policy.size(FIRST, UNEQUAL)
        assert (m.persons, m.facilities) == (18, 1)


class TestParity(PolicyTest):
    policy = Parity()
    metadata = {"uses_beliefs": False, "escalates": True}

    def test_gap_regardless_of_what_is_owed(self):
        m = self.policy.size(FIRST, UNEQUAL)
        assert (m.persons, m.facilities) == (755, 0)
        assert self.policy.size(FIRST, LEVEL).empty


class TestToken(PolicyTest):
    policy = Token()
    metadata = {"uses_beliefs": False, "escalates": False}

    def test_smaller(self):
        m = self.policy.size(FIRST, UNEQUAL)
        assert (m.persons, m.facilities) == (9, 1)  # 35 / 4 = 8.75 -> 9


class TestGenerous(PolicyTest):
    policy = Generous(forgiveness=0.3)
    metadata = {"stochastic": True}

    def test_forgives_below_g(self):
        assert self.policy.forgives(0.29) and not self.policy.forgives(0.31)
        assert self.policy.reply_probability() == pytest.approx(0.7)


class TestGrim(PolicyTest):
    policy = Grim()
    metadata = {"escalates": True, "uses_beliefs": False}

    def test_twice_or_parity(self):
        m = self.policy.size(FIRST, UNEQUAL)
        assert (m.persons, m.facilities) == (755, 4)  # max(70, 755), max(4, 0)


class TestNever(PolicyTest):
    policy = Never()
    metadata = {"retaliates": False}

    def test_never_replies(self):
        assert self.policy.reply_probability() == 0.0


def test_make_policy_rejects_unknown_names_and_parameters():
    with pytest.raises(ValueError, match="unknown policy"):
        make_policy("tit_for_two_tats")
    with pytest.raises(ValueError, match="takes ratio"):
        make_policy("proportional", share=0.5)
