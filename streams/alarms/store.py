"""PostgreSQL storage of alarms (the truth; Redis only mirrors it). All SQL of the
alarm engine lives here. Callers hold the transaction; `lock` serializes engine
work across processes (consumer and dashboard) with a transaction-level advisory
lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from streams.alarms.codec import ALARM_COLUMNS, alarm_from_mapping
from streams.alarms.model import Alarm, JournalEntry

# pg_advisory_xact_lock key for "jiguan-ioc alarm engine".
ALARM_LOCK_KEY = 0x10C_A1A2_0002
ACTIVATIONS = ("raise", "reactivate")
_COLUMNS = ", ".join(ALARM_COLUMNS)
_UPSERT = (
    f"INSERT INTO alarms ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(ALARM_COLUMNS))})"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in ALARM_COLUMNS if c != "id")
)
_JOURNAL_INSERT = (
    "INSERT INTO alarm_journal (at, alarm_id, action, operator, role, from_state,"
    " to_state, comment, data) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)


def lock(conn: psycopg.Connection) -> None:
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (ALARM_LOCK_KEY,))


def _row_values(alarm: Alarm) -> list[Any]:
    values: list[Any] = []
    for name in ALARM_COLUMNS:
        value = getattr(alarm, name)
        values.append(Jsonb(dict(value)) if name in ("details", "evidence") else value)
    return values


def save_alarms(conn: psycopg.Connection, alarms: Iterable[Alarm]) -> None:
    for alarm in alarms:
        conn.execute(_UPSERT, _row_values(alarm))


def append_journal(conn: psycopg.Connection, entries: Sequence[JournalEntry]) -> None:
    for e in entries:
        conn.execute(
            _JOURNAL_INSERT,
            [
                *(e.at, e.alarm_id, e.action, e.operator, e.role, e.from_state),
                *(e.to_state, e.comment, Jsonb(dict(e.data))),
            ],
        )


def _alarms(conn: psycopg.Connection, where: str, params: Sequence[Any]) -> list[Alarm]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT {_COLUMNS} FROM alarms WHERE {where}", params)
        return [alarm_from_mapping(row) for row in cur.fetchall()]


def open_alarms(conn: psycopg.Connection) -> list[Alarm]:
    return _alarms(conn, "closed_at IS NULL ORDER BY raised_at", ())


def get_alarm(conn: psycopg.Connection, alarm_id: str) -> Alarm | None:
    found = _alarms(conn, "id = %s", (alarm_id,))
    return found[0] if found else None


def summary_members(conn: psycopg.Connection, summary_id: str) -> list[Alarm]:
    return _alarms(conn, "summary_id = %s AND closed_at IS NULL", (summary_id,))


def count_activations(
    conn: psycopg.Connection, console: str, since: datetime, until: datetime
) -> int:
    """Presented activations (not suppressed, not flood summaries) of a console."""
    row = conn.execute(
        "SELECT count(*) FROM alarm_journal WHERE action = ANY(%s)"
        " AND at > %s AND at <= %s AND data->>'console' = %s"
        " AND to_state <> 'suppressed' AND NOT (data ? 'summary')",
        (list(ACTIVATIONS), since, until, console),
    ).fetchone()
    return int(row[0]) if row else 0


def open_flood(conn: psycopg.Connection, console: str) -> datetime | None:
    row = conn.execute(
        "SELECT started_at FROM alarm_floods WHERE console = %s AND ended_at IS NULL",
        (console,),
    ).fetchone()
    return None if row is None else row[0]


def start_flood(conn: psycopg.Connection, console: str, at: datetime, n: int) -> None:
    conn.execute(
        "INSERT INTO alarm_floods (console, started_at, peak) VALUES (%s, %s, %s)",
        (console, at, n),
    )


def note_flood_peak(conn: psycopg.Connection, console: str, n: int) -> None:
    conn.execute(
        "UPDATE alarm_floods SET peak = greatest(peak, %s)"
        " WHERE console = %s AND ended_at IS NULL",
        (n, console),
    )


def end_flood(conn: psycopg.Connection, console: str, at: datetime) -> None:
    conn.execute(
        "UPDATE alarm_floods SET ended_at = %s WHERE console = %s AND ended_at IS NULL",
        (at, console),
    )


def floods(
    conn: psycopg.Connection, start: datetime, end: datetime
) -> list[tuple[str, datetime, datetime | None]]:
    rows = conn.execute(
        "SELECT console, started_at, ended_at FROM alarm_floods"
        " WHERE started_at < %s AND (ended_at IS NULL OR ended_at > %s)"
        " ORDER BY started_at",
        (end, start),
    ).fetchall()
    return [(str(r[0]), r[1], r[2]) for r in rows]


def journal(
    conn: psycopg.Connection, alarm_id: str | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """Journal rows, oldest first (one alarm's, or the latest `limit` of all)."""
    where, params = ("WHERE alarm_id = %s", [alarm_id]) if alarm_id else ("", [])
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT * FROM (SELECT seq, at, alarm_id::text AS alarm_id, action,"
            " operator, role, from_state, to_state, comment, data FROM alarm_journal"
            f" {where} ORDER BY seq DESC LIMIT %s) j ORDER BY seq",
            [*params, limit],
        )
        return list(cur.fetchall())


def journal_between(
    conn: psycopg.Connection, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Every journal row in [start, end), oldest first (for metrics)."""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            "SELECT at, alarm_id::text AS alarm_id, action, to_state, data"
            " FROM alarm_journal WHERE at >= %s AND at < %s ORDER BY seq",
            (start, end),
        )
        return list(cur.fetchall())


def add_handover(
    conn: psycopg.Connection,
    at: datetime,
    operator: str,
    role: str,
    note: str,
    open_alarms: list[dict[str, Any]],
) -> int:
    row = conn.execute(
        "INSERT INTO shift_handovers (created_at, outgoing, outgoing_role, note,"
        " open_alarms) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (at, operator, role, note, Jsonb(open_alarms)),
    ).fetchone()
    assert row is not None
    return int(row[0])


def accept_handover(
    conn: psycopg.Connection,
    handover_id: int,
    at: datetime,
    operator: str,
    role: str,
    note: str,
) -> bool:
    row = conn.execute(
        "UPDATE shift_handovers SET accepted_at = %s, incoming = %s,"
        " incoming_role = %s, incoming_note = %s"
        " WHERE id = %s AND accepted_at IS NULL RETURNING id",
        (at, operator, role, note, handover_id),
    ).fetchone()
    return row is not None


def handovers(conn: psycopg.Connection, limit: int = 10) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute("SELECT * FROM shift_handovers ORDER BY id DESC LIMIT %s", (limit,))
        return list(cur.fetchall())
