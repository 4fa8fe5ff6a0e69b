"""Canteen service: windows open and close, diners queue and pay at serving windows.

Diners arrive on a curve peaking 10-20 minutes after opening (breakfast: just after
their gate arrival), pick a window weighted by its pace and queue, and each window
serves at most its ``service_rate_per_min``. Lunch is the big meal (~70 % of the staff
on site). A queue surge closes one window early and sends a burst of extra diners.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import numpy as np

from streams.config.site import Canteen, ServingWindow, Site
from streams.simulator.draft import MINUTES_PER_DAY, Day, Draft, hhmm_minutes, py_rng
from streams.simulator.people import StaffDay

LUNCH_SHARE = 0.8  # of those on site and not out for lunch: ~70 % of the staff on site
WEEKEND_LUNCH_SHARE = 0.7
SURGE_EXTRA_SHARE = 0.4
SURGE_MINUTES = 15


@dataclass(frozen=True, slots=True)
class Surge:
    """A queue surge: `window` closes at `minute`; extra diners reach its canteen."""

    window: str
    minute: float


@dataclass(slots=True)
class CanteenDay:
    """A day of the canteens: events, plus queue and served counts per minute."""

    drafts: list[Draft] = field(default_factory=list)
    queue: dict[str, np.ndarray] = field(default_factory=dict)
    served: dict[str, np.ndarray] = field(default_factory=dict)


def _amount(meal: str, rng: random.Random) -> float:
    if meal == "breakfast":
        value = rng.uniform(3, 6)
    elif meal == "lunch":
        value = rng.triangular(8, 18, 12)
    else:
        value = rng.uniform(8, 15)
    return round(value * 2) / 2


def _arrivals(
    meal: str, start: int, end: int, diners: list[StaffDay], rng: random.Random
) -> list[float]:
    """Minutes at which the given diners reach the canteen."""
    arrivals = []
    for staff_day in diners:
        if meal == "breakfast" and staff_day.breakfast_at is not None:
            arrivals.append(min(max(staff_day.breakfast_at, start), end - 5))
            continue
        minute = start + rng.gammavariate(3.0, 6.5)
        if meal == "dinner":
            minute = min(minute, staff_day.leave - 15)
        if start <= minute <= end - 5:
            arrivals.append(minute)
    return arrivals


def _choose_diners(
    meal: str, start: int, staff_days: list[StaffDay], day: Day, rng: random.Random
) -> list[StaffDay]:
    if meal == "breakfast":
        return [s for s in staff_days if s.breakfast_at is not None]
    if meal == "dinner":
        return [s for s in staff_days if s.dinner]
    share = LUNCH_SHARE if day.workday else WEEKEND_LUNCH_SHARE
    return [s for s in staff_days if s.present_at(start + 20) and rng.random() < share]


@dataclass(slots=True)
class _Queues:
    """Queue lengths and service credit of the windows of one canteen during a meal."""

    pace: list[float]
    closes_at: list[float]
    lines: list[int]
    credit: list[float]

    def open_at(self, minute: float) -> list[int]:
        return [i for i, close in enumerate(self.closes_at) if minute < close]

    def join(self, minute: float, rng: random.Random, people: int = 1) -> None:
        candidates = self.open_at(minute)
        for _ in range(people if candidates else 0):
            weights = [self.pace[i] / (1 + self.lines[i]) for i in candidates]
            self.lines[rng.choices(candidates, weights)[0]] += 1

    def reroute_closed(self, minute: float, rng: random.Random) -> None:
        for i, close in enumerate(self.closes_at):
            if minute >= close and self.lines[i]:
                stranded, self.lines[i] = self.lines[i], 0
                self.join(minute, rng, stranded)

    def serve(self, i: int) -> int:
        self.credit[i] = min(self.credit[i] + self.pace[i], 2 * self.pace[i])
        count = min(int(self.credit[i]), self.lines[i])
        self.credit[i] -= count
        self.lines[i] -= count
        return count


@dataclass(frozen=True, slots=True)
class _Meal:
    canteen: Canteen
    meal: str
    start: int
    end: int
    windows: list[ServingWindow]


def _window_event(day: Day, minute: float, window: str, kind: str, meal: str) -> Draft:
    return Draft(day.at(minute), "canteen", window, {"kind": kind, "meal": meal})


def _settlements(
    day: Day, meal: _Meal, window: str, minute: int, count: int, rng: random.Random
) -> list[Draft]:
    drafts = []
    for j in range(count):
        meals = 1 if rng.random() < 0.95 else 2
        fields = {
            "kind": "settlement",
            "meal": meal.meal,
            "count": meals,
            "amount_yuan": _amount(meal.meal, rng) * meals,
        }
        at = minute + (j + rng.random()) / count
        drafts.append(Draft(day.at(at), "canteen", window, fields))
    return drafts


def _serve_meal(
    day: Day,
    meal: _Meal,
    arrivals: list[float],
    queues: _Queues,
    out: CanteenDay,
    rng: random.Random,
) -> list[float]:
    """Run the queues minute by minute; returns the minute each window last served."""
    arrivals.sort()
    last = [float(meal.start)] * len(meal.windows)
    queue, served = out.queue[meal.canteen.id], out.served[meal.canteen.id]
    minute, pointer = meal.start, 0
    while (minute < meal.end or sum(queues.lines) != 0) and minute < meal.end + 120:
        while pointer < len(arrivals) and arrivals[pointer] < minute + 1:
            queues.join(minute, rng)
            pointer += 1
        queues.reroute_closed(minute, rng)
        for i in queues.open_at(minute):
            count = queues.serve(i)
            if count:
                window = meal.windows[i].id
                out.drafts += _settlements(day, meal, window, minute, count, rng)
                last[i] = minute + 1.0
                served[min(minute, MINUTES_PER_DAY - 1)] += count
        queue[min(minute, MINUTES_PER_DAY - 1)] += sum(queues.lines)
        minute += 1
    return last


def _run_meal(
    day: Day,
    meal: _Meal,
    arrivals: list[float],
    surge: Surge | None,
    rate: float,
    out: CanteenDay,
    rng: random.Random,
) -> None:
    ids = [w.id for w in meal.windows]
    closes_at = [float("inf")] * len(ids)
    if (
        surge is not None
        and surge.window in ids
        and meal.start <= surge.minute < meal.end
    ):
        closes_at[ids.index(surge.window)] = surge.minute
        extra = round(SURGE_EXTRA_SHARE * len(arrivals)) + 5
        arrivals += [surge.minute + rng.uniform(0, SURGE_MINUTES) for _ in range(extra)]
    pace = [w.service_rate_per_min * max(rate, 1.0) for w in meal.windows]
    queues = _Queues(pace, closes_at, [0] * len(ids), [0.0] * len(ids))
    last = _serve_meal(day, meal, arrivals, queues, out, rng)
    for i, window in enumerate(ids):
        opened = meal.start - rng.uniform(0, 2)
        closed = min(closes_at[i], max(float(meal.end), last[i])) + rng.uniform(0, 1)
        out.drafts.append(_window_event(day, opened, window, "window_open", meal.meal))
        out.drafts.append(_window_event(day, closed, window, "window_close", meal.meal))


def _meals(site: Site, meal: str, day: Day) -> list[_Meal]:
    """The canteens serving `meal` on `day` (weekends: lunch at one window each)."""
    if not day.workday and meal != "lunch":
        return []
    return [
        _Meal(
            c,
            meal,
            hhmm_minutes(m.start),
            hhmm_minutes(m.end),
            c.windows if day.workday else c.windows[:1],
        )
        for c in site.canteens
        for m in c.meals
        if m.meal == meal
    ]


def serve_canteens(
    site: Site,
    staff_days: list[StaffDay],
    day: Day,
    seed: int,
    rate: float,
    surge: Surge | None = None,
) -> CanteenDay:
    """Every canteen event of the day plus per-minute queue and served counts."""
    rng = py_rng(seed, site.id, day.date, "canteen")
    out = CanteenDay(
        queue={c.id: np.zeros(MINUTES_PER_DAY, dtype=np.int64) for c in site.canteens},
        served={c.id: np.zeros(MINUTES_PER_DAY, dtype=np.int64) for c in site.canteens},
    )
    for name in ("breakfast", "lunch", "dinner"):
        meals = _meals(site, name, day)
        if not meals:
            continue
        first = min(m.start for m in meals)
        diners = _choose_diners(name, first, staff_days, day, rng)
        capacity = [sum(w.service_rate_per_min for w in m.windows) for m in meals]
        groups: list[list[StaffDay]] = [[] for _ in meals]
        for diner in diners:
            groups[rng.choices(range(len(meals)), capacity)[0]].append(diner)
        for meal, group in zip(meals, groups, strict=True):
            arrivals = _arrivals(name, meal.start, meal.end, group, rng)
            _run_meal(day, meal, arrivals, surge, rate, out, rng)
    return out
