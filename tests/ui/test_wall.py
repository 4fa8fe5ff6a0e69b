"""The wall in headless Chromium against `python -m dashboard` and the machine's
Redis and PostgreSQL: injected values on every screen and the WebSocket push,
English and unknown screens, rotation and registry changes without a reload. Tiles
going stale, the critical band and a server restart: `test_wall_recovery.py`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from selenium import webdriver

from layouts import ids
from streams.config.site import Site
from streams.wire.contracts import CameraEvent, CanteenEvent
from tests.ui.polling import wait_for
from tests.ui.walls import (
    KIOSK,
    Start,
    energy,
    entries,
    live,
    severe,
    shows,
    text_of,
    write_site,
)

pytestmark = pytest.mark.ui


def test_every_screen_shows_injected_values_and_pushes_changes(
    site: Site, redis_url: str, start_wall: Start, browser: webdriver.Chrome
) -> None:
    state = live(site, redis_url)
    now = datetime.now(UTC)
    state.apply(
        [
            *entries("staff", 12),
            *entries("visitor", 3),
            *entries("vehicle", 5),
            *entries("visitor", 2, "denied"),
            energy(123.4),
            CanteenEvent(
                event_id=uuid.uuid4(),
                ts=now,
                device="c1-w1",
                kind="settlement",
                meal="lunch",
                count=4,
                amount_yuan=48.0,
            ),
            CameraEvent(
                event_id=uuid.uuid4(),
                ts=now,
                device="cam-c1-queue",
                kind="people_count",
                zone="c1-queue",
                count=37,
            ),
        ]
    )
    url = start_wall(wall_poll_ms="60000")  # a minute: changes must come by push
    expected = {
        "overview": (ids.OVERVIEW_PEOPLE_ONSITE, "15"),
        "canteen": (ids.CANTEEN_QUEUE, "37"),
        "energy": (ids.ENERGY_PV, "123"),
        "security": (ids.SECURITY_DENIED_TODAY, "2"),
        "traffic": (ids.TRAFFIC_VEHICLES_ONSITE, "5"),
    }
    for layout, (tile, value) in expected.items():
        browser.get(f"{url}/wall/{layout}")
        wait_for(partial(shows, browser, ids.value_of(tile), value))
        assert browser.execute_script(KIOSK) == [True, "hidden", "hidden"], layout
    browser.get(f"{url}/wall/overview")
    wait_for(lambda: text_of(browser, ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)) == "15")
    wait_for(
        lambda: browser.execute_script(  # the push callback has subscribed
            "return performance.getEntriesByType('resource').length > 0"
        ),
        5,
    )
    state.apply(entries("staff", 4))
    wait_for(
        lambda: text_of(browser, ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)) == "19", 8
    )
    assert "瓯江市行政中心" in text_of(browser, ids.WALL_TITLE)
    assert "星期" in text_of(browser, ids.WALL_CLOCK)
    assert severe(browser) == []


def test_english_and_unknown_screens(
    start_wall: Start, browser: webdriver.Chrome
) -> None:
    url = start_wall()
    browser.get(f"{url}/wall/traffic?lang=en")
    wait_for(lambda: "Vehicles on site" in text_of(browser, ids.WALL_STAGE))
    assert "Traffic" in text_of(browser, ids.WALL_SCREEN_NAME)
    browser.get(f"{url}/wall/%3Cscript%3E?lang=%3Cb%3E")
    wait_for(lambda: "未知大屏" in browser.find_element("tag name", "body").text)
    assert "/wall/overview" in browser.page_source  # lists the screens it knows
    assert severe(browser) == []


def test_rotation_and_registry_changes_stay_in_kiosk_without_reload(
    site: Site, start_wall: Start, browser: webdriver.Chrome, tmp_path: Path
) -> None:
    screens = [
        {
            "id": "wall-t",
            "name": "测试屏",
            "layouts": ["energy", "traffic"],
            "rotate_s": 10,
        }
    ]
    path = write_site(tmp_path / "screens.yaml", site, screens)
    url = start_wall(site_file=path)
    browser.get(f"{url}/wall/wall-t")
    wait_for(lambda: "测试屏" in text_of(browser, ids.WALL_SCREEN_NAME))
    first = text_of(browser, ids.WALL_SCREEN_NAME)
    browser.execute_script("window.__kiosk = 42;")
    wait_for(lambda: text_of(browser, ids.WALL_SCREEN_NAME) != first, 20)
    assert browser.execute_script(KIOSK) == [True, "hidden", "hidden"]
    screens[0] |= {"layouts": ["security"], "rotate_s": 60}
    write_site(path, site, screens)
    wait_for(lambda: "安防态势" in text_of(browser, ids.WALL_SCREEN_NAME), 15)
    assert browser.execute_script("return window.__kiosk") == 42  # never reloaded
    assert browser.execute_script(KIOSK) == [True, "hidden", "hidden"]
    assert severe(browser) == []
