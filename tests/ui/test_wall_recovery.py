"""The wall in headless Chromium when things stop and come back: a tile's stale
marker when its feed stops, the critical band appearing and clearing, a screen
recovering by itself after a server restart."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from selenium import webdriver

from harness.dashboard_process import REPO, healthy
from layouts import ids
from streams.config.site import Site
from streams.embedded.process import free_port
from streams.live.keys import Keys
from tests.ui.polling import wait_for
from tests.ui.walls import (
    Start,
    energy,
    entries,
    live,
    text_of,
    wall_env,
    write_site,
)

pytestmark = pytest.mark.ui


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


def test_screen_recovers_by_itself_after_a_server_restart(
    site: Site,
    redis_url: str,
    history_url: str,
    tmp_path: Path,
    browser: webdriver.Chrome,
) -> None:
    port = free_port()
    site_file = write_site(tmp_path / "site.yaml", site, [])
    env = wall_env(site_file, redis_url, history_url, port, wall_poll_ms="1000")
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
