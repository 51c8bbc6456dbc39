"""The game of diplomatic retaliation, as pure functions.

This package is where a reader learns the theory. It imports nothing from the rest of
`sim`, nor Mesa, pandas or matplotlib: functions take numbers or numpy arrays, broadcast
over them, and return numbers or arrays. The Mesa agents (`sim.engine.mesa`) and any batch
engine ask these functions for every payoff, belief and decision, so each rule of the
game is written exactly once, here.

Modules, in the order a reader meets them:

- `params`    -- the behaviour parameters and their documented defaults (one place);
- `beliefs`   -- Bayesian beliefs about an incoming administration's type and freedom;
- `payoffs`   -- the payoff terms: reciprocity, reply cost, audience cost, spoiling, delay;
- `decision`  -- expected utilities of retaliating, waiting and letting go; the threshold;
- `sizing`    -- how big an answer is: in kind, proportional, cap to parity, the ladder;
- `policies`  -- named retaliation policies built from the pieces above;
- `extensive` -- extensive-form game trees and a backward-induction solver;
- `transition_game` -- the retaliation game with an incoming administration as a tree,
                 solved: the threshold p* derived from the game;
- `waiting`   -- the many-day waiting problem by value iteration over beliefs;
- `sizes`     -- what an answer of each size is worth: reciprocity, standing, costs; the menu;
- `qre`       -- logit choice, and the logit agent QRE of the exchange game (`respond`);
- `efg`       -- the exchange game written out as a tree and as a Gambit .efg file;
- `scoring`   -- an episode's payoffs after the fact, for tournaments: ex ante, or realised
                 with nature's draw of the successor;
- `ecology`   -- population shares that evolve by payoff (discrete replicator dynamics);
- `decision_map` -- a first response replayed over a plane of prior and audience cost.
"""
