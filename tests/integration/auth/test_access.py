"""Access control over real HTTP against `python -m dashboard` (PostgreSQL, Redis):
login and lockout, kiosk token scope, forged callbacks, CSRF, headers, the audit
log's append-only trigger, and the WebSocket refusing strangers."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import psycopg
import pytest
import requests
import websockets
from websockets.typing import Origin

from dashboard.auth.bootstrap import grant_session, issue_kiosk
from dashboard.auth.gate import CSRF_COOKIE, KIOSK_COOKIE, SESSION_COOKIE
from dashboard.auth.store import UserStore
from harness.dashboard_process import running_dashboard
from streams.config.site import Site

pytestmark = pytest.mark.integration
PASSWORD = "Duty-pass-2024"
DETAIL: dict[str, Any] = {
    "output": "duty-detail.children",
    "outputs": {"id": "duty-detail", "property": "children"},
    "inputs": [
        {"id": "duty-table", "property": "active_cell", "value": None},
        {"id": "duty-table", "property": "selected_row_ids", "value": None},
        {"id": "duty-refresh", "property": "data", "value": 0},
    ],
    "changedPropIds": [],
    "state": [{"id": "duty-lang", "property": "data", "value": "zh"}],
}


def page_request(pathname: str) -> dict[str, object]:
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": ""},
        ],
        "changedPropIds": [],
        "state": [],
    }


@pytest.fixture
def db(pg_url: str) -> str:
    return pg_url


@pytest.fixture
def app_url(site_file: Path, redis_url: str, db: str, tmp_path: Path) -> Iterator[str]:
    log = tmp_path / "dashboard.log"
    with running_dashboard(
        site_file, redis_url, db, log, admin_password="Admin-pass-2024",
        auth_lockout_failures="3", auth_login_per_min="50",
    ) as url:  # fmt: skip
        yield url
    assert "Traceback" not in log.read_text()


def login(url: str, username: str, password: str) -> requests.Response:
    session = requests.Session()
    form = session.get(f"{url}/login", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    return session.post(
        f"{url}/login",
        data={"username": username, "password": password, "csrf": csrf.group(1),
              "next": "/duty"},
        allow_redirects=False, timeout=30,
    )  # fmt: skip


def signed_in(url: str, session_id: str) -> requests.Session:
    """A client holding a session cookie and the CSRF cookie a page sets."""
    client = requests.Session()
    client.cookies.set(SESSION_COOKIE, session_id, domain="127.0.0.1")
    page = client.get(f"{url}/duty", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    return client


def callback(client: requests.Session, url: str, body: Any, csrf: bool = True):
    token = client.cookies.get(CSRF_COOKIE) or ""
    headers = {"X-CSRFToken": token} if csrf else {}
    return client.post(
        f"{url}/_dash-update-component", json=body, headers=headers, timeout=30
    )


def test_login_lockout_and_audit(app_url: str, db: str) -> None:
    UserStore(db).create_user("zhang", "张三", "duty", PASSWORD, iterations=2000)
    ok = login(app_url, "zhang", PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"] == "/duty"
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    for _ in range(3):
        assert login(app_url, "zhang", "wrong-pass-1").status_code == 401
    locked = login(app_url, "zhang", PASSWORD)  # right password, but locked
    assert locked.status_code == 401 and "锁定" in locked.text
    assert login(app_url, "nobody", PASSWORD).status_code == 401
    with psycopg.connect(db) as conn:
        rows = conn.execute(
            "SELECT actor, outcome, detail->>'why' FROM audit_log"
            " WHERE action = 'login' ORDER BY seq"
        ).fetchall()
    assert rows[0] == ("zhang", "ok", None)
    assert [r[2] for r in rows[1:]] == ["bad", "bad", "locked", "locked", "bad"]


def test_unauthenticated_requests_are_refused(app_url: str) -> None:
    page = requests.get(
        f"{app_url}/duty", headers={"Accept": "text/html"}, allow_redirects=False,
        timeout=10,
    )  # fmt: skip
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    for path in ("/_dash-layout", "/_dash-dependencies", "/assets/wall.css"):
        assert requests.get(f"{app_url}{path}", timeout=10).status_code == 401
    forged = requests.post(f"{app_url}/_dash-update-component", json=DETAIL, timeout=10)
    assert forged.status_code == 401
    assert requests.get(f"{app_url}/healthz", timeout=10).status_code == 200


def test_forged_callback_of_another_page_is_refused(
    app_url: str, db: str, redis_url: str, site: Site
) -> None:
    token = issue_kiosk(db, "overview", "test")
    kiosk = requests.Session()
    first = kiosk.get(
        f"{app_url}/wall/overview?kiosk={token}&lang=en", allow_redirects=False,
        timeout=10,
    )  # fmt: skip
    assert first.status_code == 303
    assert first.headers["location"] == "/wall/overview?lang=en"
    assert kiosk.cookies.get(KIOSK_COOKIE) == token
    assert kiosk.get(f"{app_url}/wall/overview", timeout=30).status_code == 200
    kiosk.get(f"{app_url}/wall/overview", timeout=30)
    assert callback(kiosk, app_url, page_request("/wall/overview")).status_code == 200
    assert callback(kiosk, app_url, DETAIL).status_code == 403
    assert callback(kiosk, app_url, page_request("/duty")).status_code == 403
    assert callback(kiosk, app_url, page_request("/wall/canteen")).status_code == 403
    unknown = dict(DETAIL, output="nothing.children")
    assert callback(kiosk, app_url, unknown).status_code == 403
    duty = signed_in(app_url, grant_session(db, redis_url, site.id, "li", "duty"))
    assert callback(duty, app_url, DETAIL).status_code == 200
    assert callback(duty, app_url, page_request("/admin")).status_code == 403
    with psycopg.connect(db) as conn:
        refused = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'access.refused'"
        ).fetchone()
    assert refused is not None and refused[0] >= 5


def test_kiosk_token_scope(app_url: str, db: str) -> None:
    token = issue_kiosk(db, "overview", "test")
    kiosk = requests.Session()
    kiosk.cookies.set(KIOSK_COOKIE, token, domain="127.0.0.1")
    html = {"Accept": "text/html"}
    assert kiosk.get(f"{app_url}/wall/overview", headers=html, timeout=30).ok
    for path in ("/wall/canteen", "/duty", "/", "/admin", "/api/v1/kpis"):
        response = kiosk.get(f"{app_url}{path}", headers=html, timeout=30)
        assert response.status_code in (401, 403), path
    wrong = requests.get(
        f"{app_url}/wall/canteen?kiosk={token}", allow_redirects=False, timeout=10
    )
    assert wrong.status_code == 403
    bogus = requests.get(
        f"{app_url}/wall/overview?kiosk=bogus", allow_redirects=False, timeout=10
    )
    assert bogus.status_code == 403


def test_csrf_refused_without_token(
    app_url: str, db: str, redis_url: str, site: Site
) -> None:
    duty = signed_in(app_url, grant_session(db, redis_url, site.id, "wang", "duty"))
    assert callback(duty, app_url, DETAIL, csrf=False).status_code == 403
    duty.headers["X-CSRFToken"] = "forged"
    assert callback(duty, app_url, DETAIL, csrf=False).status_code == 403
    del duty.headers["X-CSRFToken"]
    assert callback(duty, app_url, DETAIL).status_code == 200


def test_security_headers_and_no_stack_traces(
    app_url: str, db: str, redis_url: str, site: Site
) -> None:
    admin = signed_in(app_url, grant_session(db, redis_url, site.id))
    page = admin.get(f"{app_url}/wall/overview", timeout=30)
    csp = page.headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    bad = admin.post(
        f"{app_url}/_dash-update-component", data=b"{not json",
        headers={"X-CSRFToken": admin.cookies.get(CSRF_COOKIE) or "",
                 "Content-Type": "application/json"},
        timeout=10,
    )  # fmt: skip
    assert bad.status_code == 400 and "Traceback" not in bad.text
    broken = dict(DETAIL, inputs="not a list")
    answer = callback(admin, app_url, broken)
    assert answer.status_code >= 400 and "Traceback" not in answer.text


def test_audit_log_is_append_only(app_url: str, db: str) -> None:
    assert login(app_url, "admin", "Admin-pass-2024").status_code == 303
    for statement in (
        "UPDATE audit_log SET actor = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with psycopg.connect(db) as conn, pytest.raises(psycopg.errors.RaiseException):
            conn.execute(statement)
    with psycopg.connect(db) as conn:
        count = conn.execute("SELECT count(*) FROM audit_log").fetchone()
    assert count is not None and count[0] >= 1


def test_websocket_needs_a_principal(
    app_url: str, db: str, redis_url: str, site: Site
) -> None:
    ws_url = app_url.replace("http", "ws") + "/_dash-ws-callback"

    async def attempt(cookie: str | None) -> str:
        headers = {"Cookie": cookie} if cookie else {}
        try:
            async with websockets.connect(
                ws_url,
                origin=Origin(app_url),
                additional_headers=headers,
            ) as socket:
                await socket.send('{"type": "heartbeat"}')
                return str(await asyncio.wait_for(socket.recv(), 10))
        except websockets.exceptions.InvalidStatus as exc:
            return f"refused {exc.response.status_code}"

    assert (asyncio.run(attempt(None))).startswith("refused")
    session_id = grant_session(db, redis_url, site.id)
    assert "heartbeat_ack" in asyncio.run(attempt(f"{SESSION_COOKIE}={session_id}"))


def test_snapshot_faces_masked_unless_security(
    app_url: str, db: str, redis_url: str, site: Site
) -> None:
    frame = np.random.default_rng(3).integers(0, 255, (240, 320, 3), dtype=np.uint8)
    jpeg = cv2.imencode(".jpg", frame)[1].tobytes()
    camera, name = next(iter(site.cameras_by_id)), "20250512T080000000Z-periodic"
    with psycopg.connect(db) as conn:
        conn.execute(
            "INSERT INTO camera_snapshots (camera, name, ts, kind, jpeg, bytes)"
            " VALUES (%s, %s, now(), 'periodic', %s, %s)",
            (camera, name, jpeg, len(jpeg)),
        )
    path = f"{app_url}/snapshots/{camera}/{name}.jpg"
    seen = {}
    for role in ("security", "duty", "leader"):
        client = requests.Session()
        session_id = grant_session(db, redis_url, site.id, f"u-{role}", role)
        client.cookies.set(SESSION_COOKIE, session_id, domain="127.0.0.1")
        response = client.get(path, timeout=30)
        assert response.status_code == 200, role
        seen[role] = response
    assert seen["security"].content == jpeg
    for role in ("duty", "leader"):
        masked = cv2.imdecode(np.frombuffer(seen[role].content, np.uint8), 1)
        assert masked is not None and masked.shape == frame.shape
        assert masked.astype(int).std(axis=(0, 1)).mean() < frame.std() / 2
        assert seen[role].headers["cache-control"] == "private, no-store"
    kiosk = requests.Session()
    kiosk.cookies.set(
        KIOSK_COOKIE, issue_kiosk(db, "security", "t"), domain="127.0.0.1"
    )
    assert kiosk.get(path, timeout=30).content != jpeg
