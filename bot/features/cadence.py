"""Periodic jobs gated by a stored "next due" moment: when a run counts something as due.

The feed poll and the tips job (its retries) wake up on a fixed grid of ``tick`` and compare
a moment stored in the database with the clock. A moment stored during a run lies a little
after that run's wake-up (the run's own duration, a fetch, a send), so the same interval
counted from it ends a few milliseconds after the next wake-up: compared strictly, it is
skipped and the work waits one whole tick more (a 1-minute feed was read every 2 minutes).
So a run takes everything that falls due before the middle of the gap to the next run: at
most half a tick early, never a tick late.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def due_by(now: datetime, tick: timedelta) -> datetime:
    """The latest stored moment a run at ``now`` treats as due.

    Args:
        now: when the run reads the clock (aware datetime).
        tick: the time between two runs of the job (positive).

    Returns:
        ``now`` plus half a tick: what falls due before then would otherwise wait a tick.
    """
    return now + tick / 2


def is_due(moment: datetime | None, now: datetime, tick: timedelta) -> bool:
    """True when ``moment`` (None: never done) has come for a job that runs every ``tick``."""
    return moment is None or moment <= due_by(now, tick)
