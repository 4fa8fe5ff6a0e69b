"""Users, kiosk and API tokens in PostgreSQL (migration 5, `streams.history`).

One short connection per operation: logins and admin changes are rare, and token
checks are cached by the caller (`dashboard.auth.gate`). Lockout is kept in the
row, so it holds across restarts and every dashboard worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import psycopg
from psycopg.rows import dict_row

from dashboard.auth.passwords import hash_password, token_digest, verify_password
from dashboard.auth.principal import Role

TokenKind = Literal["kiosk", "api"]
LoginResult = Literal["ok", "bad", "locked", "disabled"]


@dataclass(frozen=True, slots=True)
class User:
    username: str
    display_name: str
    role: Role
    disabled: bool
    locked_until: datetime | None


@dataclass(frozen=True, slots=True)
class Lockout:
    failures: int  # failed logins in a row that lock a user
    minutes: int


class UserStore:
    def __init__(self, database_url: str) -> None:
        self._url = database_url

    def _connect(self) -> psycopg.Connection[dict[str, Any]]:
        return psycopg.connect(
            self._url, autocommit=True, row_factory=dict_row, connect_timeout=3
        )

    def ping(self) -> bool:
        try:
            with self._connect() as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False

    def count_users(self) -> int:
        with self._connect() as conn:
            row = conn.execute("SELECT count(*) AS n FROM users").fetchone()
        return int(row["n"]) if row else 0

    def users(self) -> list[User]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT username, display_name, role, disabled, locked_until"
                " FROM users ORDER BY username"
            ).fetchall()
        return [User(**row) for row in rows]

    def create_user(
        self, username: str, display: str, role: Role, password: str, **kw: Any
    ) -> None:
        """Raises psycopg.errors.UniqueViolation when the name is taken."""
        digest = hash_password(password, **kw)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO users (username, display_name, role, password_hash)"
                " VALUES (%s, %s, %s, %s)",
                (username, display, role, digest),
            )

    def update_user(
        self,
        username: str,
        *,
        role: Role | None = None,
        disabled: bool | None = None,
        password: str | None = None,
    ) -> bool:
        """Change a user; unlocks it too. False: no such user."""
        digest = None if password is None else hash_password(password)
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE users SET role = coalesce(%s, role),"
                " disabled = coalesce(%s, disabled),"
                " password_hash = coalesce(%s, password_hash),"
                " password_changed_at = CASE WHEN %s::text IS NULL"
                "   THEN password_changed_at ELSE now() END,"
                " failed_logins = 0, locked_until = NULL WHERE username = %s",
                (role, disabled, digest, digest, username),
            )
            return cursor.rowcount == 1

    def check_login(
        self, username: str, password: str, now: datetime, lockout: Lockout
    ) -> tuple[LoginResult, User | None]:
        """Verify a password and keep the failure count; a locked user is refused
        before the password is checked (and the lock is not extended by it)."""
        with self._connect() as conn, conn.transaction():
            row = conn.execute(
                "SELECT username, display_name, role, disabled, locked_until,"
                " password_hash, failed_logins FROM users WHERE username = %s"
                " FOR UPDATE",
                (username,),
            ).fetchone()
            if row is None:
                verify_password(password, None)  # same work as a known user
                return "bad", None
            user = User(**{k: row[k] for k in User.__slots__})
            if row["locked_until"] is not None and row["locked_until"] > now:
                return "locked", user
            if not verify_password(password, row["password_hash"]):
                return self._failed(conn, row, now, lockout), user
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL"
                " WHERE username = %s",
                (username,),
            )
            return ("disabled" if row["disabled"] else "ok"), user

    @staticmethod
    def _failed(
        conn: psycopg.Connection[dict[str, Any]],
        row: dict[str, Any],
        now: datetime,
        lockout: Lockout,
    ) -> LoginResult:
        failures = int(row["failed_logins"]) + 1
        locks = failures >= lockout.failures
        conn.execute(
            "UPDATE users SET failed_logins = %s, locked_until = %s"
            " WHERE username = %s",
            (
                0 if locks else failures,
                now + timedelta(minutes=lockout.minutes) if locks else None,
                row["username"],
            ),
        )
        return "locked" if locks else "bad"

    # Tokens: kiosk (one wall screen) and API (third-party read API).
    def issue_token(
        self, kind: TokenKind, scope: str, token: str, created_by: str, label: str = ""
    ) -> int:
        with self._connect() as conn:
            row = conn.execute(
                "INSERT INTO access_tokens (token_hash, kind, scope, label, created_by)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (token_digest(token), kind, scope, label, created_by),
            ).fetchone()
        assert row is not None
        return int(row["id"])

    def token_scope(self, kind: TokenKind, token: str) -> str | None:
        """The scope of a valid (not revoked) token, else None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT scope FROM access_tokens WHERE token_hash = %s AND kind = %s"
                " AND revoked_at IS NULL",
                (token_digest(token), kind),
            ).fetchone()
        return None if row is None else str(row["scope"])

    def tokens(self, kind: TokenKind) -> list[dict[str, Any]]:
        with self._connect() as conn:
            return conn.execute(
                "SELECT id, scope, label, created_by, created_at, revoked_at"
                " FROM access_tokens WHERE kind = %s ORDER BY id DESC LIMIT 200",
                (kind,),
            ).fetchall()

    def revoke_token(self, token_id: int, kind: TokenKind) -> bool:
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE access_tokens SET revoked_at = now() WHERE id = %s"
                " AND kind = %s AND revoked_at IS NULL",
                (token_id, kind),
            )
            return cursor.rowcount == 1

    def revoke_labelled(self, kind: TokenKind, scope: str, label: str) -> int:
        with self._connect() as conn:
            cursor = conn.execute(
                "UPDATE access_tokens SET revoked_at = now() WHERE kind = %s"
                " AND scope = %s AND label = %s AND revoked_at IS NULL",
                (kind, scope, label),
            )
            return cursor.rowcount
