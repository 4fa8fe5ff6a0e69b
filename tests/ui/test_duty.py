"""/duty in headless Chromium against the real app, PostgreSQL and Redis: alarms
seeded through the engine are acknowledged and shelved with the buttons and with the
keyboard; the state lands in PostgreSQL; a new alarm beeps and flashes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts import ids
from streams.alarms.engine import AlarmEngine
from streams.config.site import Site
from tests.integration.alarms.fixtures import make_engine, signal
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui

SCREENSHOT = "/tmp/duty.png"


@pytest.fixture
def engine(site: Site, history_url: str, redis_url: str) -> Iterator[AlarmEngine]:
    built, _ = make_engine(site, history_url, redis_url)
    yield built
    built.close()


def state_of(engine: AlarmEngine, source: str) -> str:
    return next(a.state for a in engine.open_alarms() if a.source == source)


def cell(browser: webdriver.Chrome, text: str):
    found = browser.find_elements(
        By.XPATH, f"//td[@data-dash-column='message'][contains(., '{text}')]"
    )
    return found[0] if found else None


def severe_logs(driver: webdriver.Chrome) -> list[dict[str, object]]:
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def test_acknowledge_and_shelve_from_the_console(
    browser: webdriver.Chrome, dashboard_url: str, engine: AlarmEngine
) -> None:
    now = datetime.now(UTC)
    engine.submit(
        [signal(source=s, at=now, severity=v, area="b1") for s, v in
         (("m-b1-kw", "critical"), ("m-b2-kw", "major"), ("m-b3-kw", "minor"),
          ("m-b4-kw", "notice"))],
        now,
    )  # fmt: skip
    browser.get(f"{dashboard_url}/duty")
    wait_for(lambda: cell(browser, "m-b1-kw water_leak"), timeout_s=30)

    # Buttons: focus a row, press 确认.
    cell(browser, "m-b1-kw water_leak").click()
    browser.find_element(By.ID, ids.DUTY_ACK).click()
    wait_for(lambda: state_of(engine, "m-b1-kw") == "active_ack")
    browser.find_element(By.ID, ids.DUTY_REASON).send_keys("检修")
    cell(browser, "m-b2-kw water_leak").click()
    browser.find_element(By.ID, ids.DUTY_SHELVE).click()
    wait_for(lambda: state_of(engine, "m-b2-kw") == "shelved")
    wait_for(lambda: cell(browser, "m-b2-kw water_leak") is None)

    # Keyboard: focus a row, press A; focus another, press S.
    cell(browser, "m-b3-kw water_leak").click()
    webdriver.ActionChains(browser).send_keys("a").perform()
    wait_for(lambda: state_of(engine, "m-b3-kw") == "active_ack")
    cell(browser, "m-b4-kw water_leak").click()
    webdriver.ActionChains(browser).send_keys("s").perform()
    wait_for(lambda: state_of(engine, "m-b4-kw") == "shelved")

    # The shelved list is one click away.
    browser.find_element(By.XPATH, "//label[contains(., '已搁置')]").click()
    wait_for(lambda: cell(browser, "m-b4-kw water_leak"))

    # A new alarm: beep, flash (the client counts alerts it raised).
    engine.submit([signal(source="m-b5-kw", at=datetime.now(UTC))], datetime.now(UTC))
    script = "return window.__dutyKnown ? Array.from(window.__dutyKnown) : [];"
    new_id = next(a.id for a in engine.open_alarms() if a.source == "m-b5-kw")
    wait_for(lambda: new_id in browser.execute_script(script), timeout_s=15)
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    wait_for(lambda: "报警详情" in browser.find_element(By.ID, ids.DUTY_ROOT).text)
    browser.save_screenshot(SCREENSHOT)
    assert severe_logs(browser) == []
