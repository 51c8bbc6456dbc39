"""An independent check of the logit AQRE: Gambit's logit QRE of the same game.

`sim.game.efg` writes the exchange game node by node (sharing only the payoff primitives
of `sim.game.sizes` with `qre.respond`, whose recursion it does not use) and prints it
as a Gambit `.efg` file. pygambit 17.0.0b2 (`pygambit.qre.logit_solve_lambda`, extensive
form, `use_strategic=False`) then traces the principal branch of the *agent* logit QRE
correspondence from lambda = 0 to each requested lambda. In a game whose only hidden
moves are nature's and change no later payoff difference, the agent QRE is unique at
every lambda (module docstring of `sim.game.qre`), so the principal branch is it, and
the two must agree at matching lambda. Gambit's lambda multiplies payoffs as ours does.
"""

import io

import numpy as np
import pygambit as gbt  # the test extra pins 17.0.0b2: a missing install fails, not skips
import pytest
from pygambit import qre as gqre

from sim.game import efg
from sim.game.extensive import solve
from sim.game.qre import ACTIONS, N_SIZES, Side, respond

RUSSIA_2017 = dict(owed_persons=35, owed_facilities=2, their_staff=1210, my_staff=455,
                   their_sites=6, my_sites=7)
SMALL = dict(owed_persons=4, owed_facilities=1, their_staff=12, my_staff=8, their_sites=3,
             my_sites=2)

CASES = [
    # facts, T's and C's terms, prospect (p, V, Delta), phi, A, depth
    (dict(**RUSSIA_2017, offences=2), dict(reply_cost=0.614), dict(reply_cost=0.16,
     misread=0.1), (0.3, 5.0, 0.8), 0.6, 0.15, 2),
    (dict(**RUSSIA_2017), dict(reply_cost=0.614), dict(reply_cost=0.16), (0.0, 0.0, 0.0),
     0.9, 0.0, 3),
    (dict(**SMALL, their_owed_persons=2, their_offences=1), dict(answer_cost=1.0),
     dict(misread=0.2, parity_value=0.4), (0.5, 2.0, 0.5), 0.7, 0.3, 3),
]


def _gambit(game, lams):
    """Gambit's agent logit QRE at each lambda: per player, a list (in `efg.infoset_labels`
    order) of {action: probability}."""
    g = gbt.read_efg(io.StringIO(efg.to_efg(game)))
    out = []
    for res in gqre.logit_solve_lambda(g, list(lams)):
        profile = {}
        for player, labels in zip(game.players, efg.infoset_labels(game), strict=True):
            mixed = [dict(action) for _, action in res.profile[player]]
            assert len(mixed) == len(labels)
            profile[player] = dict(zip(labels, mixed, strict=True))
        out.append((float(res.lam), profile))
    return out


@pytest.mark.parametrize("case", range(len(CASES)))
def test_logit_probabilities_match_gambit(case):
    facts, mine, theirs, (p, v, delta), phi, a, depth = CASES[case]
    lams = [0.5, 2.0, 8.0]
    game_kwargs = dict(**facts, p_reset=p, reset_value=v, spoil_share=delta, continuation=phi,
                       audience=a, depth=depth)
    for lam, profile in _gambit(efg.exchange_game(**game_kwargs, me=Side(**mine),
                                                  them=Side(**theirs)), lams):
        me, them = Side(**mine, precision=lam), Side(**theirs, precision=lam)
        r = respond(**facts, me=me, them=them, p_reset=p, spoil=v * delta, continuation=phi,
                    audience=a, depth=depth)
        root = profile["T"]["T"]
        for k, name in enumerate(ACTIONS):
            assert r.probabilities[k] == pytest.approx(root.get(name, 0.0), abs=1e-6), name
        # the counterpart's own quantal response: P(it answers) after each answer of T
        eps = float(theirs.get("misread", 0.0))
        for k in range(N_SIZES):
            if r.probabilities[k] == 0:
                continue
            q = 0.0
            for label, w in (("read", 1 - eps), ("misread", eps)):
                node = profile["C"].get(f"C|T:{ACTIONS[k]}|{label}")
                if node is not None and w > 0:
                    q += w * (1.0 - node["let go"])
            assert r.reply_probability[k] == pytest.approx(q, abs=1e-6), ACTIONS[k]


def test_the_tree_at_infinite_precision_is_the_backward_induction_solution():
    # the project's own pure-strategy solver on the exported tree agrees with respond
    facts, mine, theirs, (p, v, delta), phi, a, depth = CASES[2]
    game = efg.exchange_game(**facts, me=Side(**mine), them=Side(**theirs), p_reset=p,
                             reset_value=v, spoil_share=delta, continuation=phi, audience=a,
                             depth=depth)
    r = respond(**facts, me=Side(**mine), them=Side(**theirs), p_reset=p, spoil=v * delta,
                continuation=phi, audience=a, depth=depth)
    assert solve(game).action("T") == ACTIONS[int(r.choice)]


def test_efg_text_by_hand():
    from sim.game.extensive import Chance, Game, Move, Terminal
    game = Game(("A", "B"), Chance((
        ("h", 0.3, Move(0, "x", (("l", Terminal((1.0, 0.0))), ("r", Terminal((0.0, 2.5)))))),
        ("t", 0.7, Move(0, "x", (("l", Terminal((0.5, 0.0))), ("r", Terminal((0.0, 1.0)))))),
    ), "n"))
    text = efg.to_efg(game, "g")
    assert text.splitlines()[0] == 'EFG 2 R "g" { "A" "B" }'
    assert 'c "" 1 "n 1" { "h" 3/10 "t" 7/10 } 0' in text
    assert text.count('p "" 1 1 "x" { "l" "r" } 0') == 2
    assert 't "" 4 "" { 0.0, 1.0 }' in text
    _, profile = _gambit(game, [1.0])[0]
    # A's value of l: 0.3 + 0.35 = 0.65, of r: 0; logit at lambda 1
    assert profile["A"]["x"]["l"] == pytest.approx(1 / (1 + np.exp(-0.65)), abs=1e-6)
