"""The generic backward-induction solver on small games solved by hand."""

import numpy as np
import pytest

from sim.game.extensive import (
    Chance,
    Game,
    Move,
    Terminal,
    expected_payoffs,
    pure_strategies,
    solve,
    strategic_form,
)


def entry_game() -> Game:
    """Selten's entry game: the threat to fight is not credible."""
    incumbent = Move(1, "incumbent", (("fight", Terminal((-1, -1))),
                                      ("accommodate", Terminal((1, 1)))))
    return Game(("entrant", "incumbent"),
                Move(0, "entrant", (("out", Terminal((0, 2))), ("in", incumbent))))


def bet(p_good: float) -> Game:
    """Nature draws good (p) or bad; the player acts without knowing which."""
    good = Move(0, "x", (("act", Terminal((10.0,))), ("pass", Terminal((0.0,)))))
    bad = Move(0, "x", (("act", Terminal((-5.0,))), ("pass", Terminal((0.0,)))))
    return Game(("player",), Chance((("good", p_good, good), ("bad", 1 - p_good, bad))))


def test_entry_game_subgame_perfect():
    sol = solve(entry_game())
    assert sol.strategy == {"entrant": "in", "incumbent": "accommodate"}
    assert sol.payoffs == (1.0, 1.0)


def test_bayesian_belief_over_nature_by_hand():
    # 0.3 * 10 + 0.7 * (-5) = -0.5 < 0: pass; with 0.4: 4 - 3 = 1 > 0: act
    low = solve(bet(0.3)).infosets["x"]
    assert low.action == "pass"
    assert low.values["act"] == pytest.approx(-0.5)
    assert low.belief == pytest.approx((0.3, 0.7))
    high = solve(bet(0.4))
    assert high.action("x") == "act"
    assert high.payoffs == pytest.approx((1.0,))


def test_ties_go_to_the_first_action_and_are_reported():
    sol = solve(bet(1 / 3)).infosets["x"]  # 10/3 - 10/3 = 0
    assert sol.action == "act"
    assert sol.best == ("act", "pass")


def test_a_hidden_player_move_is_refused():
    # signalling: the receiver cannot see which sender type spoke, so its belief depends on
    # the sender's strategy; backward induction alone cannot settle it
    def sender(kind: str) -> Move:
        receiver = Move(1, "receiver", (("trust", Terminal((1, 1))), ("doubt", Terminal((0, 0)))))
        return Move(0, f"sender {kind}", (("talk", receiver), ("quiet", Terminal((0, 0)))))

    game = Game(("sender", "receiver"),
                Chance((("honest", 0.5, sender("honest")), ("liar", 0.5, sender("liar")))))
    with pytest.raises(ValueError, match="hides a player's move"):
        solve(game)


def test_an_unreached_information_set_is_flagged_and_still_solved():
    sol = solve(bet(0.0))
    assert sol.unreached == ()
    late = Move(0, "late", (("a", Terminal((1.0,))), ("b", Terminal((2.0,)))))
    game = Game(("p",), Chance((("never", 0.0, late), ("always", 1.0, Terminal((0.0,))))))
    sol = solve(game)
    assert sol.unreached == ("late",)
    assert sol.action("late") == "b"


@pytest.mark.parametrize("bad", [
    Game(("p",), Chance((("a", 0.5, Terminal((0.0,))), ("b", 0.6, Terminal((0.0,)))))),
    Game(("p",), Terminal((0.0, 1.0))),
    Game(("p",), Move(0, "x", (("a", Terminal((0.0,))), ("a", Terminal((1.0,)))))),
])
def test_malformed_trees_are_rejected(bad):
    with pytest.raises(ValueError):
        solve(bad)


def test_strategic_form_of_the_entry_game():
    rows, cols, a, b = strategic_form(entry_game())
    assert [r["entrant"] for r in rows] == ["out", "in"]
    assert [c["incumbent"] for c in cols] == ["fight", "accommodate"]
    np.testing.assert_array_equal(a, [[0, 0], [-1, 1]])
    np.testing.assert_array_equal(b, [[2, 2], [-1, 1]])


def test_pure_strategies_and_expected_payoffs():
    assert pure_strategies(bet(0.5), 0) == [{"x": "act"}, {"x": "pass"}]
    assert expected_payoffs(bet(0.5), {"x": "act"}) == pytest.approx((2.5,))
