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

from bench.meter_series import meter_days, slot_frame
from detectors.baseline import Baseline, build_baseline
from detectors.calendar import WorkCalendar
from detectors.signals import AlarmSignal
from streams.detection import DetectionHub
from streams.settings import SAMPLE_SITE_FILE
from streams.simulator import SimOptions, Simulator, parse_incident
from streams.site import Site, load_site

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


def run_hub(
    start: datetime,
    hours: float,
    incidents: Sequence[str] = (),
    *,
    baseline: Baseline | None = None,
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
