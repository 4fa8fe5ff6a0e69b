"""Reads for the security page (#6): camera event timelines and gate anomalies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import psycopg

COUNT_KINDS = ("people_count", "crowd_density")


@dataclass(frozen=True, slots=True)
class CameraEventRow:
    ts: datetime
    camera: str
    kind: str
    zone: str | None
    count: int
    direction: str | None
    snapshot: str | None


@dataclass(frozen=True, slots=True)
class AlarmRow:
    raised_at: datetime
    last_seen: datetime
    kind: str
    source: str
    severity: str
    message: str
    active: bool
    acknowledged: bool


def camera_event_timeline(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    cameras: Sequence[str] | None = None,
    limit: int = 50,
) -> list[CameraEventRow]:
    """Newest first: every camera event but the periodic counts, in [start, end)."""
    rows = conn.execute(
        """SELECT ts, device, kind, zone, count, direction, snapshot
        FROM camera_events
        WHERE ts >= %(start)s AND ts < %(end)s AND kind <> ALL(%(counts)s)
          AND (%(cameras)s::text[] IS NULL OR device = ANY(%(cameras)s))
        ORDER BY ts DESC LIMIT %(limit)s""",
        {
            "start": start,
            "end": end,
            "counts": list(COUNT_KINDS),
            "cameras": None if cameras is None else list(cameras),
            "limit": limit,
        },
    ).fetchall()
    return [CameraEventRow(*row) for row in rows]


def gate_anomalies(
    conn: psycopg.Connection, *, start: datetime, limit: int = 30
) -> list[AlarmRow]:
    """Alarms raised from gate passes (#4's detectors) seen since `start`."""
    rows = conn.execute(
        """SELECT raised_at, last_seen, kind, source, severity, message, active,
            acknowledged
        FROM alarms
        WHERE evidence->>'stream' = 'gate' AND last_seen >= %(start)s
        ORDER BY raised_at DESC LIMIT %(limit)s""",
        {"start": start, "limit": limit},
    ).fetchall()
    return [AlarmRow(*row) for row in rows]
