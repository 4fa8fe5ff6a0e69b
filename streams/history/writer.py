"""Batched, idempotent writes of contract events to the raw tables (DESIGN.md §4).

Per stream one statement: ``INSERT … SELECT * FROM unnest(typed arrays) ON CONFLICT
DO NOTHING``, for the ids it could first insert into ``event_ids`` (schema v7). So an
event is stored once per ``event_id``: a replay (same ts) or a re-stamped retry (other
ts) is skipped, and the first durable version wins; the statement also names the
re-stamped ones (``superseded``). On the plain PostgreSQL path the same statement folds
the rows it actually inserted into the 1-minute rollup table, so replays never
double-count; on the TimescaleDB path the continuous aggregates do that work. No COPY
and no executemany: both fail over PGlite.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

import psycopg
from psycopg import sql

from streams.history.arrays import array_literal
from streams.history.migrations import history_path
from streams.history.outcome import HistoryOutcome
from streams.history.tables import TABLES, StreamTable
from streams.wire.contracts import STREAMS, Event

logger = logging.getLogger(__name__)

_MINUTE = "date_bin(INTERVAL '1 minute', ts, TIMESTAMPTZ '2000-01-01 00:00+00')"

# Plain path: how each stream's inserted rows (the CTE ``ins``) fold into its rollup.
ROLLUP_UPSERTS: dict[str, str] = {
    "gate": f"""INSERT INTO gate_1m (bucket, device, direction, subject, result, n)
        SELECT {_MINUTE}, device, direction, subject, result, count(*)
        FROM ins GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (bucket, device, direction, subject, result)
        DO UPDATE SET n = gate_1m.n + excluded.n""",
    "canteen": f"""INSERT INTO canteen_1m
            (bucket, device, meal, settlements, meals, amount_yuan)
        SELECT {_MINUTE}, device, meal,
            count(*) FILTER (WHERE kind = 'settlement'),
            coalesce(sum(count) FILTER (WHERE kind = 'settlement'), 0),
            coalesce(sum(amount_yuan) FILTER (WHERE kind = 'settlement'), 0)
        FROM ins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, device, meal) DO UPDATE SET
            settlements = canteen_1m.settlements + excluded.settlements,
            meals = canteen_1m.meals + excluded.meals,
            amount_yuan = canteen_1m.amount_yuan + excluded.amount_yuan""",
    "energy": f"""INSERT INTO energy_1m
            (bucket, device, quantity, n, sum_value, min_value, max_value)
        SELECT {_MINUTE}, device, quantity, count(*), sum(value), min(value),
            max(value)
        FROM ins GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (bucket, device, quantity) DO UPDATE SET
            n = energy_1m.n + excluded.n,
            sum_value = energy_1m.sum_value + excluded.sum_value,
            min_value = least(energy_1m.min_value, excluded.min_value),
            max_value = greatest(energy_1m.max_value, excluded.max_value)""",
    "camera": f"""INSERT INTO camera_1m
            (bucket, device, kind, zone, n, sum_count, max_count)
        SELECT {_MINUTE}, device, kind, coalesce(zone, ''), count(*), sum(count),
            max(count)
        FROM ins GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (bucket, device, kind, zone) DO UPDATE SET
            n = camera_1m.n + excluded.n,
            sum_count = camera_1m.sum_count + excluded.sum_count,
            max_count = greatest(camera_1m.max_count, excluded.max_count)""",
}


def write_batch(conn: psycopg.Connection, events: Sequence[Event]) -> int:
    """Store `events`; returns how many were new (see `write_events`)."""
    return write_events(conn, events).new


def write_events(conn: psycopg.Connection, events: Sequence[Event]) -> HistoryOutcome:
    """Store `events`: how many were new, and which were re-stamped duplicates of an
    event_id stored before with another ts (those are not stored again).

    The whole batch runs in ``conn.transaction()``: committed when this returns,
    unless the caller holds an outer transaction (then it is a savepoint and the
    caller commits). On error nothing of the batch is kept.
    """
    if not events:
        return HistoryOutcome()
    by_stream: defaultdict[str, dict[UUID, Event]] = defaultdict(dict)
    for event in events:  # one version per event_id within a batch: the first
        by_stream[event.stream].setdefault(event.event_id, event)
    keep_rollups = history_path(conn) == "plain"
    inserted, superseded = 0, set[UUID]()
    with conn.transaction():
        for stream in STREAMS:  # a fixed order keeps concurrent writers' locks in step
            if stream in by_stream:
                statement = _insert_statement(TABLES[stream], keep_rollups)
                stream_events = list(by_stream[stream].values())
                columns = _column_arrays(TABLES[stream], stream_events)
                row = conn.execute(statement, columns).fetchone()
                inserted += row[0] if row else 0
                if row is None or row[1] < len(stream_events):
                    ids_and_ts = columns[:2]  # every table starts (event_id, ts)
                    known = conn.execute(_SUPERSEDED, ids_and_ts).fetchall()
                    superseded.update(event_id for (event_id,) in known)
    logger.debug("history batch: %d events, %d new", len(events), inserted)
    return HistoryOutcome(new=inserted, superseded=frozenset(superseded))


# The batch's ids first claim their row in event_ids; only claimed ones are stored.
# Returns (rows inserted, ids claimed).
_CLAIM = """WITH batch ({columns}) AS (SELECT * FROM unnest({arrays})),
    fresh AS (INSERT INTO event_ids (event_id, ts) SELECT event_id, ts FROM batch
        ON CONFLICT (event_id) DO NOTHING RETURNING event_id),
    ins AS (INSERT INTO {table} ({columns})
        SELECT batch.* FROM batch JOIN fresh USING (event_id)
        ON CONFLICT DO NOTHING RETURNING {columns}){rollup}
SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM fresh)"""
# Only when some ids were known already (a replay or a retry): which of them were
# stored with another ts. A statement of its own: reading event_ids in the statement
# that writes it hangs PGlite's TimescaleDB build.
_SUPERSEDED = """SELECT known.event_id
FROM unnest(%s::uuid[], %s::timestamptz[]) AS batch (event_id, ts)
JOIN event_ids AS known USING (event_id) WHERE known.ts <> batch.ts"""


def _insert_statement(table: StreamTable, keep_rollups: bool) -> sql.Composed:
    rollup = ROLLUP_UPSERTS.get(table.stream) if keep_rollups else None
    rolled: sql.Composable = sql.SQL("")
    if rollup is not None:  # literal SQL from ROLLUP_UPSERTS
        upsert = sql.SQL(rollup)
        rolled = sql.SQL(",\n    rolled AS ({} RETURNING 1)").format(upsert)
    return sql.SQL(_CLAIM).format(
        table=sql.Identifier(table.name),
        columns=sql.SQL(", ").join(map(sql.Identifier, table.column_names)),
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(column.pg_type))
            for column in table.columns
        ),
        rollup=rolled,
    )


def _column_arrays(table: StreamTable, events: list[Event]) -> list[str]:
    """One array literal per column (see `streams.history.arrays`)."""
    return [
        array_literal([getattr(event, column.name) for event in events], column.pg_type)
        for column in table.columns
    ]
