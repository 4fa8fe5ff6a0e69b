"""A simulated week of the sample compound written to PostgreSQL, for the briefing
tests: gates, appointments, canteen, meters, queue-zone camera counts and device
status (other camera events are left out: the briefing does not read them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg

from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.simulator import SimOptions, Simulator
from streams.wire.contracts import CameraEvent, Event

WEEK = date(2026, 6, 8)  # a Monday with no public holiday in its week
SEED = 7


def wanted(event: Event) -> bool:
    if isinstance(event, CameraEvent):
        return event.zone in ("c1-queue", "c2-queue")
    return True


def fill_days(site: Site, url: str, first: date, days: int, seed: int = SEED) -> int:
    """Simulate `days` local days from `first` into the database at `url`."""
    tz = ZoneInfo(site.timezone)
    start = datetime.combine(first, time(0), tz)
    sim = Simulator(site, start, SimOptions(seed=seed))
    written = 0
    with psycopg.connect(url) as conn:
        migrate(conn)
        for hour in range(24 * days):
            lo = start + timedelta(hours=hour)
            events: Iterable[Event] = (
                e for _, e in sim.events(lo, lo + timedelta(hours=1)) if wanted(e)
            )
            written += write_batch(conn, list(events))
        conn.commit()
    return written
