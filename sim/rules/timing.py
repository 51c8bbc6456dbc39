"""When to answer: holding answers while a wave of expulsions is still breaking.

A state expelled by several others within a few days (a coordinated wave), or one at war,
does not answer each initiator as its note arrives: it waits until the wave has been
quiet for some days and then answers country by country, in one batch. This keeps its
answers consistent with one another and lets it see the whole wave before it replies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


def hold_for_wave_counts(days_since: ArrayLike, *, initiators: ArrayLike,
                         window_days: ArrayLike, quiet_days: ArrayLike,
                         war_quiet_days: ArrayLike, at_war: bool) -> Any:
    """`hold_for_wave` over many runs: `days_since` has shape (..., initiators), with a
    negative value where a counterpart has never offended; returns a boolean per run.
    The parameters are numbers, or arrays over the leading axes (a value per run)."""
    d = np.asarray(days_since)
    quiet = np.asarray(war_quiet_days if at_war else quiet_days)
    horizon = np.maximum(np.asarray(window_days), quiet)[..., None]
    recent = (d >= 0) & (d <= horizon)
    count = recent.sum(axis=-1)
    latest = np.where(recent, d, np.iinfo(np.int64).max).min(axis=-1, initial=np.iinfo(
        np.int64).max)
    wave = (count > 0) & (at_war | (count >= initiators))
    return wave & (latest < quiet)


def hold_for_wave(
    days_since_offences: Sequence[int],
    *,
    initiators: int,
    window_days: int,
    quiet_days: int,
    war_quiet_days: int,
    at_war: bool,
) -> bool:
    """Hold today's answers?

    `days_since_offences` holds, per initiator, the days since its latest offence. A wave
    is on when at least `initiators` of them fall within the window (at war, any one
    does); answers are held while the latest offence is younger than the quiet period,
    `quiet_days` in peace and `war_quiet_days` at war.
    """
    return bool(hold_for_wave_counts(
        np.asarray(list(days_since_offences), dtype=np.int64), initiators=initiators,
        window_days=window_days, quiet_days=quiet_days, war_quiet_days=war_quiet_days,
        at_war=at_war))
