"""Staff days: who comes in, when they arrive, go out for lunch and leave; their passes.

Weekdays have a morning rush (peak 08:15-08:45), an evening one (17:30-18:30) and some
lunch traffic; weekends see a few percent of the staff. Early comers are the breakfast
crowd, late leavers the dinner crowd (`canteen.py` serves them).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from streams.config.site import Site
from streams.simulator.draft import Day, Draft, hhmm_minutes, poisson, py_rng
from streams.simulator.roster import Person, pedestrian_gates

WEEKDAY_ATTENDANCE = 0.92
WEEKEND_ATTENDANCE = 0.05
LUNCH_OUT_SHARE = 0.12
DENIAL_SHARE = 0.005
STRANGERS_PER_WORKDAY = 2.0


@dataclass(frozen=True, slots=True)
class StaffDay:
    """One person's day on site, in minutes after local midnight."""

    person: Person
    arrive: float
    leave: float
    lunch_out: tuple[float, float] | None = None
    breakfast_at: float | None = None
    dinner: bool = False

    def present_at(self, minute: float) -> bool:
        if not self.arrive <= minute < self.leave:
            return False
        return self.lunch_out is None or not (
            self.lunch_out[0] <= minute < self.lunch_out[1]
        )

    def intervals(self) -> list[tuple[float, float]]:
        if self.lunch_out is None:
            return [(self.arrive, self.leave)]
        return [(self.arrive, self.lunch_out[0]), (self.lunch_out[1], self.leave)]


def meal_window(site: Site, meal: str) -> tuple[int, int] | None:
    """The earliest start and latest end of `meal` over the canteens, in minutes."""
    spans = [
        (hhmm_minutes(m.start), hhmm_minutes(m.end))
        for c in site.canteens
        for m in c.meals
        if m.meal == meal
    ]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def _weekday_times(
    rng: random.Random, breakfast_start: int
) -> tuple[float, float, bool]:
    """(arrive, leave, early_bird) for one attending person on a workday."""
    draw = rng.random()
    early = draw < 0.2
    if early:
        arrive = _clip(rng.gauss(breakfast_start + 10, 12), breakfast_start - 40, 540)
    elif draw < 0.95:
        arrive = _clip(rng.gauss(508, 13), 460, 570)
    else:
        arrive = rng.uniform(540, 660)
    draw = rng.random()
    if draw < 0.85:
        leave = _clip(rng.gauss(1072, 18), 1035, 1140)
    elif draw < 0.97:
        leave = rng.uniform(1120, 1290)
    else:
        leave = rng.uniform(840, 1020)
    return arrive, leave, early


def _weekday(person: Person, rng: random.Random, site: Site) -> StaffDay | None:
    if rng.random() >= WEEKDAY_ATTENDANCE:
        return None
    breakfast = meal_window(site, "breakfast")
    dinner = meal_window(site, "dinner")
    arrive, leave, early = _weekday_times(rng, breakfast[0] if breakfast else 420)
    lunch_out = None
    if person.plate is None and rng.random() < LUNCH_OUT_SHARE:
        out = rng.gauss(710, 8)
        back = out + _clip(rng.gauss(60, 12), 30, 100)
        if arrive < out - 30 and leave > back + 30:
            lunch_out = (out, back)
    breakfast_at = None
    goes = rng.random() < (0.6 if early else 0.1)
    if breakfast and arrive < breakfast[1] - 20 and goes:
        breakfast_at = max(arrive + rng.uniform(3, 10), breakfast[0] + 1)
    eats_dinner = False
    if dinner and leave > dinner[0] + 35:
        eats_dinner = rng.random() < (0.8 if leave > 1110 else 0.25)
    return StaffDay(person, arrive, leave, lunch_out, breakfast_at, eats_dinner)


def _weekend(person: Person, rng: random.Random) -> StaffDay | None:
    if rng.random() >= WEEKEND_ATTENDANCE:
        return None
    arrive = _clip(rng.gauss(540, 45), 420, 720)
    leave = arrive + _clip(rng.gauss(360, 90), 120, 600)
    return StaffDay(person, arrive, min(leave, 1430))


def plan_staff_days(
    site: Site, roster: list[Person], day: Day, seed: int
) -> list[StaffDay]:
    """Who attends `day` and their times; deterministic per (seed, day)."""
    rng = py_rng(seed, site.id, day.date, "staff")
    days = []
    for person in roster:
        staff_day = (
            _weekday(person, rng, site) if day.workday else _weekend(person, rng)
        )
        if staff_day is not None:
            days.append(staff_day)
    return days


def _pass(
    day: Day, minute: float, gate: str, direction: str, kind: str, credential: str
) -> Draft:
    subject = "vehicle" if kind == "plate" else "staff"
    fields = {
        "direction": direction,
        "subject": subject,
        "credential_kind": kind,
        "credential": credential,
        "result": "granted",
    }
    return Draft(day.at(minute), "gate", gate, fields)


def _denied_first(draft: Draft, person: Person, rng: random.Random) -> list[Draft]:
    """A failed attempt seconds before `draft`, retried with the other credential."""
    fields = dict(draft.fields)
    if fields["credential_kind"] == "face":
        denied = {**fields, "credential": f"U{rng.randrange(10**7):07d}"}
        denied.update(result="denied", deny_reason="unknown_face")
        retry = {**fields, "credential_kind": "card", "credential": person.card}
    else:
        denied = {**fields, "result": "denied", "deny_reason": "expired"}
        retry = {**fields, "credential_kind": "face", "credential": person.face_id}
    earlier = draft.ts - timedelta(seconds=rng.uniform(3, 8))
    return [
        Draft(earlier, draft.stream, draft.device, denied),
        Draft(draft.ts, draft.stream, draft.device, retry),
    ]


def _person_passes(staff_day: StaffDay, day: Day) -> list[Draft]:
    person = staff_day.person
    if person.plate is not None and person.car_gate is not None:
        gate, (kind, credential) = person.car_gate, ("plate", person.plate)
    else:
        gate, (kind, credential) = person.gate, person.credential
    moves = [(staff_day.arrive, "in"), (staff_day.leave, "out")]
    if staff_day.lunch_out is not None:
        moves += [(staff_day.lunch_out[0], "out"), (staff_day.lunch_out[1], "in")]
    return [_pass(day, m, gate, d, kind, credential) for m, d in moves]


def staff_passes(
    site: Site, staff_days: list[StaffDay], day: Day, seed: int
) -> list[Draft]:
    """Every staff gate pass of the day, with rare denials and stranger attempts."""
    rng = py_rng(seed, site.id, day.date, "passes")
    drafts: list[Draft] = []
    for staff_day in staff_days:
        for draft in _person_passes(staff_day, day):
            if draft.fields["subject"] == "staff" and rng.random() < DENIAL_SHARE:
                drafts += _denied_first(draft, staff_day.person, rng)
            else:
                drafts.append(draft)
    drafts += _strangers(site, day, rng, len(staff_days))
    return drafts


def _strangers(site: Site, day: Day, rng: random.Random, attending: int) -> list[Draft]:
    """Unknown faces trying a pedestrian gate in the daytime (about 2 a workday)."""
    expected = STRANGERS_PER_WORKDAY * attending / max(1, site.staff)
    gates = pedestrian_gates(site)
    drafts = []
    for _ in range(poisson(rng, expected)):
        fields = {
            "direction": "in",
            "subject": "visitor",
            "credential_kind": "face",
            "credential": f"U{rng.randrange(10**7):07d}",
            "result": "denied",
            "deny_reason": "unknown_face",
        }
        drafts.append(
            Draft(day.at(rng.uniform(480, 1080)), "gate", rng.choice(gates), fields)
        )
    return drafts
