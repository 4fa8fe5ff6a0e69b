"""One row and one count per event_id, however its ts changed (issue point 3), on the
machine's PostgreSQL (plain path) and Redis. The first durable version wins."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
import redis

from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_events
from streams.ingest.delivery import Delivery
from streams.ingest.history_sink import PostgresHistory
from streams.ingest.spool import Spool
from streams.live.keys import Keys
from streams.live.ops import LiveConfig
from streams.live.state import LiveState
from streams.wire.contracts import Event
from tests import builders

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


@pytest.fixture
def conn(pg_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_url, autocommit=True) as connection:
        assert migrate(connection) is False
        yield connection


def restamped(event: Event, hours: float = -2) -> Event:
    return event.model_copy(update={"ts": event.ts + timedelta(hours=hours)})


def gate_rows(conn: psycopg.Connection) -> list[tuple[str, datetime]]:
    rows = conn.execute("SELECT event_id, ts FROM gate_events ORDER BY ts").fetchall()
    return [(str(event_id), ts) for event_id, ts in rows]


def test_a_restamped_retry_is_not_a_second_row(conn: psycopg.Connection) -> None:
    events = [builders.gate(ts=NOW + timedelta(seconds=i)) for i in range(100)]
    assert write_events(conn, events).new == 100
    retries = [restamped(e) for e in events]
    outcome = write_events(conn, retries)
    assert outcome.new == 0
    assert outcome.superseded == {e.event_id for e in events}
    assert gate_rows(conn) == [(str(e.event_id), e.ts) for e in events]  # first wins
    rollup = conn.execute("SELECT sum(n) FROM gate_1m").fetchone()
    assert rollup == (100,)


def test_a_plain_replay_is_not_superseded(conn: psycopg.Connection) -> None:
    event = builders.gate(ts=NOW)
    write_events(conn, [event])
    outcome = write_events(conn, [event])
    assert outcome.new == 0 and not outcome.superseded  # Redis may still apply it


def test_two_versions_in_one_batch_store_the_first(conn: psycopg.Connection) -> None:
    event = builders.meal(ts=NOW)
    outcome = write_events(conn, [event, restamped(event, 1), builders.meal(ts=NOW)])
    assert outcome.new == 2
    stored = conn.execute(
        "SELECT ts FROM canteen_events WHERE event_id = %s", (event.event_id,)
    ).fetchall()
    assert stored == [(event.ts,)]


def test_an_event_id_is_claimed_once_across_streams(conn: psycopg.Connection) -> None:
    gate = builders.gate(ts=NOW)
    status = builders.status(event_id=gate.event_id, ts=NOW)
    assert write_events(conn, [gate]).new == 1
    assert write_events(conn, [status]).new == 0


def test_concurrent_writers_of_two_versions_store_one(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as setup:
        migrate(setup)
    event = builders.gate(ts=NOW)
    versions = [event, restamped(event)]
    barrier = threading.Barrier(2)
    new: list[int] = []

    def write(version: Event) -> None:
        with psycopg.connect(pg_url) as connection:
            barrier.wait()
            new.append(write_events(connection, [version]).new)

    threads = [threading.Thread(target=write, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with psycopg.connect(pg_url) as check:
        assert len(gate_rows(check)) == 1
    assert sorted(new) == [0, 1]


def test_migration_7_backfills_ids_already_stored(conn: psycopg.Connection) -> None:
    # A database from before version 7: raw rows but no event_ids.
    conn.execute("DROP TABLE event_ids")
    conn.execute("DELETE FROM schema_migrations WHERE version = 7")
    old = builders.gate(ts=NOW)
    conn.execute(
        "INSERT INTO gate_events (event_id, ts, device, direction, subject,"
        " credential_kind, credential, result) VALUES"
        " (%s, %s, 'gate-east', 'in', 'staff', 'face', 'F1', 'granted')",
        (old.event_id, old.ts),
    )
    assert migrate(conn) is False
    assert migrate(conn) is False  # safe to re-run
    assert conn.execute("SELECT event_id, ts FROM event_ids").fetchall() == [
        (old.event_id, old.ts)
    ]
    outcome = write_events(conn, [restamped(old)])
    assert outcome.new == 0 and outcome.superseded == {old.event_id}


def test_redis_counts_a_restamped_retry_once(
    site: Site, pg_url: str, redis_url: str, tmp_path: Path
) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    delivery = Delivery(
        site_id=site.id,
        history=PostgresHistory(pg_url),
        live=LiveState(client, LiveConfig(site)),
        history_spool=Spool(tmp_path / "h", 10**8),
        dead_letter_spool=Spool(tmp_path / "d", 10**8),
        rebuild_live=lambda: (0, 0),
        stop=threading.Event(),
    )
    events: list[Event] = [
        builders.gate(ts=NOW + timedelta(seconds=i)) for i in range(100)
    ]
    assert delivery.deliver(events, [], datetime.now(UTC))
    # The producer retries with a re-stamped time 2 h earlier: another replay set.
    assert delivery.deliver([restamped(e) for e in events], [], datetime.now(UTC))
    keys = Keys(site.id)
    entries = sum(
        int(client.hget(key, "staff") or 0)
        for key in client.scan_iter(match=f"{keys.prefix}:entries:*")
    )
    minutes = sum(
        int(client.hget(key, "staff") or 0)
        for key in client.scan_iter(match=f"{keys.prefix}:minute:gate:*")
    )
    assert (entries, minutes) == (100, 100)
    assert delivery.stats.written == 100 and delivery.stats.duplicates == 100
    with psycopg.connect(pg_url) as check:
        assert len(gate_rows(check)) == 100
    delivery._history.close()  # type: ignore[attr-defined]
    client.close()
