"""Logit choice and the logit agent QRE of the exchange, by hand and against decision.py."""

import math

import numpy as np
import pytest

from sim.game import decision, sizes
from sim.game.qre import ACTIONS, LET_GO, WAIT, Side, logit, respond

IN_KIND_ONLY = (True, False, False, False)


def test_logit_by_hand():
    p = logit([1.0, 0.0], 1.0)
    np.testing.assert_allclose(p, [math.e / (math.e + 1), 1 / (math.e + 1)])
    np.testing.assert_allclose(logit([1.0, 0.0, 5.0], 2.0, [True, True, False]),
                               [math.exp(2) / (math.exp(2) + 1), 1 / (math.exp(2) + 1), 0])
    np.testing.assert_allclose(logit([0.3, 0.1, 0.2], 0.0), [1 / 3] * 3)
    np.testing.assert_allclose(logit([1e6, 0.0], 10.0), [1.0, 0.0])  # no overflow


def test_logit_at_infinite_precision_is_choose():
    u = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [-1.0, -3.0, -0.5]])
    hard = logit(u, np.inf)
    np.testing.assert_array_equal(hard.argmax(axis=-1), decision.choose(u[:, 0], u[:, 1], u[:, 2]))
    np.testing.assert_array_equal(hard, [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    # precision broadcasts over rows: the first row soft, the others hard
    mixed = logit(u, np.array([1.0, np.inf, np.inf]))
    np.testing.assert_allclose(mixed[0], [math.e / (2 * math.e + 1)] * 2 + [1 / (2 * math.e + 1)])
    with pytest.raises(ValueError):
        logit(u, -1.0)


def _one_size(p, n_cost, s, phi, a, lam=np.inf):
    """The one-size game of decision.py: answers only in kind, always misread (q = 1)."""
    me = Side(reply_cost=n_cost, answer_cost=0.0, allowed=IN_KIND_ONLY, precision=lam)
    them = Side(misread=1.0, allowed=IN_KIND_ONLY, precision=np.inf)
    return respond(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                   their_sites=6, my_sites=9, me=me, them=them, p_reset=p, spoil=s,
                   continuation=phi, audience=a, depth=2)


def test_the_one_size_game_recovers_decision_exactly():
    rng = np.random.default_rng(7)
    n = 400
    p, c = rng.uniform(0, 1, n), rng.uniform(0, 2, n)
    s, phi, a = rng.uniform(0, 8, n), rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    r = _one_size(p, c, s, phi, a)
    eu = decision.expected_utilities(p, 1.0 - c, s, phi, a)
    np.testing.assert_allclose(r.utilities[:, 0], eu[0], atol=1e-12)
    np.testing.assert_allclose(r.utilities[:, WAIT], eu[1], atol=1e-12)
    np.testing.assert_allclose(r.utilities[:, LET_GO], eu[2], atol=1e-12)
    np.testing.assert_allclose(r.reply_probability[:, 0], 1.0)
    code = {0: decision.Choice.RETALIATE, WAIT: decision.Choice.WAIT,
            LET_GO: decision.Choice.LET_GO}
    got = np.array([code[int(k)] for k in r.choice])
    np.testing.assert_array_equal(got, decision.choose(*eu))
    # and a large finite precision gives (almost) the same probabilities
    soft = _one_size(p, c, s, phi, a, lam=1e5)
    far = np.abs(np.sort(np.stack(eu), axis=0)[-1] - np.sort(np.stack(eu), axis=0)[-2]) > 1e-3
    np.testing.assert_allclose(soft.probabilities[far], r.probabilities[far], atol=1e-6)


def test_the_2016_first_decision_in_the_one_size_game():
    # docs/model.md section 9: N = 0.386, S = 4, phi = 0.612, A(1-j) = 0.15, p = 0.42
    r = _one_size(0.42, 0.614, 4.0, 0.612, 0.15)
    assert r.utilities[0] == pytest.approx(0.386 - 0.42 * 4)
    assert r.utilities[WAIT] == pytest.approx(0.58 * 0.612 * 0.386 - 0.15)
    assert ACTIONS[int(r.choice)] == "wait"


def test_depth_one_by_hand_at_finite_precision():
    # owed 4 staff, 10 of theirs here and 10 of mine there: menu 4, 1, 8, no parity gap
    lam = 2.0
    r = respond(owed_persons=4, owed_facilities=0, their_staff=10, my_staff=10, their_sites=0,
                my_sites=0, me=Side(precision=lam), depth=1)
    same = 1.0 - 0.5 * 0.4
    token = 0.5 - 0.5 * 0.1
    # larger leaves an excess of 4, answered in kind beyond the horizon: 0.3 * 4 / 4
    larger = 1 + 0.2 * (1 - math.exp(-1)) - 0.5 * 0.8 - 0.3
    late = np.array([same, token, larger]) * 0.9  # the late decision, payoffs worth phi
    pl = np.exp(lam * late) / np.exp(lam * late).sum()
    wait = float(pl @ late)
    u = np.array([same, token, larger, wait, 0.0])
    expect = np.exp(lam * u) / np.exp(lam * u).sum()
    np.testing.assert_allclose(r.utilities[[0, 1, 2, 4, 5]], u)
    assert r.utilities[3] == -np.inf and r.probabilities[3] == 0
    np.testing.assert_allclose(r.probabilities[[0, 1, 2, 4, 5]], expect)
    np.testing.assert_allclose(r.reply_probability, [0, 0, 1, 0, pl[2], 0])
    assert ACTIONS[int(r.choice)] == "same"


def test_settlement_drives_the_reply():
    # answering in kind settles the account: no reply unless misread
    facts = dict(owed_persons=4, owed_facilities=0, their_staff=10, my_staff=10,
                 their_sites=0, my_sites=0, depth=2)
    r = respond(**facts, them=Side(misread=0.0))
    assert r.reply_probability[0] == 0.0 and r.reply_probability[1] == 0.0
    assert r.reply_probability[2] == 1.0  # 8 against 4 owed: the other banks 4, answers
    noisy = respond(**facts, them=Side(misread=0.2))
    assert noisy.reply_probability[0] == pytest.approx(0.2)
    # the reply costs: larger is worth 1.126 - 0.4 to me, less C z(reply)/z(o0)
    # the other answers its 4 in kind (depth 2: nothing after), costing me 0.3 * 4 / 4
    assert r.utilities[2] == pytest.approx(1 + 0.2 * (1 - math.exp(-1)) - 0.4 - 0.3)


def test_a_cap_to_parity_when_re_provoked_and_the_reply_by_closures():
    # Russia in July 2017: owes 35 staff and 2 sites, re-provoked (two offences)
    ru, us = Side(reply_cost=0.614), Side(reply_cost=0.16)
    facts = dict(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                 their_sites=6, my_sites=7, me=ru, them=us)
    first = respond(offences=1, **facts)
    again = respond(offences=2, **facts)
    assert ACTIONS[int(first.choice)] == "same"
    assert ACTIONS[int(again.choice)] == "parity"
    # the cap takes the 2 sites owed too (parity, never less than what is owed)
    assert (int(again.persons[3]), int(again.facilities[3])) == (755, 2)
    # the US, holding the 720 excess as a cap, answers it in kind: a cap to parity, which
    # holds in staff; in sites 7 Russian against the 6 - 2 = 4 US ones left: 3 closures
    reply = respond(owed_persons=720, owed_facilities=0, parity=True, their_staff=455,
                    my_staff=455, their_sites=7, my_sites=4, me=us, them=ru, unit=55, depth=2)
    assert ACTIONS[int(reply.choice)] == "same"
    assert (int(reply.persons[0]), int(reply.facilities[0])) == (0, 3)
    assert again.reply_probability[3] == 1.0
    # parity answered by parity settles the account: Russia banks nothing, no third move
    assert reply.reply_probability[0] == 0.0


def test_arrays_broadcast_like_a_loop():
    ps = np.array([0.0, 0.05, 0.2, 0.6])
    facts = dict(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                 their_sites=6, my_sites=7, spoil=4.0, continuation=0.6, audience=0.15,
                 me=Side(precision=np.array([3.0, 5.0, np.inf, 10.0])),
                 them=Side(precision=4.0, misread=0.1))
    many = respond(p_reset=ps, **facts)
    for i, p in enumerate(ps):
        one = respond(p_reset=p, **{**facts, "me": Side(precision=[3.0, 5.0, np.inf, 10.0][i])})
        np.testing.assert_allclose(many.probabilities[i], one.probabilities, atol=1e-12)
        np.testing.assert_allclose(many.expected_reply[i], one.expected_reply, atol=1e-12)
    same = respond(p_reset=ps, **{**facts, "me": Side(precision=5.0)})
    assert np.all(np.diff(same.probabilities[:, WAIT]) > 0)  # more waiting as p rises


def test_categories_sum_to_one():
    r = respond(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                their_sites=6, my_sites=7, me=Side(precision=3.0), them=Side(precision=3.0))
    cat = r.categories(35, 2)
    assert cat.sum() == pytest.approx(1.0)
    assert cat[2] == pytest.approx(r.probabilities[0])  # in kind is "same"
    assert cat[1] == pytest.approx(r.probabilities[1])  # the token is "smaller"
    assert cat[3] == pytest.approx(r.probabilities[2] + r.probabilities[3])
    assert sizes.CATEGORIES == ("none", "smaller", "same", "larger")


def test_deeper_exchanges_change_little_here():
    facts = dict(owed_persons=35, owed_facilities=2, offences=2, their_staff=1210,
                 my_staff=455, their_sites=6, my_sites=7, me=Side(reply_cost=0.614,
                 precision=5.0), them=Side(reply_cost=0.16, precision=5.0))
    d3, d4 = respond(depth=3, **facts), respond(depth=4, **facts)
    assert int(d3.choice) == int(d4.choice)
    np.testing.assert_allclose(d3.probabilities, d4.probabilities, atol=0.05)
