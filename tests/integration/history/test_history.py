"""History layer on the machine's real PostgreSQL 15 (the plain path): migrations,
idempotent batch writes, writer-kept rollups, read functions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
import pytest

from streams.config.site import Site
from streams.history import reads
from streams.history.ddl_v1 import RAW_TABLE_NAMES, ROLLUP_SELECTS
from streams.history.migrations import MIGRATIONS, migrate
from streams.history.tables import TABLES, event_from_row
from streams.history.writer import write_batch
from streams.wire.contracts import Event
from tests.timescale import history_scenario as scenario

pytestmark = pytest.mark.integration

SERIES = {
    "gate": (reads.gate_series, scenario.expected_gate),
    "meals": (reads.meals_series, scenario.expected_meals),
    "energy": (reads.energy_series, scenario.expected_energy),
    "camera": (reads.camera_series, scenario.expected_camera),
}


@pytest.fixture
def conn(pg_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_url, autocommit=True) as connection:
        assert migrate(connection) is False
        yield connection


@pytest.fixture
def events(sample_site: Site) -> list[Event]:
    return scenario.build_events(sample_site)


def _count_rows(conn: psycopg.Connection) -> dict[str, int]:
    return {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
        for table in RAW_TABLE_NAMES
    }


def _rollups(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    return {
        name: conn.execute(f"SELECT * FROM {name} ORDER BY 1, 2, 3, 4").fetchall()
        for name in ROLLUP_SELECTS
    }


def _raw_aggregations(conn: psycopg.Connection) -> dict[str, list[tuple]]:
    """The rollups recomputed from the raw rows (UTC minutes, as in the rollups)."""
    minute = "date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '2000-01-01 00:00+00')"
    aggregations = {}
    for name, select in ROLLUP_SELECTS.items():
        by_utc_minute = select.replace("time_bucket(INTERVAL '1 minute', ts)", minute)
        query = f"SELECT * FROM ({by_utc_minute}) AS agg ORDER BY 1, 2, 3, 4"
        aggregations[name] = conn.execute(query).fetchall()
    return aggregations


def test_migrate_is_safe_to_rerun(conn: psycopg.Connection) -> None:
    assert migrate(conn) is False
    assert migrate(conn) is False
    rows = conn.execute("SELECT version, path FROM schema_migrations").fetchall()
    assert rows == [(m.version, "plain") for m in MIGRATIONS]


def test_migrate_from_two_processes_at_once(pg_url: str) -> None:
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            with psycopg.connect(pg_url) as connection:
                barrier.wait(timeout=10)
                results.append(migrate(connection))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert results == [False, False]
    with psycopg.connect(pg_url) as connection:
        count = connection.execute("SELECT count(*) FROM schema_migrations").fetchone()
    assert count == (len(MIGRATIONS),)


def test_tables_have_every_contract_field_and_a_ts_index(
    conn: psycopg.Connection,
) -> None:
    for table in TABLES.values():
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = %s ORDER BY ordinal_position",
            (table.name,),
        ).fetchall()
        # columns added by later migrations come after received_at
        assert sorted(c for (c,) in columns) == sorted(
            [*table.column_names, "received_at"]
        )
        indexes = conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", (table.name,)
        ).fetchall()
        definitions = " | ".join(d for (d,) in indexes)
        assert "(ts DESC)" in definitions
        assert "(device, ts DESC)" in definitions
        assert "PRIMARY KEY" not in definitions  # sanity: indexdefs, not constraints


def test_write_batch_is_idempotent(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    assert write_batch(conn, events) == len(events)
    counts = _count_rows(conn)
    assert sum(counts.values()) == len(events)
    assert write_batch(conn, events) == 0
    assert write_batch(conn, [events[0], events[0]]) == 0
    assert _count_rows(conn) == counts
    assert write_batch(conn, []) == 0


def test_duplicates_inside_one_batch_are_stored_once(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    assert write_batch(conn, [*events[:5], *events[:5]]) == 5
    assert sum(_count_rows(conn).values()) == 5


def test_rows_read_back_as_the_same_events(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    write_batch(conn, events)
    stored = []
    for stream, table in TABLES.items():
        with conn.cursor(row_factory=psycopg.rows.dict_row) as cursor:
            rows = cursor.execute(f"SELECT * FROM {table.name}").fetchall()
        stored += [event_from_row(stream, row) for row in rows]
    key = lambda e: str(e.event_id)  # noqa: E731
    assert sorted(stored, key=key) == sorted(events, key=key)


def test_batch_rolled_back_with_the_outer_transaction(
    pg_url: str, events: list[Event]
) -> None:
    with psycopg.connect(pg_url) as connection:
        migrate(connection)
        with connection.transaction(force_rollback=True):
            assert write_batch(connection, events) == len(events)
        assert sum(_count_rows(connection).values()) == 0
        assert all(rows == [] for rows in _rollups(connection).values())


def test_plain_rollups_equal_raw_aggregation(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    half = len(events) // 2
    write_batch(conn, events[:half])
    write_batch(conn, events[half:])
    assert _rollups(conn) == _raw_aggregations(conn)


def test_replays_do_not_change_rollups(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    write_batch(conn, events[:300])
    before = _rollups(conn)
    assert write_batch(conn, events[:300]) == 0
    assert _rollups(conn) == before
    # a batch of replays and new events counts only the new ones
    assert write_batch(conn, events[200:]) == len(events) - 300
    assert _rollups(conn) == _raw_aggregations(conn)


@pytest.mark.parametrize("series", sorted(SERIES))
@pytest.mark.parametrize(
    ("start", "end", "width"), scenario.WINDOWS, ids=scenario.WINDOW_IDS
)
def test_series_match_events_at_bucket_edges(
    conn: psycopg.Connection,
    events: list[Event],
    series: str,
    start: datetime,
    end: datetime,
    width: timedelta,
) -> None:
    write_batch(conn, events)
    read, expected = SERIES[series]
    frame = read(conn, start=start, end=end, bucket=width, tz=scenario.TZ_NAME)
    assert scenario.frame_rows(frame) == expected(events, start, end, width)
    assert not frame.empty


def test_daily_buckets_start_at_local_midnight(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    write_batch(conn, events)
    start, end, width = scenario.WINDOWS[-1]
    frame = reads.gate_series(
        conn, start=start, end=end, bucket=width, tz=scenario.TZ_NAME
    )
    assert {(b.hour, b.minute) for b in frame["bucket"]} == {(0, 0)}
    assert str(frame["bucket"].dt.tz) == scenario.TZ_NAME


def test_series_filter_by_device_and_empty_window(
    conn: psycopg.Connection, events: list[Event]
) -> None:
    write_batch(conn, events)
    start, end, width = scenario.WINDOWS[-1]
    frame = reads.meals_series(
        conn, start=start, end=end, bucket=width, tz=scenario.TZ_NAME, devices=["c1-w1"]
    )
    assert set(frame["device"]) == {"c1-w1"}
    empty = reads.energy_series(
        conn,
        start=start - timedelta(days=30),
        end=start - timedelta(days=29),
        bucket=width,
        tz=scenario.TZ_NAME,
    )
    assert empty.empty
    assert list(empty.columns) == [
        "bucket", "device", "quantity", "avg_value", "sum_value", "max_value", "n"
    ]  # fmt: skip


def test_latest_event_time(conn: psycopg.Connection, events: list[Event]) -> None:
    assert reads.latest_event_time(conn) == dict.fromkeys(TABLES)
    write_batch(conn, events)
    latest = reads.latest_event_time(conn)
    for stream in TABLES:
        assert latest[stream] == max(e.ts for e in events if e.stream == stream)
