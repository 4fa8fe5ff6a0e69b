"""Simulated time against the wall clock.

Simulated time runs `speed` times faster than the wall clock while it is behind now, and
never ahead of now: once caught up it runs at 1×. So ``--start today --speed 600``
backfills today quickly and then goes live; a span entirely in the past is generated as
fast as the speed allows (``speed = inf`` for as fast as possible).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo


def parse_when(text: str, tz: tzinfo, now: datetime) -> datetime:
    """'now', 'today' (local midnight), or an ISO datetime (naive = site time)."""
    word = text.strip().lower()
    if word == "now":
        return now.astimezone(tz).replace(microsecond=0)
    if word == "today":
        local = now.astimezone(tz)
        return datetime(local.year, local.month, local.day, tzinfo=tz)
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(
            f"bad time {text!r}: expected 'now', 'today' or an ISO datetime"
        ) from exc
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed


@dataclass(frozen=True, slots=True)
class SimClock:
    """Maps wall-clock seconds (epoch, as from `time.time`) to simulated time."""

    start: datetime
    wall_start: float
    speed: float

    def sim_now(self, wall: float) -> datetime:
        real = datetime.fromtimestamp(wall, UTC)
        if math.isinf(self.speed):
            return real
        elapsed = max(0.0, wall - self.wall_start) * self.speed
        if elapsed > (real - self.start).total_seconds():
            return real
        return self.start + timedelta(seconds=elapsed)

    def wall_wait(self, sim_ts: datetime, wall: float) -> float:
        """Seconds from `wall` until simulated time reaches `sim_ts` (0 if it has)."""
        by_real = sim_ts.timestamp()
        by_speed = self.wall_start
        if not math.isinf(self.speed):
            by_speed += (sim_ts - self.start).total_seconds() / self.speed
        return max(0.0, max(by_real, by_speed) - wall)
