"""The ecological tournament's replicator dynamics, on matrices worked by hand."""

import numpy as np
import pytest

from sim.game.ecology import replicator


def test_one_generation_by_hand():
    # M = [[1, 0], [3, 2]]: min 0, fitness shift +1 -> [[2, 1], [4, 3]]; from (1/2, 1/2)
    # f = (1.5, 3.5), x' = (0.75, 1.75) / 2.5 = (0.3, 0.7)
    shares = replicator([[1.0, 0.0], [3.0, 2.0]], 1)
    assert shares[0] == pytest.approx([0.5, 0.5])
    assert shares[1] == pytest.approx([0.3, 0.7])


def test_shares_sum_to_one_and_a_dominant_policy_takes_over():
    rng = np.random.default_rng(3)
    m = rng.normal(size=(5, 5))
    m[2] = m.max(axis=0) + 0.5  # policy 2 does strictly better against everyone
    shares = replicator(m, 300)
    assert shares.shape == (301, 5)
    assert np.allclose(shares.sum(axis=1), 1.0)
    assert (shares >= 0).all()
    assert shares[-1, 2] > 0.999
    gains = np.diff(shares[:, 2])
    assert (gains[:20] > 0).all() and (gains >= 0).all()  # it never loses ground


def test_the_shift_keeps_rest_points():
    # a hawk-dove game: the mixed rest point (1/2, 1/2) stays put, whatever the payoffs' sign
    m = np.array([[-1.0, 2.0], [0.0, 1.0]])
    shares = replicator(m - 5.0, 50)
    assert shares[-1] == pytest.approx([0.5, 0.5])
    # and from elsewhere the shares approach it
    assert replicator(m, 2000, start=[0.9, 0.1])[-1] == pytest.approx([0.5, 0.5], abs=1e-3)


def test_bad_input_is_refused():
    for bad in ([[1.0, 2.0]], [[np.nan]], []):
        with pytest.raises(ValueError):
            replicator(bad, 3)
    with pytest.raises(ValueError):
        replicator([[1.0]], -1)
    with pytest.raises(ValueError):
        replicator([[1.0, 0.0], [0.0, 1.0]], 3, start=[1.0, -1.0])
