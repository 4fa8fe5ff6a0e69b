"""The web app without servers: app factory, callback functions on hand-made data,
history spans, and the entry point's refusal of bad settings."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import dash
import pytest

from dashboard.app import create_app
from dashboard.data import DeviceHealth, LiveReader, LiveSnapshot
from dashboard.history import span_bounds
from dashboard.wall.context import short_name
from layouts import ids
from streams.config.settings import load_settings
from streams.config.site import Site
from streams.wire.contracts import STREAMS

REPO = Path(__file__).resolve().parents[3]
TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2025, 5, 12, 10, 0, 30, tzinfo=TZ).astimezone(UTC)
CLOSED = "redis://127.0.0.1:9/0"  # nothing listens on the discard port


def snapshot(site: Site, **changes: object) -> LiveSnapshot:
    minutes = tuple(
        AT.replace(second=0) - timedelta(minutes=k) for k in range(9, -1, -1)
    )
    values: dict[str, object] = {
        "at": AT,
        "day": "20250512",
        "onsite": {"staff": 900, "visitor": 41, "vehicle": 120},
        "entries": {"staff": 1000, "visitor": 60, "vehicle": 150},
        "denied": 3,
        "meals_by_window": {w: 10 for w in site.windows},
        "meals_by_canteen": {c.id: 10 * len(c.windows) for c in site.canteens},
        "windows_open": {w: i < 3 for i, w in enumerate(site.windows)},
        "power_by_building_kw": {b.id: 100.0 for b in site.buildings},
        "pv_kw": 80.5,
        "hvac_kw": 300.0,
        "water_today_m3": 12.25,
        "electricity_today_kwh": 2345.6,
        "minutes": minutes,
        "events_per_minute": {s: (1,) * 10 for s in STREAMS},
        "devices": DeviceHealth(online=30, total=40),
        "dead_letters": 2,
        "last_data": {
            "gate": AT - timedelta(seconds=4),
            "canteen": AT - timedelta(hours=2),
            "energy": AT - timedelta(seconds=30),
            "any": AT - timedelta(seconds=1),
        },
    }
    values.update(changes)
    return LiveSnapshot(**values)  # type: ignore[arg-type]


def test_short_building_names() -> None:
    assert short_name("1号楼 市政府办公楼") == "1号楼"
    assert short_name("会议中心") == "会议中心"


@pytest.mark.parametrize(
    ("span", "local_now", "start", "end"),
    [
        ("hour", (10, 7, 30), (9, 8), (10, 8)),
        ("today", (10, 7, 30), (4, 0), (10, 8)),
        ("today", (3, 59, 59), (4, 0, -1), (4, 0)),  # before the reset: yesterday
        ("today", (4, 0, 0), (4, 0), (4, 1)),
    ],
)
def test_span_bounds(span: str, local_now: tuple[int, ...], start: tuple[int, ...],
                     end: tuple[int, ...]) -> None:  # fmt: skip
    def at(hour: int, minute: int, second_or_day: int = 0) -> datetime:
        day = 12 + (second_or_day if second_or_day < 0 else 0)
        second = second_or_day if second_or_day > 0 else 0
        return datetime(2025, 5, day, hour, minute, second, tzinfo=TZ)

    now = at(*local_now)
    assert span_bounds(span, now, TZ, 4) == (at(*start), at(*end))  # type: ignore[arg-type]


def test_thirty_days_start_at_local_midnight() -> None:
    now = datetime(2025, 5, 12, 10, 7, tzinfo=TZ)
    start, _ = span_bounds("30d", now, TZ, 4)
    assert start == datetime(2025, 4, 13, 0, 0, tzinfo=TZ)


def test_create_app_registers_pages_and_callbacks(site: Site) -> None:
    settings = load_settings({"IOC_REDIS_URL": CLOSED})
    app = create_app(settings, site, LiveReader.from_url(CLOSED, site))
    paths = {page["path"] for page in dash.page_registry.values()}
    templates = {page["path_template"] for page in dash.page_registry.values()}
    assert "/" in paths and "/wall/<name>" in templates
    outputs = " ".join(app.callback_map)
    assert ids.body_of(ids.OVERVIEW_PEOPLE_ONSITE) in outputs
    assert ids.body_of(ids.OVERVIEW_GATE_CHART) in outputs
    assert app.validation_layout[ids.WALL_PUSH] is not None  # type: ignore[index]  # set by create_app
    assert any(r.path == "/healthz" for r in app.server.routes)


def run_entry_point(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
    return subprocess.run(
        [sys.executable, "-m", "dashboard"], cwd=REPO, env=clean | env,
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_entry_point_refuses_unknown_setting() -> None:
    done = run_entry_point({"IOC_BOGUS": "1"})
    assert done.returncode == 2 and "IOC_BOGUS" in done.stderr


def test_entry_point_refuses_bad_site_file(tmp_path: Path) -> None:
    bad = tmp_path / "site.yaml"
    bad.write_text("id: x\n", encoding="utf-8")
    done = run_entry_point({"IOC_SITE_FILE": str(bad), "IOC_REDIS_URL": CLOSED})
    assert done.returncode == 2 and "site file" in done.stderr
