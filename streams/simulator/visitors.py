"""Visitors: appointments from the booking system (访客预约) and the visitors' passes.

Appointments for a day are created 2 to 30 hours ahead (so some on the day before),
a few are changed or cancelled. Visitors arrive around the start of their window, some
late, some by car; walk-ins without an appointment are denied ``no_appointment``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from streams.config.site import Site
from streams.simulator.draft import Day, Draft, poisson, py_rng
from streams.simulator.roster import (
    UNITS,
    gate_weights,
    pedestrian_gates,
    person_name,
    vehicle_gates,
    visitor_plate,
)

VISITS_PER_STAFF = 0.04
WALK_IN_SHARE = 0.08
DRIVING_SHARE = 0.25
WINDOW_STARTS = [510 + 30 * k for k in range(15)]  # 08:30 .. 15:30


@dataclass(frozen=True, slots=True)
class Visit:
    """An appointment and what the visitor does (minutes after the day's midnight)."""

    appointment_id: str
    visitor: str
    host: str
    unit: str
    window: tuple[float, float]
    plate: str | None
    gate: str
    created: float
    changed_at: float | None = None
    cancelled_at: float | None = None
    arrive: float = 0.0
    leave: float = 0.0

    @property
    def final_window(self) -> tuple[float, float]:
        if self.changed_at is None:
            return self.window
        return self.window[0] + 60, self.window[1] + 60

    @property
    def shows_up(self) -> bool:
        return self.cancelled_at is None


def _one_visit(site: Site, day: Day, rng: random.Random, number: int) -> Visit:
    start = float(rng.choice(WINDOW_STARTS))
    window = (start, start + rng.choice((60, 90, 120)))
    car_gates = vehicle_gates(site)
    plate = visitor_plate(rng) if car_gates and rng.random() < DRIVING_SHARE else None
    gates = car_gates if plate else pedestrian_gates(site)
    created = start - rng.uniform(120, 1800)
    draw = rng.random()
    changed_at = cancelled_at = None
    if draw < 0.06:
        changed_at = created + (start - 30 - created) * rng.uniform(0.2, 0.8)
    elif draw < 0.11:
        cancelled_at = created + (start - 30 - created) * rng.uniform(0.2, 0.9)
    expected = window if changed_at is None else (window[0] + 60, window[1] + 60)
    late = rng.random() < 0.12
    arrive = expected[0] + (rng.uniform(30, 60) if late else rng.gauss(5, 12))
    arrive = max(arrive, expected[0] - 20)
    leave = min(arrive + max(15.0, rng.lognormvariate(4.2, 0.45)), 1140.0)
    return Visit(
        appointment_id=f"AP{day.date:%Y%m%d}{number:04d}",
        visitor=person_name(rng),
        host=person_name(rng),
        unit=rng.choice(UNITS),
        window=window,
        plate=plate,
        gate=rng.choices(gates, gate_weights(site, gates))[0],
        created=created,
        changed_at=changed_at,
        cancelled_at=cancelled_at,
        arrive=arrive,
        leave=max(leave, arrive + 10),
    )


def plan_visits(site: Site, day: Day, seed: int, rate: float) -> list[Visit]:
    """The day's appointments (workdays only); deterministic per (seed, day)."""
    if not day.workday:
        return []
    rng = py_rng(seed, site.id, day.date, "visits")
    count = poisson(rng, VISITS_PER_STAFF * site.staff * rate)
    return [_one_visit(site, day, rng, n + 1) for n in range(count)]


def _appointment(
    visit: Visit, day: Day, action: str, minute: float, site: Site
) -> Draft:
    window = visit.final_window if action != "created" else visit.window
    fields = {
        "appointment_id": visit.appointment_id,
        "action": action,
        "visitor_name": visit.visitor,
        "host_name": visit.host,
        "unit": visit.unit,
        "expected_from": day.at(window[0]),
        "expected_to": day.at(window[1]),
        "plate": visit.plate,
    }
    return Draft(day.at(minute), "appointment", site.booking.id, fields)


def appointment_drafts(site: Site, visits: list[Visit], visit_day: Day) -> list[Draft]:
    """Booking-system events of the visits on `visit_day` (some fall the day before)."""
    drafts = []
    for visit in visits:
        drafts.append(_appointment(visit, visit_day, "created", visit.created, site))
        if visit.changed_at is not None:
            drafts.append(
                _appointment(visit, visit_day, "changed", visit.changed_at, site)
            )
        if visit.cancelled_at is not None:
            drafts.append(
                _appointment(visit, visit_day, "cancelled", visit.cancelled_at, site)
            )
    return drafts


def visitor_passes(visits: list[Visit], day: Day) -> list[Draft]:
    drafts = []
    for visit in visits:
        if not visit.shows_up:
            continue
        kind, credential = ("plate", visit.plate) if visit.plate else ("qr", _qr(visit))
        for minute, direction in ((visit.arrive, "in"), (visit.leave, "out")):
            fields = {
                "direction": direction,
                "subject": "vehicle" if visit.plate else "visitor",
                "credential_kind": kind,
                "credential": credential,
                "result": "granted",
                "appointment_id": visit.appointment_id,
            }
            drafts.append(Draft(day.at(minute), "gate", visit.gate, fields))
    return drafts


def walk_in_passes(site: Site, day: Day, seed: int, visits: int) -> list[Draft]:
    """People and cars turning up without an appointment: denied ``no_appointment``."""
    rng = py_rng(seed, site.id, day.date, "walk-ins")
    car_gates = vehicle_gates(site)
    drafts = []
    for _ in range(poisson(rng, WALK_IN_SHARE * visits)):
        by_car = bool(car_gates) and rng.random() < 0.3
        fields = {
            "direction": "in",
            "subject": "vehicle" if by_car else "visitor",
            "credential_kind": "plate" if by_car else "face",
            "credential": visitor_plate(rng)
            if by_car
            else f"V{rng.randrange(10**7):07d}",
            "result": "denied",
            "deny_reason": "no_appointment",
        }
        gate = rng.choice(car_gates if by_car else pedestrian_gates(site))
        drafts.append(Draft(day.at(rng.uniform(510, 1020)), "gate", gate, fields))
    return drafts


def _qr(visit: Visit) -> str:
    return f"QR{visit.appointment_id[2:]}"
