"""The energy wall's intensity tile: live totals over distinct people granted entry
today (our own stand-in for the history reader answers the people count)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dash import html

from dashboard.wall.context import WallContext
from dashboard.wall.energy import intensity_body
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.sources import EMPTY
from layouts import ids
from streams.config.site import Site
from streams.history.briefing_reads import people_on_site
from tests.unit.dashboard.test_app import AT, snapshot

TZ = ZoneInfo("Asia/Shanghai")


class PeopleCount:
    """Answers `people_on_site` with a fixed count and records the window asked."""

    def __init__(self, people: int) -> None:
        self.people = people
        self.windows: list[tuple[datetime, datetime]] = []

    def run_query(self, fn: Callable[..., Any], **kw: Any) -> int:
        assert fn is people_on_site
        self.windows.append((kw["start"], kw["end"]))
        return self.people


def tile(site: Site, people: int, **live: object) -> tuple[html.Div, PeopleCount]:
    reader = PeopleCount(people)
    history = WallHistory(reader, TZ, clock=lambda: AT)  # type: ignore[arg-type]
    ctx = WallContext(snapshot(site, **live), EMPTY, history, site, Staleness(site))
    return html.Div(intensity_body(ctx, "zh")), reader


def test_per_person_and_per_meal(sample_site: Site) -> None:
    body, reader = tile(sample_site, 400)
    value = body[ids.value_of(ids.ENERGY_INTENSITY)].children
    assert value == "5.9"  # 2345.6 kWh / 400 people
    text = str(body)
    assert "31 L" in text  # 12.25 m³ / 400 people
    assert "29.32 kWh" in text  # 2345.6 kWh / 80 meals (10 per window)
    start, end = reader.windows[0]
    assert start.astimezone(TZ).hour == 4  # since the day's reset hour
    assert end > AT


def test_no_entries_yet(sample_site: Site) -> None:
    body, _ = tile(sample_site, 0)
    assert body[ids.value_of(ids.ENERGY_INTENSITY)].children == "—"
    assert "今日尚无入园记录" in str(body)
