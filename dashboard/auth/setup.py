"""Wire access control into the app: the middleware, sign-in and sign-out routes,
and the bootstrap admin (first start with no user)."""

from __future__ import annotations

import logging
import secrets
import sys

import dash
import psycopg
import redis

from dashboard.auth.audit import AuditEntry, AuditLog
from dashboard.auth.callbacks import CallbackIndex
from dashboard.auth.gate import Gate
from dashboard.auth.headers import HeaderPolicy
from dashboard.auth.kiosk import KioskScope
from dashboard.auth.login import add_login_routes
from dashboard.auth.logout import add_logout_routes
from dashboard.auth.middleware import AuthMiddleware
from dashboard.auth.sessions import SessionPolicy, SessionStore
from dashboard.auth.store import Lockout, UserStore
from streams.config.settings import Settings
from streams.config.site import Site
from streams.history.migrations import migrate

logger = logging.getLogger(__name__)
BOOTSTRAP_ADMIN = "admin"


def build_gate(
    settings: Settings, site: Site, app: dash.Dash, kiosk_scope: KioskScope
) -> Gate:
    client = redis.Redis.from_url(
        settings.url("redis") or "redis://127.0.0.1:1/0",
        socket_connect_timeout=1.0,
        socket_timeout=2.0,
    )
    policy = SessionPolicy(
        idle_s=settings.auth_session_idle_min * 60,
        max_s=settings.auth_session_max_h * 3600,
        login_per_min=settings.auth_login_per_min,
    )
    database = settings.url("database")
    return Gate(
        SessionStore(client, site.id, policy),
        UserStore(database),
        AuditLog(database),
        CallbackIndex(app),
        kiosk_scope,
    )


def protect(app: dash.Dash, settings: Settings, gate: Gate) -> None:
    """Login routes, then the middleware (outermost: it sees every request)."""
    headers = HeaderPolicy(app, settings.auth_cookie_secure, settings.auth_kiosk_days)
    lockout = Lockout(settings.auth_lockout_failures, settings.auth_lockout_min)
    add_login_routes(app.server, gate, headers, lockout)
    add_logout_routes(app.server, gate, headers)
    app.server.add_middleware(AuthMiddleware, gate=gate, headers=headers)


def ensure_schema_and_admin(settings: Settings) -> None:
    """Apply pending migrations; with no user at all, create ``admin`` with
    IOC_ADMIN_PASSWORD or a generated password printed once (never logged)."""
    with psycopg.connect(settings.url("database"), autocommit=True) as conn:
        migrate(conn)
    users, audit = (
        UserStore(settings.url("database")),
        AuditLog(settings.url("database")),
    )
    if users.count_users():
        return
    given = settings.admin_password.get_secret_value()
    password = given or secrets.token_urlsafe(12)
    try:
        users.create_user(BOOTSTRAP_ADMIN, "管理员", "admin", password)
    except psycopg.errors.UniqueViolation:
        return  # another process bootstrapped at the same moment
    audit.append(AuditEntry("system", "system", "user.bootstrap", target="admin"))
    if not given:
        print(
            f"bootstrap admin created: user 'admin', password {password}"
            " (shown once; change it on /admin)",
            file=sys.stderr,
            flush=True,
        )
    logger.info("bootstrap admin user created")
