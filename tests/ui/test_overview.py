"""/wall/overview in headless Chromium against the real app and the machine's Redis."""

from __future__ import annotations

import json
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

import psycopg
import pytest
import redis
from selenium import webdriver
from selenium.webdriver.common.by import By

from layouts import ids
from streams.config.site import Site
from streams.history.writer import write_batch
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import EnergyEvent, Event, GateEvent, StatusEvent
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui

SCREENSHOT = "/tmp/overview.png"
PEOPLE = ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)


def passes(
    direction: Literal["in", "out"],
    subject: Literal["staff", "visitor", "vehicle"],
    n: int,
) -> list[Event]:
    now = datetime.now(UTC)
    return [
        GateEvent(
            event_id=uuid.uuid4(),
            ts=now - timedelta(seconds=1),
            device="gate-east",
            direction=direction,
            subject=subject,
            credential_kind="card",
            credential=f"card-{i}",
            result="granted",
        )
        for i in range(n)
    ]


def meters(site: Site) -> list[Event]:
    now = datetime.now(UTC)
    events: list[Event] = [
        EnergyEvent(
            event_id=uuid.uuid4(),
            ts=now,
            device=m.id,
            quantity=m.quantity,
            value=round(m.max_value * 0.3, 1),
        )
        for m in site.meters
        if not m.cumulative
    ]
    events += [
        StatusEvent(event_id=uuid.uuid4(), ts=now, device=g.id, state="online")
        for g in site.gates
    ]
    return events


def text_of(driver: webdriver.Chrome, element_id: str) -> str:
    """The element's text, read in one script call (tiles re-render every 2 s, so a
    WebElement found first and read later can go stale in between)."""
    script = (
        "const e = document.getElementById(arguments[0]); return e ? e.innerText : '';"
    )
    return str(driver.execute_script(script, element_id))


def severe_logs(driver: webdriver.Chrome) -> list[dict[str, object]]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def write_history(url: str) -> None:
    """Staff entries every 3 minutes over the last 40 minutes (today's chart)."""
    now = datetime.now(UTC)
    events = [
        GateEvent(
            event_id=uuid.uuid4(),
            ts=now - timedelta(minutes=m),
            device="gate-north",
            direction="in",
            subject="staff" if m % 2 else "visitor",
            credential_kind="face",
            credential="f",
            result="granted",
        )
        for m in range(0, 40, 3)
    ]
    with psycopg.connect(url, autocommit=True) as conn:
        write_batch(conn, events)


def test_people_on_site_follows_redis(
    site: Site,
    redis_url: str,
    history_url: str,
    dashboard_url: str,
    browser: webdriver.Chrome,
) -> None:
    write_history(history_url)
    client = redis.Redis.from_url(redis_url)
    live = LiveState(client, LiveConfig(site))
    live.apply([*passes("in", "staff", 12), *passes("in", "visitor", 3), *meters(site)])

    browser.get(f"{dashboard_url}/wall/overview")
    wait_for(lambda: text_of(browser, PEOPLE) == "15")

    live.apply([*passes("in", "staff", 5), *passes("out", "visitor", 2)])
    wait_for(lambda: text_of(browser, PEOPLE) == "18")

    assert "瓯江市行政中心" in text_of(browser, ids.WALL_TITLE)
    assert "秒前更新" in text_of(browser, ids.age_of(ids.OVERVIEW_PEOPLE_ONSITE))
    assert text_of(browser, ids.WALL_STATUS) == ""
    chart = f"#{ids.body_of(ids.OVERVIEW_GATE_CHART)} .bar-chart"
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, chart))
    browser.save_screenshot(SCREENSHOT)
    scroll = browser.execute_script(
        "const e = document.documentElement;"
        "return [e.scrollWidth, e.scrollHeight, innerWidth, innerHeight];"
    )
    assert scroll[0] <= scroll[2] and scroll[1] <= scroll[3], scroll
    assert severe_logs(browser) == []
    client.close()


def test_english_and_unknown_language(
    dashboard_url: str, browser: webdriver.Chrome
) -> None:
    browser.get(f"{dashboard_url}/wall/overview?lang=en")
    wait_for(lambda: "updated" in text_of(browser, ids.WALL_ROOT)
             or "no data" in text_of(browser, ids.WALL_ROOT))  # fmt: skip
    assert "People on site" in text_of(browser, ids.OVERVIEW_PEOPLE_ONSITE)

    browser.get(f"{dashboard_url}/wall/overview?lang=%3Cscript%3E")
    wait_for(lambda: "在园人数" in text_of(browser, ids.OVERVIEW_PEOPLE_ONSITE))
    assert severe_logs(browser) == []


def test_first_page_request_is_complete(dashboard_url: str) -> None:
    """A kiosk's first request is the screen itself: the page must carry the wall CSS,
    the validation layout and the pages plugin's inline script (see `_finish_setup`)."""
    with urllib.request.urlopen(f"{dashboard_url}/wall/overview", timeout=5) as page:
        html = page.read().decode()
    assert "wall.css" in html
    assert "validation_layout" in html
    assert "document.title = data.title" in html


def test_health_route(dashboard_url: str) -> None:
    with urllib.request.urlopen(f"{dashboard_url}/healthz", timeout=5) as response:
        assert json.loads(response.read()) == {"status": "ok", "live": True}


def test_readiness_and_metrics_routes(dashboard_url: str) -> None:
    with urllib.request.urlopen(f"{dashboard_url}/readyz", timeout=5) as response:
        body = json.loads(response.read())
    assert body["ready"] is True and body["checks"]["redis"] is True
    with urllib.request.urlopen(f"{dashboard_url}/metrics", timeout=5) as response:
        text = response.read().decode()
    assert 'ioc_dashboard_server_up{server="redis"} 1' in text
