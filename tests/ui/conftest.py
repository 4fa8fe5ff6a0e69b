"""UI fixtures: the real app as a `python -m dashboard` process (one per test, or
several with their own settings: `start_wall`); headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from dashboard.auth.bootstrap import grant_session
from dashboard.auth.gate import SESSION_COOKIE
from harness.dashboard_process import REPO, healthy, running_dashboard
from streams.config.site import Site
from streams.embedded.process import free_port
from streams.history.migrations import migrate
from tests.ui.polling import wait_for
from tests.ui.walls import Start, wall_env, write_site

CHROMIUM = os.environ.get("JIGUAN_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("JIGUAN_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")


@pytest.fixture
def history_url(pg_url: str) -> str:
    """A fresh database with the history schema."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
    return pg_url


@pytest.fixture
def dashboard_url(
    site_file: Path, redis_url: str, history_url: str, tmp_path: Path
) -> Iterator[str]:
    """`python -m dashboard` for the test's own site and database, on a free port."""
    log = tmp_path / "dashboard.log"
    with running_dashboard(site_file, redis_url, history_url, log) as url:
        yield url


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
        env = wall_env(site_file, redis_url, history_url, port, **settings)
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


@pytest.fixture
def chromium_options(tmp_path: Path) -> webdriver.ChromeOptions:
    """Every Chromium flag the UI tests use, in one place (headless, as root)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars=false",
        "--window-size=1920,1080",
        "--lang=zh-CN",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


@pytest.fixture
def ui_session(site: Site, redis_url: str, history_url: str) -> str:
    """A signed-in admin's session id (a real user and a real Redis session)."""
    return grant_session(history_url, redis_url, site.id, "ui-tester", "admin")


def sign_in(driver: webdriver.Chrome, session_id: str, host: str = "127.0.0.1") -> None:
    """Put the session cookie in the browser for every port of `host` (cookies
    ignore ports), before the first page opens."""
    driver.execute_cdp_cmd(
        "Network.setCookie",
        {
            "name": SESSION_COOKIE,
            "value": session_id,
            "domain": host,
            "path": "/",
            "httpOnly": True,
            "sameSite": "Strict",
        },
    )


class _SessionCookie(urllib.request.BaseHandler):
    """Adds the test session's cookie to plain HTTP requests to the loopback
    dashboard (tests that fetch a page with urllib, not the browser)."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id

    def http_request(self, request: urllib.request.Request) -> urllib.request.Request:
        if request.host.startswith("127.0.0.1") and not request.has_header("Cookie"):
            request.add_unredirected_header(
                "Cookie", f"{SESSION_COOKIE}={self.session_id}"
            )
        return request


@pytest.fixture(autouse=True)
def signed_in_urllib(ui_session: str) -> Iterator[None]:
    urllib.request.install_opener(
        urllib.request.build_opener(_SessionCookie(ui_session))
    )
    yield
    urllib.request.install_opener(None)


@pytest.fixture
def browser(
    chromium_options: webdriver.ChromeOptions, ui_session: str
) -> Iterator[webdriver.Chrome]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium / chromedriver not installed")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options)
    driver.set_page_load_timeout(30)
    sign_in(driver, ui_session)
    # A wall screen's viewport, whatever the headless window's decorations take.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        yield driver
    finally:
        driver.quit()
