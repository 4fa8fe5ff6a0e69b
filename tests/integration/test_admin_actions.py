"""The admin page's actions on real PostgreSQL and Redis: browser input validated on
the server, every change (and every refusal) in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from dashboard.admin import actions
from dashboard.admin.actions import AdminContext
from dashboard.auth.audit import AuditLog, AuditQuery
from dashboard.auth.gate import TokenCache
from dashboard.auth.principal import Principal
from dashboard.auth.sessions import SessionPolicy, SessionStore
from dashboard.auth.store import UserStore
from dashboard.wall.registry import ScreenRegistry
from streams.config.site import Site
from streams.history.migrations import migrate
from streams.live.keys import Keys

pytestmark = pytest.mark.integration
ADMIN = Principal("root", "管理员", "admin")


@pytest.fixture
def admin(
    site: Site, site_file: Path, pg_url: str, redis_url: str
) -> Iterator[AdminContext]:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
    client = redis.Redis.from_url(redis_url)
    users = UserStore(pg_url)
    yield AdminContext(
        users=users,
        audit=AuditLog(pg_url),
        sessions=SessionStore(client, site.id, SessionPolicy()),
        redis=client,
        keys=Keys(site.id),
        registry=ScreenRegistry(site, site_file),
        site_file=site_file,
        database_url=pg_url,
        forget_tokens=TokenCache(users).forget,
    )
    client.close()


def run(admin: AdminContext, action: str, fn: object) -> str:
    return actions.run(admin, ADMIN, action, "t", fn, "en")  # type: ignore[arg-type]


def test_users_validated_and_audited(admin: AdminContext) -> None:
    def create(name: object, role: object, password: object) -> str:
        return run(
            admin, "user.create",
            lambda: actions.create_user(admin, name, "张三", role, password),
        )  # fmt: skip

    assert create("zhang", "duty", "Good-pass-123") == "Done: zhang"
    assert "taken" in create("zhang", "duty", "Good-pass-123")
    assert "Invalid" in create("Bad Name!", "duty", "Good-pass-123")
    assert "Invalid" in create("li", "root", "Good-pass-123")
    assert "10 to 128" in create("li", "duty", "short")
    session = admin.sessions.create("zhang", "张三", "duty")
    changed = run(
        admin, "user.change",
        lambda: actions.change_user(admin, ADMIN, "zhang", "leader", False, None),
    )  # fmt: skip
    assert changed == "Done: zhang"
    assert admin.sessions.principal(session) is None  # role change ends sessions
    assert "yourself" in run(
        admin, "user.change",
        lambda: actions.change_user(admin, ADMIN, "root", "duty", False, None),
    )  # fmt: skip
    log = admin.audit.search(AuditQuery(text="user."))
    assert [r["outcome"] for r in reversed(log)] == [
        "ok", "refused", "refused", "refused", "refused", "ok", "refused",
    ]  # fmt: skip


def test_blacklist_tokens_and_site_reload(admin: AdminContext, site_file: Path) -> None:
    add = run(
        admin, "blacklist.add", lambda: actions.blacklist(admin, "浙C12312", True)
    )
    assert add == "Done: 浙C12312"
    assert actions.blacklist_members(admin) == ["浙C12312"]
    assert "Invalid" in run(
        admin, "blacklist.add", lambda: actions.blacklist(admin, "a b;--", True)
    )
    path = actions.issue(admin, ADMIN, "kiosk", "overview")
    token = path.split("kiosk=")[1]
    assert path.startswith("/wall/overview?kiosk=")
    assert admin.users.token_scope("kiosk", token) == "overview"
    with pytest.raises(actions.Refused):
        actions.issue(admin, ADMIN, "kiosk", "no-such-screen")
    token_id = admin.users.tokens("kiosk")[0]["id"]
    assert actions.revoke(admin, "kiosk", token_id) == str(token_id)
    assert admin.users.token_scope("kiosk", token) is None
    assert "reloaded" in run(
        admin, "site.reload", lambda: actions.reload_site(admin, "en")
    )
    site_file.write_text("id: broken\n", encoding="utf-8")
    refused = run(admin, "site.reload", lambda: actions.reload_site(admin, "en"))
    assert refused.startswith("Not done: Invalid:")
