"""Signing out in headless Chromium against `python -m dashboard` (PostgreSQL,
Redis): every page's sign-out button works; opening /logout (as an address, or as
an image a page would load) signs nobody out; and an alarm whose stored camera
evidence says `snapshot: "/logout"` can be viewed by every role without losing the
session (a probe signed out 4 of 4 roles that way)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np
import psycopg
import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By

from dashboard.auth.bootstrap import grant_session
from dashboard.auth.gate import SESSION_COOKIE
from dashboard.auth.principal import Role
from detectors.core.signals import AlarmSignal
from layouts import ids
from streams.config.site import Site
from streams.snapshots.names import SnapshotName
from streams.snapshots.store import Snapshot, insert_snapshot
from tests.integration.alarm_fixtures import make_engine
from tests.ui.conftest import sign_in
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui
ROLES: tuple[Role, ...] = ("duty", "security", "leader", "admin")
SIGN_OUT = "form[action='/logout'] button"
CAMERA = "cam-power-room"
ROW = "//td[@data-dash-column='message'][contains(., '配电房禁区')]"


def signed_in(url: str, session_id: str) -> bool:
    page = requests.get(
        f"{url}/duty", cookies={SESSION_COOKIE: session_id},
        headers={"Accept": "text/html"}, allow_redirects=False, timeout=30,
    )  # fmt: skip
    return page.status_code == 200


def on_login_page(browser: webdriver.Chrome) -> bool:
    return "/login" in browser.current_url and bool(
        browser.find_elements(By.ID, "password")
    )


def problems(browser: webdriver.Chrome) -> list[str]:
    return [
        str(e["message"])
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" or "Content Security Policy" in str(e["message"])
    ]


@pytest.mark.parametrize("path", ["/", "/admin"])  # every page with a sign-out
def test_sign_out_button_signs_out(
    browser: webdriver.Chrome, dashboard_url: str, ui_session: str, path: str
) -> None:
    browser.get(f"{dashboard_url}{path}")
    button = wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, SIGN_OUT), 30)
    assert button[0].text == "退出登录"  # type: ignore[index]
    button[0].click()  # type: ignore[index]
    wait_for(lambda: on_login_page(browser), 15)
    assert not signed_in(dashboard_url, ui_session)
    browser.get(f"{dashboard_url}/duty")
    wait_for(lambda: on_login_page(browser), 15)
    assert problems(browser) == []


def test_opening_logout_signs_nobody_out_until_confirmed(
    browser: webdriver.Chrome, dashboard_url: str, ui_session: str
) -> None:
    browser.get(f"{dashboard_url}/logout")
    assert "确定退出登录" in browser.page_source
    assert signed_in(dashboard_url, ui_session)
    browser.get(f"{dashboard_url}/duty")
    wait_for(lambda: browser.find_elements(By.ID, ids.DUTY_TABLE), 30)
    browser.get(f"{dashboard_url}/logout")
    browser.find_element(By.CSS_SELECTOR, SIGN_OUT).click()
    wait_for(lambda: on_login_page(browser), 15)
    assert not signed_in(dashboard_url, ui_session)
    assert problems(browser) == []


def jpeg() -> bytes:
    return cv2.imencode(".jpg", np.full((90, 160, 3), 120, np.uint8))[1].tobytes()


@pytest.fixture
def hostile_alarm(site: Site, history_url: str, redis_url: str) -> Iterator[str]:
    """An intrusion alarm whose camera history holds rows stored before the edge
    refused URLs (`/logout`, a foreign host) beside a real snapshot's name; yields
    the route of that one real snapshot."""
    now = datetime.now(UTC)
    name = SnapshotName(now - timedelta(seconds=30), "zone_intrusion").text
    with psycopg.connect(history_url, autocommit=True) as conn:
        insert_snapshot(conn, Snapshot(CAMERA, name, now, "zone_intrusion", jpeg()))
        for i, stored in enumerate(["/logout", "//evil.example/x.jpg", name]):
            conn.execute(
                "INSERT INTO camera_events (event_id, ts, device, kind, zone, count,"
                " snapshot) VALUES (%s, %s, %s, 'zone_intrusion', 'power-room', 1, %s)",
                (uuid.uuid4(), now - timedelta(seconds=10 * (i + 1)), CAMERA, stored),
            )
    engine, _ = make_engine(site, history_url, redis_url)
    engine.submit(
        [AlarmSignal(kind="zone_intrusion", source="power-room", severity="major",
                     state="active", observed_at=now, message="配电房禁区 有人闯入",
                     area="b6", evidence={"stream": "camera", "device": CAMERA})],
        now,
    )  # fmt: skip
    try:
        yield f"/snapshots/{CAMERA}/{name}.jpg"
    finally:
        engine.close()


def evidence_images(browser: webdriver.Chrome) -> list[tuple[str, bool, bool]]:
    """(src, fetched, decoded) of every image in the alarm detail."""
    script = (
        "return Array.from(document.querySelectorAll('#duty-detail img'))"
        ".map(function (i) { return [i.getAttribute('src'), i.complete,"
        " i.naturalWidth > 0]; });"
    )
    return [(str(s), bool(c), bool(ok)) for s, c, ok in browser.execute_script(script)]


def detail_text(browser: webdriver.Chrome) -> str:
    return str(browser.find_element(By.ID, ids.DUTY_DETAIL).text)


def test_every_role_views_the_hostile_alarm_and_stays_signed_in(
    browser: webdriver.Chrome, dashboard_url: str, history_url: str,
    redis_url: str, site: Site, hostile_alarm: str,
) -> None:  # fmt: skip
    for role in ROLES:
        session_id = grant_session(history_url, redis_url, site.id, f"v-{role}", role)
        sign_in(browser, session_id)
        browser.get(f"{dashboard_url}/duty")
        wait_for(lambda: browser.find_elements(By.XPATH, ROW), 30)
        browser.find_element(By.XPATH, ROW).click()
        wait_for(lambda: "相关证据" in detail_text(browser), 30)
        wait_for(lambda: all(done for _, done, _ in evidence_images(browser)), 15)
        assert signed_in(dashboard_url, session_id), f"{role} was signed out"
        assert evidence_images(browser) == [(hostile_alarm, True, True)], role
        browser.get(f"{dashboard_url}/duty")  # and the browser still is
        wait_for(lambda: browser.find_elements(By.ID, ids.DUTY_TABLE), 30)
        assert not on_login_page(browser), role
    assert problems(browser) == []
