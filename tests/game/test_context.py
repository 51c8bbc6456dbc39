"""The circumstances of a move (`sim.game.context`) against values computed by hand."""

import math

import numpy as np
import pytest

from sim.game import context
from sim.game.decision import Choice, assess

SEVERITY = {"severity_recall": 0.0, "severity_downgrade": 2.0,
            "severity_accreditation_refused": 1.0, "severity_visa_ban": 1.4,
            "severity_local_hire_ban": 2.5}


def test_staff_free_moves_are_weighed_as_their_severity_or_the_staff_they_touch():
    assert context.staff_equivalents("expel", 23, SEVERITY) == 23
    assert context.staff_equivalents("cap", 755, SEVERITY) == 755
    assert context.staff_equivalents("close", 0, SEVERITY) == 0  # sites count apart
    assert context.staff_equivalents("downgrade", 0, SEVERITY) == 2
    assert context.staff_equivalents("downgrade", 5, SEVERITY) == 5  # more staff than rung
    assert context.staff_equivalents("visa_ban", 0, SEVERITY) == 1  # 1.4 rounds to 1
    assert context.staff_equivalents("local_hire_ban", 0, SEVERITY) == 3  # 2.5 half up
    assert context.staff_equivalents("recall", 0, SEVERITY) == 0


def test_value_share_multiplies_the_status_and_the_divided_discounts():
    kw = {"divided_discount": 0.5, "non_accredited_discount": 0.4, "disputed_discount": 0.2}
    assert context.value_share("accredited", False, **kw) == pytest.approx(1.0)
    assert context.value_share("non_accredited", False, **kw) == pytest.approx(0.6)
    assert context.value_share("disputed", True, **kw) == pytest.approx(0.8 * 0.5)


def test_cost_factor_grows_with_leverage_and_the_log_of_the_coalition():
    kw = {"leverage_weight": 2.0, "coalition_cost": 0.3}
    assert context.cost_factor(0.0, 1, **kw) == pytest.approx(1.0)
    # leverage 0.25 -> 1 + 2 * 0.25 = 1.5; 29 states -> 1 + 0.3 ln 29 = 2.0102
    assert context.cost_factor(0.25, 29, **kw) == pytest.approx(1.5 * (1 + 0.3 * math.log(29)))
    assert context.cost_factor(0.25, 29, **kw) == pytest.approx(3.01528, abs=1e-5)
    with pytest.raises(ValueError, match="at least its one initiator"):
        context.cost_factor(0.0, 0, **kw)


def test_summit_and_leadership_terms_are_neutral_without_the_fact():
    assert context.summit_terms(False, summit_stake=0.5, summit_share=0.4) == (0.0, 1.0)
    assert context.summit_terms(True, summit_stake=0.5, summit_share=0.4) == (0.5, 0.4)
    assert context.leadership_terms(False, False, excuse_share=0.5,
                                    relationship_value=1.0) == (0.0, 0.0)
    assert context.leadership_terms(True, True, excuse_share=0.5,
                                    relationship_value=1.0) == (0.5, 1.0)


def base(threat_cost: float = 0.3):
    # R = 1, q = 1, C = 0.3: N = 0.7; no reset: S = 0, phi = 0.9, A = 0.3
    return assess(p_reset=0.0, reciprocity_value=1.0, reply_probability=1.0,
                  cost_of_reply=0.3, reset_value=0.0, spoil_share=0.8, daily_discount=0.999,
                  days_to_resolution=0, late_loss=0.1, threat_cost=threat_cost,
                  excuse_share=0.0)


def test_neutral_terms_leave_the_assessment_as_it_was():
    a = base()
    terms = context.Terms(1.0, 1.0, 0.0, 1.0, 0.0, 0.0)
    assert terms.neutral and context.adjust(a, terms, 1.0, 1.0, 0.3) is a
    assert int(a.choice) == Choice.RETALIATE  # 0.7 against 0.9 * 0.7 - 0.3 = 0.33


def test_a_pending_summit_makes_waiting_beat_answering():
    # N = 0.7; EU retaliate 0.7 - 0.5 = 0.2 < EU wait 0.63 - 0.3 = 0.33
    a = context.adjust(base(), context.Terms(1.0, 1.0, 0.5, 0.5, 0.0, 0.0), 1.0, 1.0, 0.3)
    assert float(a.eu_retaliate) == pytest.approx(0.2)
    assert float(a.eu_wait) == pytest.approx(0.33)
    assert int(a.choice) == Choice.WAIT
    # p* = (N (1 - phi) + A - sigma) / (S - N phi) with S = 0: D < 0, K = 0.07 + 0.3 - 0.5
    # < 0: waiting wins at every belief
    assert float(a.threshold) == -np.inf


def test_a_leader_seeking_better_relations_lets_go():
    # EU let go = -0.3 + 1.0 = 0.7 > EU retaliate 0.7? a tie goes to retaliating; with
    # the own transition excusing half the audience cost: let go -0.15 + 1 = 0.85 wins
    terms = context.Terms(1.0, 1.0, 0.0, 1.0, 0.5, 1.0)
    a = context.adjust(base(), terms, 1.0, 1.0, 0.3)
    assert float(a.audience) == pytest.approx(0.15)
    assert float(a.eu_let_go) == pytest.approx(0.85)
    assert float(a.eu_wait) == pytest.approx(0.63 - 0.15)
    assert int(a.choice) == Choice.LET_GO


def test_leverage_a_coalition_and_a_divided_initiator_lower_the_net_value():
    # v = 0.5 (divided), m = 2: N = 0.5 - 2 * 1 * 0.3 = -0.1; letting go (-0.3) loses to
    # waiting (0.9 * -0.1 - 0.3 = -0.39)? no: -0.3 > -0.39 > retaliate -0.1? retaliate wins
    a = context.adjust(base(), context.Terms(0.5, 2.0, 0.0, 1.0, 0.0, 0.0), 1.0, 1.0, 0.3)
    assert float(a.net_value) == pytest.approx(-0.1)
    assert int(a.choice) == Choice.RETALIATE  # -0.1 is still above the audience cost -0.3
    # without a standing threat, letting go (0) beats answering at a loss (-0.1)
    b = context.adjust(base(0.0), context.Terms(0.5, 2.0, 0.0, 1.0, 0.0, 0.0), 1.0, 1.0, 0.3)
    assert int(b.choice) == Choice.LET_GO


def test_threshold_with_a_stake_matches_the_utilities():
    # S = 4, N = 0.7, phi = 0.9, A = 0.3, sigma = 0.2: K = 0.07 + 0.3 - 0.2 = 0.17,
    # D = 4 - 0.63 = 3.37: p* = 0.050445
    p_star = float(context.threshold(0.7, 4.0, 0.9, 0.3, 0.2))
    assert p_star == pytest.approx(0.17 / 3.37)
    for p in (p_star - 1e-6, p_star + 1e-6):
        eu_r = 0.7 - p * 4.0 - 0.2
        eu_w = (1 - p) * 0.9 * 0.7 - 0.3
        assert (eu_w > eu_r) == (p > p_star)
    assert float(context.threshold(0.7, 0.0, 0.9, 0.3, 0.0)) == np.inf
