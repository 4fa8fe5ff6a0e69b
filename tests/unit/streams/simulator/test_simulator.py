"""The simulated compound day: determinism, valid events, every stream, cameras and
heartbeats, weekends and the rate multiplier."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import numpy as np

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.wire.contracts import (
    CameraEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
    to_payload,
)
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from tests.unit.streams.simulator.days import (
    SATURDAY,
    WEDNESDAY,
    day_start,
    local_minute,
    of_kind,
    span,
    to_wire,
)


def test_same_seed_gives_identical_events(sample_site: Site) -> None:
    assert to_wire(span(sample_site, 5, (7, 9))) == to_wire(
        span(sample_site, 5, (7, 9))
    )


def test_different_seed_gives_different_events(sample_site: Site) -> None:
    first, second = span(sample_site, 5, (7, 9)), span(sample_site, 6, (7, 9))
    assert {e.event_id for _, e in first}.isdisjoint({e.event_id for _, e in second})
    gates = [
        [e.model_dump(exclude={"event_id"}) for e in of_kind(s, GateEvent)]
        for s in (first, second)
    ]
    assert gates[0] != gates[1]


def test_a_span_does_not_depend_on_where_the_run_started(sample_site: Site) -> None:
    late = {
        to_payload(e)
        for _, e in span(sample_site, 5, (8, 9))
        if not (isinstance(e, EnergyEvent) and e.cumulative)
        and not (isinstance(e, StatusEvent) and e.state == "online")
    }
    early = {to_payload(e) for _, e in span(sample_site, 5, (7, 9))}
    assert late <= early


def test_events_are_sorted_aware_and_unique(weekday: list[tuple[str, Event]]) -> None:
    stamps = [e.ts for _, e in weekday]
    assert stamps == sorted(stamps)
    assert all(ts.tzinfo is not None for ts in stamps)
    assert len({e.event_id for _, e in weekday}) == len(weekday)


def test_every_event_passes_edge_validation(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    now = day_start(sample_site, WEDNESDAY) + timedelta(days=2)
    for topic, event in weekday:
        decoded = decode_message(
            topic, to_payload(event), sample_site, now, EdgeLimits()
        )
        assert not isinstance(decoded, DecodeError), decoded
        assert decoded == event
        assert event.device in sample_site.devices_by_stream[event.stream]


def test_every_stream_is_present(weekday: list[tuple[str, Event]]) -> None:
    streams = Counter(e.stream for _, e in weekday)
    assert set(streams) == {
        "gate",
        "appointment",
        "canteen",
        "energy",
        "camera",
        "status",
    }


def test_cameras_follow_the_activity(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    counts: dict[str, list[tuple[float, int]]] = {}
    for event in of_kind(weekday, CameraEvent):
        counts.setdefault(event.zone or "", []).append(
            (local_minute(sample_site, event.ts), event.count)
        )
    queue = np.array(counts["c1-queue"])
    assert 11 * 60 + 20 <= queue[queue[:, 1].argmax(), 0] < 13 * 60
    lanes = np.array(counts["east-lanes"])
    assert 7 * 60 + 30 <= lanes[lanes[:, 1].argmax(), 0] < 9 * 60 + 30
    assert max(c for _, c in counts["b2-archive"]) == 0
    assert len(counts["east-lanes"]) == 2 * 1440


def test_devices_beat_every_five_minutes(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    beats = Counter(
        e.device for e in of_kind(weekday, StatusEvent) if e.state == "heartbeat"
    )
    assert beats == {d: 288 for d in sample_site.devices_by_stream["status"]}
    online = [e for e in of_kind(weekday, StatusEvent) if e.state == "online"]
    assert len(online) == len(sample_site.devices_by_stream["status"])


def test_weekend_is_quiet(sample_site: Site) -> None:
    start = day_start(sample_site, SATURDAY)
    sim = Simulator(sample_site, start, SimOptions(seed=11))
    gates = of_kind(sim.events(start, start + timedelta(days=1)), GateEvent)
    entries = [g for g in gates if g.direction == "in" and g.result == "granted"]
    assert 0 < len(entries) < 0.1 * sample_site.staff


def test_rate_multiplies_the_people(sample_site: Site) -> None:
    start = day_start(sample_site, WEDNESDAY) + timedelta(hours=8)
    end = start + timedelta(minutes=30)
    single = Simulator(sample_site, start, SimOptions(seed=3)).events(start, end)
    tenfold = Simulator(sample_site, start, SimOptions(seed=3, rate=10)).events(
        start, end
    )
    ratio = len(of_kind(tenfold, GateEvent)) / len(of_kind(single, GateEvent))
    assert 7 < ratio < 13
    assert len(of_kind(tenfold, EnergyEvent)) == 10 * len(of_kind(single, EnergyEvent))
