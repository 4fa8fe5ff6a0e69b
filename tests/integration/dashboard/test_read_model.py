"""The live read model over the machine's real Redis: events applied with `LiveState`,
read back with `LiveReader` (unique site id per test, keys deleted afterwards)."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import pytest
import redis

from dashboard.data import LiveReader, LiveSnapshot, LiveUnavailable
from streams.config.site import Site
from streams.live.state import LiveConfig, LiveState
from streams.wire.contracts import (
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
)
from streams.wire.decoding import DecodeError

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(microsecond=0)
Quantity = Literal[
    "electric_kwh", "electric_kw", "water_m3", "pv_kwh", "pv_kw", "hvac_kw", "hvac_kwh"
]


def gate(
    direction: Literal["in", "out"],
    subject: Literal["staff", "visitor", "vehicle"],
    *,
    at: datetime = NOW,
    **kw: Any,
) -> GateEvent:
    kind: Literal["plate", "face"] = "plate" if subject == "vehicle" else "face"
    gate_id = "gate-west-car" if subject == "vehicle" else "gate-east"
    fields: dict[str, Any] = {"result": "granted", **kw}
    return GateEvent(
        event_id=uuid.uuid4(), ts=at, device=gate_id, direction=direction,
        subject=subject, credential_kind=kind, credential="x", **fields,
    )  # fmt: skip


def meal(window: str, count: int, *, at: datetime = NOW) -> CanteenEvent:
    return CanteenEvent(
        event_id=uuid.uuid4(), ts=at, device=window, kind="settlement",
        meal="lunch", count=count, amount_yuan=12.0 * count,
    )  # fmt: skip


def window(
    window_id: str,
    kind: Literal["window_open", "window_close"],
    *,
    at: datetime = NOW,
) -> CanteenEvent:
    return CanteenEvent(
        event_id=uuid.uuid4(), ts=at, device=window_id, kind=kind, meal="lunch"
    )


def meter(
    meter_id: str, quantity: Quantity, value: float, *, at: datetime = NOW
) -> EnergyEvent:
    return EnergyEvent(
        event_id=uuid.uuid4(), ts=at, device=meter_id, quantity=quantity,
        value=value, interval_s=60,
    )  # fmt: skip


def status(
    device: str, state: Literal["online", "offline", "heartbeat"], *, at: datetime = NOW
) -> StatusEvent:
    return StatusEvent(event_id=uuid.uuid4(), ts=at, device=device, state=state)


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(redis_url)
    yield conn
    conn.close()


def make_reader(site: Site, url: str) -> LiveReader:
    return LiveReader.from_url(url, site, day_reset_hour=4, clock=lambda: NOW)


def read(
    site: Site, client: redis.Redis, url: str, events: list[Event]
) -> LiveSnapshot:
    LiveState(client, LiveConfig(site)).apply(events)
    result = make_reader(site, url).snapshot()
    assert isinstance(result, LiveSnapshot)
    return result


def test_people_on_site_is_in_minus_out_clamped_at_zero(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    events: list[Event] = [gate("in", "staff") for _ in range(5)]
    events += [gate("out", "staff") for _ in range(2)]
    events += [gate("in", "visitor"), gate("out", "vehicle"), gate("out", "vehicle")]
    events += [gate("in", "visitor", result="denied", deny_reason="no_appointment")]
    snap = read(site, client, redis_url, events)
    assert snap.onsite == {"staff": 3, "visitor": 1, "vehicle": 0}
    assert snap.people_onsite == 4
    assert snap.entries == {"staff": 5, "visitor": 1, "vehicle": 0}
    assert snap.denied == 1


def test_meals_per_window_and_canteen_and_open_windows(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    events: list[Event] = [meal("c1-w1", 2), meal("c1-w1", 3), meal("c1-w3", 1)]
    events += [meal("c2-w1", 4), window("c1-w1", "window_open")]
    events += [window("c2-w2", "window_open", at=NOW - timedelta(minutes=5))]
    events += [window("c2-w2", "window_close")]
    snap = read(site, client, redis_url, events)
    assert snap.meals_by_window["c1-w1"] == 5
    assert snap.meals_by_window["c1-w3"] == 1
    assert snap.meals_by_window["c2-w3"] == 0
    assert snap.meals_by_canteen == {"canteen-1": 6, "canteen-2": 4}
    assert snap.windows_open["c1-w1"] is True
    assert snap.windows_open["c2-w2"] is False
    assert sum(snap.windows_open.values()) == 1


def test_power_per_building_sums_the_latest_value_of_each_meter(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    raw = site.model_dump(mode="json")
    extra = {"id": "m-b1-kw2", "name": "1号楼 二路进线", "building": "b1",
             "quantity": "electric_kw", "max_value": 3000}  # fmt: skip
    two_meters = Site.model_validate({**raw, "meters": [*raw["meters"], extra]})
    events: list[Event] = [
        meter("m-b1-kw", "electric_kw", 100.0, at=NOW - timedelta(minutes=1)),
        meter("m-b1-kw", "electric_kw", 120.0),
        meter("m-b1-kw2", "electric_kw", 30.0),
        meter("m-b2-kw", "electric_kw", 200.0),
        meter("m-b1-hvac", "hvac_kw", 50.0),
        meter("m-pv-b4", "pv_kw", 40.0),
        meter("m-pv-b5", "pv_kw", 20.5),
        meter("m-water-main", "water_m3", 1.5),
        meter("m-water-main", "water_m3", 0.5, at=NOW - timedelta(seconds=30)),
    ]
    snap = read(two_meters, client, redis_url, events)
    assert snap.power_by_building_kw["b1"] == pytest.approx(150.0)
    assert snap.power_by_building_kw["b2"] == pytest.approx(200.0)
    assert snap.power_by_building_kw["b3"] == 0.0
    assert snap.power_kw == pytest.approx(350.0)
    assert snap.pv_kw == pytest.approx(60.5)
    assert snap.hvac_kw == pytest.approx(50.0)
    assert snap.water_today_m3 == pytest.approx(2.0)
    # every 60 s reading adds kW × 1/60 h; 100 + 120 + 30 + 200 kW
    assert snap.electricity_today_kwh == pytest.approx(450.0 / 60)


def test_device_health_counts_silent_and_offline_devices_as_offline(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    events: list[Event] = [
        status("gate-east", "online"),
        status("gate-north", "heartbeat", at=NOW - timedelta(seconds=599)),
        status("gate-west-car", "offline"),
        status("gate-south-car", "online", at=NOW - timedelta(seconds=601)),
        meter("m-b1-kw", "electric_kw", 10.0),
    ]
    snap = read(site, client, redis_url, events)
    total = len(site.devices_by_stream["status"])
    assert snap.devices.total == total
    assert snap.devices.online == 3  # gate-east, gate-north, m-b1-kw


def test_dead_letter_count(site: Site, client: redis.Redis, redis_url: str) -> None:
    state = LiveState(client, LiveConfig(site))
    errors = [DecodeError.of("ioc/x/gate/y", "not JSON", b"{") for _ in range(3)]
    state.record_dead_letters(errors, NOW)
    state.record_dead_letters(errors[:1], NOW)
    snap = read(site, client, redis_url, [])
    assert snap.dead_letters == 4


def test_data_age_per_group(site: Site, client: redis.Redis, redis_url: str) -> None:
    events: list[Event] = [
        gate("in", "staff", at=NOW - timedelta(seconds=95)),
        gate("in", "staff", at=NOW - timedelta(seconds=30)),
        meter("m-b2-kw", "electric_kw", 5.0, at=NOW - timedelta(seconds=7)),
    ]
    snap = read(site, client, redis_url, events)
    assert snap.age_s("gate") == pytest.approx(30.0)
    assert snap.age_s("energy") == pytest.approx(7.0)
    assert snap.age_s("any") == pytest.approx(7.0)
    assert snap.age_s("canteen") is None


def test_a_gate_heartbeat_does_not_make_gate_data_look_fresh(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    events: list[Event] = [
        gate("in", "staff", at=NOW - timedelta(minutes=20)),
        status("gate-east", "heartbeat", at=NOW - timedelta(seconds=5)),
    ]
    snap = read(site, client, redis_url, events)
    assert snap.age_s("gate") == pytest.approx(20 * 60)
    assert snap.age_s("status") == pytest.approx(5.0)


def test_water_today_counts_sub_meters_once(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    assert site.meters_by_id["m-water-b6"].parent == "m-water-main"
    events: list[Event] = [
        meter("m-water-main", "water_m3", 1.5),  # the whole compound, b6 included
        meter("m-water-b6", "water_m3", 0.7),
    ]
    assert read(site, client, redis_url, events).water_today_m3 == pytest.approx(1.5)


def test_events_per_minute_over_the_last_ten_minutes(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    minute = NOW.replace(second=0)
    events: list[Event] = [gate("in", "staff", at=minute) for _ in range(4)]
    events += [gate("in", "staff", at=minute - timedelta(minutes=3))]
    events += [meter("m-b1-kw", "electric_kw", 1.0, at=minute - timedelta(minutes=3))]
    events += [gate("in", "staff", at=minute - timedelta(minutes=12))]  # too old
    snap = read(site, client, redis_url, events)
    assert len(snap.minutes) == 10 and snap.minutes[-1] == minute
    assert snap.events_per_minute["gate"] == (0,) * 6 + (1, 0, 0, 4)
    assert snap.events_per_minute["energy"] == (0,) * 6 + (1, 0, 0, 0)
    assert snap.total_per_minute() == (0,) * 6 + (2, 0, 0, 4)


def test_empty_site_reads_zeros(site: Site, redis_url: str) -> None:
    snap = make_reader(site, redis_url).snapshot()
    assert isinstance(snap, LiveSnapshot)
    assert snap.people_onsite == 0 and snap.dead_letters == 0
    assert snap.devices.online == 0
    assert all(v is None for v in snap.last_data.values())


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_redis_down_reads_as_unavailable(site: Site) -> None:
    reader = make_reader(site, f"redis://127.0.0.1:{closed_port()}/0")
    result = reader.snapshot()
    assert isinstance(result, LiveUnavailable)
    assert result.reason == "ConnectionError"
    assert isinstance(reader.snapshot(), LiveUnavailable)  # and again, quietly
