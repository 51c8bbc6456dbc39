"""Sizes that matter: the menu of answers and what an answer of each size is worth.

The one-size model values every reprisal at R and every reply at C, whether 35 staff are
expelled or 755. Here the size x of an answer to an offence of size o enters the payoffs
through three terms, each a pure function broadcasting over runs:

- the **value of reciprocity** v(s) of an answer of relative size s = z(x) / z(o)
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

**The menu** (`menu`): in kind (what is owed), smaller (a token share, at least one of
something), larger (`larger_ratio` times what is owed) and a cap to parity (the gap
between the counterpart's presence here and one's own there), each clipped to what the
counterpart has here. An entry that is empty, or that repeats an earlier entry, is not
available (a logit over duplicates would double-count one answer). Letting go and
waiting complete the menu in `qre`.
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
                    gap_facilities: ArrayLike) -> Bools:
    """Whether an answer brings the counterpart's presence down to one's own (there was a
    gap to close, and the answer closes it in both staff and sites)."""
    gp, gf = np.asarray(gap_persons), np.asarray(gap_facilities)
    return np.asarray(((gp > 0) | (gf > 0)) & (np.asarray(persons) >= gp)
                      & (np.asarray(facilities) >= gf), dtype=bool)


def standing(achieved: ArrayLike, weight_: ArrayLike, *, value: ArrayLike = 1.0,
             parity_value: ArrayLike = 1.0) -> Floats:
    """R * parity_value for an answer that achieves parity where standing is claimed."""
    return _f(value) * _f(parity_value) * _f(weight_) * np.asarray(achieved, dtype=np.float64)


def answer_cost(size: ArrayLike, their_presence: ArrayLike, *, value: ArrayLike = 1.0,
                cost: ArrayLike = 0.5) -> Floats:
    """R * k * z(x) / z(their presence here): the share of their presence cut, priced at k
    (`cost`) R for the whole of it. Zero when nothing is cut."""
    presence = np.maximum(_f(their_presence), 1.0)
    return _f(value) * _f(cost) * np.minimum(_f(size) / presence, 1.0)


def hit_cost(size: ArrayLike, unit: ArrayLike, *, reply_cost: ArrayLike = 0.3) -> Floats:
    """C * z(y) / z(o0): a measure against me as big as the opening offence costs C."""
    return _f(reply_cost) * _f(size) / np.maximum(_f(unit), 1.0)


class Menu(NamedTuple):
    """Candidate answers, last axis in the order of `SIZES`: staff, sites, available."""

    persons: Ints  # (..., 4)
    facilities: Ints  # (..., 4)
    available: Bools  # (..., 4): non-empty and not a repeat of an earlier entry
    gap_persons: Ints  # (...,) the parity gap
    gap_facilities: Ints

    @property
    def parity(self) -> Bools:
        """Which entries achieve parity (whatever their label)."""
        return achieves_parity(self.persons, self.facilities, self.gap_persons[..., None],
                               self.gap_facilities[..., None])


def menu(*, owed_persons: ArrayLike, owed_facilities: ArrayLike, their_staff: ArrayLike,
         my_staff: ArrayLike, their_sites: ArrayLike, my_sites: ArrayLike,
         token_share: ArrayLike = 0.25, larger_ratio: ArrayLike = 2.0) -> Menu:
    """The menu of answers to a grievance, from what is owed and the missions.

    1. in kind: what is owed;
    2. smaller: `token_share` of the staff owed, rounded half up, and at most one site;
       at least one person if that leaves nothing (the `token` policy's rule);
    3. larger: `larger_ratio` times what is owed, rounded half up;
    4. parity: the gap max(0, their staff here - mine there), and the same for sites;
    5. every entry is clipped to what the counterpart has here; an entry that is empty or
       equal to an earlier one is marked unavailable.
    """
    op, of = np.asarray(owed_persons, dtype=np.int64), np.asarray(owed_facilities, np.int64)
    ts, ms = np.asarray(their_staff, np.int64), np.asarray(my_staff, np.int64)
    tf, mf = np.asarray(their_sites, np.int64), np.asarray(my_sites, np.int64)
    op, of, ts, ms, tf, mf = np.broadcast_arrays(op, of, ts, ms, tf, mf)
    tok_p = _round_half_up(_f(token_share) * op)
    tok_f = np.minimum(of, 1)
    tok_p = np.where((tok_p == 0) & (tok_f == 0) & (op > 0), 1, tok_p)
    big_p = _round_half_up(_f(larger_ratio) * op)
    big_f = _round_half_up(_f(larger_ratio) * of)
    gap_p, gap_f = np.maximum(0, ts - ms), np.maximum(0, tf - mf)
    persons = np.stack(np.broadcast_arrays(op, tok_p, big_p, gap_p), axis=-1)
    facilities = np.stack(np.broadcast_arrays(of, tok_f, big_f, gap_f), axis=-1)
    persons = np.minimum(persons, ts[..., None]).astype(np.int64)
    facilities = np.minimum(facilities, tf[..., None]).astype(np.int64)
    available = (persons > 0) | (facilities > 0)
    for k in range(1, len(SIZES)):
        for j in range(k):
            same = (persons[..., k] == persons[..., j]) & (facilities[..., k] == facilities[..., j])
            available[..., k] &= ~same
    return Menu(persons, facilities, available, gap_p.astype(np.int64), gap_f.astype(np.int64))


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
