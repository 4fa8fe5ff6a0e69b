"""/briefing in headless Chromium against the real app and a PostgreSQL holding a
simulated day: the report shows the day's electricity computed here from the raw
rows, the export button archives a PDF the page links to, and the page prints (print
CSS hides the controls; Chromium prints it to PDF)."""

from __future__ import annotations

import base64
import urllib.error
import urllib.request
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By

from dashboard.auth.gate import SESSION_COOKIE
from layouts import ids
from streams.config.site import Site
from tests.briefing_week import WEEK, fill_days
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui


def _day_kwh(site: Site, url: str) -> float:
    tz = ZoneInfo(site.timezone)
    start = datetime.combine(WEEK, time(0), tz)
    meters = [m.id for m in site.meters if m.quantity == "electric_kw" and not m.parent]
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT value, interval_s FROM energy_readings WHERE device = ANY(%s)"
            " AND ts >= %s AND ts < %s",
            (meters, start, start + timedelta(days=1)),
        ).fetchall()
    return sum(value * interval_s / 3600 for value, interval_s in rows)


def _text(browser: webdriver.Chrome, element_id: str) -> str:
    found = browser.find_elements(By.ID, element_id)
    return found[0].text if found else ""


def test_briefing_page_shows_exports_and_prints(
    browser: webdriver.Chrome, dashboard_url: str, history_url: str, site: Site
) -> None:
    fill_days(site, history_url, WEEK, 1)
    expected = f"{_day_kwh(site, history_url):,.0f} kWh"
    browser.get(f"{dashboard_url}/briefing?kind=day&date={WEEK.isoformat()}")
    wait_for(
        lambda: _text(browser, "briefing-kpi-b_electricity") == expected, timeout_s=60
    )
    assert "当日用电" in _text(browser, "briefing-narrative")

    browser.find_element(By.ID, ids.BRIEFING_EXPORT).click()
    wait_for(
        lambda: "已归档" in _text(browser, ids.BRIEFING_EXPORT_STATUS), timeout_s=60
    )
    link = browser.find_element(By.CSS_SELECTOR, ".archive-pdf").get_attribute("href")
    cookie = browser.get_cookie(SESSION_COOKIE)
    assert cookie is not None
    status, kind, head = fetch(str(link), cookie["value"])
    assert (status, kind, head) == (200, "application/pdf", b"%PDF-")
    bad = f"{dashboard_url}/briefing/files/day/x/zh/briefing.pdf"
    assert fetch(bad, cookie["value"])[0] == 404
    assert fetch(str(link), "")[0] == 401  # the archive needs a signed-in leader


def fetch(url: str, session: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        url, headers={"Cookie": f"{SESSION_COOKIE}={session}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read(5)
    except urllib.error.HTTPError as error:
        return error.code, "", b""


RECORD_PRINT_CALLS = """
window.__printCalls = 0;
window.print = function recordPrint() { window.__printCalls += 1; };
"""
PRINT_CALLS = "return window.__printCalls;"


def test_briefing_prints(
    browser: webdriver.Chrome, dashboard_url: str, history_url: str, site: Site
) -> None:
    fill_days(site, history_url, WEEK, 1)
    browser.get(f"{dashboard_url}/briefing?kind=day&date={WEEK.isoformat()}")
    wait_for(
        lambda: "kWh" in _text(browser, "briefing-kpi-b_electricity"), timeout_s=60
    )
    controls = browser.find_element(By.CSS_SELECTOR, ".briefing-controls")
    assert controls.is_displayed()
    # The browser's own print dialog blocks Page.printToPDF on some Chromium builds
    # ("Page is already being printed"), so window.print is replaced by a recorder:
    # the button must call it exactly once; the PDF below is made the way the
    # browser's print would make it (print media, printToPDF).
    browser.execute_script(RECORD_PRINT_CALLS)
    browser.find_element(By.ID, ids.BRIEFING_PRINT).click()
    wait_for(lambda: browser.execute_script(PRINT_CALLS) == 1, timeout_s=10)
    assert browser.execute_script(PRINT_CALLS) == 1  # once per click, not more
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not controls.is_displayed()
    printed = browser.execute_cdp_cmd(
        "Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69}
    )
    assert base64.b64decode(printed["data"]).startswith(b"%PDF-")
    severe = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == []
