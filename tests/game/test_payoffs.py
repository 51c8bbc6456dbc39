"""Payoff terms against values computed by hand."""

import pytest

from sim.game import payoffs


def test_reply_cost_between_equals_is_the_base_cost():
    assert payoffs.reply_cost(0.3, 2.0, 2.0, 0.5) == pytest.approx(0.3)


def test_reply_cost_grows_with_power_and_dependence():
    # 0.3 * (4 / 1) ** 0.5 * (1 + 2 * 0.1) = 0.3 * 2 * 1.2
    assert payoffs.reply_cost(0.3, 1.0, 4.0, 0.5, 0.1, 2.0) == pytest.approx(0.72)
    # the stronger side expects a cheaper reply: 0.3 * (1/4) ** 0.5 = 0.15
    assert payoffs.reply_cost(0.3, 4.0, 1.0, 0.5) == pytest.approx(0.15)


def test_net_value_spoil_continuation_audience():
    assert payoffs.net_retaliation_value(1.0, 1.0, 0.72) == pytest.approx(0.28)
    assert payoffs.net_retaliation_value(1.0, 0.0, 0.72) == pytest.approx(1.0)
    assert payoffs.spoiling_cost(5.0, 0.8) == pytest.approx(4.0)
    assert payoffs.continuation_share(0.5, 2, 0.1) == pytest.approx(0.225)
    assert payoffs.continuation_share(0.999, 0, 0.1) == pytest.approx(0.9)
    assert payoffs.audience_cost(0.3, 0.5) == pytest.approx(0.15)
