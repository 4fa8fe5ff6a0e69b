"""Batched, idempotent writes of contract events to the raw tables (DESIGN.md §4).

Per stream one statement: ``INSERT … SELECT * FROM unnest(typed arrays) ON CONFLICT
DO NOTHING``. Replays of an event (same event_id and ts) are skipped. On the plain
PostgreSQL path the same statement also folds the rows it actually inserted into the
1-minute rollup table, so replays never double-count; on the TimescaleDB path the
continuous aggregates do that work. No COPY and no executemany: both fail over PGlite.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence

import psycopg
from psycopg import sql

from streams.history.arrays import array_literal
from streams.history.migrations import history_path
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
    """Store `events`; returns how many were new (replays are skipped).

    The whole batch runs in ``conn.transaction()``: committed when this returns,
    unless the caller holds an outer transaction (then it is a savepoint and the
    caller commits). On error nothing of the batch is kept.
    """
    if not events:
        return 0
    by_stream: defaultdict[str, list[Event]] = defaultdict(list)
    for event in events:
        by_stream[event.stream].append(event)
    keep_rollups = history_path(conn) == "plain"
    inserted = 0
    with conn.transaction():
        for stream in STREAMS:  # a fixed order keeps concurrent writers' locks in step
            if stream in by_stream:
                statement = _insert_statement(TABLES[stream], keep_rollups)
                columns = _column_arrays(TABLES[stream], by_stream[stream])
                row = conn.execute(statement, columns).fetchone()
                inserted += row[0] if row else 0
    logger.debug("history batch: %d events, %d new", len(events), inserted)
    return inserted


def _insert_statement(table: StreamTable, keep_rollups: bool) -> sql.Composed:
    insert = sql.SQL(
        "INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"
        " ON CONFLICT DO NOTHING RETURNING {columns}"
    ).format(
        table=sql.Identifier(table.name),
        columns=sql.SQL(", ").join(map(sql.Identifier, table.column_names)),
        arrays=sql.SQL(", ").join(
            sql.SQL("%s::{}[]").format(sql.SQL(column.pg_type))
            for column in table.columns
        ),
    )
    rollup = ROLLUP_UPSERTS.get(table.stream) if keep_rollups else None
    if rollup is None:
        return sql.SQL("WITH ins AS ({}) SELECT count(*) FROM ins").format(insert)
    return sql.SQL(
        "WITH ins AS ({}), rolled AS ({} RETURNING 1) SELECT count(*) FROM ins"
    ).format(insert, sql.SQL(rollup))  # type: ignore[arg-type]  # literal SQL


def _column_arrays(table: StreamTable, events: list[Event]) -> list[str]:
    """One array literal per column (see `streams.history.arrays`)."""
    return [
        array_literal([getattr(event, column.name) for event in events], column.pg_type)
        for column in table.columns
    ]
