"""What the wall's browser tests share: the `python -m dashboard` environment, site
files with screens, reading a tile, the browser's severe logs, and live events
injected into Redis."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import redis
import yaml
from selenium import webdriver

from harness.dashboard_process import REPO
from streams.config.site import Site
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import EnergyEvent, Event, GateEvent

Start = Callable[..., str]  # the `start_wall` fixture: settings in, base URL out
KIOSK = """const d = document.documentElement, b = document.body;
return [d.scrollWidth <= innerWidth && d.scrollHeight <= innerHeight,
        getComputedStyle(b).overflow, getComputedStyle(d).overflow];"""


def wall_env(
    site_file: Path, redis_url: str, history_url: str, port: int, **settings: str
) -> dict[str, str]:
    """The dashboard's environment: no inherited IOC_* names, the test's servers,
    site file and port, and extra settings (`wall_poll_ms="1000"` is
    IOC_WALL_POLL_MS)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    env |= {
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": history_url,
        "IOC_SITE_FILE": str(site_file),
        "IOC_DASHBOARD_PORT": str(port),
        "PYTHONPATH": str(REPO),
    }
    return env | {f"IOC_{k.upper()}": v for k, v in settings.items()}


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
