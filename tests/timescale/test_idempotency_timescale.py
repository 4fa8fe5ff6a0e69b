"""One row per event_id on TimescaleDB too (issue point 3): a hypertable's unique keys
must hold `ts`, so the dedupe by event_id lives in the plain table `event_ids`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from streams.history.ddl_v1 import RAW_TABLE_NAMES
from streams.history.migrations import migrate
from streams.history.writer import write_events
from streams.wire.contracts import Event
from tests import builders

pytestmark = pytest.mark.timescale
T0 = datetime(2024, 6, 1, 2, 0, tzinfo=UTC)  # a day no other module writes


@pytest.fixture
def events(timescale_conn: psycopg.Connection) -> Iterator[list[Event]]:
    assert migrate(timescale_conn) is True
    written: list[Event] = [
        builders.gate(ts=T0 + timedelta(seconds=i), event_id=uuid.uuid4())
        for i in range(20)
    ]
    try:
        yield written
    finally:
        day = (T0 - timedelta(days=1), T0 + timedelta(days=1))
        for table in (*RAW_TABLE_NAMES, "event_ids"):
            timescale_conn.execute(
                f"DELETE FROM {table} WHERE ts >= %s AND ts < %s", day
            )


def _stored(conn: psycopg.Connection, events: list[Event]) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT event_id, ts FROM gate_events WHERE event_id = ANY(%s) ORDER BY ts",
        ([e.event_id for e in events],),
    ).fetchall()


def test_event_ids_is_a_plain_table(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    hypertables = timescale_conn.execute(
        "SELECT hypertable_name FROM timescaledb_information.hypertables"
    ).fetchall()
    assert ("event_ids",) not in hypertables
    assert {("gate_events",), ("device_status",)} <= set(hypertables)


def test_a_restamped_retry_is_not_a_second_row(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    assert write_events(timescale_conn, events).new == 20
    retries = [e.model_copy(update={"ts": e.ts + timedelta(hours=2)}) for e in events]
    outcome = write_events(timescale_conn, [*retries, *events])
    assert outcome.new == 0
    assert outcome.superseded == {e.event_id for e in events}
    assert _stored(timescale_conn, events) == [(e.event_id, e.ts) for e in events]


def test_migration_7_backfills_the_hypertables(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    assert write_events(timescale_conn, events).new == 20
    before = timescale_conn.execute("SELECT count(*) FROM event_ids").fetchone()
    timescale_conn.execute("DROP TABLE event_ids")
    timescale_conn.execute("DELETE FROM schema_migrations WHERE version = 7")
    assert migrate(timescale_conn) is True  # backfill, compressed chunks included
    after = timescale_conn.execute("SELECT count(*) FROM event_ids").fetchone()
    assert after == before
    retry = events[0].model_copy(update={"ts": events[0].ts - timedelta(hours=2)})
    assert write_events(timescale_conn, [retry]).superseded == {retry.event_id}
