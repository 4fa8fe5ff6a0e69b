"""What the detection runner reloads from history after a restart: visitor
appointments and the visitors on site (raw tables; both history paths)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.rows import dict_row

from streams.history.tables import event_from_row
from streams.wire.contracts import Event

_APPOINTMENTS_SQL = """SELECT * FROM appointment_events
    WHERE ts >= %(since)s AND ts < %(until)s AND expected_to >= %(relevant)s
    ORDER BY ts, event_id"""
_VISITOR_PASSES_SQL = """SELECT * FROM gate_events
    WHERE ts >= %(relevant)s AND ts < %(until)s
    AND appointment_id IS NOT NULL AND result = 'granted'
    ORDER BY ts, event_id"""


@dataclass(frozen=True, slots=True)
class VisitorHistory:
    """What the visitor checks need to survive a restart
    (`detectors.access.visitors`)."""

    appointments: list[Event]  # every version, oldest first
    passes: list[Event]  # granted visitor passes with an appointment id
    complete_since: datetime | None  # every booking made since then is listed


def visitor_history(
    conn: psycopg.Connection,
    *,
    since: datetime,
    until: datetime,
    relevant: datetime,
) -> VisitorHistory:
    """Appointment events of [since, until) for appointments ending at or after
    `relevant`, and the granted visitor passes of [relevant, until)."""
    window = {"since": since, "until": until, "relevant": relevant}
    with conn.cursor(row_factory=dict_row) as cursor:
        bookings = cursor.execute(_APPOINTMENTS_SQL, window).fetchall()
        passes = cursor.execute(_VISITOR_PASSES_SQL, window).fetchall()
    first = conn.execute("SELECT min(ts) FROM appointment_events").fetchone()
    oldest = first[0] if first else None
    return VisitorHistory(
        appointments=[event_from_row("appointment", row) for row in bookings],
        passes=[event_from_row("gate", row) for row in passes],
        complete_since=None if oldest is None else max(oldest, since),
    )
