"""SQL for `camera_snapshots` (schema version 4): write, read, prune."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import psycopg

from streams.snapshots.names import PERIODIC


@dataclass(frozen=True, slots=True)
class Snapshot:
    camera: str
    name: str
    ts: datetime
    kind: str
    jpeg: bytes


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    camera: str
    name: str
    ts: datetime
    kind: str
    bytes: int


def insert_snapshot(conn: psycopg.Connection, shot: Snapshot) -> bool:
    """Store one snapshot; False when it was already stored (a redelivery)."""
    cursor = conn.execute(
        """INSERT INTO camera_snapshots (camera, name, ts, kind, jpeg, bytes)
        VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING""",
        (shot.camera, shot.name, shot.ts, shot.kind, shot.jpeg, len(shot.jpeg)),
    )
    return cursor.rowcount == 1


def latest_snapshots(conn: psycopg.Connection) -> dict[str, SnapshotInfo]:
    """camera → its newest snapshot (any kind)."""
    rows = conn.execute(
        """SELECT DISTINCT ON (camera) camera, name, ts, kind, bytes
        FROM camera_snapshots ORDER BY camera, ts DESC, name DESC"""
    ).fetchall()
    return {row[0]: SnapshotInfo(*row) for row in rows}


def camera_snapshots(
    conn: psycopg.Connection, camera: str, limit: int = 20, events_only: bool = True
) -> list[SnapshotInfo]:
    """A camera's newest snapshots, newest first (event snapshots only by default)."""
    rows = conn.execute(
        """SELECT camera, name, ts, kind, bytes FROM camera_snapshots
        WHERE camera = %s AND (NOT %s OR kind <> %s)
        ORDER BY ts DESC, name DESC LIMIT %s""",
        (camera, events_only, PERIODIC, limit),
    ).fetchall()
    return [SnapshotInfo(*row) for row in rows]


def read_jpeg(conn: psycopg.Connection, camera: str, name: str) -> bytes | None:
    row = conn.execute(
        "SELECT jpeg FROM camera_snapshots WHERE camera = %s AND name = %s",
        (camera, name),
    ).fetchone()
    return None if row is None else bytes(row[0])


def read_latest_jpeg(
    conn: psycopg.Connection, camera: str
) -> tuple[SnapshotInfo, bytes] | None:
    row = conn.execute(
        """SELECT camera, name, ts, kind, bytes, jpeg FROM camera_snapshots
        WHERE camera = %s ORDER BY ts DESC, name DESC LIMIT 1""",
        (camera,),
    ).fetchone()
    return None if row is None else (SnapshotInfo(*row[:5]), bytes(row[5]))


def prune_snapshots(
    conn: psycopg.Connection, now: datetime, keep: timedelta, periodic_keep: timedelta
) -> int:
    """Delete event snapshots older than `keep` and periodic views older than
    `periodic_keep`, except each camera's newest (a silent camera keeps its last
    picture, shown with its age). Returns the rows deleted."""
    cursor = conn.execute(
        """DELETE FROM camera_snapshots s
        WHERE (s.ts < %(events_before)s
               OR (s.kind = %(periodic)s AND s.ts < %(periodic_before)s))
          AND s.name <> (SELECT n.name FROM camera_snapshots n
                         WHERE n.camera = s.camera
                         ORDER BY n.ts DESC, n.name DESC LIMIT 1)""",
        {
            "events_before": now - keep,
            "periodic_before": now - periodic_keep,
            "periodic": PERIODIC,
        },
    )
    return cursor.rowcount
