"""The wall's logic without servers: registry, stale rules, alarm and congestion
records, and every layout's tile bodies on hand-made data (the history cache:
`test_history_cache.py`)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from dash import html

from dashboard.data import LiveUnavailable
from dashboard.wall.context import WallContext
from dashboard.wall.freshness import Staleness, in_meal_period
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.registry import ScreenRegistry, layout_at, load_wall_site
from dashboard.wall.sources import EMPTY, WallSources, parse_alarm, parse_congestion
from dashboard.wall.stage import tile_outputs
from layouts import ids
from layouts.wall import catalog
from streams.config.site import Screen, Site, SiteFileError, load_site
from tests.unit.dashboard.test_app import AT, snapshot

TZ = ZoneInfo("Asia/Shanghai")


def alarm(**fields: object) -> str:
    record = {
        "id": "a1", "severity": "critical", "message": "配电房禁区闯入",
        "area": "配电房",
        "raised_at": "2025-05-12T10:00:00+08:00", "acknowledged": False, "active": True,
        "mode": "normal", "summary_id": None, "closed_at": None,
    }  # fmt: skip
    return json.dumps(record | fields, ensure_ascii=False)


def test_rotation_follows_the_clock() -> None:
    screen = Screen(
        id="wall-2", name="左屏", layouts=["canteen", "traffic"], rotate_s=30
    )
    assert layout_at(screen, 0) == "canteen"
    assert layout_at(screen, 29.9) == "canteen"
    assert layout_at(screen, 30) == "traffic"
    assert layout_at(screen, 60) == "canteen"


def test_registry_resolves_only_known_names(sample_site: Site) -> None:
    registry = ScreenRegistry(sample_site, None)
    assert registry.resolve("overview").layouts == ["overview"]  # type: ignore[union-attr]
    assert registry.resolve("wall-2").rotate_s == 30  # type: ignore[union-attr]
    for bad in ("wall-9", "../etc", "<script>", None, 3, ["overview"]):
        assert registry.resolve(bad) is None


def test_registry_picks_up_a_changed_site_file(
    sample_site: Site, tmp_path: Path
) -> None:
    path = tmp_path / "site.yaml"
    raw = sample_site.model_dump(mode="json")
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    registry = ScreenRegistry(load_site(path), path, check_every_s=0)
    raw["screens"] = [
        {"id": "wall-9", "name": "新屏", "layouts": ["energy"], "rotate_s": 10}
    ]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    os.utime(path, (1, 1))
    assert set(registry.screens()) == {"wall-9"}
    path.write_text("screens: [{id: x}]\n")  # invalid: the registry is kept
    os.utime(path, (2, 2))
    assert set(registry.screens()) == {"wall-9"}
    raw["screens"] = [{"id": "wall-8", "name": "x", "layouts": ["weather"]}]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    os.utime(path, (3, 3))  # a layout the catalog does not have: kept too
    assert set(registry.screens()) == {"wall-9"}


@pytest.mark.parametrize(
    "screens",
    [
        [{"id": "overview", "name": "x", "layouts": ["energy"]}],
        [{"id": "w", "name": "x", "layouts": ["weather"]}],
        [{"id": "w", "name": "x", "layouts": []}],
        [{"id": "w", "name": "x", "layouts": ["energy"], "rotate_s": 5}],
        [{"id": "w", "name": "x", "layouts": ["energy"]}] * 2,
    ],
)
def test_site_refuses_bad_screens(
    sample_site: Site, tmp_path: Path, screens: list
) -> None:
    raw = sample_site.model_dump(mode="json") | {"screens": screens}
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(SiteFileError, match="screens"):
        load_wall_site(path)


def test_layout_names_are_the_catalogs_not_the_site_schemas(
    sample_site: Site, tmp_path: Path
) -> None:
    """streams checks a screen's layouts are names; the wall says which exist."""
    screens = [{"id": "w", "name": "x", "layouts": ["weather"]}]
    raw = sample_site.model_dump(mode="json") | {"screens": screens}
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    site = load_site(path)  # processes that show no screen: a name is enough
    with pytest.raises(SiteFileError, match="unknown layout 'weather'"):
        load_wall_site(path)
    with pytest.raises(ValueError, match="unknown layout"):
        ScreenRegistry(site, path)
    raw["screens"] = [{"id": "w", "name": "x", "layouts": ["../etc"]}]
    path.write_text(yaml.safe_dump(raw, allow_unicode=True))
    with pytest.raises(SiteFileError, match=r"screens\.0\.layouts\.0"):
        load_site(path)


@pytest.mark.parametrize(
    ("hh", "mm", "serving"),
    [(6, 44, False), (6, 45, True), (13, 15, True), (13, 16, False), (17, 15, True)],
)
def test_meal_periods_with_a_margin(
    sample_site: Site, hh: int, mm: int, serving: bool
) -> None:
    local = datetime(2025, 5, 12, hh, mm, tzinfo=TZ)
    assert in_meal_period(sample_site, local) is serving


def test_silent_canteen_is_stale_only_during_meals(sample_site: Site) -> None:
    stale = Staleness(sample_site)
    at_ten = snapshot(sample_site)  # 10:00, canteen silent for 2 h: outside meals
    assert stale.of(at_ten, "canteen").quiet_key == "out_of_meal"
    at_noon = snapshot(sample_site, at=AT + timedelta(hours=2))
    assert stale.of(at_noon, "canteen").quiet_key is None
    assert Staleness(sample_site, 0.01).limit_s("gate") == pytest.approx(9.0)


def test_stale_stamp_names_the_day_when_not_today(sample_site: Site) -> None:
    stale = Staleness(sample_site)
    assert stale.stamp(AT - timedelta(minutes=5), AT) == "09:55"
    assert stale.stamp(AT - timedelta(days=1), AT) == "05-11 10:00"


def test_alarm_records_and_the_band() -> None:
    sources = WallSources(
        alarms=tuple(
            a
            for a in (
                parse_alarm(alarm()),
                parse_alarm(alarm(id="a2", severity="major")),
                parse_alarm(alarm(id="a3", acknowledged=True)),
                parse_alarm(alarm(id="a4", mode="shelved")),
                parse_alarm("not json"),
            )
            if a is not None
        ),
        congestion=None,
        camera_counts={},
    )
    assert sources.alarm_counts() == {
        "critical": 2,
        "major": 1,
        "minor": 0,
        "notice": 0,
    }
    assert [a.id for a in sources.critical_unacknowledged()] == ["a1"]
    assert EMPTY.alarm_counts() is None and EMPTY.critical_unacknowledged() == []


def test_congestion_record_tolerates_missing_fields() -> None:
    state = parse_congestion("canteen-1", json.dumps({"queue": 31.6, "level": "较忙"}))
    assert state is not None and state.queue == 31.6 and state.wait_min is None
    assert parse_congestion("x", "[1, 2]") is None


@pytest.mark.parametrize("layout", list(catalog.LAYOUT_NAMES))
def test_every_layout_fills_every_tile(sample_site: Site, layout: str) -> None:
    ctx = WallContext(
        snapshot(sample_site),
        EMPTY,
        WallHistory(None, TZ, clock=lambda: AT),
        sample_site,
        Staleness(sample_site),
    )
    outputs = tile_outputs(ctx, layout, "zh")
    assert len(outputs) == len(catalog.BY_NAME[layout].tile_ids)
    rendered = str(outputs)
    assert "Traceback" not in rendered
    if layout == "overview":
        people = html.Div(outputs[0])[ids.value_of(ids.OVERVIEW_PEOPLE_ONSITE)]
        assert people.children == "941"
        assert "历史数据不可用" in rendered  # no database: said so


def test_unavailable_live_data_shows_dashes() -> None:
    outputs = tile_outputs(
        LiveUnavailable(datetime.now(UTC), "ConnectionError"), "energy", "zh"
    )
    assert all("实时数据不可用" in str(body) for body in outputs)
