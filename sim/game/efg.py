"""The exchange game written out as a tree, and in Gambit's `.efg` format.

`qre.respond` solves the exchange game by a recursion over states. This module writes the
same game a second way, node by node, as an `extensive.Game` (nature's draw of the
successor, the spoiling of a reset, every answer of every menu, misreadings, waits and
late answers, with both players' payoffs summed along each path to its end), and prints
any `extensive.Game` as Gambit's extensive-form text format, so that an independent
solver (Gambit's logit QRE, `tests/game/test_qre_gambit.py`) can check the recursion.
Only the primitives of `sizes` are shared.

Information: nature's draws about the successor (reset possible, spoiled) are hidden
from both players; every move of a player, and whether the counterpart misread an
answer, is seen. So an information set is a history of players' moves and misreadings,
and holds one node for each draw of nature that leads there.

The `.efg` format (Gambit manual, "The .efg file format", version 2): a header with the
players, then the nodes in depth-first order: `c` chance nodes with their branch
probabilities, `p` personal nodes with player and information set numbers, and `t`
terminal nodes, each with an outcome carrying one payoff per player.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from sim.game import sizes
from sim.game.extensive import Chance, Game, Move, Node, Terminal
from sim.game.qre import ACTIONS, N_SIZES, Side

PLAYERS = ("T", "C")


@dataclass(frozen=True)
class _Facts:
    sides: tuple[Side, Side]
    unit: float
    depth: int
    audience: tuple[float, float]
    root_continuation: float


def _num(x: Any) -> float:
    return float(np.asarray(x, dtype=float))


def _subtree_after(mover: int, k: int, bank: tuple[int, int, int, bool],
                   other: tuple[int, int, int, bool], missions: tuple[int, int, int, int],
                   depth: int, pay: tuple[float, float], scale: tuple[float, float],
                   facts: _Facts, path: tuple[str, ...], xp: int, xf: int,
                   parity: bool) -> Node:
    """After `mover` answers with (xp, xf): the misreading, then the other's decision."""
    me, them = facts.sides[mover], facts.sides[1 - mover]
    eps = _num(them.misread) if bank[2] > 0 else 0.0
    their_staff, my_staff, their_sites, my_sites = missions
    after = (my_staff, max(0, their_staff - xp), my_sites, max(0, their_sites - xf))
    branches = []
    for whole, prob in ((False, 1.0 - eps), (True, eps)):
        if prob <= 0.0:
            continue
        owed_p, owed_f = (0, 0) if whole else (bank[0], bank[1])
        ep, ef = sizes.excess(xp, xf, owed_p, owed_f, parity=parity,
                              owed_parity=bank[3] and not whole)
        add_p, add_f = int(ep), int(ef)
        label = "misread" if whole else "read"
        p = list(pay)
        if add_p == 0 and add_f == 0:
            child: Node = Terminal(tuple(p), "/".join((*path, label)))
        elif depth == 1:
            held = (other[0] + add_p, other[1] + add_f, other[3] or parity)
            answer = sizes.in_kind(owed_persons=held[0], owed_facilities=held[1],
                                   parity_owed=held[2], their_staff=after[0],
                                   my_staff=after[1], their_sites=after[2],
                                   my_sites=after[3])
            tail = _num(sizes.hit_cost(_num(sizes.weight(answer[0], answer[1],
                                                         me.site_weight)),
                                       facts.unit, reply_cost=me.reply_cost))
            p[mover] -= scale[mover] * tail
            child = Terminal(tuple(p), "/".join((*path, label, "beyond")))
        else:
            p[1 - mover] -= scale[1 - mover] * _num(them.reciprocity_value)
            grievance = (other[0] + add_p, other[1] + add_f, other[2] + 1, other[3] or parity)
            child = _decide(1 - mover, grievance, (0, 0, 0, False), after, depth - 1,
                            (p[0], p[1]), scale, False, facts, (*path, label))
        branches.append((label, prob, child))
    if len(branches) == 1:
        return branches[0][2]
    return Chance(tuple(branches), "misreading")


def _decide(mover: int, bank: tuple[int, int, int, bool], other: tuple[int, int, int, bool],
            missions: tuple[int, int, int, int], depth: int, pay: tuple[float, float],
            scale: tuple[float, float], late: bool, facts: _Facts, path: tuple[str, ...],
            reset: tuple[float, float, float] | None = None) -> Node:
    """A decision of `mover`; `reset` = (reset possible?, Delta, V) at T's first move."""
    me = facts.sides[mover]
    first = depth == facts.depth - mover and not late
    a = facts.audience[mover] if first else 0.0
    m = sizes.menu(owed_persons=bank[0], owed_facilities=bank[1], their_staff=missions[0],
                   my_staff=missions[1], their_sites=missions[2], my_sites=missions[3],
                   token_share=me.token_share, larger_ratio=me.larger_ratio,
                   parity_owed=bank[3], share=me.share)
    owed_z = _num(sizes.weight(int(m.persons[0]), int(m.facilities[0]), me.site_weight)
                  if bank[3] else sizes.weight(bank[0], bank[1], me.site_weight))
    presence = _num(sizes.weight(missions[0], missions[2], me.site_weight))
    claim = _num(sizes.standing_weight(bank[2], bank[3]))
    surplus = _num(sizes.claimed_surplus(int(m.gap_persons), int(m.gap_facilities), claim,
                                         me.site_weight))
    them = facts.sides[1 - mover]
    actions: list[tuple[str, Node]] = []
    for k in range(N_SIZES):
        if not (bool(m.available[k]) and me.allowed[k]):
            continue
        xp, xf, par = int(m.persons[k]), int(m.facilities[k]), bool(m.parity[k])
        z = _num(sizes.weight(xp, xf, me.site_weight))
        own = (_num(sizes.reciprocity(z / max(owed_z, 1.0), value=me.reciprocity_value,
                                      curvature=me.curvature, beyond=me.beyond))
               + _num(sizes.standing(par, claim, value=me.reciprocity_value,
                                     parity_value=me.parity_value))
               - _num(sizes.answer_cost(z, presence, value=me.reciprocity_value,
                                        cost=me.answer_cost, surplus=surplus)))
        hit = _num(sizes.hit_cost(_num(sizes.weight(xp, xf, them.site_weight)), facts.unit,
                                  reply_cost=them.reply_cost))
        p = [pay[0], pay[1]]
        p[mover] += scale[mover] * own
        p[1 - mover] -= scale[1 - mover] * hit
        here = (*path, f"{PLAYERS[mover]}:{ACTIONS[k]}" + (" late" if late else ""))
        if reset is not None and reset[0]:
            spoil, value = reset[1], reset[2]
            kept = [p[0], p[1]]
            kept[0] += value
            spoiling = tuple(
                (lab, pr, _subtree_after(mover, k, bank, other, missions, depth, (q[0], q[1]),
                                         scale, facts, here, xp, xf, par))
                for lab, pr, q in (("spoiled", spoil, p), ("intact", 1.0 - spoil, kept))
                if pr > 0)
            node: Node = spoiling[0][2] if len(spoiling) == 1 else Chance(spoiling, "spoil")
        else:
            node = _subtree_after(mover, k, bank, other, missions, depth, (p[0], p[1]), scale,
                                  facts, here, xp, xf, par)
        actions.append((ACTIONS[k], node))
    if not late:
        any_size = bool(actions)
        if any_size:
            p = [pay[0], pay[1]]
            p[mover] -= scale[mover] * a
            if reset is not None and reset[0]:
                p[0] += reset[2]
                wait: Node = Terminal((p[0], p[1]), "/".join((*path, "wait", "reset")))
            else:
                phi = facts.root_continuation if reset is not None else _num(me.continuation)
                sc = (scale[0] * phi, scale[1]) if mover == 0 else (scale[0], scale[1] * phi)
                wait = _decide(mover, bank, other, missions, depth, (p[0], p[1]), sc, True,
                               facts, (*path, f"{PLAYERS[mover]}:wait"))
            actions.append(("wait", wait))
        p = [pay[0], pay[1]]
        p[mover] -= scale[mover] * a
        if reset is not None and reset[0]:
            p[0] += reset[2]
        actions.append(("let go", Terminal((p[0], p[1]), "/".join((*path, "let go")))))
    return Move(mover, "|".join((PLAYERS[mover] + (" late" if late else ""), *path)),
                tuple(actions))


def exchange_game(*, owed_persons: int, owed_facilities: int, their_staff: int, my_staff: int,
                  their_sites: int, my_sites: int, offences: int = 1, parity: bool = False,
                  their_owed_persons: int = 0, their_owed_facilities: int = 0,
                  their_offences: int = 0, their_parity: bool = False,
                  me: Side | None = None, them: Side | None = None, p_reset: float = 0.0,
                  reset_value: float = 0.0, spoil_share: float = 0.0,
                  continuation: float | None = None, audience: float = 0.0,
                  their_audience: float = 0.0, unit: float | None = None,
                  depth: int = 3) -> Game:
    """The exchange game of `qre.respond` for one decision (scalars), as a tree.

    Nature first draws whether a reset is possible (probability `p_reset`); a reprisal
    then spoils it with probability `spoil_share`, and a reset is worth `reset_value` to
    T (respond's `spoil` is their product). Payoffs are absolute: they include the
    reset, where `respond` measures utilities relative to doing nothing.
    """
    me = me if me is not None else Side()
    them = them if them is not None else Side()
    if unit is None:
        unit = _num(sizes.weight(owed_persons, owed_facilities, me.site_weight))
    phi = _num(me.continuation if continuation is None else continuation)
    facts = _Facts((me, them), float(unit), depth, (audience, their_audience), phi)
    bank = (owed_persons, owed_facilities, offences, parity)
    other = (their_owed_persons, their_owed_facilities, their_offences, their_parity)
    missions = (their_staff, my_staff, their_sites, my_sites)
    branches = []
    for possible, prob in ((True, p_reset), (False, 1.0 - p_reset)):
        if prob > 0:
            node = _decide(0, bank, other, missions, depth, (0.0, 0.0), (1.0, 1.0), False,
                           facts, (), (float(possible), spoil_share, reset_value))
            branches.append(("reset possible" if possible else "no reset", prob, node))
    root: Node = branches[0][2] if len(branches) == 1 else Chance(tuple(branches), "successor")
    return Game(PLAYERS, root)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x: float) -> str:
    return repr(float(x))


def infoset_labels(game: Game) -> tuple[list[str], ...]:
    """Each player's information sets in the order `to_efg` numbers them (and Gambit
    lists them): first met in a depth-first walk."""
    found: tuple[list[str], ...] = tuple([] for _ in game.players)

    def walk(node: Node) -> None:
        if isinstance(node, Chance):
            for _, _, child in node.branches:
                walk(child)
        elif isinstance(node, Move):
            if node.infoset not in found[node.player]:
                found[node.player].append(node.infoset)
            for _, child in node.actions:
                walk(child)

    walk(game.root)
    return found


def _exact(branches: tuple[tuple[str, float, Node], ...]) -> list[str]:
    """Branch probabilities as exact decimals, the last one the rational complement of
    the others: Gambit requires them to sum to exactly one."""
    shares = [Fraction(repr(float(p))) for _, p, _ in branches[:-1]]
    last = 1 - sum(shares, Fraction(0))
    if last < 0:
        raise ValueError("chance probabilities sum to more than one")
    return [str(x) for x in (*shares, last)]


def to_efg(game: Game, title: str = "exchange") -> str:
    """Gambit `.efg` text of an `extensive.Game` (any number of players).

    1. number each player's information sets in the order they are first met (depth
       first), and give every chance node and every terminal its own number;
    2. write each node in depth-first order: `c` with its branches' labels and
       probabilities, `p` with its player, information set and actions, `t` with an
       outcome holding every player's payoff.
    """
    lines = [f"EFG 2 R {_quote(title)} {{ {' '.join(_quote(p) for p in game.players)} }}",
             '""', ""]
    infosets: list[dict[str, int]] = [{} for _ in game.players]
    counters = {"chance": 0, "outcome": 0}

    def walk(node: Node) -> None:
        if isinstance(node, Terminal):
            counters["outcome"] += 1
            pays = ", ".join(_number(x) for x in node.payoffs)
            lines.append(f'{"t"} "" {counters["outcome"]} {_quote(node.label)} {{ {pays} }}')
            return
        if isinstance(node, Chance):
            counters["chance"] += 1
            branches = " ".join(f"{_quote(lab)} {p}" for lab, p in
                                zip([b[0] for b in node.branches], _exact(node.branches),
                                    strict=True))
            number = counters["chance"]
            label = _quote(f"{node.label} {number}")  # Gambit wants distinct labels
            lines.append(f'c "" {number} {label} {{ {branches} }} 0')
            for _, _, child in node.branches:
                walk(child)
            return
        number = infosets[node.player].setdefault(node.infoset,
                                                  len(infosets[node.player]) + 1)
        acts = " ".join(_quote(a) for a, _ in node.actions)
        lines.append(f'p "" {node.player + 1} {number} {_quote(node.infoset)} {{ {acts} }} 0')
        for _, child in node.actions:
            walk(child)

    walk(game.root)
    return "\n".join(lines) + "\n"
