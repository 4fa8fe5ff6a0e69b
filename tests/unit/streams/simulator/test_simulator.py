"""The simulated compound day: determinism, daily shapes, volumes, valid events."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np
import pytest

from streams.config.site import Site
from streams.simulator import SimOptions, Simulator
from streams.simulator.draft import Day, site_zone
from streams.wire.contracts import (
    AppointmentEvent,
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
    to_payload,
)
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message

E = TypeVar("E", bound=Event)
WEDNESDAY = (2025, 6, 11)
SATURDAY = (2025, 6, 14)


def _day_start(site: Site, ymd: tuple[int, int, int]) -> datetime:
    return datetime(*ymd, tzinfo=site_zone(site.timezone))


def _local_minute(site: Site, ts: datetime) -> float:
    local = ts.astimezone(site_zone(site.timezone))
    return local.hour * 60 + local.minute + local.second / 60


@pytest.fixture(scope="module")
def weekday(sample_site: Site) -> list[tuple[str, Event]]:
    start = _day_start(sample_site, WEDNESDAY)
    sim = Simulator(sample_site, start, SimOptions(seed=11))
    return sim.events(start, start + timedelta(days=1))


def _of(events: list[tuple[str, Event]], kind: type[E]) -> list[E]:
    return [e for _, e in events if isinstance(e, kind)]


def _wire(events: list[tuple[str, Event]]) -> list[tuple[str, bytes]]:
    return [(topic, to_payload(event)) for topic, event in events]


def _span(site: Site, seed: int, hours: tuple[int, int]) -> list[tuple[str, Event]]:
    day = _day_start(site, WEDNESDAY)
    start, end = day + timedelta(hours=hours[0]), day + timedelta(hours=hours[1])
    return Simulator(site, start, SimOptions(seed=seed)).events(start, end)


def test_same_seed_gives_identical_events(sample_site: Site) -> None:
    assert _wire(_span(sample_site, 5, (7, 9))) == _wire(_span(sample_site, 5, (7, 9)))


def test_different_seed_gives_different_events(sample_site: Site) -> None:
    first, second = _span(sample_site, 5, (7, 9)), _span(sample_site, 6, (7, 9))
    assert {e.event_id for _, e in first}.isdisjoint({e.event_id for _, e in second})
    gates = [
        [e.model_dump(exclude={"event_id"}) for e in _of(s, GateEvent)]
        for s in (first, second)
    ]
    assert gates[0] != gates[1]


def test_a_span_does_not_depend_on_where_the_run_started(sample_site: Site) -> None:
    late = {
        to_payload(e)
        for _, e in _span(sample_site, 5, (8, 9))
        if not (isinstance(e, EnergyEvent) and e.cumulative)
        and not (isinstance(e, StatusEvent) and e.state == "online")
    }
    early = {to_payload(e) for _, e in _span(sample_site, 5, (7, 9))}
    assert late <= early


def test_events_are_sorted_aware_and_unique(weekday: list[tuple[str, Event]]) -> None:
    stamps = [e.ts for _, e in weekday]
    assert stamps == sorted(stamps)
    assert all(ts.tzinfo is not None for ts in stamps)
    assert len({e.event_id for _, e in weekday}) == len(weekday)


def test_every_event_passes_edge_validation(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    now = _day_start(sample_site, WEDNESDAY) + timedelta(days=2)
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


def _entries_per_quarter(site: Site, gates: list[GateEvent]) -> Counter[int]:
    return Counter(
        int(_local_minute(site, g.ts) // 15) * 15
        for g in gates
        if g.result == "granted" and g.subject in ("staff", "vehicle")
    )


def test_morning_rush_peaks_between_eight_and_nine(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    arrivals = [g for g in _of(weekday, GateEvent) if g.direction == "in"]
    peak, _ = _entries_per_quarter(sample_site, arrivals).most_common(1)[0]
    assert 8 * 60 <= peak < 9 * 60


def test_evening_departures_peak_between_half_five_and_half_six(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    leaving = [g for g in _of(weekday, GateEvent) if g.direction == "out"]
    peak, _ = _entries_per_quarter(sample_site, leaving).most_common(1)[0]
    assert 17 * 60 + 30 <= peak < 18 * 60 + 30


def test_weekday_volume_is_about_the_staff(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    entered = {
        g.credential
        for g in _of(weekday, GateEvent)
        if g.direction == "in" and g.result == "granted" and g.subject != "visitor"
    }
    assert 0.85 * sample_site.staff <= len(entered) <= 1.0 * sample_site.staff


def test_staff_and_cars_leave_with_the_credential_they_came_with(
    weekday: list[tuple[str, Event]],
) -> None:
    moves: Counter[tuple[str, str]] = Counter()
    for gate in _of(weekday, GateEvent):
        if gate.result == "granted" and gate.subject != "visitor":
            moves[(gate.credential, gate.direction)] += 1
    credentials = {c for c, _ in moves}
    unmatched = [c for c in credentials if moves[(c, "in")] != moves[(c, "out")]]
    # A denied face or expired card is retried with the other credential, so a few
    # people enter with one credential and leave with the other.
    assert len(unmatched) <= 0.02 * len(credentials)


def test_plates_look_chinese_and_denials_are_rare(
    weekday: list[tuple[str, Event]],
) -> None:
    gates = _of(weekday, GateEvent)
    plates = {g.credential for g in gates if g.credential_kind == "plate"}
    assert plates and all("·" in p and len(p) in (8, 9) for p in plates)
    denied = [g for g in gates if g.result == "denied"]
    assert 0 < len(denied) < 0.02 * len(gates)


def test_visitors_come_with_a_published_appointment(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    start = _day_start(sample_site, WEDNESDAY)
    sim = Simulator(sample_site, start, SimOptions(seed=11))
    plan, _ = sim.day_state(Day.of(start - timedelta(days=1), sim.tz))
    day_before = [d for d in plan.drafts if d.stream == "appointment"]
    created = {
        d.fields["appointment_id"]: d.ts
        for d in day_before
        if d.fields["action"] == "created"
    }
    for event in _of(weekday, AppointmentEvent):
        assert event.device == sample_site.booking.id
        if event.action == "created":
            created[event.appointment_id] = event.ts
    visitor_passes = [g for g in _of(weekday, GateEvent) if g.appointment_id]
    assert len(visitor_passes) > 20
    for gate in visitor_passes:
        assert created[gate.appointment_id] < gate.ts - timedelta(hours=1)
    reasons = Counter(g.deny_reason for g in _of(weekday, GateEvent))
    assert reasons["no_appointment"] >= 1


def test_lunch_settlements_peak_between_1120_and_1300(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    lunch = [c for c in _of(weekday, CanteenEvent) if c.kind == "settlement"]
    per_ten = Counter(int(_local_minute(sample_site, c.ts) // 10) * 10 for c in lunch)
    peak, _ = per_ten.most_common(1)[0]
    assert 11 * 60 + 20 <= peak < 13 * 60


def test_lunch_is_the_big_meal(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    meals = Counter(
        c.meal for c in _of(weekday, CanteenEvent) if c.kind == "settlement"
    )
    assert meals["lunch"] > 2 * meals["breakfast"]
    assert meals["lunch"] > 2 * meals["dinner"]
    assert 0.5 * sample_site.staff < meals["lunch"] < 0.85 * sample_site.staff


def test_amounts_are_plausible(weekday: list[tuple[str, Event]]) -> None:
    ranges = {"breakfast": (3, 6), "lunch": (8, 18), "dinner": (8, 15)}
    for sale in _of(weekday, CanteenEvent):
        if sale.kind == "settlement":
            low, high = ranges[sale.meal]
            assert low * sale.count <= sale.amount_yuan <= high * sale.count


def test_windows_open_and_close_once_per_meal(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    marks = Counter(
        (c.device, c.meal, c.kind)
        for c in _of(weekday, CanteenEvent)
        if c.kind != "settlement"
    )
    for canteen in sample_site.canteens:
        for window in canteen.windows:
            for meal in canteen.meals:
                assert marks[(window.id, meal.meal, "window_open")] == 1
                assert marks[(window.id, meal.meal, "window_close")] == 1


def test_windows_never_serve_faster_than_their_rate(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    per_minute = Counter(
        (c.device, c.ts.replace(second=0, microsecond=0))
        for c in _of(weekday, CanteenEvent)
        if c.kind == "settlement"
    )
    for (window, _), served in per_minute.items():
        rate = sample_site.windows[window][1].service_rate_per_min
        assert served <= 2 * rate


def _readings(events: list[tuple[str, Event]], meter: str, site: Site) -> np.ndarray:
    rows = [
        (_local_minute(site, e.ts), e.value)
        for e in _of(events, EnergyEvent)
        if e.device == meter
    ]
    return np.array(rows)


def test_pv_is_zero_at_night_and_producing_at_noon(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    pv = _readings(weekday, "m-pv-b4", sample_site)
    night = pv[(pv[:, 0] < 4 * 60) | (pv[:, 0] >= 21 * 60), 1]
    noon = pv[(pv[:, 0] >= 11 * 60 + 30) & (pv[:, 0] < 12 * 60 + 30), 1]
    assert night.max() == 0
    assert noon.mean() > 0.2 * 400


def test_water_night_minimum_is_below_the_day(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    water = _readings(weekday, "m-water-main", sample_site)
    night = water[(water[:, 0] >= 60) & (water[:, 0] < 300), 1]
    day = water[(water[:, 0] >= 9 * 60) & (water[:, 0] < 17 * 60), 1]
    assert night.mean() < 0.1 * day.mean()
    lunch = water[(water[:, 0] >= 11 * 60 + 20) & (water[:, 0] < 13 * 60), 1]
    assert lunch.mean() > day.mean()


def test_electric_load_has_a_night_base_and_a_day_peak(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    for meter in ("m-b1-kw", "m-b2-kw", "m-b3-kw"):
        load = _readings(weekday, meter, sample_site)
        night = load[(load[:, 0] >= 60) & (load[:, 0] < 300), 1].mean()
        assert 0.2 <= night / load[:, 1].max() <= 0.45


def test_meters_stay_within_their_range(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    for event in _of(weekday, EnergyEvent):
        meter = sample_site.meters_by_id[event.device]
        assert 0 <= event.value <= meter.max_value
        assert event.quantity == meter.quantity
        assert event.cumulative == meter.cumulative


def test_cumulative_meter_integrates_the_power(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    total = _readings(weekday, "m-b1-kwh", sample_site)[:, 1]
    power = _readings(weekday, "m-b1-kw", sample_site)[:, 1]
    assert np.all(np.diff(total) >= 0)
    assert total[-1] - total[0] == pytest.approx(power[1:].sum() / 60, rel=0.03)


def test_every_meter_reports_every_minute(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    per_meter = Counter(e.device for e in _of(weekday, EnergyEvent))
    assert per_meter == {m.id: 1440 for m in sample_site.meters}


def test_cameras_follow_the_activity(
    sample_site: Site, weekday: list[tuple[str, Event]]
) -> None:
    counts: dict[str, list[tuple[float, int]]] = {}
    for event in _of(weekday, CameraEvent):
        counts.setdefault(event.zone or "", []).append(
            (_local_minute(sample_site, event.ts), event.count)
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
        e.device for e in _of(weekday, StatusEvent) if e.state == "heartbeat"
    )
    assert beats == {d: 288 for d in sample_site.devices_by_stream["status"]}
    online = [e for e in _of(weekday, StatusEvent) if e.state == "online"]
    assert len(online) == len(sample_site.devices_by_stream["status"])


def test_weekend_is_quiet(sample_site: Site) -> None:
    start = _day_start(sample_site, SATURDAY)
    sim = Simulator(sample_site, start, SimOptions(seed=11))
    gates = _of(sim.events(start, start + timedelta(days=1)), GateEvent)
    entries = [g for g in gates if g.direction == "in" and g.result == "granted"]
    assert 0 < len(entries) < 0.1 * sample_site.staff


def test_rate_multiplies_the_people(sample_site: Site) -> None:
    start = _day_start(sample_site, WEDNESDAY) + timedelta(hours=8)
    end = start + timedelta(minutes=30)
    single = Simulator(sample_site, start, SimOptions(seed=3)).events(start, end)
    tenfold = Simulator(sample_site, start, SimOptions(seed=3, rate=10)).events(
        start, end
    )
    ratio = len(_of(tenfold, GateEvent)) / len(_of(single, GateEvent))
    assert 7 < ratio < 13
    assert len(_of(tenfold, EnergyEvent)) == 10 * len(_of(single, EnergyEvent))
