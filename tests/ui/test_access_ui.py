"""Access control in headless Chromium against `python -m dashboard`: every page
renders under the Content-Security-Policy with no violation in the console; a
kiosk URL opens its one screen and nothing else; the admin page works."""

from __future__ import annotations

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.auth.bootstrap import issue_kiosk
from layouts import ids
from tests.ui.polling import wait_for

pytestmark = pytest.mark.ui
PAGES = ("/", "/wall/overview", "/wall/energy", "/duty", "/admin", "/security",
         "/briefing")  # fmt: skip
LAYOUTS = ("canteen", "traffic")  # the sample site's wall-2


def csp_problems(driver: webdriver.Chrome) -> list[str]:
    return [
        str(e["message"])
        for e in driver.get_log("browser")
        if "Content Security Policy" in str(e["message"])
        or "Refused to" in str(e["message"])
    ]


def rendered(driver: webdriver.Chrome) -> bool:
    content = driver.find_elements(By.ID, "_pages_content")
    return bool(content) and bool(content[0].text.strip())


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_without_csp_violations(
    browser: webdriver.Chrome, dashboard_url: str, path: str
) -> None:
    browser.get(f"{dashboard_url}{path}")
    wait_for(lambda: rendered(browser), timeout_s=30)
    browser.execute_script("return 1")  # let late scripts run
    assert csp_problems(browser) == []
    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []


def test_kiosk_url_opens_one_screen(
    browser: webdriver.Chrome, dashboard_url: str, history_url: str
) -> None:
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    token = issue_kiosk(history_url, "overview", "test")
    browser.get(f"{dashboard_url}/wall/overview?kiosk={token}")
    wait_for(lambda: browser.find_elements(By.ID, ids.WALL_BAND), timeout_s=30)
    assert "kiosk=" not in browser.current_url
    assert csp_problems(browser) == []
    browser.get(f"{dashboard_url}/duty")
    assert "sign-in required" in browser.page_source or "not allowed" in (
        browser.page_source
    )


def test_admin_page_creates_a_user(
    browser: webdriver.Chrome, dashboard_url: str
) -> None:
    browser.get(f"{dashboard_url}/admin")
    wait_for(lambda: browser.find_elements(By.ID, ids.ADMIN_USER_NAME), timeout_s=30)
    browser.find_element(By.ID, ids.ADMIN_USER_NAME).send_keys("zhao")
    browser.find_element(By.ID, ids.ADMIN_USER_DISPLAY).send_keys("赵六")
    browser.find_element(By.ID, ids.ADMIN_USER_PASSWORD).send_keys("Zhao-pass-2024")
    browser.find_element(By.ID, ids.ADMIN_USER_CREATE).click()
    wait_for(
        lambda: "zhao" in browser.find_element(By.ID, ids.ADMIN_USERS).text,
        timeout_s=30,
    )
    assert "zhao" in browser.find_element(By.ID, ids.ADMIN_USER_MESSAGE).text
    search = browser.find_element(By.ID, ids.ADMIN_AUDIT_TEXT)
    search.send_keys("user.create" + Keys.ENTER)
    wait_for(
        lambda: "user.create" in browser.find_element(By.ID, ids.ADMIN_AUDIT).text,
        timeout_s=30,
    )
    assert csp_problems(browser) == []


# Wraps the page's fetch: every callback request's HTTP status and output key.
RECORD_CALLBACKS = """window.__calls = []; const plain = window.fetch;
window.fetch = async (...args) => { const answer = await plain(...args);
  if (String(args[0]).includes('_dash-update-component')) {
    window.__calls.push([answer.status, JSON.parse(args[1].body).output]); }
  return answer; };"""


def test_kiosk_of_a_rotating_screen_reads_each_of_its_layouts(
    browser: webdriver.Chrome, dashboard_url: str, history_url: str
) -> None:
    """The sample's wall-2 rotates canteen and traffic every 30 s: its kiosk's
    tile callbacks succeed for both, none is refused."""
    browser.delete_all_cookies()
    browser.execute_cdp_cmd("Network.clearBrowserCookies", {})
    token = issue_kiosk(history_url, "wall-2", "test")
    browser.get(f"{dashboard_url}/wall/wall-2?kiosk={token}")
    wait_for(lambda: browser.find_elements(By.ID, ids.WALL_BAND), timeout_s=30)
    browser.execute_script(RECORD_CALLBACKS)
    firsts = {name: ids.body_of(ids.SCREEN_TILES[name][0]) for name in LAYOUTS}

    def read() -> set[str]:
        calls = browser.execute_script("return window.__calls")
        assert [c for c in calls if c[0] >= 400] == []  # 204: nothing changed
        return {name for _, out in calls for name in LAYOUTS if firsts[name] in out}

    wait_for(lambda: read() == set(LAYOUTS), timeout_s=90, every_s=1.0)
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
