"""When to answer: holding answers while a wave of expulsions is still breaking.

A state expelled by several others within a few days (a coordinated wave), or one at war,
does not answer each initiator as its note arrives: it waits until the wave has been
quiet for some days and then answers country by country, in one batch. This keeps its
answers consistent with one another and lets it see the whole wave before it replies.
"""

from __future__ import annotations

from collections.abc import Sequence


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
    quiet = war_quiet_days if at_war else quiet_days
    recent = [d for d in days_since_offences if 0 <= d <= max(window_days, quiet)]
    if not recent or (not at_war and len(recent) < initiators):
        return False
    return min(recent) < quiet
