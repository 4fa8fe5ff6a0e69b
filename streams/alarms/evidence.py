"""The history behind an alarm (its ``evidence``: stream, device, time): meter
readings, gate passes, camera events with snapshots, device status. Read-only SQL
over the raw history tables, bounded in time and rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.rows import dict_row

SPAN = timedelta(minutes=30)
MAX_ROWS = 60
QUERIES: dict[str, str] = {
    "energy": "SELECT ts, quantity, value FROM energy_readings",
    "gate": "SELECT ts, direction, subject, credential_kind, result, deny_reason"
    " FROM gate_events",
    "camera": "SELECT ts, kind, zone, count, snapshot FROM camera_events",
    "status": "SELECT ts, state, reason FROM device_status",
}


def evidence_rows(
    conn: psycopg.Connection,
    evidence: dict[str, Any],
    around: datetime,
) -> dict[str, list[dict[str, Any]]]:
    """stream → rows of that stream for the evidence's device, newest first, within
    30 minutes either side of the evidence's time (or `around`)."""
    device = str(evidence.get("device") or "")
    if not device:
        return {}
    at = around
    if isinstance(evidence.get("at"), str):
        try:
            at = datetime.fromisoformat(evidence["at"])
        except ValueError:
            at = around
    found: dict[str, list[dict[str, Any]]] = {}
    for stream in str(evidence.get("stream", "")).split(","):
        query = QUERIES.get(stream.strip())
        if query is None:
            continue
        with conn.cursor(row_factory=dict_row) as cur:
            cur.execute(
                query + " WHERE device = %s AND ts BETWEEN %s AND %s"
                " ORDER BY ts DESC LIMIT %s",
                (device, at - SPAN, at + SPAN, MAX_ROWS),
            )
            found[stream.strip()] = list(cur.fetchall())
    return found
