"""The overview callbacks' functions called directly, over LiveReader on real Redis."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import redis
from dash import html

from dashboard.data import LiveReader
from dashboard.overview import live_outputs
from layouts import ids
from streams.contracts import GateEvent, StatusEvent
from streams.live import LiveConfig, LiveState
from streams.site import Site

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
TILE_INDEX = {tile: i + 2 for i, tile in enumerate(ids.OVERVIEW_TILES)}


def staff_in(at: datetime) -> GateEvent:
    return GateEvent(
        event_id=uuid.uuid4(), ts=at, device="gate-east", direction="in",
        subject="staff", credential_kind="card", credential="c1", result="granted",
    )  # fmt: skip


def tile_text(outputs: list[Any], tile: str, part: str) -> str:
    return str(html.Div(outputs[TILE_INDEX[tile]])[part].children)


def test_live_outputs_fill_tiles_from_redis(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    state = LiveState(client, LiveConfig(site))
    state.apply([staff_in(NOW - timedelta(seconds=5)) for _ in range(7)])
    state.apply([StatusEvent(event_id=uuid.uuid4(), ts=NOW, device="m-b1-kw",
                             state="online")])  # fmt: skip
    reader = LiveReader.from_url(redis_url, site, clock=lambda: NOW)

    outputs = live_outputs(reader.snapshot(), site, "zh")

    people = ids.OVERVIEW_PEOPLE_ONSITE
    assert tile_text(outputs, people, ids.value_of(people)) == "7"
    assert tile_text(outputs, people, ids.age_of(people)) == "5 秒前更新"
    meals = ids.OVERVIEW_MEALS_TODAY
    assert tile_text(outputs, meals, ids.age_of(meals)) == "暂无数据"
    assert outputs[1] == []  # no status banner
    client.close()


def test_stale_gate_feed_shows_when_it_stopped(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    LiveState(client, LiveConfig(site)).apply([staff_in(NOW - timedelta(hours=1))])
    reader = LiveReader.from_url(redis_url, site, clock=lambda: NOW)

    outputs = live_outputs(reader.snapshot(), site, "en")

    stopped = (NOW - timedelta(hours=1)).astimezone(ZoneInfo(site.timezone))
    people = ids.OVERVIEW_PEOPLE_ONSITE
    expected = f"feed stopped {stopped:%H:%M}"
    assert tile_text(outputs, people, ids.age_of(people)) == expected
    client.close()


def test_live_outputs_say_unavailable_when_redis_is_down(site: Site) -> None:
    reader = LiveReader.from_url("redis://127.0.0.1:9/0", site, clock=lambda: NOW)

    outputs = live_outputs(reader.snapshot(), site, "zh")

    assert "实时数据不可用" in str(outputs[1])
    people = ids.OVERVIEW_PEOPLE_ONSITE
    assert tile_text(outputs, people, ids.value_of(people)) == "—"
    assert tile_text(outputs, people, ids.age_of(people)) == "实时数据不可用"
