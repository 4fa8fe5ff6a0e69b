"""Server-side sinks the consumer writes through: PostgreSQL history with reconnects."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from streams.history.migrations import migrate
from streams.history.outcome import HistoryOutcome
from streams.history.writer import write_events
from streams.ingest.refusals import isolate
from streams.wire.contracts import Event

# SQLSTATE classes that refuse a statement for the values it carries: 22 data
# exception (bad encoding, out of range), 23 integrity constraint violation, 54
# program limit exceeded (e.g. an index row too large). Everything else (08
# connection, 53 resources, 57 shutdown, 40 rollback, 42 schema) is the server or the
# schema, not the rows: the batch is spooled and retried.
CONTENT_SQLSTATE_CLASSES = frozenset({"22", "23", "54"})


def content_refusal(error: Exception) -> str | None:
    """The reason when `error` refuses a statement's values, else None."""
    if isinstance(error, UnicodeError):  # the client could not encode a value
        return f"not encodable: {error}"
    if not isinstance(error, psycopg.Error):
        return None
    state = error.sqlstate
    if state is None:  # raised by psycopg before sending, e.g. NUL in text
        return str(error) if isinstance(error, psycopg.DataError) else None
    if state[:2] not in CONTENT_SQLSTATE_CLASSES:
        return None
    return f"{state}: {error.diag.message_primary or error}"


class PostgresHistory:
    """Writes batches over one connection, reopening it after any failure.

    Migrations run on the first successful connection, so a consumer started before its
    database comes up waits (through the caller's retry) instead of crashing. Rows the
    server refuses for their content are isolated (`streams.ingest.refusals.isolate`);
    only other errors reach the caller, which spools the batch.
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

    def _write_once(self, events: Sequence[Event]) -> HistoryOutcome:
        return write_events(self._connection(), events)

    def write(self, events: Sequence[Event]) -> HistoryOutcome:
        try:
            return isolate(events, self._write_once, content_refusal)
        except psycopg.Error:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
