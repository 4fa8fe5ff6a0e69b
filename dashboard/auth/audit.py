"""The audit log (GB/T 22239 安全审计): every login, operator action and
configuration change, appended to PostgreSQL ``audit_log`` (a trigger refuses
UPDATE, DELETE and TRUNCATE) and searchable by admins.

Writing never breaks the request it records: a failed write is logged (without
the detail) and counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

from dashboard.auth.principal import Principal

logger = logging.getLogger(__name__)

Outcome = Literal["ok", "refused", "failed"]
MAX_TEXT = 200
MAX_ROWS = 500


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor: str
    role: str
    action: str  # e.g. login, alarm.acknowledge, user.create, ui.click
    outcome: Outcome = "ok"
    target: str = ""
    client: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def by(cls, who: Principal | None, action: str, **kw: Any) -> AuditEntry:
        if who is None:
            return cls("-", "-", action, **kw)
        return cls(who.name, who.role, action, **kw)


@dataclass(frozen=True, slots=True)
class AuditQuery:
    text: str = ""  # matches actor, action or target (substring)
    since: datetime | None = None
    until: datetime | None = None
    outcome: str = ""
    limit: int = 100


class AuditLog:
    def __init__(self, database_url: str) -> None:
        self._url = database_url
        self.failed_writes = 0

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        return psycopg.connect(
            self._url, autocommit=True, row_factory=dict_row, connect_timeout=3
        )

    def append(self, entry: AuditEntry) -> bool:
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT INTO audit_log (actor, role, action, target, outcome,"
                    " client, detail) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (
                        entry.actor[:MAX_TEXT],
                        entry.role[:MAX_TEXT],
                        entry.action[:MAX_TEXT],
                        entry.target[:MAX_TEXT],
                        entry.outcome,
                        entry.client[:MAX_TEXT],
                        Jsonb(entry.detail),
                    ),
                )
            return True
        except psycopg.Error as exc:
            self.failed_writes += 1
            logger.error(
                "audit write failed (%s) for %s", type(exc).__name__, entry.action
            )
            return False

    def search(self, query: AuditQuery) -> list[dict[str, Any]]:
        """Newest first; the text is matched as a literal substring."""
        clauses: list[str] = ["true"]
        params: list[object] = []
        if query.text:
            pattern = "%" + _escape_like(query.text[:MAX_TEXT]) + "%"
            clauses.append("(actor ILIKE %s OR action ILIKE %s OR target ILIKE %s)")
            params += [pattern, pattern, pattern]
        if query.since is not None:
            clauses.append("at >= %s")
            params.append(query.since)
        if query.until is not None:
            clauses.append("at < %s")
            params.append(query.until)
        if query.outcome in ("ok", "refused", "failed"):
            clauses.append("outcome = %s")
            params.append(query.outcome)
        params.append(max(1, min(query.limit, MAX_ROWS)))
        sql = (
            "SELECT seq, at, actor, role, action, target, outcome, client, detail"
            f" FROM audit_log WHERE {' AND '.join(clauses)}"
            " ORDER BY seq DESC LIMIT %s"
        )
        with self._connect() as conn:
            return conn.execute(sql, params).fetchall()


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
