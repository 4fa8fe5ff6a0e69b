"""Screenshots of every wall layout at 1920×1080 and 3840×2160 (headless Chromium).

python -m bench.wall_screenshots --url http://127.0.0.1:8050 --out docs/screenshots \
    --site-file S --database-url D --redis-url R

The wall needs a signed-in browser (docs/security.md): the tool creates a `leader`
user "screenshots" (random password) and a session in the dashboard's database and
Redis, and sets it as the browser's cookie.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from dashboard.auth.bootstrap import grant_session
from streams.config.site import WALL_LAYOUTS, load_site

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SIZES = {"1080p": (1920, 1080), "2160p": (3840, 2160)}
READY = (
    "return document.querySelectorAll('.wall .tile').length > 0 &&"
    " document.querySelectorAll('.wall .placeholder').length === 0 ||"
    " performance.now() > 20000"
)


def browser(width: int, height: int, session: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--lang=zh-CN",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_cdp_cmd(
        "Network.setCookie",
        {"name": "ioc_session", "value": session, "domain": "127.0.0.1", "path": "/",
         "httpOnly": True, "sameSite": "Strict"},
    )  # fmt: skip
    return driver


def shoot(
    url: str, out: Path, layouts: list[str], settle_s: float, session: str
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for label, (width, height) in SIZES.items():
        driver = browser(width, height, session)
        try:
            for layout in layouts:
                driver.get(f"{url}/wall/{layout}")
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline and not driver.execute_script(READY):
                    time.sleep(0.2)
                time.sleep(settle_s)
                path = out / f"{layout}-{label}.png"
                driver.save_screenshot(str(path))
                written.append(path)
        finally:
            driver.quit()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8050")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--layouts", nargs="*", default=list(WALL_LAYOUTS))
    parser.add_argument("--settle", type=float, default=2.5)
    parser.add_argument("--site-file", type=Path, required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    args = parser.parse_args()
    site_id = load_site(args.site_file).id
    session = grant_session(
        args.database_url, args.redis_url, site_id, "screenshots", "leader", "截图"
    )
    for path in shoot(args.url, args.out, args.layouts, args.settle, session):
        print(path)


if __name__ == "__main__":
    main()
