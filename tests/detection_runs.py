"""Run the simulated compound through a `DetectionHub` in-process (no servers).

`run_hub` steps the simulator minute by minute: each minute's events are one batch
for `observe`, then `tick(now)` at the minute's end, with the hub's clock at the
simulated now (or `lag` later, to replay a backlog). `ListSink` is our own
list-backed `AlarmSink`; `raised` collapses active signals the way the alarm engine
does: one open alarm per (kind, source).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import pandas as pd

from detectors.canteen.arrivals import Profiles
from detectors.core.calendar import WorkCalendar
from detectors.core.signals import AlarmSignal
from detectors.energy.baseline import Baseline, build_baseline
from harness.meter_series import meter_days, slot_frame
from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site
from streams.detection import DetectionHub
from streams.detection.baselines import profiles_from_frames
from streams.detection.specs import site_detection
from streams.simulator import SimOptions, Simulator, parse_incident
from streams.wire.contracts import CameraEvent, CanteenEvent

SEED = 1
WEDNESDAY = date(2026, 6, 10)


@dataclass
class ListSink:
    signals: list[AlarmSignal] = field(default_factory=list)
    calls: list[datetime] = field(default_factory=list)
    now: datetime | None = None  # the runs' simulated wall clock

    def submit(self, signals: Sequence[AlarmSignal], now: datetime) -> None:
        self.signals += signals
        self.calls.append(now)

    def raised(self) -> set[tuple[str, str]]:
        return {(s.kind, s.source) for s in self.signals if s.state == "active"}


@lru_cache(maxsize=1)
def sample_site() -> Site:
    return load_site(SAMPLE_SITE_FILE)


@lru_cache(maxsize=2)
def past_weeks_baseline(seed: int = SEED, days: int = 14) -> Baseline:
    """The meters' baseline from `days` simulated days before WEDNESDAY."""
    site = sample_site()
    first = WEDNESDAY - timedelta(days=days)
    frame = slot_frame(list(meter_days(site, first, days, seed=seed)))
    calendar = WorkCalendar.of(site.calendar.holidays, site.calendar.workdays)
    return build_baseline(frame, calendar, ZoneInfo(site.timezone))


MEAL_HOURS = (("06:45", "09:00"), ("11:15", "13:30"), ("17:15", "19:30"))


@lru_cache(maxsize=2)
def past_weeks_profiles(seed: int = SEED, days: int = 21) -> Profiles:
    """Canteen profiles learnt as the runner learns them (`profiles_from_frames`)
    from `days` simulated days before WEDNESDAY, in the shape history holds them:
    meals per window and queue-zone counts per minute."""
    site = sample_site()
    first = WEDNESDAY - timedelta(days=days)
    sim = Simulator(site, local(first, "00:00"), SimOptions(seed=seed))
    meals: dict[tuple[datetime, str], int] = {}
    counts: dict[tuple[datetime, str], int] = {}
    for day in range(days):
        for start, end in MEAL_HOURS:
            date_ = first + timedelta(days=day)
            for _, e in sim.events(local(date_, start), local(date_, end)):
                key = (e.ts.replace(second=0, microsecond=0), e.device)
                if isinstance(e, CanteenEvent) and e.kind == "settlement":
                    meals[key] = meals.get(key, 0) + e.count
                elif isinstance(e, CameraEvent) and e.zone:
                    zone_key = (key[0], e.zone)
                    counts[zone_key] = max(counts.get(zone_key, 0), e.count)
    meal_frame = pd.DataFrame(
        [(b, d, n) for (b, d), n in meals.items()],
        columns=["bucket", "device", "meals"],
    )
    camera_frame = pd.DataFrame(
        [(b, z, n) for (b, z), n in counts.items()],
        columns=["bucket", "zone", "max_count"],
    )
    return profiles_from_frames(meal_frame, camera_frame, site_detection(site))


def run_hub(
    start: datetime,
    hours: float,
    incidents: Sequence[str] = (),
    *,
    baseline: Baseline | None = None,
    profiles: Profiles | None = None,
    lag: timedelta = timedelta(0),
    hub: DetectionHub | None = None,
    sink: ListSink | None = None,
    sim: Simulator | None = None,
) -> tuple[DetectionHub, ListSink]:
    site = sample_site()
    sink = sink or ListSink()
    sink.now = start + lag
    if hub is None:
        clocked = sink
        hub = DetectionHub(site, sink, clock=lambda: clocked.now or start)
    if baseline is not None:
        hub.set_baseline(baseline)
    if profiles is not None:
        hub.set_profiles(profiles)
    sim = sim or make_sim(start, incidents)
    minute = start
    while minute < start + timedelta(hours=hours):
        following = minute + timedelta(minutes=1)
        sink.now = following + lag
        hub.observe([event for _, event in sim.events(minute, following)])
        hub.tick(following + lag)
        minute = following
    return hub, sink


def make_sim(start: datetime, incidents: Sequence[str] = ()) -> Simulator:
    options = SimOptions(
        seed=SEED, incidents=tuple(parse_incident(i) for i in incidents)
    )
    return Simulator(sample_site(), start, options)


def local(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    zone = ZoneInfo(sample_site().timezone)
    return datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone)
