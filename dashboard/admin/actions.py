"""What the admin page does, as plain functions of an `AdminContext` (tests call
them directly). Every input comes from the browser: validated here. Every change
is written to the audit log with its outcome."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import redis

from dashboard.auth.audit import AuditEntry, AuditLog
from dashboard.auth.bootstrap import issue_kiosk
from dashboard.auth.passwords import new_token, password_problem
from dashboard.auth.principal import USER_ROLES, Principal
from dashboard.auth.sessions import SessionStore
from dashboard.auth.store import UserStore
from dashboard.wall.registry import ScreenRegistry, load_wall_site
from layouts.i18n import Lang, t
from streams.config.site import SiteFileError
from streams.live.keys import Keys

USERNAME = re.compile(r"^[a-z0-9_.-]{2,32}$")
CLIENT = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")
CREDENTIAL = re.compile(r"^[\w·.\-]{1,64}$")


@dataclass(frozen=True, slots=True)
class AdminContext:
    users: UserStore
    audit: AuditLog
    sessions: SessionStore
    redis: redis.Redis
    keys: Keys
    registry: ScreenRegistry
    site_file: Path | None
    database_url: str
    forget_tokens: Callable[[], None]


class Refused(Exception):
    """An admin action refused: an i18n key and its values."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


def _record(ctx: AdminContext, who: Principal, action: str, target: str,
            outcome: str = "ok", **detail: Any) -> None:  # fmt: skip
    ctx.audit.append(
        AuditEntry.by(who, action, outcome=outcome, target=target, detail=detail)
    )


def run(
    ctx: AdminContext, who: Principal, action: str, target: str,
    fn: Callable[[], str], lang: Lang, key: str = "admin_done",
) -> str:  # fmt: skip
    """Run one admin action, audited as ok / refused / failed; its message is
    `key` with the action's result (no key: the result itself)."""
    try:
        result = fn()
    except Refused as exc:
        _record(ctx, who, action, target, "refused", why=exc.key)
        return t("admin_failed", lang, why=t(exc.key, lang, **exc.values))
    except (psycopg.Error, redis.RedisError) as exc:
        _record(ctx, who, action, target, "failed", why=type(exc).__name__)
        return t("admin_failed", lang, why=t("admin_unavailable", lang))
    _record(ctx, who, action, target)
    return t(key, lang, what=result) if key else result


def create_user(
    ctx: AdminContext, name: object, display: object, role: object, password: object
) -> str:
    username = str(name or "").strip().lower()
    if not USERNAME.match(username) or role not in USER_ROLES:
        raise Refused("admin_bad_input")
    shown = str(display or "").strip()[:64] or username
    problem = password_problem(str(password or ""))
    if problem:
        raise Refused(problem)
    try:
        ctx.users.create_user(username, shown, role, str(password))
    except psycopg.errors.UniqueViolation as exc:
        raise Refused("admin_exists") from exc
    return username


def change_user(
    ctx: AdminContext, who: Principal, name: object, role: object,
    disabled: bool, password: object,
) -> str:  # fmt: skip
    username = str(name or "").strip().lower()
    if not USERNAME.match(username) or role not in USER_ROLES:
        raise Refused("admin_bad_input")
    if username == who.name and (disabled or role != "admin"):
        raise Refused("admin_self")
    new_password = str(password) if password else None
    if new_password is not None and (problem := password_problem(new_password)):
        raise Refused(problem)
    changed = ctx.users.update_user(
        username,
        role=role,
        disabled=disabled,
        password=new_password,
    )
    if not changed:
        raise Refused("admin_no_user")
    ctx.sessions.end_all(username)  # the new role applies at the next sign-in
    return username


def blacklist(ctx: AdminContext, value: object, add: bool) -> str:
    credential = str(value or "").strip()
    if not CREDENTIAL.match(credential):
        raise Refused("admin_bad_input")
    key = ctx.keys.blacklist
    if add:
        ctx.redis.sadd(key, credential)
    else:
        ctx.redis.srem(key, credential)
    return credential


def blacklist_members(ctx: AdminContext) -> list[str]:
    members = ctx.redis.smembers(ctx.keys.blacklist)
    return sorted(m.decode() for m in members)  # type: ignore[union-attr]  # a bytes client


def issue(ctx: AdminContext, who: Principal, kind: object, scope: object) -> str:
    """A new kiosk URL path or API token, shown once."""
    name = str(scope or "").strip()
    if kind == "kiosk":
        if ctx.registry.resolve(name) is None:
            raise Refused("admin_bad_input")
        token = issue_kiosk(ctx.database_url, name, who.name)
        return f"/wall/{name}?kiosk={token}"
    if kind == "api" and CLIENT.match(name):
        token = new_token()
        ctx.users.issue_token("api", name, token, who.name)
        return token
    raise Refused("admin_bad_input")


def revoke(ctx: AdminContext, kind: object, token_id: object) -> str:
    if kind not in ("kiosk", "api") or not isinstance(token_id, int | float):
        raise Refused("admin_bad_input")
    if not ctx.users.revoke_token(int(token_id), kind):
        raise Refused("admin_bad_input")
    ctx.forget_tokens()  # this worker at once; others within the cache time
    return str(int(token_id))


def reload_site(ctx: AdminContext, lang: Lang) -> str:
    """Validate the site file now; when valid, touch it so every dashboard
    worker's screen registry re-reads it at its next check (`ScreenRegistry`
    follows the file's mtime). An invalid file is refused and left alone."""
    if ctx.site_file is None:
        raise Refused("admin_bad_input")
    try:
        site = load_wall_site(ctx.site_file)
    except SiteFileError as exc:
        raise Refused("admin_invalid", reason=str(exc)[:300]) from exc
    with contextlib.suppress(OSError):  # a read-only mount: edits still apply
        os.utime(ctx.site_file)
    ctx.registry.screens()
    return t("admin_reloaded", lang, n=len(site.screens))
