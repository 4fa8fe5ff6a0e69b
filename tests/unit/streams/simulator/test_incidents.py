"""Injected incidents show up in the generated data, and are announced once."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import pytest

from streams.config.site import Site
from streams.simulator import (
    IncidentSpec,
    Notice,
    SimOptions,
    Simulator,
    parse_incident,
)
from streams.simulator.draft import site_zone
from streams.simulator.engine import minute_steps
from streams.simulator.incidents import first_at, resolve_incident
from streams.wire.contracts import (
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
)

INCIDENTS = (
    "water_leak@01:00",
    "after_hours_load@19:00=b1",
    "queue_surge",
    "tailgating@08:20",
    "camera_offline@10:00=cam-b1-lobby",
)


def _midnight(site: Site) -> datetime:
    return datetime(2025, 6, 11, tzinfo=site_zone(site.timezone))


def _run(
    site: Site, start: datetime, end: datetime, specs: tuple[str, ...]
) -> tuple[list[Event], list[Notice]]:
    options = SimOptions(seed=11, incidents=tuple(parse_incident(s) for s in specs))
    sim = Simulator(site, start, options)
    items = [i for a, b in minute_steps(start, end) for i in sim.step(a, b)]
    events = [i[1] for i in items if not isinstance(i, Notice)]
    notices = [i for i in items if isinstance(i, Notice)]
    return events, notices


@pytest.fixture(scope="module")
def incident_day(sample_site: Site) -> tuple[list[Event], list[Notice]]:
    start = _midnight(sample_site)
    return _run(sample_site, start, start + timedelta(days=1), INCIDENTS)


def _at(site: Site, hh: int, mm: int = 0) -> datetime:
    return _midnight(site) + timedelta(hours=hh, minutes=mm)


def _values(
    events: list[Event], meter: str, start: datetime, end: datetime
) -> np.ndarray:
    return np.array(
        [
            e.value
            for e in events
            if isinstance(e, EnergyEvent) and e.device == meter and start <= e.ts < end
        ]
    )


def test_each_incident_is_announced_once_with_device_and_start(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    _, notices = incident_day
    kinds = Counter(n.record["incident"] for n in notices)
    assert kinds == {spec.split("@")[0].split("=")[0]: 1 for spec in INCIDENTS}
    for notice in notices:
        record = json.loads(json.dumps(notice.record))
        assert record["device"] and record["start"] == notice.ts.isoformat()
    devices = {n.record["incident"]: n.record["device"] for n in notices}
    assert devices["camera_offline"] == "cam-b1-lobby"
    assert devices["queue_surge"] == "c1-w1"


def test_water_leak_keeps_night_flow_high(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    events, _ = incident_day
    normal, _ = _run(sample_site, _at(sample_site, 1), _at(sample_site, 5), ())
    for meter in ("m-water-main", "m-water-b6"):
        leaking = _values(events, meter, _at(sample_site, 1), _at(sample_site, 5))
        usual = _values(normal, meter, _at(sample_site, 1), _at(sample_site, 5))
        assert leaking.min() > 3 * usual.mean()


def test_after_hours_load_stays_at_daytime_level(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    events, _ = incident_day
    night = _values(events, "m-b1-kw", _at(sample_site, 21), _at(sample_site, 24))
    early = _values(events, "m-b1-kw", _at(sample_site, 1), _at(sample_site, 5))
    other = _values(events, "m-b2-kw", _at(sample_site, 21), _at(sample_site, 24))
    other_early = _values(events, "m-b2-kw", _at(sample_site, 1), _at(sample_site, 5))
    assert night.mean() > 1.8 * early.mean()
    assert other.mean() < 1.2 * other_early.mean()


def test_queue_surge_closes_a_window_early(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    events, notices = incident_day
    surge = next(n for n in notices if n.record["incident"] == "queue_surge")
    lunch = [
        e
        for e in events
        if isinstance(e, CanteenEvent) and e.device == "c1-w1" and e.meal == "lunch"
    ]
    closed = next(e.ts for e in lunch if e.kind == "window_close")
    assert surge.ts <= closed < surge.ts + timedelta(minutes=1)
    assert all(e.ts < closed for e in lunch if e.kind == "settlement")


def test_tailgating_counts_more_people_than_passes(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    events, _ = incident_day
    start, end = _at(sample_site, 8, 20), _at(sample_site, 8, 30)
    span = [e for e in events if start <= e.ts < end]
    counted = sum(
        e.count
        for e in span
        if isinstance(e, CameraEvent) and e.device == "cam-east-gate"
    )
    passes = [
        e
        for e in span
        if isinstance(e, GateEvent)
        and e.device == "gate-east"
        and e.result == "granted"
    ]
    assert counted > len(passes) + 20
    seen: dict[str, datetime] = {}
    doubles = []
    for gate in passes:
        if gate.direction == "in" and gate.credential in seen:
            doubles.append(gate.ts - seen[gate.credential])
        seen[gate.credential] = gate.ts
    assert any(d < timedelta(seconds=10) for d in doubles)


def test_camera_offline_goes_silent_then_returns(
    sample_site: Site, incident_day: tuple[list[Event], list[Notice]]
) -> None:
    events, _ = incident_day
    start, end = _at(sample_site, 10), _at(sample_site, 11)
    mine = [e for e in events if e.device == "cam-b1-lobby"]
    during = [e for e in mine if start <= e.ts < end]
    kinds = [
        (e.stream, getattr(e, "state", None) or getattr(e, "kind", None))
        for e in during
    ]
    assert sorted(kinds) == [("camera", "camera_offline"), ("status", "offline")]
    back = [e for e in mine if isinstance(e, StatusEvent) and e.ts == end]
    assert [e.state for e in back] == ["online"]
    assert any(isinstance(e, CameraEvent) and e.ts > end for e in mine)


def test_incident_specs_parse_and_reject() -> None:
    assert parse_incident("water_leak") == IncidentSpec("water_leak")
    assert parse_incident("tailgating@08:05=gate-north") == IncidentSpec(
        "tailgating", "08:05", "gate-north"
    )
    for bad in ("fire", "water_leak@25:00", "water_leak@8:00", "queue_surge=", ""):
        with pytest.raises(ValueError, match="bad incident"):
            parse_incident(bad)


def test_incidents_start_at_the_first_time_after_the_run_start(
    sample_site: Site,
) -> None:
    tz = site_zone(sample_site.timezone)
    afternoon = _at(sample_site, 15)
    assert first_at(afternoon, "10:00", tz) == _at(sample_site, 24 + 10)
    assert first_at(afternoon, "15:00", tz) == afternoon
    leak = resolve_incident(parse_incident("water_leak"), sample_site, afternoon, tz)
    assert leak.start == _at(sample_site, 24 + 1)
    assert set(leak.devices) == {"m-water-main", "m-water-b6"}


@pytest.mark.parametrize(
    "spec",
    [
        "water_leak=m-b1-kw",
        "after_hours_load=b9",
        "queue_surge=c9-w9",
        "tailgating=gate-x",
        "camera_offline=cam-x",
    ],
)
def test_incidents_on_unknown_devices_are_refused(sample_site: Site, spec: str) -> None:
    with pytest.raises(ValueError):
        resolve_incident(
            parse_incident(spec), sample_site, _midnight(sample_site), site_zone("UTC")
        )
