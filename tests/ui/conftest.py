"""UI fixtures: the real app as a `python -m dashboard` process; headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from streams.history.migrations import migrate
from tests.ui.polling import wait_for

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JIGUAN_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("JIGUAN_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


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
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env |= {
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": history_url,
        "IOC_SITE_FILE": str(site_file),
        "IOC_DASHBOARD_PORT": str(port),
        "PYTHONPATH": str(REPO),
    }
    log = (tmp_path / "dashboard.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "dashboard"], cwd=REPO, env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or _healthy(url), timeout_s=30)
        assert process.poll() is None, (tmp_path / "dashboard.log").read_text()
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
def browser(chromium_options: webdriver.ChromeOptions) -> Iterator[webdriver.Chrome]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.skip("chromium / chromedriver not installed")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options)
    driver.set_page_load_timeout(30)
    # A wall screen's viewport, whatever the headless window's decorations take.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        yield driver
    finally:
        driver.quit()
