"""Versioned schema migrations, applied at start by `migrate` (DESIGN.md §4).

Each migration has statements common to both paths plus statements for the
TimescaleDB path or the plain PostgreSQL path. The path is chosen once, when the
first migration is applied, and recorded in ``schema_migrations``; later runs follow
the recorded path. `migrate` holds a transaction-level advisory lock, so two
processes starting at once apply each migration exactly once.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Literal

import psycopg

from streams.history import ddl_auth, ddl_v1, ddl_v2, ddl_v3, ddl_v4, ddl_v6, ddl_v7

logger = logging.getLogger(__name__)

SchemaPath = Literal["timescale", "plain"]
# pg_advisory_xact_lock key for "jiguan-ioc history migrations" (any fixed bigint).
MIGRATION_LOCK_KEY = 0x10C_4157_0001


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    common: tuple[str, ...]
    timescale: tuple[str, ...] = ()
    plain: tuple[str, ...] = ()

    def statements(self, path: SchemaPath) -> tuple[str, ...]:
        return (*self.common, *(self.timescale if path == "timescale" else self.plain))


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "raw tables and 1-minute rollups",
        ddl_v1.COMMON,
        timescale=ddl_v1.TIMESCALE,
        plain=ddl_v1.PLAIN,
    ),
    Migration(2, "alarms, append-only alarm journal, floods, handovers", ddl_v2.COMMON),
    Migration(3, "briefing archive", ddl_v3.COMMON),
    Migration(4, "annotated camera snapshots", ddl_v4.COMMON),
    Migration(5, "users, access tokens, append-only audit log", ddl_auth.COMMON),
    Migration(6, "device status: last-will flag", ddl_v6.COMMON),
    Migration(7, "one row per event_id: event_ids", ddl_v7.COMMON),
)

_CREATE_MIGRATIONS_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    path text NOT NULL CHECK (path IN ('timescale', 'plain')),
    applied_at timestamptz NOT NULL DEFAULT now())"""

_path_by_connection: weakref.WeakKeyDictionary[psycopg.Connection, SchemaPath] = (
    weakref.WeakKeyDictionary()
)


def migrate(conn: psycopg.Connection) -> bool:
    """Apply every pending migration; True when the TimescaleDB path is active.

    Runs in one transaction (a savepoint inside a caller's transaction) and commits
    on success unless the caller holds an outer transaction. Safe to re-run.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK_KEY,))
        conn.execute(_CREATE_MIGRATIONS_TABLE)
        applied = {
            version
            for (version,) in conn.execute("SELECT version FROM schema_migrations")
        }
        path = _recorded_path(conn) or _choose_path(conn)
        for migration in MIGRATIONS:
            if migration.version not in applied:
                _apply(conn, migration, path)
    _path_by_connection[conn] = path
    return path == "timescale"


def history_path(conn: psycopg.Connection) -> SchemaPath:
    """The path the schema was built on (remembered per connection)."""
    path = _path_by_connection.get(conn)
    if path is None:
        path = _recorded_path(conn)
        if path is None:
            raise RuntimeError("history schema missing: run migrate() first")
        _path_by_connection[conn] = path
    return path


def _recorded_path(conn: psycopg.Connection) -> SchemaPath | None:
    row = conn.execute(
        "SELECT path FROM schema_migrations ORDER BY version LIMIT 1"
    ).fetchone()
    return None if row is None else row[0]


def _choose_path(conn: psycopg.Connection) -> SchemaPath:
    """Timescale when the extension is available and can be created, else plain."""
    available = conn.execute(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'"
    ).fetchone()
    if available is None:
        logger.info("timescaledb not available: plain PostgreSQL history")
        return "plain"
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS timescaledb")
    except psycopg.Error as exc:
        # e.g. available but not in shared_preload_libraries
        logger.warning("timescaledb available but not usable (%s): plain path", exc)
        return "plain"
    logger.info("timescaledb extension active: hypertables and continuous aggregates")
    return "timescale"


def _apply(conn: psycopg.Connection, migration: Migration, path: SchemaPath) -> None:
    logger.info(
        "applying history migration %d (%s) on the %s path",
        migration.version,
        migration.name,
        path,
    )
    for statement in migration.statements(path):
        conn.execute(statement)
    conn.execute(
        "INSERT INTO schema_migrations (version, name, path) VALUES (%s, %s, %s)",
        (migration.version, migration.name, path),
    )
