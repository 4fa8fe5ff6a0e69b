"""Signing out over real HTTP against `python -m dashboard` (PostgreSQL, Redis): a
GET of /logout signs nobody out (an `<img src="/logout">` in a page signed out every
role that viewed it); a POST signs out only with the session's own CSRF token, and
every attempt is audited."""

from __future__ import annotations

import psycopg
import pytest
import requests

from dashboard.auth.bootstrap import grant_session
from dashboard.auth.gate import SESSION_COOKIE
from dashboard.auth.passwords import csrf_for
from dashboard.auth.principal import Role
from streams.config.site import Site

pytestmark = pytest.mark.integration
ROLES: tuple[Role, ...] = ("duty", "security", "leader", "admin")


def signed_in(url: str, session_id: str) -> bool:
    page = requests.get(
        f"{url}/duty", cookies={SESSION_COOKIE: session_id},
        headers={"Accept": "text/html"}, allow_redirects=False, timeout=30,
    )  # fmt: skip
    return page.status_code == 200


def logout(url: str, session_id: str, **kw: object) -> requests.Response:
    return requests.post(
        f"{url}/logout", cookies={SESSION_COOKIE: session_id},
        allow_redirects=False, timeout=30, **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_get_signs_no_role_out(
    app_url: str, pg_url: str, redis_url: str, site: Site
) -> None:
    for role in ROLES:
        session_id = grant_session(pg_url, redis_url, site.id, f"u-{role}", role)
        for _ in range(2):  # as an <img> would, reloaded
            page = requests.get(
                f"{app_url}/logout", cookies={SESSION_COOKIE: session_id},
                allow_redirects=False, timeout=30,
            )  # fmt: skip
            assert page.status_code == 200, role
            assert 'method="post" action="/logout"' in page.text
            assert csrf_for(session_id) in page.text  # the form to sign out with
        assert signed_in(app_url, session_id), role
    stranger = requests.get(f"{app_url}/logout", allow_redirects=False, timeout=30)
    assert stranger.status_code == 303 and stranger.headers["location"] == "/login"


def test_a_post_signs_out_only_with_the_sessions_csrf_token(
    app_url: str, pg_url: str, redis_url: str, site: Site
) -> None:
    session_id = grant_session(pg_url, redis_url, site.id, "wang", "duty")
    other = grant_session(pg_url, redis_url, site.id, "li", "duty")
    refused = [
        {},
        {"data": {"csrf": "forged"}},
        {"data": {"csrf": csrf_for(other)}},  # another session's token
        {"headers": {"X-CSRFToken": "forged"}},
    ]
    for attempt in refused:
        assert logout(app_url, session_id, **attempt).status_code == 403, attempt
        assert signed_in(app_url, session_id)
    done = logout(app_url, session_id, data={"csrf": csrf_for(session_id)})
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert f"{SESSION_COOKIE}=" in done.headers["set-cookie"]
    assert not signed_in(app_url, session_id)
    assert signed_in(app_url, other)  # only that session ended
    by_header = logout(app_url, other, headers={"X-CSRFToken": csrf_for(other)})
    assert by_header.status_code == 303 and not signed_in(app_url, other)
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute(
            "SELECT actor, outcome, detail->>'why' FROM audit_log"
            " WHERE action = 'logout' ORDER BY seq"
        ).fetchall()
    assert rows == [("wang", "refused", "csrf")] * 4 + [
        ("wang", "ok", None), ("li", "ok", None),
    ]  # fmt: skip
