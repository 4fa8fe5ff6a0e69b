from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest
import redis

from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.live.keys import Keys
from streams.live.rebuild import rebuild_live, rebuild_window_start
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import Event
from tests import builders

pytestmark = pytest.mark.integration


def snapshot(client: redis.Redis, site: Site) -> dict[str, object]:
    """Every live key except the replay-guard sets, with its content."""
    state: dict[str, object] = {}
    for key in client.scan_iter(match=f"{Keys(site.id).prefix}:*"):
        if ":seen:" in key:
            continue
        kind = client.type(key)
        state[key] = (
            client.hgetall(key)
            if kind == "hash"
            else client.zrange(key, 0, -1, withscores=True)
        )
    return state


def test_flushed_redis_is_rebuilt_identically(
    site: Site, pg_url: str, redis_url: str
) -> None:
    events: list[Event] = [
        builders.gate("in"),
        builders.gate("in"),
        builders.gate("out"),
        builders.meal(count=3),
        builders.reading(value=640.0),
        builders.reading("m-water-main", 0.4),
        builders.people(count=12),
        builders.status(),
    ]
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    live = LiveState(client, LiveConfig(site))
    with psycopg.connect(pg_url) as conn:
        migrate(conn)
        conn.commit()
        write_batch(conn, events)
        live.apply(events)
        before = snapshot(client, site)
        for key in client.scan_iter(match=f"{Keys(site.id).prefix}:*"):
            client.delete(key)
        assert rebuild_live(conn, live, since=datetime(2026, 11, 19, tzinfo=UTC)) == (
            8,
            8,
        )
        assert snapshot(client, site) == before
        assert rebuild_live(conn, live, since=datetime(2026, 11, 19, tzinfo=UTC)) == (
            8,
            0,
        )
    client.close()


def test_window_starts_at_yesterdays_site_day() -> None:
    now = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
    assert rebuild_window_start(now, 4, "Asia/Shanghai") == datetime(
        2026, 11, 18, 20, 0, tzinfo=UTC
    )
