"""Devices offline and meter health (−1 / at / +1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from detectors.devices.meters import MeterHealth, MeterHealthParams
from detectors.devices.offline import DeviceParams, DeviceWatch

T0 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
DP = DeviceParams()
MP = MeterHealthParams()


def devices() -> DeviceWatch:
    return DeviceWatch({"cam-1": "camera", "gate-1": "gate"}, {"cam-1": "大堂"})


@pytest.mark.parametrize(
    ("silent_s", "raised"),
    [
        (DP.silent_after_s - 1, False),
        (DP.silent_after_s, True),
        (DP.silent_after_s + 1, True),
    ],
)
def test_silent_device_against_the_feed(silent_s: int, raised: bool) -> None:
    w = devices()
    w.seen("gate-1", T0)
    w.seen("cam-1", T0 + timedelta(seconds=silent_s))  # the feed goes on
    found = w.evaluate()
    assert (
        [(s.kind, s.source) for s in found] == [("gate_offline", "gate-1")]
    ) == raised


def test_whole_feed_silent_is_no_device_fault() -> None:
    w = devices()
    w.seen("gate-1", T0)
    w.seen("cam-1", T0)
    assert w.evaluate() == []  # the watermark does not move without events


def test_reported_offline_then_online() -> None:
    w = devices()
    (raised,) = w.status("cam-1", T0, "offline", "无画面")
    assert (raised.kind, raised.message) == ("camera_offline", "摄像机大堂离线：无画面")
    assert w.status("cam-1", T0 + timedelta(seconds=5), "heartbeat") == []
    (cleared,) = w.status("cam-1", T0 + timedelta(minutes=60), "online")
    assert cleared.state == "cleared"


def health() -> MeterHealth:
    return MeterHealth({"kwh": 1000.0})


def feed(m: MeterHealth, meter: str, values: list[float], every_s: int = 60) -> list:
    found = []
    for i, value in enumerate(values):
        found += m.reading(meter, T0 + timedelta(seconds=every_s * i), value, every_s)
    return found


@pytest.mark.parametrize(
    ("same", "raised"),
    [
        (MP.stuck_readings - 1, False),
        (MP.stuck_readings, True),
        (MP.stuck_readings + 1, True),
    ],
)
def test_stuck_meter(same: int, raised: bool) -> None:
    found = feed(health(), "kw", [5.0] + [7.25] * same)
    assert ([s.kind for s in found] == ["meter_stuck"]) == raised


def test_zero_is_not_stuck() -> None:
    assert feed(health(), "pv", [0.0] * (MP.stuck_readings + 5)) == []


@pytest.mark.parametrize(
    ("before", "raised"), [(899.0, True), (900.0, False), (901.0, False)]
)
def test_reset_or_rollover(before: float, raised: bool) -> None:
    found = feed(health(), "kwh", [before, 3.0])
    assert ([s.kind for s in found] == ["meter_reset"]) == raised


def test_meter_silent_against_the_energy_feed() -> None:
    m = health()
    feed(m, "kw", [1.0])
    limit = max(MP.silent_min_s, MP.silent_intervals * 60)
    m.reading("other", T0 + timedelta(seconds=limit - 1), 1.0, 60)
    assert m.evaluate() == []
    m.reading("other", T0 + timedelta(seconds=limit), 1.0, 60)
    assert [(s.kind, s.source) for s in m.evaluate()] == [("meter_silent", "kw")]
    (back,) = m.reading("kw", T0 + timedelta(seconds=limit + 5), 1.0, 60)
    assert back.state == "cleared"
