"""DetectionHub: routing, freshness horizon (−1 / at / +1), cleared only after
active, one failing detector never stops the others."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest

from detectors.canteen.congestion import CongestionState
from detectors.core.signals import AlarmSignal
from streams.detection import DetectionHub
from tests import builders
from tests.detection_runs import ListSink, sample_site

T0 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
FRESH = timedelta(minutes=15)


def hub_at(now: datetime) -> tuple[DetectionHub, ListSink]:
    sink = ListSink()
    return DetectionHub(sample_site(), sink, clock=lambda: now, fresh=FRESH), sink


def offline_at(ts: datetime) -> object:
    return builders.status("cam-parking", "offline", ts=ts)


@pytest.mark.parametrize(
    ("age", "passed"),
    [
        (FRESH - timedelta(seconds=1), True),
        (FRESH, True),
        (FRESH + timedelta(seconds=1), False),
    ],
)
def test_freshness_horizon(age: timedelta, passed: bool) -> None:
    hub, sink = hub_at(T0 + age)
    hub.observe([offline_at(T0)])  # type: ignore[list-item]
    assert bool(sink.signals) == passed
    assert hub.stats.stale_dropped == (0 if passed else 1)


def test_cleared_passes_only_after_its_active() -> None:
    hub, sink = hub_at(T0 + timedelta(hours=1))
    hub.observe([offline_at(T0)])  # type: ignore[list-item]
    back = builders.status("cam-parking", "online", ts=T0 + timedelta(hours=1))
    hub.observe([back])
    assert sink.signals == []  # the stale active was dropped, so is its clear


def test_routes_by_stream_and_sorts_the_batch() -> None:
    hub, sink = hub_at(T0)
    later = builders.status("cam-parking", "online", ts=T0 + timedelta(seconds=5))
    hub.observe([later, offline_at(T0)])  # type: ignore[list-item]
    assert [s.state for s in sink.signals] == ["active", "cleared"]
    assert hub.stats.events == 2


def test_a_failing_detector_does_not_stop_the_others() -> None:
    hub, sink = hub_at(T0)

    def broken(_event: object) -> list[AlarmSignal]:
        raise RuntimeError("boom")

    hub._routes["gate"] = broken
    hub.observe([builders.gate(ts=T0), offline_at(T0)])  # type: ignore[list-item]
    assert [s.kind for s in sink.signals] == ["camera_offline"]
    assert hub.stats.failures == {"gate": 1}


def test_tick_publishes_congestion_state() -> None:
    published: list[Mapping[str, CongestionState]] = []
    sink = ListSink()
    hub = DetectionHub(
        sample_site(), sink, clock=lambda: T0, publish_congestion=published.append
    )
    hub.observe(
        [
            builders.meal("c1-w1", kind="window_open", count=0, ts=T0),
            builders.meal("c1-w1", ts=T0 + timedelta(seconds=20)),
            builders.people(count=12, ts=T0 + timedelta(seconds=30)),
            # evaluated at whole minutes of canteen event time: 02:01 is complete
            builders.people(count=14, ts=T0 + timedelta(seconds=61)),
        ]
    )
    hub.tick(T0 + timedelta(minutes=2))
    states = published[-1]
    assert states["canteen-1"].queue == 12
    assert states["canteen-1"].level in ("畅通", "较忙", "拥堵")
    assert {w.source for w in states["canteen-1"].windows} >= {"c1-w1", "c1-w5"}
