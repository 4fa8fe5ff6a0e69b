"""Migration 2 (alarms) on the TimescaleDB path (PGlite harness): the tables exist,
an alarm round-trips, and the journal refuses UPDATE and DELETE there too."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from streams.alarms import store
from streams.alarms.actions import Signal
from streams.alarms.model import open_alarm
from streams.history.migrations import migrate

pytestmark = pytest.mark.timescale
T0 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)


def test_alarm_tables_and_append_only_journal(
    timescale_conn: psycopg.Connection,
) -> None:
    assert migrate(timescale_conn) is True
    alarm, entry = open_alarm(
        "5f0c9a52-4a43-4c55-9a55-2f1b3c1d2e3f", "duty", "water_leak", "m1", "b1",
        Signal(T0, "critical", "漏水"), T0,
    )  # fmt: skip
    with timescale_conn.transaction():
        store.save_alarms(timescale_conn, [alarm])
        store.append_journal(timescale_conn, [entry])
    assert [a.id for a in store.open_alarms(timescale_conn)] == [alarm.id]
    for sql in ("UPDATE alarm_journal SET operator = 'x'", "DELETE FROM alarm_journal"):
        with pytest.raises(psycopg.errors.RaiseException):
            timescale_conn.execute(sql)
    assert len(store.journal(timescale_conn, alarm.id)) == 1
