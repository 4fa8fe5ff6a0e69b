"""/security and the wall's snapshot tile in headless Chromium against the real app,
PostgreSQL and Redis: seeded snapshots, camera events and a gate alarm show up; a
click on a camera tile opens its event history; no browser errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np
import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from detectors.core.signals import AlarmSignal
from layouts import ids
from streams.alarms.engine import AlarmEngine
from streams.config.site import Site
from streams.snapshots.names import SnapshotName
from streams.snapshots.store import Snapshot, insert_snapshot
from tests.integration.alarm_fixtures import make_engine
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui
SCREENSHOT = "/tmp/security.png"
WALL_SCREENSHOT = "/tmp/wall-security.png"


def jpeg(text: str) -> bytes:
    image = np.full((288, 512, 3), 90, np.uint8)
    cv2.putText(
        image, text, (20, 150), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (255, 255, 255), 2
    )
    return cv2.imencode(".jpg", image)[1].tobytes()


@pytest.fixture
def seeded(site: Site, history_url: str, redis_url: str) -> Iterator[AlarmEngine]:
    now = datetime.now(UTC)
    at = now - timedelta(seconds=20)
    intrusion = SnapshotName(at, "zone_intrusion").text
    with psycopg.connect(history_url, autocommit=True) as conn:
        shot = Snapshot(
            "cam-power-room", intrusion, at, "zone_intrusion", jpeg("power room")
        )
        insert_snapshot(conn, shot)
        periodic = SnapshotName(now, "periodic").text
        insert_snapshot(
            conn, Snapshot("cam-east-gate", periodic, now, "periodic", jpeg("gate"))
        )
        conn.execute(
            """INSERT INTO camera_events (event_id, ts, device, kind, zone, count,
                direction, snapshot) VALUES (%s, %s, 'cam-power-room',
                'zone_intrusion', 'power-room', 2, NULL, %s)""",
            (uuid.uuid4(), at, intrusion),  # what an event's `snapshot` holds
        )
    engine, _ = make_engine(site, history_url, redis_url)
    engine.submit(
        [AlarmSignal(kind="tailgating", source="gate-east", severity="major",
                     state="active", observed_at=now, message="东大门 尾随通行",
                     area="gate-east", evidence={"stream": "gate"})],
        now,
    )  # fmt: skip
    yield engine
    engine.close()


def severe_logs(driver: webdriver.Chrome) -> list[dict[str, object]]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def loaded_image(driver: webdriver.Chrome, fragment: str) -> bool:
    return bool(
        driver.execute_script(
            "return [...document.images].some(i => i.src.includes(arguments[0])"
            " && i.complete && i.naturalWidth > 0)",
            fragment,
        )
    )


def test_security_page_tiles_timeline_gate_alarms_and_history(
    browser: webdriver.Chrome, dashboard_url: str, seeded: AlarmEngine
) -> None:
    browser.get(f"{dashboard_url}/security")
    wait_for(lambda: loaded_image(browser, "/snapshots/cam-power-room/"), 30)
    assert loaded_image(browser, "/snapshots/cam-east-gate/")
    timeline = browser.find_element(By.ID, ids.SECURITY_PAGE_TIMELINE)
    wait_for(lambda: "区域入侵" in timeline.text, 30)
    assert "配电房" in timeline.text
    gates = browser.find_element(By.ID, ids.SECURITY_PAGE_GATE_ALARMS)
    wait_for(lambda: "尾随通行" in gates.text, 30)
    flow = browser.find_element(By.ID, ids.SECURITY_PAGE_GATE_FLOW)
    wait_for(lambda: "东大门" in flow.text, 30)
    tile = browser.find_element(
        By.CSS_SELECTOR, "[id*='security-page-tile'][id*='cam-power-room']"
    )
    tile.click()
    history = browser.find_element(By.ID, ids.SECURITY_PAGE_HISTORY)
    wait_for(lambda: "配电房 入口" in history.text and "区域入侵" in history.text, 30)
    browser.save_screenshot(SCREENSHOT)
    assert severe_logs(browser) == []


def test_wall_security_screen_shows_the_latest_snapshots(
    browser: webdriver.Chrome, dashboard_url: str, seeded: AlarmEngine
) -> None:
    browser.get(f"{dashboard_url}/wall/security")
    wait_for(lambda: loaded_image(browser, "/snapshots/cam-power-room/"), 40)
    body = browser.find_element(By.ID, ids.body_of(ids.SECURITY_SNAPSHOTS))
    assert "配电房 入口" in body.text
    browser.save_screenshot(WALL_SCREENSHOT)
    assert severe_logs(browser) == []
