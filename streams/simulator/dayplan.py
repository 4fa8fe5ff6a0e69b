"""One simulated day, planned ahead: its discrete events and per-minute activity.

The plan of a local day holds the gate passes, appointments and canteen events as sorted
drafts, and the curves the continuous streams sample: people on site (per building),
vehicles on site, arrivals and departures per building, canteen queues and meals served.
It is a pure function of (site, roster, day, seed, rate, incidents).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from streams.config.site import Site
from streams.simulator.canteen import Surge, serve_canteens
from streams.simulator.draft import (
    MINUTES_PER_DAY,
    Day,
    Draft,
    minute_histogram,
    presence_curve,
    py_rng,
)
from streams.simulator.incidents import Incident
from streams.simulator.people import StaffDay, plan_staff_days, staff_passes
from streams.simulator.roster import Person
from streams.simulator.visitors import (
    Visit,
    appointment_drafts,
    plan_visits,
    visitor_passes,
    walk_in_passes,
)


@dataclass(slots=True)
class DayPlan:
    day: Day
    drafts: list[Draft]
    on_site: np.ndarray
    by_building: dict[str, np.ndarray]
    building_staff: dict[str, int]
    moves: dict[str, np.ndarray]
    vehicles: np.ndarray
    queue: dict[str, np.ndarray]
    served: dict[str, np.ndarray]
    granted: dict[str, list[float]]
    rate: float
    _times: list[datetime] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        self.drafts.sort(key=lambda d: d.ts)
        self._times = [d.ts for d in self.drafts]

    def drafts_between(self, start: datetime, end: datetime) -> list[Draft]:
        low = bisect.bisect_left(self._times, start)
        return self.drafts[low : bisect.bisect_left(self._times, end)]

    def granted_between(self, gate: str, start: datetime, end: datetime) -> int:
        """Granted passes at `gate` in [start, end)."""
        times = self.granted.get(gate, [])
        low = bisect.bisect_left(times, start.timestamp())
        return bisect.bisect_left(times, end.timestamp()) - low

    def minute(self, ts: datetime) -> int:
        return min(max(int(self.day.minute_of(ts)), 0), MINUTES_PER_DAY - 1)


def _appointments(
    site: Site, day: Day, visits: list[Visit], seed: int, rate: float
) -> list[Draft]:
    """Booking events created on `day`: for today's visits and tomorrow's."""
    tomorrow = day.shifted(1)
    drafts = appointment_drafts(site, visits, day)
    drafts += appointment_drafts(
        site, plan_visits(site, tomorrow, seed, rate), tomorrow
    )
    return [d for d in drafts if day.midnight <= d.ts < tomorrow.midnight]


def _tailgating_passes(
    site: Site,
    day: Day,
    staff_days: list[StaffDay],
    seed: int,
    incidents: list[Incident],
) -> list[Draft]:
    """One credential used twice within seconds at the tailgated gate."""
    drafts = []
    for incident in incidents:
        if incident.kind != "tailgating" or Day.of(incident.start, day.tz) != day:
            continue
        rng = py_rng(seed, site.id, day.date, "tailgating")
        person = rng.choice(staff_days).person if staff_days else None
        credential = person.face_id if person else "F0000001"
        first = incident.start + timedelta(seconds=rng.uniform(20, 90))
        for offset in (0.0, rng.uniform(2, 6)):
            fields = {
                "direction": "in",
                "subject": "staff",
                "credential_kind": "face",
                "credential": credential,
                "result": "granted",
            }
            ts = first + timedelta(seconds=offset)
            drafts.append(Draft(ts, "gate", incident.device, fields))
    return drafts


def _surge(day: Day, incidents: list[Incident]) -> Surge | None:
    for incident in incidents:
        if incident.kind == "queue_surge" and Day.of(incident.start, day.tz) == day:
            return Surge(incident.device, day.minute_of(incident.start))
    return None


def _curves(
    site: Site, staff_days: list[StaffDay], visits: list[Visit]
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """People on site, staff per building, moves per building, vehicles on site."""
    shown = [v for v in visits if v.shows_up]
    people = [i for s in staff_days for i in s.intervals()]
    people += [(v.arrive, v.leave) for v in shown]
    by_building, moves = {}, {}
    for building in site.buildings:
        mine = [s for s in staff_days if s.person.building == building.id]
        by_building[building.id] = presence_curve(
            [i for s in mine for i in s.intervals()]
        )
        ends = [m for s in mine for i in s.intervals() for m in i]
        moves[building.id] = minute_histogram(ends)
    cars = [(s.arrive, s.leave) for s in staff_days if s.person.plate is not None]
    cars += [(v.arrive, v.leave) for v in shown if v.plate is not None]
    return presence_curve(people), by_building, moves, presence_curve(cars)


def _granted_times(drafts: list[Draft]) -> dict[str, list[float]]:
    granted: dict[str, list[float]] = {}
    for draft in drafts:
        if draft.stream == "gate" and draft.fields["result"] == "granted":
            granted.setdefault(draft.device, []).append(draft.ts.timestamp())
    for times in granted.values():
        times.sort()
    return granted


def build_day_plan(
    site: Site,
    roster: list[Person],
    day: Day,
    seed: int,
    rate: float,
    incidents: list[Incident],
) -> DayPlan:
    """Plan `day`: deterministic for the same arguments, whatever the run's start."""
    staff_days = plan_staff_days(site, roster, day, seed)
    visits = plan_visits(site, day, seed, rate)
    drafts = staff_passes(site, staff_days, day, seed)
    drafts += visitor_passes(visits, day)
    drafts += walk_in_passes(site, day, seed, len(visits))
    drafts += _tailgating_passes(site, day, staff_days, seed, incidents)
    canteen = serve_canteens(site, staff_days, day, seed, rate, _surge(day, incidents))
    drafts += canteen.drafts
    tomorrow = day.shifted(1).midnight
    drafts = [d for d in drafts if day.midnight <= d.ts < tomorrow]
    drafts += _appointments(site, day, visits, seed, rate)
    on_site, by_building, moves, vehicles = _curves(site, staff_days, visits)
    return DayPlan(
        day=day,
        drafts=drafts,
        on_site=on_site,
        by_building=by_building,
        building_staff={
            b.id: sum(1 for p in roster if p.building == b.id) for b in site.buildings
        },
        moves=moves,
        vehicles=vehicles,
        queue=canteen.queue,
        served=canteen.served,
        granted=_granted_times(drafts),
        rate=rate,
    )
