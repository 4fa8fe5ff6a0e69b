"""Camera alarm rules and their route through the detection hub: intrusion in
restricted zones (critical in quiet hours), loitering, tampering; queue density
feeds the congestion detector."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from streams.detection import DetectionHub
from streams.detection.cameras import CameraRules
from streams.wire.contracts import CameraEvent
from tests.detection_runs import ListSink, sample_site

DAY = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a Wednesday
NIGHT = datetime(2026, 6, 10, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai


def camera_event(
    device: str, kind: str, zone: str | None, count: int, ts: datetime = DAY
) -> CameraEvent:
    return CameraEvent(
        event_id=uuid.uuid4(),
        ts=ts,
        device=device,
        kind=kind,  # type: ignore[arg-type]
        zone=zone,
        count=count,
        snapshot="20260610T020000000Z-zone_intrusion" if count else None,
    )


@pytest.fixture(scope="module")
def rules() -> CameraRules:
    return CameraRules(sample_site())


@pytest.mark.parametrize(("ts", "severity"), [(DAY, "major"), (NIGHT, "critical")])
def test_intrusion_in_a_restricted_zone(
    rules: CameraRules, ts: datetime, severity: str
) -> None:
    [signal] = rules.signals(
        camera_event("cam-power-room", "zone_intrusion", "power-room", 2, ts)
    )
    assert (signal.kind, signal.source, signal.state) == (
        "zone_intrusion",
        "power-room",
        "active",
    )
    assert signal.severity == severity and signal.area == "b6"
    assert "配电房禁区" in signal.message and "2人" in signal.message
    assert signal.evidence["snapshot"] == "20260610T020000000Z-zone_intrusion"


@pytest.mark.parametrize(
    ("minute", "quiet"),
    [("21:59", False), ("22:00", True), ("05:59", True), ("06:00", False)],
)
def test_quiet_hours_boundaries(rules: CameraRules, minute: str, quiet: bool) -> None:
    hours, minutes = map(int, minute.split(":"))
    local = datetime(2026, 6, 10, hours, minutes, tzinfo=UTC) - timedelta(hours=8)
    assert rules.quiet(local) is quiet


def test_intrusion_count_zero_clears_and_other_zones_are_ignored(
    rules: CameraRules,
) -> None:
    [cleared] = rules.signals(
        camera_event("cam-power-room", "zone_intrusion", "power-room", 0)
    )
    assert cleared.state == "cleared"
    public = camera_event("cam-b1-lobby", "zone_intrusion", "b1-lobby", 3)
    assert rules.signals(public) == []
    unknown = camera_event("cam-power-room", "zone_intrusion", "b1-lobby", 3)
    assert rules.signals(unknown) == []


def test_loitering_severity_by_zone_kind(rules: CameraRules) -> None:
    [lobby] = rules.signals(camera_event("cam-b1-lobby", "loitering", "b1-lobby", 1))
    [vault] = rules.signals(
        camera_event("cam-b2-archive", "loitering", "b2-archive", 1)
    )
    assert (lobby.severity, vault.severity) == ("minor", "major")


def test_tampering_is_about_the_camera(rules: CameraRules) -> None:
    [on] = rules.signals(camera_event("cam-parking", "camera_moved", None, 1))
    [off] = rules.signals(camera_event("cam-parking", "camera_moved", None, 0))
    assert (on.kind, on.source, on.state, off.state) == (
        "camera_tampered",
        "cam-parking",
        "active",
        "cleared",
    )
    assert on.details["tamper"] == "camera_moved" and "移动" in on.message


def test_counts_raise_nothing(rules: CameraRules) -> None:
    assert (
        rules.signals(camera_event("cam-c1-queue", "people_count", "c1-queue", 40))
        == []
    )


def test_hub_raises_then_clears_an_intrusion() -> None:
    sink = ListSink()
    now = [DAY]
    hub = DetectionHub(sample_site(), sink, clock=lambda: now[0])
    hub.observe([camera_event("cam-power-room", "zone_intrusion", "power-room", 1)])
    now[0] = DAY + timedelta(seconds=20)
    hub.observe(
        [camera_event("cam-power-room", "zone_intrusion", "power-room", 0, now[0])]
    )
    states = [(s.kind, s.state) for s in sink.signals]
    assert states == [("zone_intrusion", "active"), ("zone_intrusion", "cleared")]


def test_hub_feeds_queue_density_to_congestion() -> None:
    hub = DetectionHub(sample_site(), ListSink(), clock=lambda: DAY)
    hub.observe([camera_event("cam-c1-queue", "crowd_density", "c1-queue", 23)])
    assert hub.stats.failures == {}
    assert hub.stats.events == 1
