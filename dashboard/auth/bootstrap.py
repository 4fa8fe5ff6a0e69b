"""Credentials made outside the web form: the launcher's first-run kiosk URL,
and sessions for tests and benchmarks (a real user and a real session, the same
path a login takes after the password check)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import psycopg
import redis

from dashboard.auth.audit import AuditEntry, AuditLog
from dashboard.auth.passwords import new_token
from dashboard.auth.principal import Role
from dashboard.auth.sessions import SessionPolicy, SessionStore
from dashboard.auth.store import UserStore

LAUNCHER_LABEL = "launcher"


@dataclass(frozen=True, slots=True)
class FirstRun:
    kiosk_path: str  # /wall/<screen>?kiosk=<token>


def issue_kiosk(
    database_url: str, screen: str, created_by: str, label: str = ""
) -> str:
    """A new kiosk token for one screen (audited); returns the token."""
    users = UserStore(database_url)
    token = new_token()
    token_id = users.issue_token("kiosk", screen, token, created_by, label)
    AuditLog(database_url).append(
        AuditEntry(
            created_by, "system", "kiosk.issue", target=screen, detail={"id": token_id}
        )
    )
    return token


def first_run(database_url: str, screen: str = "overview") -> FirstRun:
    """The launcher's wall URL: its previous launcher token is revoked and a new
    one issued, so only the URL printed last works."""
    users = UserStore(database_url)
    users.revoke_labelled("kiosk", screen, LAUNCHER_LABEL)
    token = issue_kiosk(database_url, screen, "launcher", LAUNCHER_LABEL)
    return FirstRun(f"/wall/{screen}?kiosk={token}")


def grant_session(
    database_url: str,
    redis_url: str,
    site_id: str,
    username: str = "tester",
    role: Role = "admin",
    display: str = "测试用户",
) -> str:
    """Create the user if missing (random password) and a session; returns the
    session id to put in the ``ioc_session`` cookie."""
    users = UserStore(database_url)
    try:
        users.create_user(username, display, role, new_token())
    except psycopg.errors.UniqueViolation:
        users.update_user(username, role=role)
    client = redis.Redis.from_url(redis_url)
    try:
        return SessionStore(client, site_id, SessionPolicy()).create(
            username, display, role
        )
    finally:
        client.close()


def main_json(database_url: str, screen: str) -> str:
    return json.dumps({"kiosk_path": first_run(database_url, screen).kiosk_path})
