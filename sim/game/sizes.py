"""Sizes that matter: the menu of answers and what an answer of each size is worth.

The one-size model values every reprisal at R and every reply at C, whether 35 staff are
expelled or 755. Here the size x of an answer to an offence of size o enters the payoffs
through three terms, each a pure function broadcasting over runs:

- the **value of reciprocity** v(s) of an answer of relative size s = z(x) / z(o), with o
  the offence, or for a cap to parity the cap in kind (the gap)
  (`reciprocity`): concave and saturating, with a kink at s = 1. Goldstein (1991, 1995)
  finds superpower reciprocity *limited*: answers track the offence, smaller answers are
  common and larger ones rare. A kink at in kind is what makes "the same number" the
  modal answer over a range of costs (the norm gives equivalence its own worth), the
  concave part below it is why a token answer still keeps much of the norm, and the
  saturation above it is why answering bigger adds little;
- the **value of equal standing** (`standing`): an answer that brings the counterpart's
  presence down to one's own (a cap to parity) says "we are equals", a meaning states
  give parity in their own words (the Russian MFA's demands of 2017 and 2018). It counts
  when it is claimed: once a state has been re-provoked while a grievance was banked, or
  is answering a cap to parity (`standing_weight`). This is the payoff counterpart of the
  old sizing ladder, and an assumption stated as one;
- the **cost of the answer itself** (`answer_cost`): a share of the counterpart's
  presence cut is a share of one's own channels, information and consular reach lost.
  Linear in the share of the counterpart's presence removed. Snyder & Borghard (2011)
  argue that leaders weigh costs of acting beyond audiences; escalation is priced here
  by what it cuts, not by fiat;
- the **cost of being answered** (`hit_cost`): a measure against me as big as the
  opening offence costs C (the one-size model's reply cost, with power and dependence,
  `payoffs.reply_cost`), a measure of any other size in proportion. How *likely* a reply
  is does not appear here: it comes from the counterpart's own choice in the exchange
  game (`qre`), and grows with the excess of an answer over what was owed (settlement).

Sizes are staff and sites. To compare answers that mix them, a site counts as
`site_weight` staff (z(x) = persons + w sites: `weight`). Categories (none, smaller,
same, larger) follow the validation's rule (`sim.analysis.outcomes.categorise`): staff
first, sites when no staff was owed, "same" within 10%.

**The menu** (`menu`): in kind (what is owed; a cap to parity if what is owed was one),
smaller (a token share, at least one of something), larger (`larger_ratio` times in
kind) and a cap to parity (the gap between the counterpart's presence here and one's own
there, at least what is owed), each clipped to what the counterpart has here. An entry
that is empty, or that repeats an earlier entry, is not available (a logit over
duplicates would double-count one answer). Letting go and waiting complete the menu in
`qre`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

#: The answers of the menu, in the order ties are broken (in kind first: the norm).
SIZES: tuple[str, ...] = ("same", "smaller", "larger", "parity")
SAME_WITHIN = 0.10  # the validation's tolerance for "the same number"
CATEGORIES: tuple[str, ...] = ("none", "smaller", "same", "larger")


def _f(x: ArrayLike) -> Floats:
    return np.asarray(x, dtype=np.float64)


def _round_half_up(x: ArrayLike) -> Ints:
    return np.floor(_f(x) + 0.5).astype(np.int64)


def weight(persons: ArrayLike, facilities: ArrayLike, site_weight: ArrayLike = 10.0) -> Floats:
    """z = persons + w sites: the size of a measure in staff equivalents."""
    return _f(persons) + _f(site_weight) * _f(facilities)


def reciprocity(relative: ArrayLike, *, value: ArrayLike = 1.0, curvature: ArrayLike = 0.5,
                beyond: ArrayLike = 0.2) -> Floats:
    """v(s): the value of answering with relative size s = z(answer) / z(offence).

    v(s) = R s^a                          for 0 <= s <= 1 (a = `curvature`, 0 < a <= 1)
    v(s) = R (1 + b (1 - exp(-(s - 1))))  for s > 1       (b = `beyond`)

    So v(0) = 0, v(1) = R (in kind keeps the norm in full), a quarter answer keeps
    0.25^0.5 = half of it with a = 0.5, and no answer however large is worth more than
    R (1 + b). Continuous, increasing, concave on each side of 1; concave overall when
    b <= a (the kink at in kind points down).
    """
    s = np.maximum(_f(relative), 0.0)
    below = s ** _f(curvature)
    above = 1.0 + _f(beyond) * (1.0 - np.exp(-(s - 1.0)))
    return _f(value) * np.where(s <= 1.0, below, above)


def standing_weight(offences: ArrayLike, parity: ArrayLike) -> Floats:
    """1 where equal standing is claimed (two or more offences banked, or a cap to parity
    among them), else 0. Replace it to give parity its meaning in other circumstances."""
    claimed = (_f(offences) >= 2) | np.asarray(parity, dtype=bool)
    return np.asarray(claimed, dtype=np.float64)


def achieves_parity(persons: ArrayLike, facilities: ArrayLike, gap_persons: ArrayLike,
                    gap_facilities: ArrayLike, owed_persons: ArrayLike = np.inf,
                    owed_facilities: ArrayLike = np.inf) -> Bools:
    """Whether an answer is a cut to parity: there was a gap, and the answer brings the
    counterpart's presence down to exactly one's own where it had more, cutting no more
    than what is owed elsewhere. An answer beyond parity is not one (it is larger, and
    settles nothing as a claim of equal standing: `excess`)."""
    p, f = np.asarray(persons), np.asarray(facilities)
    gp, gf = np.asarray(gap_persons), np.asarray(gap_facilities)
    staff = np.where(gp > 0, p == gp, p <= np.asarray(owed_persons))
    sites = np.where(gf > 0, f == gf, f <= np.asarray(owed_facilities))
    return np.asarray(((gp > 0) | (gf > 0)) & staff & sites, dtype=bool)


def is_cap(persons: ArrayLike, facilities: ArrayLike, gap_persons: ArrayLike,
           gap_facilities: ArrayLike, owed_persons: ArrayLike, owed_facilities: ArrayLike,
           parity_owed: ArrayLike = False) -> Bools:
    """Whether an answer is a cap to parity, as states read it: it achieves parity
    (`achieves_parity`) and either goes beyond what is owed or answers a cap. An answer in
    kind that happens to equal the gap is an answer in kind, not a claim of standing."""
    beyond = ((np.asarray(persons) > np.asarray(owed_persons))
              | (np.asarray(facilities) > np.asarray(owed_facilities)))
    return np.asarray(achieves_parity(persons, facilities, gap_persons, gap_facilities,
                                      owed_persons, owed_facilities)
                      & (beyond | np.asarray(parity_owed, dtype=bool)), dtype=bool)


def standing(achieved: ArrayLike, weight_: ArrayLike, *, value: ArrayLike = 1.0,
             parity_value: ArrayLike = 1.0) -> Floats:
    """R * parity_value for an answer that achieves parity where standing is claimed."""
    return _f(value) * _f(parity_value) * _f(weight_) * np.asarray(achieved, dtype=np.float64)


def answer_cost(size: ArrayLike, their_presence: ArrayLike, *, value: ArrayLike = 1.0,
                cost: ArrayLike = 0.5, surplus: ArrayLike = 0.0) -> Floats:
    """R * k * max(0, z(x) - z(surplus)) / z(their presence here): the share of their
    presence cut, priced at k (`cost`) R for the whole of it, less a `surplus` the state
    does not count as channels. Zero when nothing is cut.

    The surplus is their presence here beyond one's own there, and it is free only where
    equal standing is claimed (`standing_weight`: re-provoked with a grievance banked, or
    answering a cap): a state that claims parity holds the surplus to be an imbalance to
    correct, not channels it would lose (the parity demands of the Russian MFA in 2017
    and 2018; the Vienna Convention, art. 11, lets a receiving state hold a mission to a
    size it deems reasonable). What a cut takes below parity costs in full, and without a
    claim every staff member cut costs alike."""
    presence = np.maximum(_f(their_presence), 1.0)
    cut = np.maximum(_f(size) - np.maximum(_f(surplus), 0.0), 0.0)
    return _f(value) * _f(cost) * np.minimum(cut / presence, 1.0)


def claimed_surplus(gap_persons: ArrayLike, gap_facilities: ArrayLike, claim: ArrayLike,
                    site_weight: ArrayLike = 10.0) -> Floats:
    """The surplus `answer_cost` does not count: the parity gap in staff equivalents where
    equal standing is claimed (`claim` = `standing_weight`), else nothing."""
    return _f(claim) * weight(gap_persons, gap_facilities, site_weight)


def hit_cost(size: ArrayLike, unit: ArrayLike, *, reply_cost: ArrayLike = 0.3) -> Floats:
    """C * z(y) / z(o0): a measure against me as big as the opening offence costs C."""
    return _f(reply_cost) * _f(size) / np.maximum(_f(unit), 1.0)


def excess(persons: ArrayLike, facilities: ArrayLike, owed_persons: ArrayLike,
           owed_facilities: ArrayLike, *, parity: ArrayLike = False,
           owed_parity: ArrayLike = False) -> tuple[Ints, Ints]:
    """What an answer adds beyond the grievance it answers: the target's new grievance.

    Reciprocity settles accounts: an answer in kind (or smaller) is the expected price of
    the move it answers, not a new offence; only what goes beyond what was owed is. A cut
    to parity answering a cut to parity (`parity` and `owed_parity`) settles the account
    whole: it claims the equal standing the other claimed first, whatever the counts
    (the one rule the engine, the exchange game and its Gambit export all use).
    """
    ep = np.maximum(0, np.subtract(persons, owed_persons))
    ef = np.maximum(0, np.subtract(facilities, owed_facilities))
    even = np.asarray(parity, dtype=bool) & np.asarray(owed_parity, dtype=bool)
    return (np.where(even, 0, ep).astype(np.int64), np.where(even, 0, ef).astype(np.int64))


class Menu(NamedTuple):
    """Candidate answers, last axis in the order of `SIZES`: staff, sites, available."""

    persons: Ints  # (..., 4)
    facilities: Ints  # (..., 4)
    available: Bools  # (..., 4): non-empty and not a repeat of an earlier entry
    gap_persons: Ints  # (...,) the parity gap
    gap_facilities: Ints
    owed_persons: Ints  # (...,) what is owed
    owed_facilities: Ints
    parity_owed: Bools  # (...,) what is owed holds a cap

    @property
    def parity(self) -> Bools:
        """Which entries are caps to parity (`is_cap`), whatever their label."""
        return is_cap(self.persons, self.facilities, self.gap_persons[..., None],
                      self.gap_facilities[..., None], self.owed_persons[..., None],
                      self.owed_facilities[..., None], self.parity_owed[..., None])


def menu(*, owed_persons: ArrayLike, owed_facilities: ArrayLike, their_staff: ArrayLike,
         my_staff: ArrayLike, their_sites: ArrayLike, my_sites: ArrayLike,
         token_share: ArrayLike = 0.25, larger_ratio: ArrayLike = 2.0,
         parity_owed: ArrayLike = False, share: ArrayLike = 1.0) -> Menu:
    """The menu of answers to a grievance, from what is owed and the missions.

    1. in kind: what is owed; but where the grievance holds a cut to parity
       (`parity_owed`), a cut to parity: the gap max(0, their staff here - mine there),
       and the same for sites. States read a cap as a claim of equal standing and answer
       it with the same claim, not with the same number (the US answer of 2017 was
       closures that brought sites to parity, not 720 expulsions);
    2. smaller: `token_share` of the staff of the in-kind entry, rounded half up, and at
       most one site; at least one person if that leaves nothing (the `token` rule);
    3. larger: `larger_ratio` times the in-kind entry, rounded half up;
    4. parity: the gap, and never less than what is owed, in each of staff and sites
       (a cap to parity that also answers what was taken); nothing where nothing is owed
       (a hostile act that took no one, answered already, leaves no answer by size);
    5. `share` scales every entry (rounded half up): a state reassured by its
       counterpart answers at that share of each size (`reassured_share`);
    6. every entry is clipped to what the counterpart has here; an entry that is empty or
       equal to an earlier one is marked unavailable.
    """
    op, of = np.asarray(owed_persons, dtype=np.int64), np.asarray(owed_facilities, np.int64)
    ts, ms = np.asarray(their_staff, np.int64), np.asarray(my_staff, np.int64)
    tf, mf = np.asarray(their_sites, np.int64), np.asarray(my_sites, np.int64)
    po = np.asarray(parity_owed, dtype=bool)
    op, of, ts, ms, tf, mf, po = np.broadcast_arrays(op, of, ts, ms, tf, mf, po)
    gap_p, gap_f = np.maximum(0, ts - ms), np.maximum(0, tf - mf)
    kind_p, kind_f = _kind(op, of, po, ts, ms, tf, mf)
    tok_p = _round_half_up(_f(token_share) * kind_p)
    tok_f = np.minimum(kind_f, 1)
    tok_p = np.where((tok_p == 0) & (tok_f == 0) & (kind_p > 0), 1, tok_p)
    big_p = _round_half_up(_f(larger_ratio) * kind_p)
    big_f = _round_half_up(_f(larger_ratio) * kind_f)
    par_p, par_f = np.maximum(gap_p, op), np.maximum(gap_f, of)
    par_p, par_f = np.where(po, gap_p, par_p), np.where(po, gap_f, par_f)
    owed_any = (op > 0) | (of > 0) | po  # a grievance that took nothing has no answer
    par_p, par_f = np.where(owed_any, par_p, 0), np.where(owed_any, par_f, 0)
    persons = np.stack(np.broadcast_arrays(kind_p, tok_p, big_p, par_p), axis=-1)
    facilities = np.stack(np.broadcast_arrays(kind_f, tok_f, big_f, par_f), axis=-1)
    scale = _f(share)[..., None] if np.ndim(share) else _f(share)
    if np.any(scale != 1.0):
        persons = _round_half_up(scale * persons)
        facilities = _round_half_up(scale * facilities)
    persons = np.minimum(persons, ts[..., None]).astype(np.int64)
    facilities = np.minimum(facilities, tf[..., None]).astype(np.int64)
    available = (persons > 0) | (facilities > 0)
    for k in range(1, len(SIZES)):
        for j in range(k):
            same = (persons[..., k] == persons[..., j]) & (facilities[..., k] == facilities[..., j])
            available[..., k] &= ~same
    return Menu(persons, facilities, available, gap_p.astype(np.int64), gap_f.astype(np.int64),
                op.astype(np.int64), of.astype(np.int64), po.astype(bool))


def _kind(owed_persons: ArrayLike, owed_facilities: ArrayLike, parity_owed: ArrayLike,
          their_staff: ArrayLike, my_staff: ArrayLike, their_sites: ArrayLike,
          my_sites: ArrayLike) -> tuple[Ints, Ints]:
    """Step 1 of `menu`, unclipped: what is owed, or the parity gap against a cap."""
    po = np.asarray(parity_owed, dtype=bool)
    gap_p = np.maximum(0, np.asarray(their_staff) - np.asarray(my_staff))
    gap_f = np.maximum(0, np.asarray(their_sites) - np.asarray(my_sites))
    return (np.where(po, gap_p, owed_persons).astype(np.int64),
            np.where(po, gap_f, owed_facilities).astype(np.int64))


def in_kind(*, owed_persons: ArrayLike, owed_facilities: ArrayLike, parity_owed: ArrayLike,
            their_staff: ArrayLike, my_staff: ArrayLike, their_sites: ArrayLike,
            my_sites: ArrayLike) -> Floats:
    """(staff, sites) of the in-kind answer of `menu` (its step 1, clipped as in step 6),
    on the last axis: what an answer beyond the horizon of the exchange game is taken to
    be (`qre`, step 4)."""
    persons, facilities = _kind(owed_persons, owed_facilities, parity_owed, their_staff,
                                my_staff, their_sites, my_sites)
    return np.stack(np.broadcast_arrays(np.minimum(persons, their_staff),
                                        np.minimum(facilities, their_sites)),
                    axis=-1).astype(np.float64)


def category(persons: ArrayLike, facilities: ArrayLike, owed_persons: ArrayLike,
             owed_facilities: ArrayLike) -> Ints:
    """Index into `CATEGORIES` of each answer: none, smaller, same (within 10%), larger;
    staff compared first, sites when no staff was owed (`outcomes.categorise`)."""
    p, f = np.asarray(persons), np.asarray(facilities)
    op, of = np.asarray(owed_persons), np.asarray(owed_facilities)
    size = np.where(op > 0, p, f)
    owed = np.where(op > 0, op, of)
    same = np.abs(size - owed) <= SAME_WITHIN * owed
    out = np.where(same, 2, np.where(size > owed, 3, 1))
    out = np.where(owed == 0, 3, out)
    return np.where((p == 0) & (f == 0), 0, out).astype(np.int64)


def trembled(distribution: ArrayLike, tremble: ArrayLike) -> Floats:
    """A distribution over `CATEGORIES` (last axis) with a share `tremble` of first
    responses the model does not explain spread evenly over the four categories:
    (1 - e) p + e / 4 (Harless & Camerer 1994). e = 0 returns p unchanged; the most likely
    category never changes, only how sure the model is of it. Every reported probability
    of a first response goes through here (the likelihood and the sampled runs)."""
    e = np.clip(_f(tremble), 0.0, 1.0)[..., None]  # one share per run, over categories
    return (1.0 - e) * _f(distribution) + e / len(CATEGORIES)
