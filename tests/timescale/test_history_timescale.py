"""History layer on TimescaleDB (PGlite harness): hypertables, real-time continuous
aggregates, policies, idempotent writes, and the same read results as the plain
PostgreSQL suite (`tests/integration/history/test_history.py`) for the same events.

One server and one connection serve the whole module; the scenario is written once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
import pytest

from streams.config.site import Site
from streams.history import reads
from streams.history.ddl_v1 import RAW_TABLE_NAMES, ROLLUP_SELECTS
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import Event, GateEvent
from tests.timescale import history_scenario as scenario

pytestmark = pytest.mark.timescale

SERIES = {
    "gate": (reads.gate_series, scenario.expected_gate),
    "meals": (reads.meals_series, scenario.expected_meals),
    "energy": (reads.energy_series, scenario.expected_energy),
    "camera": (reads.camera_series, scenario.expected_camera),
}


@pytest.fixture(scope="module")
def events(timescale_conn: psycopg.Connection, sample_site: Site) -> list[Event]:
    """Migrated schema holding the scenario's events (continuous aggregates not yet
    refreshed)."""
    assert migrate(timescale_conn) is True
    events = scenario.build_events(sample_site)
    assert write_batch(timescale_conn, events) == len(events)
    return events


def _column(conn: psycopg.Connection, query: str) -> list[Any]:
    return [row[0] for row in conn.execute(query).fetchall()]


def _assert_reads_match(conn: psycopg.Connection, events: list[Event]) -> None:
    for start, end, width in scenario.WINDOWS:
        for name, (read, expected) in SERIES.items():
            frame = read(conn, start=start, end=end, bucket=width, tz=scenario.TZ_NAME)
            assert scenario.frame_rows(frame) == expected(events, start, end, width), (
                name,
                width,
            )


def test_reads_before_refresh_come_through_realtime_aggregation(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    # Runs first in this module: nothing is materialized yet, so every number comes
    # from the raw hypertables through real-time aggregation.
    _assert_reads_match(timescale_conn, events)


def test_migrate_takes_the_timescale_path_and_reruns(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    assert migrate(timescale_conn) is True
    assert _column(timescale_conn, "SELECT DISTINCT path FROM schema_migrations") == [
        "timescale"
    ]


def test_raw_tables_are_hypertables(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    names = _column(
        timescale_conn,
        "SELECT hypertable_name FROM timescaledb_information.hypertables",
    )
    assert set(RAW_TABLE_NAMES) <= set(names)


def test_rollups_are_realtime_continuous_aggregates(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    rows = timescale_conn.execute(
        "SELECT view_name, materialized_only"
        " FROM timescaledb_information.continuous_aggregates"
    ).fetchall()
    assert dict(rows) == dict.fromkeys(ROLLUP_SELECTS, False)


def test_refresh_compression_and_retention_policies_exist(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    jobs = timescale_conn.execute(
        "SELECT proc_name, hypertable_name, config FROM timescaledb_information.jobs"
    ).fetchall()
    by_proc: dict[str, set[str]] = {}
    for proc, table, _ in jobs:
        by_proc.setdefault(proc, set()).add(table)
    assert by_proc["policy_compression"] == set(RAW_TABLE_NAMES)
    assert by_proc["policy_retention"] == set(RAW_TABLE_NAMES)
    assert by_proc["policy_refresh_continuous_aggregate"] == set(ROLLUP_SELECTS)
    retention = [c for p, _, c in jobs if p == "policy_retention"]
    assert {c["drop_after"] for c in retention} == {"400 days"}
    segment_by = timescale_conn.execute(
        "SELECT DISTINCT hypertable_name, attname"
        " FROM timescaledb_information.compression_settings"
        " WHERE segmentby_column_index = 1"
    ).fetchall()
    assert set(segment_by) == {(t, "device") for t in RAW_TABLE_NAMES}


def test_write_batch_is_idempotent(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    assert write_batch(timescale_conn, events) == 0
    assert write_batch(timescale_conn, [events[0], events[0]]) == 0
    total = sum(
        _column(timescale_conn, f"SELECT count(*) FROM {table}")[0]
        for table in RAW_TABLE_NAMES
    )
    assert total == len(events)


@pytest.mark.parametrize("series", sorted(SERIES))
@pytest.mark.parametrize(
    ("start", "end", "width"), scenario.WINDOWS, ids=scenario.WINDOW_IDS
)
def test_reads_after_refresh_match_events(
    timescale_conn: psycopg.Connection,
    events: list[Event],
    series: str,
    start: datetime,
    end: datetime,
    width: timedelta,
) -> None:
    for name in ROLLUP_SELECTS:
        timescale_conn.execute(
            f"CALL refresh_continuous_aggregate('{name}', NULL, NULL)"
        )
    read, expected = SERIES[series]
    frame = read(
        timescale_conn, start=start, end=end, bucket=width, tz=scenario.TZ_NAME
    )
    assert scenario.frame_rows(frame) == expected(events, start, end, width)


def test_latest_event_time(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    latest = reads.latest_event_time(timescale_conn)
    for stream in latest:
        assert latest[stream] == max(e.ts for e in events if e.stream == stream)


def test_compression_policy_runs_and_chunks_stay_readable_and_idempotent(
    timescale_conn: psycopg.Connection, events: list[Event]
) -> None:
    # Background jobs do not run in PGlite; run the policy job by hand.
    (job_id,) = _column(
        timescale_conn,
        "SELECT job_id FROM timescaledb_information.jobs"
        " WHERE proc_name = 'policy_compression' AND hypertable_name = 'gate_events'",
    )
    timescale_conn.execute("CALL run_job(%s)", (job_id,))
    compressed = _column(
        timescale_conn,
        "SELECT count(*) FROM timescaledb_information.chunks"
        " WHERE hypertable_name = 'gate_events' AND is_compressed",
    )
    assert compressed[0] > 0
    assert write_batch(timescale_conn, events) == 0
    granted = _column(
        timescale_conn, "SELECT count(*) FROM gate_events WHERE result = 'granted'"
    )
    assert granted == [
        sum(isinstance(e, GateEvent) and e.result == "granted" for e in events)
    ]


def test_late_rows_behind_the_watermark_show_after_the_next_refresh(
    timescale_conn: psycopg.Connection, events: list[Event], sample_site: Site
) -> None:
    """Timescale semantics (docs/storage.md): real-time aggregation covers only rows
    after the materialization watermark; older late rows wait for a refresh."""
    late_start = scenario.local(2024, 1, 1)
    late = scenario.build_events(sample_site, count=0)[:6]  # one per stream, at DAY
    late = [e.model_copy(update={"ts": late_start}) for e in late]
    assert write_batch(timescale_conn, late) == len(late)
    window: dict[str, Any] = {
        "start": late_start,
        "end": late_start + timedelta(minutes=1),
        "bucket": timedelta(minutes=1),
        "tz": scenario.TZ_NAME,
    }
    assert reads.gate_series(timescale_conn, **window).empty
    timescale_conn.execute("CALL refresh_continuous_aggregate('gate_1m', NULL, NULL)")
    assert reads.gate_series(timescale_conn, **window)["n"].tolist() == [1]
