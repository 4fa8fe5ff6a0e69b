"""Schema version 7: one row per event_id, whatever its ts (issue point 3).

The raw tables' key is ``(event_id, ts)`` because a hypertable's unique keys must hold
its time column, so the same ``event_id`` sent again with a re-stamped ``ts`` used to be
a second row. ``event_ids`` is an ordinary table on both paths (never a hypertable):
its primary key is the ``event_id`` alone and it keeps the ``ts`` of the version that
was stored first. The writer inserts there first and stores a raw row only for ids it
inserted, so the first durable version wins (docs/storage.md, "Writes").

The backfill takes every id already stored, its earliest received version first; rows
that were already duplicated before this version stay as they are.
"""

from __future__ import annotations

from streams.history.ddl_v1 import RAW_TABLE_NAMES

COMMON: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS event_ids (
        event_id uuid PRIMARY KEY,
        ts timestamptz NOT NULL)""",
    *(
        f"""INSERT INTO event_ids (event_id, ts)
        SELECT DISTINCT ON (event_id) event_id, ts FROM {table}
        ORDER BY event_id, received_at, ts
        ON CONFLICT (event_id) DO NOTHING"""
        for table in RAW_TABLE_NAMES
    ),
)
