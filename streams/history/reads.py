"""What screens and detectors read from history (DESIGN.md §4).

Series functions re-bucket the 1-minute rollups into ``bucket``-wide buckets aligned
in the site's local time (a 1-day bucket starts at local midnight): ``time_bucket``
on TimescaleDB, ``date_bin`` on plain PostgreSQL, with the same results. ``start``
and ``end`` select 1-minute buckets (``start <= minute < end``); pass minute-aligned
bounds. Every frame's ``bucket`` column is timezone-aware in ``tz``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import psycopg
from psycopg import sql

from streams.history.migrations import SchemaPath, history_path
from streams.history.tables import TABLES
from streams.wire.contracts import STREAMS

_BUCKET_SQL: dict[SchemaPath, str] = {
    "timescale": "time_bucket(%(width)s::interval, bucket, %(tz)s::text)",
    # Bin the local wall-clock time, then back to an instant, as time_bucket does
    # with a timezone (origin 2000-01-03 00:00 local, a Monday, in both).
    "plain": "date_bin(%(width)s::interval, bucket AT TIME ZONE %(tz)s::text,"
    " TIMESTAMP '2000-01-03 00:00') AT TIME ZONE %(tz)s::text",
}


@dataclass(frozen=True, slots=True)
class _Series:
    rollup: str
    keys: tuple[str, ...]  # SELECT expressions, each "<expr> AS <name>" or a column
    measures: tuple[str, ...]
    dtypes: dict[str, str]  # output column -> pandas dtype (bucket excluded)


_GATE = _Series(
    "gate_1m",
    ("subject", "direction", "result"),
    ("sum(n)::bigint AS n",),
    {"subject": "str", "direction": "str", "result": "str", "n": "int64"},
)
_MEALS = _Series(
    "canteen_1m",
    ("device",),
    (
        "sum(meals)::bigint AS meals",
        "round(sum(amount_yuan)::numeric, 2)::float8 AS amount_yuan",
    ),
    {"device": "str", "meals": "int64", "amount_yuan": "float64"},
)
_ENERGY = _Series(
    "energy_1m",
    ("device", "quantity"),
    (
        "sum(sum_value) / sum(n)::float8 AS avg_value",
        "sum(sum_value) AS sum_value",
        "max(max_value) AS max_value",
        "sum(n)::bigint AS n",
    ),
    {
        "device": "str",
        "quantity": "str",
        "avg_value": "float64",
        "sum_value": "float64",
        "max_value": "float64",
        "n": "int64",
    },
)
_CAMERA = _Series(
    "camera_1m",
    ("device", "kind", "NULLIF(zone, '') AS zone"),
    ("max(max_count)::bigint AS max_count", "sum(n)::bigint AS n"),
    {
        "device": "str",
        "kind": "str",
        "zone": "object",
        "max_count": "int64",
        "n": "int64",
    },
)


def gate_series(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    tz: str,
    devices: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Gate passes per bucket: bucket, subject, direction, result, n (all gates, or
    only `devices`)."""
    return _read_series(conn, _GATE, start, end, bucket, tz, devices)


def meals_series(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    tz: str,
    devices: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Meals served per serving window: bucket, device, meals, amount_yuan (settlements
    only; amounts rounded to the fen)."""
    return _read_series(conn, _MEALS, start, end, bucket, tz, devices)


def energy_series(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    tz: str,
    devices: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Meter readings per bucket: bucket, device, quantity, avg_value, sum_value,
    max_value, n."""
    return _read_series(conn, _ENERGY, start, end, bucket, tz, devices)


def camera_series(
    conn: psycopg.Connection,
    *,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    tz: str,
    devices: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Camera analytics per bucket: bucket, device, kind, zone (None when the event had
    none), max_count, n."""
    return _read_series(conn, _CAMERA, start, end, bucket, tz, devices)


def latest_event_time(conn: psycopg.Connection) -> dict[str, datetime | None]:
    """The newest event timestamp per stream (None for an empty stream)."""
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {stream}, max(ts) FROM {table}").format(
            stream=sql.Literal(stream), table=sql.Identifier(TABLES[stream].name)
        )
        for stream in STREAMS
    )
    return dict(conn.execute(query).fetchall())


def _read_series(
    conn: psycopg.Connection,
    series: _Series,
    start: datetime,
    end: datetime,
    bucket: timedelta,
    tz: str,
    devices: Sequence[str] | None,
) -> pd.DataFrame:
    _check_window(start, end, bucket)
    group_by = ", ".join(str(i) for i in range(1, len(series.keys) + 2))
    query = (
        f"SELECT {_BUCKET_SQL[history_path(conn)]} AS bucket,"
        f" {', '.join((*series.keys, *series.measures))}"
        f" FROM {series.rollup}"
        " WHERE bucket >= %(start)s AND bucket < %(end)s"
        " AND (%(devices)s::text[] IS NULL OR device = ANY(%(devices)s::text[]))"
        f" GROUP BY {group_by} ORDER BY {group_by}"
    )
    params = {
        "width": bucket,
        "tz": tz,
        "start": start,
        "end": end,
        "devices": None if devices is None else list(devices),
    }
    rows = conn.execute(query, params).fetchall()
    # dtype=object first, so a missing zone stays None instead of becoming NaN
    frame = pd.DataFrame(rows, columns=["bucket", *series.dtypes], dtype=object)
    frame["bucket"] = pd.to_datetime(frame["bucket"], utc=True).dt.tz_convert(tz)
    return frame.astype(series.dtypes)


def _check_window(start: datetime, end: datetime, bucket: timedelta) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if bucket <= timedelta(0) or bucket % timedelta(minutes=1):
        raise ValueError(f"bucket must be a whole number of minutes, not {bucket}")
