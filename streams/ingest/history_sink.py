"""Server-side sinks the consumer writes through: PostgreSQL history with reconnects."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg

from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.wire.contracts import Event

logger = logging.getLogger(__name__)


class PostgresHistory:
    """Writes batches over one connection, reopening it after any failure.

    Migrations run on the first successful connection, so a consumer started before its
    database comes up waits (through the caller's retry) instead of crashing.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection | None = None
        self.timescale: bool | None = None

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed:
            conn = psycopg.connect(self._url, connect_timeout=5)
            self.timescale = migrate(conn)
            conn.commit()
            self._conn = conn
        return self._conn

    def write(self, events: Sequence[Event]) -> int:
        try:
            return write_batch(self._connection(), events)
        except psycopg.Error:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
