"""The wall's tile builders over the real read model: LiveReader on Redis,
WallHistory on PostgreSQL, the alarm mirror and congestion keys, the push listener."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

import psycopg
import pytest
import redis
from dash import html

from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from dashboard.wall.context import WallContext, WallReader
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.page import tile_outputs
from dashboard.wall.push import ChangeListener
from dashboard.wall.sources import SourceReader
from layouts import ids
from streams.alarms.mirror import AlarmMirror
from streams.config.site import Site
from streams.history.migrations import migrate
from streams.history.writer import write_batch
from streams.live.keys import Keys
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import CameraEvent, EnergyEvent, Event, GateEvent

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)


def gate(
    at: datetime,
    subject: Literal["staff", "visitor", "vehicle"] = "staff",
    device: str = "gate-east",
) -> GateEvent:
    kind: Literal["plate", "card"] = "plate" if subject == "vehicle" else "card"
    return GateEvent(
        event_id=uuid.uuid4(), ts=at, device=device, direction="in",
        subject=subject, credential_kind=kind, credential="c1", result="granted",
    )  # fmt: skip


def reader_for(site: Site, redis_url: str, pg_url: str | None) -> WallReader:
    tz = ZoneInfo(site.timezone)
    live = LiveReader.from_url(redis_url, site, clock=lambda: NOW)
    history = None if pg_url is None else HistoryReader(pg_url, tz, clock=lambda: NOW)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    wall_history = WallHistory(history, tz, clock=lambda: NOW)
    return WallReader(
        live, SourceReader(client, site.id), wall_history, Staleness(site)
    )


def tile(outputs: list[Any], layout: str, tile_id: str, part: str) -> str:
    index = ids.SCREEN_TILES[layout].index(tile_id)
    return str(html.Div(outputs[index])[part].children)


def read(reader: WallReader) -> WallContext:
    result = reader.read()
    assert isinstance(result, WallContext)
    return result


def test_tiles_show_what_redis_holds(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    events: list[Event] = [gate(NOW - timedelta(seconds=5)) for _ in range(7)]
    events += [gate(NOW - timedelta(seconds=5), "vehicle") for _ in range(3)]
    pv = EnergyEvent(
        event_id=uuid.uuid4(), ts=NOW, device="m-pv-b4", quantity="pv_kw", value=123.4
    )
    queue = CameraEvent(
        event_id=uuid.uuid4(), ts=NOW, device="cam-c1-queue", kind="people_count",
        zone="c1-queue", count=37,
    )  # fmt: skip
    events += [pv, queue]
    LiveState(client, LiveConfig(site)).apply(events)
    AlarmMirror(client, site.id).beat(NOW)  # an engine with no alarms
    ctx = read(reader_for(site, redis_url, None))

    overview = tile_outputs(ctx, "overview", "zh")
    people = ids.OVERVIEW_PEOPLE_ONSITE
    assert tile(overview, "overview", people, ids.value_of(people)) == "7"
    assert tile(overview, "overview", people, ids.age_of(people)) == "5 秒前更新"
    cars = ids.OVERVIEW_VEHICLES_ONSITE
    assert tile(overview, "overview", cars, ids.value_of(cars)) == "3"
    congestion = ids.OVERVIEW_CONGESTION
    assert tile(overview, "overview", congestion, ids.value_of(congestion)) == "37"
    alarms = ids.OVERVIEW_ALARMS
    assert tile(overview, "overview", alarms, ids.value_of(alarms)) == "0"
    energy = tile_outputs(ctx, "energy", "zh")
    assert tile(energy, "energy", ids.ENERGY_PV, ids.value_of(ids.ENERGY_PV)) == "123"
    client.close()


def test_alarm_mirror_feeds_counts_and_band(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    record = {"id": "a1", "severity": "critical", "message": "配电房禁区闯入",
              "area": "配电房", "raised_at": NOW.isoformat(), "acknowledged": False,
              "active": True, "mode": "normal", "closed_at": None}  # fmt: skip
    client.hset(Keys(site.id).alarms_open, "a1", json.dumps(record))
    client.hset(Keys(site.id).alarms_open, "a2", json.dumps(record | {"id": "a2",
                "severity": "minor"}))  # fmt: skip
    ctx = read(reader_for(site, redis_url, None))
    assert ctx.sources.alarm_counts() == {"critical": 1, "major": 0, "minor": 1,
                                          "notice": 0}  # fmt: skip
    assert [a.place for a in ctx.sources.critical_unacknowledged()] == ["配电房"]
    client.close()


def test_alarm_tile_tells_no_alarms_from_no_engine(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    alarms = ids.OVERVIEW_ALARMS

    def shown(part: str = ids.age_of(alarms)) -> tuple[str, str]:
        overview = tile_outputs(
            read(reader_for(site, redis_url, None)), "overview", "zh"
        )
        value = tile(overview, "overview", alarms, ids.value_of(alarms))
        return value, tile(overview, "overview", alarms, part)

    assert shown(ids.value_of(alarms))[0] == "—"  # no engine ever: no made-up 0
    beat = NOW - timedelta(seconds=110)  # the limit is 120 s
    AlarmMirror(client, site.id).beat(beat)
    value, age = shown()
    assert value == "0" and age.endswith("秒前更新")
    beat -= timedelta(seconds=20)  # 130 s ago: the engine has stopped
    AlarmMirror(client, site.id).beat(beat)
    local = beat.astimezone(ZoneInfo(site.timezone))
    assert shown() == ("0", f"数据中断 {local:%H:%M}")
    client.close()


def test_congestion_state_replaces_the_camera_estimate(
    site: Site, redis_url: str
) -> None:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    state = {"queue": 52.4, "wait_min": 18.2, "forecast_wait_min": 24.0,
             "level": "拥堵", "at": NOW.isoformat()}  # fmt: skip
    client.hset(Keys(site.id).congestion, "canteen-1", json.dumps(state))
    ctx = read(reader_for(site, redis_url, None))
    canteen = tile_outputs(ctx, "canteen", "zh")
    forecast = ids.CANTEEN_FORECAST
    assert tile(canteen, "canteen", forecast, ids.value_of(forecast)) == "24"
    assert "拥堵" in str(canteen[ids.CANTEEN_TILES.index(ids.CANTEEN_QUEUE)])
    client.close()


def test_usual_day_and_history_tiles(site: Site, redis_url: str, pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
        past = [gate(NOW - timedelta(days=7 * w, minutes=m)) for w in (1, 2)
                for m in range(1, 21)]  # fmt: skip
        write_batch(
            conn, [*past, *(gate(NOW - timedelta(minutes=m)) for m in range(1, 11))]
        )
    LiveState(redis.Redis.from_url(redis_url), LiveConfig(site)).apply(
        [gate(NOW - timedelta(minutes=m)) for m in range(1, 23)]
    )
    ctx = read(reader_for(site, redis_url, pg_url))
    usual = ctx.history.usual_day("gate")
    assert usual is not None and usual.weeks == 2
    overview = tile_outputs(ctx, "overview", "zh")
    entries = str(overview[ids.OVERVIEW_TILES.index(ids.OVERVIEW_ENTRIES_TODAY)])
    assert "较常日 +" in entries  # 22 today against at most 20 on a usual day
    security = tile_outputs(ctx, "security", "zh")
    flow = str(security[ids.SECURITY_TILES.index(ids.SECURITY_GATE_FLOW)])
    assert "东大门" in flow and "'10'" in flow  # 10 entries in the last hour


def test_push_listener_merges_and_throttles(site: Site, redis_url: str) -> None:
    channel = Keys(site.id).changed_channel
    emitted: list[list[str]] = []
    stop = asyncio.Event()

    async def scenario() -> None:
        listener = ChangeListener(redis_url, channel, max_rate_hz=4.0)
        task = asyncio.create_task(listener.run(stop.is_set, emitted.append))
        await asyncio.sleep(0.3)  # subscribed
        client = redis.Redis.from_url(redis_url)
        for i in range(200):
            client.publish(channel, "gate" if i % 2 else "energy")
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.wait_for(task, 5)
        client.close()

    asyncio.run(scenario())
    assert 1 <= len(emitted) <= 6  # 4 per second at most
    assert set().union(*emitted) == {"gate", "energy"}
