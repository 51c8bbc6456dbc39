"""Extensive-form games as trees, solved by backward induction.

Why a generic solver rather than the formula: a closed form like p* is only as good as the
game it summarises. Writing the game down as a tree (who moves, what they know, what each
end is worth) and solving it mechanically lets anyone check that the formula is what the
game implies, and change the game without re-deriving anything by hand.

A tree has three kinds of node:

- `Chance`: nature (or a player committed to a known policy) picks a branch with given
  probabilities;
- `Move`: a player picks an action. Nodes sharing an `infoset` label are one information
  set: the player cannot tell them apart, so must choose the same action at all of them;
- `Terminal`: the payoff of every player.

`solve` finds a perfect Bayesian equilibrium in pure strategies by backward induction.
At each information set the player's belief over its nodes is Bayes' rule applied to the
chance probabilities along the paths to them, and it picks the action with the highest
expected payoff given that belief and the equilibrium play below (ties go to the action
listed first). This is exact for the class of games in which an information set hides
only moves of nature: every node of an information set is reached by the same sequence
of players' actions, so those actions cancel out of Bayes' rule. Games in which a player
cannot observe another player's earlier action (signalling games, simultaneous moves)
need a fixed point between beliefs and strategies; `solve` refuses them rather than
return an answer that might not be an equilibrium. With singleton information sets only,
the result is the subgame-perfect equilibrium.

An information set reached with probability zero has no Bayesian belief; the solver then
weighs its nodes equally (perfect Bayesian equilibrium allows any belief there) and says
so in `Solution.unreached`.

`strategic_form` turns a two-player tree into payoff matrices, for cross-checks with
normal-form solvers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class Terminal:
    """An end of the game: one payoff per player, in the order of `Game.players`."""

    payoffs: tuple[float, ...]
    label: str = ""


@dataclass(frozen=True)
class Chance:
    """Nature picks a branch: (label, probability, child) triples, probabilities summing to 1."""

    branches: tuple[tuple[str, float, Node], ...]
    label: str = "nature"


@dataclass(frozen=True)
class Move:
    """`player` (an index into `Game.players`) picks one of `actions`: (label, child) pairs.

    Nodes with the same `infoset` label form one information set; they must belong to the
    same player and offer the same action labels in the same order.
    """

    player: int
    infoset: str
    actions: tuple[tuple[str, Node], ...]


Node = Terminal | Chance | Move


@dataclass(frozen=True)
class Game:
    """A finite game in extensive form."""

    players: tuple[str, ...]
    root: Node


@dataclass(frozen=True)
class InfosetSolution:
    """What the equilibrium says at one information set."""

    player: int
    action: str
    values: dict[str, float]  # expected payoff to the mover of each action, given its belief
    best: tuple[str, ...]  # every action within TIE_TOLERANCE of the best value
    belief: tuple[float, ...]  # over the nodes of the set, in the order they were met
    node_values: tuple[dict[str, tuple[float, ...]], ...]  # per node: action -> payoffs


@dataclass(frozen=True)
class Solution:
    """A pure-strategy perfect Bayesian equilibrium and the expected payoffs it gives."""

    game: Game
    infosets: dict[str, InfosetSolution]
    payoffs: tuple[float, ...]
    unreached: tuple[str, ...] = field(default=())

    def action(self, infoset: str) -> str:
        return self.infosets[infoset].action

    @property
    def strategy(self) -> dict[str, str]:
        """Information set -> chosen action."""
        return {name: s.action for name, s in self.infosets.items()}


@dataclass
class _Infoset:
    player: int
    labels: tuple[str, ...]
    nodes: list[Move] = field(default_factory=list)
    reach: list[float] = field(default_factory=list)
    history: tuple[tuple[str, str], ...] | None = None


def _collect(game: Game) -> dict[str, _Infoset]:
    """Every information set, its nodes and their chance reach probabilities; validated."""
    found: dict[str, _Infoset] = {}

    def walk(node: Node, reach: float, history: tuple[tuple[str, str], ...]) -> None:
        if isinstance(node, Terminal):
            if len(node.payoffs) != len(game.players):
                raise ValueError(f"terminal {node.label!r} has {len(node.payoffs)} payoffs "
                                 f"for {len(game.players)} players")
            return
        if isinstance(node, Chance):
            total = sum(p for _, p, _ in node.branches)
            if any(p < 0 for _, p, _ in node.branches) or abs(total - 1.0) > 1e-9:
                raise ValueError(f"chance node {node.label!r}: probabilities must be "
                                 f"non-negative and sum to 1 (sum {total:g})")
            for _, p, child in node.branches:
                walk(child, reach * p, history)
            return
        if not 0 <= node.player < len(game.players):
            raise ValueError(f"infoset {node.infoset!r}: no player {node.player}")
        labels = tuple(a for a, _ in node.actions)
        if not labels or len(set(labels)) != len(labels):
            raise ValueError(f"infoset {node.infoset!r}: actions must be distinct, at least one")
        info = found.setdefault(node.infoset, _Infoset(node.player, labels))
        if info.player != node.player or info.labels != labels:
            raise ValueError(f"infoset {node.infoset!r}: its nodes differ in player or actions")
        if info.history is None:
            info.history = history
        elif info.history != history:
            raise ValueError(
                f"infoset {node.infoset!r} hides a player's move, not only nature's: "
                "backward induction cannot fix its beliefs (the game needs a fixed point "
                "between beliefs and strategies)")
        info.nodes.append(node)
        info.reach.append(reach)
        for action, child in node.actions:
            walk(child, reach, (*history, (node.infoset, action)))

    walk(game.root, 1.0, ())
    return found


def solve(game: Game) -> Solution:
    """Backward induction with Bayesian beliefs; see the module docstring for the scope."""
    infosets = _collect(game)
    strategy: dict[str, str] = {}
    memo: dict[int, tuple[float, ...]] = {}

    def value(node: Node) -> tuple[float, ...]:
        key = id(node)
        if key in memo:
            return memo[key]
        if isinstance(node, Terminal):
            out = tuple(float(x) for x in node.payoffs)
        elif isinstance(node, Chance):
            acc = np.zeros(len(game.players))
            for _, p, child in node.branches:
                if p > 0:
                    acc += p * np.asarray(value(child))
            out = tuple(float(x) for x in acc)
        else:
            chosen = strategy[node.infoset]  # KeyError would mean the order below is wrong
            out = value(dict(node.actions)[chosen])
        memo[key] = out
        return out

    solved: dict[str, InfosetSolution] = {}
    unreached: list[str] = []
    # Deeper information sets first: a set's history is a strict prefix of any set below it.
    for name in sorted(infosets, key=lambda n: -len(infosets[n].history or ())):
        info = infosets[name]
        reach = np.asarray(info.reach)
        if reach.sum() > 0:
            belief = reach / reach.sum()
        else:
            belief = np.full(len(reach), 1.0 / len(reach))
            unreached.append(name)
        per_node = tuple({a: value(child) for a, child in node.actions} for node in info.nodes)
        values = {a: float(sum(b * nv[a][info.player] for b, nv in zip(belief, per_node,
                                                                          strict=True)))
                  for a in info.labels}
        top = max(values.values())
        best = tuple(a for a in info.labels if values[a] >= top - TIE_TOLERANCE * max(1, abs(top)))
        strategy[name] = best[0]
        solved[name] = InfosetSolution(info.player, best[0], values, best,
                                       tuple(float(b) for b in belief), per_node)
    return Solution(game, solved, value(game.root), tuple(unreached))


def pure_strategies(game: Game, player: int) -> list[dict[str, str]]:
    """Every pure strategy of `player`: one action per information set, sets sorted by name."""
    sets = {n: i for n, i in _collect(game).items() if i.player == player}
    names = sorted(sets)
    return [dict(zip(names, combo, strict=True))
            for combo in itertools.product(*(sets[n].labels for n in names))]


def expected_payoffs(game: Game, profile: dict[str, str]) -> tuple[float, ...]:
    """Expected payoffs when every information set plays the action `profile` gives it."""

    def value(node: Node) -> NDArray[np.float64]:
        if isinstance(node, Terminal):
            return np.asarray(node.payoffs, dtype=float)
        if isinstance(node, Chance):
            return sum((p * value(c) for _, p, c in node.branches if p > 0),
                       np.zeros(len(game.players)))
        return value(dict(node.actions)[profile[node.infoset]])

    return tuple(float(x) for x in value(game.root))


def strategic_form(game: Game) -> tuple[list[dict[str, str]], list[dict[str, str]],
                                        NDArray[np.float64], NDArray[np.float64]]:
    """The normal form of a two-player tree: (row strategies, column strategies, A, B).

    A[i, j] and B[i, j] are the expected payoffs of players 0 and 1 when they play their
    i-th and j-th pure strategies. Chance moves are averaged out.
    """
    if len(game.players) != 2:
        raise ValueError("strategic_form needs exactly two players")
    rows, cols = pure_strategies(game, 0), pure_strategies(game, 1)
    a = np.empty((len(rows), len(cols)))
    b = np.empty_like(a)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            a[i, j], b[i, j] = expected_payoffs(game, {**r, **c})
    return rows, cols, a, b
