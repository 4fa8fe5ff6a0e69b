"""History schema definitions without a server: table columns follow the contracts,
rows turn back into events, migrations are well-formed, read arguments are checked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from streams.history import reads
from streams.history.ddl_v1 import RAW_TABLE_NAMES
from streams.history.migrations import MIGRATIONS
from streams.history.tables import TABLES, event_from_row
from streams.wire.contracts import EVENT_MODELS, STREAMS, CameraEvent, GateEvent

TS = datetime(2025, 3, 10, 8, 30, 15, 250_000, tzinfo=UTC)


def test_one_table_per_stream_with_every_contract_field() -> None:
    assert tuple(TABLES) == STREAMS
    assert tuple(t.name for t in TABLES.values()) == RAW_TABLE_NAMES
    for stream, table in TABLES.items():
        fields = [
            name for name in EVENT_MODELS[stream].model_fields if name != "stream"
        ]
        assert sorted(table.column_names) == sorted(fields)
        assert table.column_names[:3] == ("event_id", "ts", "device")


@pytest.mark.parametrize(
    "event",
    [
        GateEvent(
            event_id=uuid.uuid4(),
            ts=TS,
            device="gate-east",
            direction="in",
            subject="visitor",
            credential_kind="qr",
            credential="qr-1",
            result="denied",
            deny_reason="no_appointment",
        ),
        CameraEvent(
            event_id=uuid.uuid4(), ts=TS, device="cam-b1-lobby", kind="loitering"
        ),
    ],
    ids=["gate", "camera"],
)
def test_event_from_row_rebuilds_the_event(event: GateEvent | CameraEvent) -> None:
    row = {**event.model_dump(exclude={"stream"}), "received_at": TS}
    assert event_from_row(event.stream, row) == event


def test_migration_versions_increase_and_both_paths_have_statements() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1
    first = MIGRATIONS[0]
    assert any("create_hypertable" in s for s in first.statements("timescale"))
    assert not any("create_hypertable" in s for s in first.statements("plain"))
    assert any("CREATE TABLE gate_1m" in s for s in first.statements("plain"))


@pytest.mark.parametrize(
    "bucket", [timedelta(0), timedelta(seconds=30), timedelta(seconds=90)]
)
def test_series_refuse_buckets_that_are_not_whole_minutes(bucket: timedelta) -> None:
    with pytest.raises(ValueError, match="whole number of minutes"):
        reads.gate_series(
            None,  # type: ignore[arg-type]  # refused before any query
            start=TS,
            end=TS + timedelta(hours=1),
            bucket=bucket,
            tz="UTC",
        )


def test_series_refuse_naive_bounds() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        reads.meals_series(
            None,  # type: ignore[arg-type]
            start=TS.replace(tzinfo=None),
            end=TS + timedelta(hours=1),
            bucket=timedelta(minutes=1),
            tz="UTC",
        )
