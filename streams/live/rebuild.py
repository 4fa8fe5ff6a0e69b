"""`python -m streams.live.rebuild`: rebuild Redis live state from PostgreSQL history.

Redis is a cache of the present (DESIGN.md §4). After a flush, history rows since the
start of yesterday's site day are replayed through the same `LiveState.apply` path
the consumer uses; the replay guard skips whatever Redis still holds, so running it
on a live, partly filled Redis neither loses nor doubles anything.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import redis
from psycopg import sql
from psycopg.rows import dict_row

from streams.config.settings import SettingsError, load_settings
from streams.config.site import SiteFileError, load_site
from streams.history.tables import TABLES, event_from_row
from streams.live.ops import LiveConfig
from streams.live.state import LiveState
from streams.wire.contracts import STREAMS, Event

logger = logging.getLogger(__name__)
BATCH = 1000


def rebuild_window_start(now: datetime, reset_hour: int, timezone: str) -> datetime:
    """Start of yesterday's site day: covers today's counters and quiet devices'
    latest."""
    local = now.astimezone(ZoneInfo(timezone)) - timedelta(hours=reset_hour)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return (today + timedelta(hours=reset_hour) - timedelta(days=1)).astimezone(UTC)


def history_events(conn: psycopg.Connection, since: datetime) -> Iterator[list[Event]]:
    """Every stored event with ts ≥ since, in batches, stream by stream, oldest
    first."""
    for stream in STREAMS:
        query = sql.SQL("SELECT * FROM {} WHERE ts >= %s ORDER BY ts").format(
            sql.Identifier(TABLES[stream].name)
        )
        with conn.cursor(name=f"rebuild_{stream}", row_factory=dict_row) as cursor:
            cursor.execute(query, (since,))
            while rows := cursor.fetchmany(BATCH):
                yield [event_from_row(stream, row) for row in rows]


def rebuild_live(
    conn: psycopg.Connection, live: LiveState, since: datetime
) -> tuple[int, int]:
    """Replay history since `since` into Redis; returns (events read, events
    applied)."""
    read = applied = 0
    with conn.transaction():
        for batch in history_events(conn, since):
            read += len(batch)
            applied += live.apply(batch)
    return read, applied


def main() -> int:
    try:
        settings = load_settings()
        site = load_site(settings.site_file)
    except (SettingsError, SiteFileError) as exc:
        print(f"rebuild: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(message)s")
    since = rebuild_window_start(
        datetime.now(UTC), settings.day_reset_hour, site.timezone
    )
    client = redis.Redis.from_url(settings.url("redis"))
    live = LiveState(
        client, LiveConfig(site, settings.day_reset_hour, settings.dead_letter_maxlen)
    )
    with psycopg.connect(settings.url("database")) as conn:
        read, applied = rebuild_live(conn, live, since)
    logger.info(
        "rebuilt live state from %s: %d events read, %d applied", since, read, applied
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
