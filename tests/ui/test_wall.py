"""The wall in headless Chromium against `python -m dashboard` and the machine's
Redis and PostgreSQL: injected values on every screen, the WebSocket push, stale
markers, the critical band, rotation and registry changes without a reload."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Literal

import pytest
import redis
import yaml
from selenium import webdriver

from harness.dashboard_process import REPO, healthy
from layouts import ids
from streams.config.site import Site
from streams.embedded.process import free_port
from streams.live.keys import Keys
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import (
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
)
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui

Start = Callable[..., str]
KIOSK = """const d = document.documentElement, b = document.body;
return [d.scrollWidth <= innerWidth && d.scrollHeight <= innerHeight,
        getComputedStyle(b).overflow, getComputedStyle(d).overflow];"""


@pytest.fixture
def start_wall(
    site: Site, redis_url: str, history_url: str, tmp_path: Path
) -> Iterator[Start]:
    """Starts `python -m dashboard` with extra IOC_* settings; stopped afterwards."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(site_file: Path | None = None, **settings: str) -> str:
        if site_file is None:
            site_file = write_site(tmp_path / "site.yaml", site, [])
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
        env |= {
            "IOC_REDIS_URL": redis_url,
            "IOC_DATABASE_URL": history_url,
            "IOC_SITE_FILE": str(site_file),
            "IOC_DASHBOARD_PORT": str(port),
            "PYTHONPATH": str(REPO),
        }
        env |= {f"IOC_{k.upper()}": v for k, v in settings.items()}
        log = (tmp_path / f"dashboard-{port}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
        )
        processes.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_for(lambda: process.poll() is not None or healthy(url), timeout_s=30)
        assert process.poll() is None, log.name
        return url

    yield start
    for process in processes:
        process.terminate()
        process.wait(10)


def write_site(path: Path, site: Site, screens: list[dict[str, object]]) -> Path:
    raw = site.model_dump(mode="json") | {"screens": screens}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def text_of(driver: webdriver.Chrome, element_id: str) -> str:
    script = (
        "const e = document.getElementById(arguments[0]); return e ? e.innerText : '';"
    )
    return str(driver.execute_script(script, element_id))


def shows(driver: webdriver.Chrome, element_id: str, value: str) -> bool:
    return text_of(driver, element_id) == value


def severe(driver: webdriver.Chrome) -> list[dict[str, object]]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def entries(
    subject: Literal["staff", "visitor", "vehicle"],
    n: int,
    result: Literal["granted", "denied"] = "granted",
) -> list[Event]:
    now = datetime.now(UTC) - timedelta(seconds=1)
    kind: Literal["plate", "card"] = "plate" if subject == "vehicle" else "card"
    return [
        GateEvent(
            event_id=uuid.uuid4(),
            ts=now,
            device="gate-east",
            direction="in",
            subject=subject,
            credential_kind=kind,
            credential=f"c{i}",
            result=result,
            deny_reason="expired" if result == "denied" else None,
        )
        for i in range(n)
    ]


def energy(value: float) -> EnergyEvent:
    return EnergyEvent(
        event_id=uuid.uuid4(),
        ts=datetime.now(UTC),
        device="m-pv-b4",
        quantity="pv_kw",
        value=value,
    )


def live(site: Site, redis_url: str) -> LiveState:
    return LiveState(redis.Redis.from_url(redis_url), LiveConfig(site))


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


def test_stale_marker_appears_when_a_feed_stops_and_leaves_when_it_resumes(
    site: Site, redis_url: str, start_wall: Start, browser: webdriver.Chrome
) -> None:
    state = live(site, redis_url)
    url = start_wall(wall_stale_factor="0.02", wall_poll_ms="1000")  # energy: 6 s
    browser.get(f"{url}/wall/energy")
    age = ids.age_of(ids.ENERGY_PV)
    wait_for(lambda: "暂无数据" in text_of(browser, age))  # never heard from
    state.apply([energy(80.0)])
    wait_for(lambda: "秒前更新" in text_of(browser, age), 5)
    wait_for(lambda: "数据中断" in text_of(browser, age), 15)
    assert browser.find_elements("css selector", f"#{age}.tile-age--stale")
    state.apply([energy(95.5)])
    wait_for(lambda: "秒前更新" in text_of(browser, age), 5)
    assert text_of(browser, ids.value_of(ids.ENERGY_PV)) == "95.5"


def test_critical_band_appears_and_clears(
    site: Site, redis_url: str, start_wall: Start, browser: webdriver.Chrome
) -> None:
    url = start_wall()
    browser.get(f"{url}/wall/energy")
    wait_for(
        lambda: (
            "秒前更新" in text_of(browser, ids.WALL_STAGE)
            or "暂无数据" in text_of(browser, ids.WALL_STAGE)
        )
    )
    keys, client = Keys(site.id), redis.Redis.from_url(redis_url)
    alarm = {
        "id": "a1",
        "severity": "critical",
        "message": "配电房禁区闯入",
        "area": "配电房",
        "raised_at": datetime.now(UTC).isoformat(),
        "acknowledged": False,
        "active": True,
        "mode": "normal",
    }
    band = f"#{ids.WALL_BAND}.wall-band--on"
    client.hset(keys.alarms_open, "a1", json.dumps(alarm, ensure_ascii=False))
    client.publish(keys.changed_channel, "alarm")
    wait_for(lambda: browser.find_elements("css selector", band), 5)
    assert "配电房禁区闯入" in text_of(browser, ids.WALL_BAND)
    acknowledged = alarm | {"acknowledged": True}
    client.hset(keys.alarms_open, "a1", json.dumps(acknowledged, ensure_ascii=False))
    client.publish(keys.changed_channel, "alarm")
    wait_for(lambda: not browser.find_elements("css selector", band), 5)
    client.close()


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


def test_screen_recovers_by_itself_after_a_server_restart(
    site: Site,
    redis_url: str,
    history_url: str,
    tmp_path: Path,
    browser: webdriver.Chrome,
) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env |= {
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": history_url,
        "IOC_SITE_FILE": str(write_site(tmp_path / "site.yaml", site, [])),
        "IOC_DASHBOARD_PORT": str(port),
        "IOC_WALL_POLL_MS": "1000",
        "PYTHONPATH": str(REPO),
    }
    url = f"http://127.0.0.1:{port}"

    def serve() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "dashboard"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: healthy(url), timeout_s=30)
        return process

    state = live(site, redis_url)
    state.apply(entries("staff", 3))
    people = ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)
    first = serve()
    browser.get(f"{url}/wall/overview")
    wait_for(lambda: text_of(browser, people) == "3")
    browser.execute_script("window.__kiosk = 7;")
    first.terminate()
    first.wait(10)
    wait_for(lambda: "连接中断" in text_of(browser, ids.WALL_LINK), 20)
    second = serve()
    try:
        state.apply(entries("staff", 2))
        wait_for(lambda: text_of(browser, people) == "5", 20)
        wait_for(lambda: text_of(browser, ids.WALL_LINK) == "", 10)
        assert browser.execute_script("return window.__kiosk") == 7  # no reload
    finally:
        second.terminate()
        second.wait(10)
