"""Bayesian beliefs against values computed by hand."""

import numpy as np
import pytest

from sim.game import beliefs


def test_prior_is_the_product_of_independent_marginals():
    # 0.6 accommodating, 0.7 free: cells 0.42, 0.18, 0.28, 0.12
    np.testing.assert_allclose(beliefs.prior(0.6, 0.7), [0.42, 0.18, 0.28, 0.12])


def test_type_signal_update_by_hand():
    # prior cells x likelihood (0.8, 0.8, 0.2, 0.2) = 0.336, 0.144, 0.056, 0.024; sum 0.56
    post = beliefs.update(beliefs.prior(0.6, 0.7), beliefs.type_likelihood(0.8, 0.2))
    np.testing.assert_allclose(post, [0.6, 0.144 / 0.56, 0.1, 0.024 / 0.56])
    assert beliefs.reset_probability(post) == pytest.approx(0.6)
    assert beliefs.accommodating_probability(post) == pytest.approx(0.48 / 0.56)
    assert beliefs.free_probability(post) == pytest.approx(0.7)  # type news leaves freedom


def test_freedom_signal_update_by_hand():
    # uniform prior; likelihood free 0.05, bound 0.95 -> 0.0125/0.5, 0.2375/0.5 per cell
    post = beliefs.update(beliefs.prior(0.5, 0.5), beliefs.freedom_likelihood(0.05, 0.95))
    np.testing.assert_allclose(post, [0.025, 0.475, 0.025, 0.475])
    assert beliefs.accommodating_probability(post) == pytest.approx(0.5)


def test_a_quiet_day_is_evidence_against_the_reset_cell_only():
    post = beliefs.update(np.full(4, 0.25), beliefs.no_reset_likelihood(0.1))
    np.testing.assert_allclose(post, np.array([0.225, 0.25, 0.25, 0.25]) / 0.975)


def test_misreading_swaps_the_readings():
    np.testing.assert_allclose(beliefs.misread(beliefs.type_likelihood(0.8, 0.2)),
                               beliefs.type_likelihood(0.2, 0.8))
    np.testing.assert_allclose(beliefs.misread(beliefs.freedom_likelihood(0.1, 0.9)),
                               beliefs.freedom_likelihood(0.9, 0.1))


def test_impossible_evidence_is_an_error():
    with pytest.raises(ValueError, match="zero likelihood"):
        beliefs.update(beliefs.prior(1.0, 1.0), beliefs.type_likelihood(0.0, 0.5))


def test_functions_broadcast_over_leading_axes():
    b = beliefs.prior(np.array([0.2, 0.5, 0.8]), 0.5)
    assert b.shape == (3, 4)
    post = beliefs.update(b, beliefs.type_likelihood(0.8, 0.2))
    np.testing.assert_allclose(post.sum(axis=-1), 1.0)
    # the posterior odds of accommodating are the prior odds times 4
    odds = beliefs.accommodating_probability(post) / (1 - beliefs.accommodating_probability(post))
    np.testing.assert_allclose(odds, 4 * np.array([0.25, 1.0, 4.0]))


def test_perturbed_likelihoods_move_within_the_stated_uncertainty():
    lk = beliefs.type_likelihood(0.8, 0.2)
    np.testing.assert_allclose(beliefs.perturbed(lk, 0.0, [0.9, 0.1]), lk)
    # u = 1 moves the first reading up by 0.1, u = 0 moves the second down by 0.1
    np.testing.assert_allclose(beliefs.perturbed(lk, 0.1, [1.0, 0.0]),
                               beliefs.type_likelihood(0.9, 0.1))
    np.testing.assert_allclose(beliefs.perturbed(beliefs.freedom_likelihood(0.05, 0.95),
                                                 0.1, [0.0, 1.0]),
                               beliefs.freedom_likelihood(0.001, 1.0))
