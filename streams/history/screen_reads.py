"""What the wall screens read from history beyond the rollup series (`reads`):
per-gate flow, visitor appointments expected, meals per window. Plain SQL over the
1-minute rollups and the raw appointment table; both history paths (TimescaleDB and
plain PostgreSQL) have the same tables and columns.
"""

from __future__ import annotations

from datetime import datetime

import psycopg

_GATE_FLOW_SQL = """SELECT device,
        coalesce(sum(n) FILTER (WHERE direction = 'in' AND result = 'granted'), 0),
        coalesce(sum(n) FILTER (WHERE direction = 'out' AND result = 'granted'), 0),
        coalesce(sum(n) FILTER (WHERE result = 'denied'), 0)
    FROM gate_1m WHERE bucket >= %(start)s AND bucket < %(end)s GROUP BY device"""

# An appointment counts when its latest version is not a cancellation and its
# expected window starts within [start, end).
_EXPECTED_SQL = """SELECT count(*) FROM (
        SELECT DISTINCT ON (appointment_id) action, expected_from
        FROM appointment_events
        WHERE expected_from >= %(start)s AND expected_from < %(end)s
        ORDER BY appointment_id, ts DESC, event_id) AS latest
    WHERE action <> 'cancelled'"""

_MEALS_BY_WINDOW_SQL = """SELECT device, sum(meals)::bigint FROM canteen_1m
    WHERE bucket >= %(start)s AND bucket < %(end)s GROUP BY device"""

_CAMERA_KINDS_SQL = """SELECT kind, sum(n)::bigint FROM camera_1m
    WHERE bucket >= %(start)s AND bucket < %(end)s GROUP BY kind"""


def gate_flow_by_device(
    conn: psycopg.Connection, *, start: datetime, end: datetime
) -> dict[str, tuple[int, int, int]]:
    """gate → (granted in, granted out, denied) over [start, end)."""
    rows = conn.execute(_GATE_FLOW_SQL, {"start": start, "end": end}).fetchall()
    return {device: (int(i), int(o), int(d)) for device, i, o, d in rows}


def appointments_expected(
    conn: psycopg.Connection, *, start: datetime, end: datetime
) -> int:
    """Visitor appointments (not cancelled) expected to start within [start, end)."""
    row = conn.execute(_EXPECTED_SQL, {"start": start, "end": end}).fetchone()
    return int(row[0]) if row else 0


def meals_by_window(
    conn: psycopg.Connection, *, start: datetime, end: datetime
) -> dict[str, int]:
    """window → meals served over [start, end)."""
    rows = conn.execute(_MEALS_BY_WINDOW_SQL, {"start": start, "end": end}).fetchall()
    return {device: int(n) for device, n in rows}


def camera_events_by_kind(
    conn: psycopg.Connection, *, start: datetime, end: datetime
) -> dict[str, int]:
    """camera analytics kind → events over [start, end)."""
    rows = conn.execute(_CAMERA_KINDS_SQL, {"start": start, "end": end}).fetchall()
    return {kind: int(n) for kind, n in rows}
