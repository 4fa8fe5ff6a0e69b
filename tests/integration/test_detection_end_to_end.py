"""One simulated incident end to end through the real alarm engine (PostgreSQL +
Redis mirror), and the runner's Redis side: signals stream, congestion hash."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import cast

import pytest
import redis

from streams.config.site import Site
from streams.detection import DetectionHub, RedisSignalSink
from streams.detection.runner import CongestionPublisher
from streams.live.keys import Keys
from tests.detection_runs import (
    WEDNESDAY,
    ListSink,
    local,
    make_sim,
    past_weeks_baseline,
    run_hub,
)
from tests.integration.alarm_fixtures import make_engine

pytestmark = pytest.mark.integration


def test_camera_offline_incident_opens_one_alarm(
    site: Site, pg_url: str, redis_url: str
) -> None:
    engine, _mirror = make_engine(site, pg_url, redis_url)
    start = local(WEDNESDAY, "09:50")
    now = [start]
    hub = DetectionHub(site, engine, clock=lambda: now[0])
    sim = make_sim(start, ["camera_offline"])
    minute = start
    while minute < start + timedelta(minutes=30):
        following = minute + timedelta(minutes=1)
        now[0] = following
        hub.observe([event for _, event in sim.events(minute, following)])
        hub.tick(following)
        minute = following
    try:
        alarms = engine.open_alarms()
        assert [(a.kind, a.source) for a in alarms] == [
            ("camera_offline", "cam-parking")
        ]
        assert alarms[0].message.startswith("摄像机地面停车场离线")
    finally:
        engine.close()


def test_redis_side_of_the_runner(site: Site, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    keys = Keys(site.id)
    pubsub = client.pubsub()
    pubsub.subscribe(keys.changed_channel)
    clock = ListSink()  # run_hub moves its `now`: the hub's simulated wall clock
    hub = DetectionHub(
        site,
        RedisSignalSink(client, site.id),
        clock=lambda: clock.now or local(WEDNESDAY, "10:30"),
        publish_congestion=CongestionPublisher(client, site.id),
    )
    run_hub(
        local(WEDNESDAY, "10:30"),
        2,
        ["queue_surge"],
        baseline=past_weeks_baseline(),
        hub=hub,
        sink=clock,
        sim=make_sim(local(WEDNESDAY, "10:30"), ["queue_surge"]),
    )
    entries = cast(
        list[tuple[bytes, dict[bytes, bytes]]], client.xrange(keys.alarm_signals)
    )
    kinds = {json.loads(fields[b"signal"])["kind"] for _, fields in entries}
    assert kinds == {"canteen_congestion"}
    state = json.loads(client.hget(keys.congestion, "canteen-1"))  # type: ignore[arg-type]
    assert state["source"] == "canteen-1" and state["level"] in ("畅通", "较忙", "拥堵")
    assert json.loads(client.hget(keys.congestion, "c1-w2"))["source"] == "c1-w2"  # type: ignore[arg-type]
    notices = []
    for _ in range(50):  # bounded: the notices were published before we read
        message = pubsub.get_message(timeout=0.1)
        if message and message["type"] == "message":
            notices.append(message["data"])
        if b"congestion" in notices:
            break
    assert b"congestion" in notices
    pubsub.close()
    client.close()
