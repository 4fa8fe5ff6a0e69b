"""Array literals round-trip through the real PostgreSQL: hostile strings intact."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.rows import dict_row

from streams.history.migrations import migrate
from streams.history.tables import event_from_row
from streams.history.writer import write_batch
from tests import builders

pytestmark = pytest.mark.integration
HOSTILE = [
    'a"b',
    "back\\slash",
    "{,}",
    "NULL",
    "浙C·A1234",
    "'; DROP TABLE x; --",
    " sp ",
]


def test_hostile_strings_are_stored_exactly(pg_url: str) -> None:
    events = [builders.gate(credential=text) for text in HOSTILE]
    events.append(
        builders.gate(result="denied", deny_reason="expired", appointment_id=None)
    )
    with psycopg.connect(pg_url) as conn:
        migrate(conn)
        assert write_batch(conn, events) == len(events)
        with conn.cursor(row_factory=dict_row) as cursor:
            rows = cursor.execute("SELECT * FROM gate_events").fetchall()
    stored = {str(row["event_id"]): event_from_row("gate", row) for row in rows}
    assert stored == {str(e.event_id): e for e in events}
