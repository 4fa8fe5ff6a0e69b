"""Snapshot JPEGs differ by role behind one URL (sharp for security, pixelated for
the others), so no cache may hand one role's copy to another: real HTTP against
`python -m dashboard` (PostgreSQL, Redis)."""

from __future__ import annotations

import cv2
import numpy as np
import psycopg
import pytest
import requests

from dashboard.auth.bootstrap import grant_session, issue_kiosk
from dashboard.auth.gate import KIOSK_COOKIE, SESSION_COOKIE
from streams.config.site import Site

pytestmark = pytest.mark.integration


def store_snapshot(database_url: str, camera: str, name: str) -> bytes:
    frame = np.random.default_rng(5).integers(0, 255, (120, 160, 3), dtype=np.uint8)
    jpeg: bytes = cv2.imencode(".jpg", frame)[1].tobytes()
    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO camera_snapshots (camera, name, ts, kind, jpeg, bytes)"
            " VALUES (%s, %s, now(), 'periodic', %s, %s)",
            (camera, name, jpeg, len(jpeg)),
        )
    return jpeg


def clients(db: str, redis_url: str, site: Site) -> dict[str, requests.Session]:
    """A signed-in client per role, and the security screen's kiosk."""
    found = {}
    for role in ("security", "duty", "leader"):
        client = requests.Session()
        session_id = grant_session(db, redis_url, site.id, f"u-{role}", role)
        client.cookies.set(SESSION_COOKIE, session_id, domain="127.0.0.1")
        found[role] = client
    kiosk = requests.Session()
    token = issue_kiosk(db, "security", "test")
    kiosk.cookies.set(KIOSK_COOKIE, token, domain="127.0.0.1")
    found["kiosk"] = kiosk
    return found


def test_role_specific_snapshots_are_private_and_vary_by_cookie(
    app_url: str, pg_url: str, redis_url: str, site: Site
) -> None:
    camera, name = next(iter(site.cameras_by_id)), "20250512T080000000Z-periodic"
    jpeg = store_snapshot(pg_url, camera, name)
    stored, latest = (
        f"/snapshots/{camera}/{name}.jpg",
        f"/snapshots/{camera}/latest.jpg",
    )
    for role, client in clients(pg_url, redis_url, site).items():
        for path in (stored, latest):
            answer = client.get(f"{app_url}{path}", timeout=30)
            assert answer.status_code == 200, (role, path)
            cache = answer.headers["cache-control"]
            assert cache.startswith("private") and "public" not in cache, (role, cache)
            vary = [
                v.strip().lower() for v in answer.headers.get("vary", "").split(",")
            ]
            assert "cookie" in vary, (role, path)
            assert (answer.content == jpeg) is (role == "security"), (role, path)
        if role == "security":  # the sharp copy may still live in its own browser
            sharp = client.get(f"{app_url}{stored}", timeout=30)
            assert sharp.headers["cache-control"] == "private, max-age=86400, immutable"
