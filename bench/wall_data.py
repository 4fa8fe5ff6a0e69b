"""Realistic wall data for benches and screenshots: the simulated compound's past
days into PostgreSQL (history, rollups) and today up to now into Redis and
PostgreSQL, in process (`Simulator.step` → `write_batch` and `LiveState.apply`).

    python -m bench.wall_data --days 30 --site-file S --database-url D --redis-url R
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import redis

from streams.config.site import Site, load_site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.live.state import LiveConfig, LiveState
from streams.simulator.engine import Notice, SimOptions, Simulator
from streams.wire.contracts import AppointmentEvent, Event

STEP = timedelta(hours=1)


class Feeder:
    """Feeds simulated events into PostgreSQL (and Redis for the last 24 hours).

    `shift_days` simulates that many days earlier and moves every event forward by
    as much: screenshots taken on a weekend can show a working day (the history
    moves with it, so "same weekday" baselines stay consistent)."""

    def __init__(
        self,
        site: Site,
        database_url: str,
        redis_url: str | None,
        start: datetime,
        shift_days: int = 0,
        seed: int = 7,
    ) -> None:
        self.shift = timedelta(days=shift_days)
        self.cursor = start
        options = SimOptions(seed=seed, energy_interval_s=60, camera_interval_s=60)
        self.sim = Simulator(site, start - self.shift, options)
        self.conn = psycopg.connect(database_url, autocommit=True)
        migrate(self.conn)
        self.live = None
        if redis_url:
            self.live = LiveState(redis.Redis.from_url(redis_url), LiveConfig(site))

    def _shifted(self, event: Event) -> Event:
        if not self.shift:
            return event
        update = {"ts": event.ts + self.shift}
        if isinstance(event, AppointmentEvent):
            update["expected_from"] = event.expected_from + self.shift
            update["expected_to"] = event.expected_to + self.shift
        return event.model_copy(update=update)

    def feed_until(self, end: datetime, live_after: datetime) -> int:
        total = 0
        while self.cursor < end:
            stop = min(self.cursor + STEP, end)
            items = self.sim.step(self.cursor - self.shift, stop - self.shift)
            events = [
                self._shifted(item[1]) for item in items if not isinstance(item, Notice)
            ]
            for i in range(0, len(events), 5000):
                write_batch(self.conn, events[i : i + 5000])
            if self.live is not None and stop > live_after:
                for i in range(0, len(events), 2000):
                    self.live.apply(events[i : i + 2000])
            total += len(events)
            self.cursor = stop
        return total


def generate(
    site: Site,
    database_url: str,
    redis_url: str | None,
    days: int,
    now: datetime | None = None,
    shift_days: int = 0,
) -> int:
    """History from `days` days ago until `now`; the last 24 hours also into Redis.
    Returns the number of events."""
    now = now or datetime.now(UTC)
    start = (now - timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
    feeder = Feeder(site, database_url, redis_url, start, shift_days)
    return feeder.feed_until(now, now - timedelta(hours=24))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--site-file", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url")
    parser.add_argument("--shift-days", type=int, default=0)
    parser.add_argument("--follow", action="store_true", help="then keep feeding")
    args = parser.parse_args()
    began = time.perf_counter()
    now = datetime.now(UTC)
    start = (now - timedelta(days=args.days)).replace(minute=0, second=0, microsecond=0)
    site = load_site(args.site_file)
    feeder = Feeder(site, args.database_url, args.redis_url, start, args.shift_days)
    n = feeder.feed_until(now, now - timedelta(hours=24))
    print(f"{n} events in {time.perf_counter() - began:.1f} s", flush=True)
    while args.follow:
        time.sleep(2.0)
        feeder.feed_until(datetime.now(UTC), start)


if __name__ == "__main__":
    main()
