"""The simulated compound: turns spans of simulated time into sorted contract events.

`Simulator.step(start, end)` returns every event with a timestamp in [start, end),
sorted, as (topic, event) pairs, plus a `Notice` when an injected incident starts. Day
plans and load curves are built once per local day and dropped when the day is past, so
memory stays bounded over multi-day runs. Everything is a function of the site, the
options and the run's start (the running totals of cumulative meters start at the run's
start).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from streams.config.site import Site
from streams.simulator.cameras import camera_drafts
from streams.simulator.dayplan import DayPlan, build_day_plan
from streams.simulator.draft import Day, Draft, py_rng, site_zone, tick_times
from streams.simulator.energy import energy_drafts, initial_totals
from streams.simulator.incidents import IncidentSpec, resolve_incident
from streams.simulator.loads import DayLoads, build_day_loads
from streams.simulator.roster import build_roster
from streams.simulator.status import heartbeat_drafts, online_drafts, outage_drafts
from streams.wire.contracts import Event, topic_for

Outgoing = tuple[str, Event]


@dataclass(frozen=True, slots=True)
class Notice:
    """An injected incident starting: logged once as a JSON line."""

    ts: datetime
    record: dict[str, Any]


@dataclass(frozen=True, slots=True)
class SimOptions:
    seed: int = 0
    rate: float = 1.0
    energy_interval_s: int = 60
    camera_interval_s: int = 30
    incidents: tuple[IncidentSpec, ...] = field(default=())

    def interval(self, base_s: int) -> int:
        """Reporting period, shortened by a --rate above 1 (more readings)."""
        return max(1, round(base_s / self.rate)) if self.rate > 1 else base_s


def minute_steps(start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """[start, end) cut at whole minutes of the epoch."""
    cursor = start
    while cursor < end:
        boundary = datetime.fromtimestamp(
            (cursor.timestamp() // 60 + 1) * 60, cursor.tzinfo
        )
        yield cursor, min(boundary, end)
        cursor = min(boundary, end)


class Simulator:
    def __init__(self, site: Site, start: datetime, options: SimOptions) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self.site, self.start, self.options = site, start, options
        self.tz = site_zone(site.timezone)
        self.roster = build_roster(site, options.seed, options.rate)
        self.incidents = [
            resolve_incident(s, site, start, self.tz) for s in options.incidents
        ]
        self._days: dict[date, tuple[DayPlan, DayLoads]] = {}
        self._totals = initial_totals(site, options.seed)

    def day_state(self, day: Day) -> tuple[DayPlan, DayLoads]:
        state = self._days.get(day.date)
        if state is None:
            opts = self.options
            plan = build_day_plan(
                self.site, self.roster, day, opts.seed, opts.rate, self.incidents
            )
            state = (plan, build_day_loads(self.site, plan, opts.seed, self.incidents))
            yesterday = day.shifted(-1).date
            self._days = {d: s for d, s in self._days.items() if d >= yesterday}
            self._days[day.date] = state
        return state

    def _day_segments(
        self, start: datetime, end: datetime
    ) -> Iterator[tuple[datetime, datetime, Day]]:
        cursor = start
        while cursor < end:
            day = Day.of(cursor, self.tz)
            stop = min(end, day.shifted(1).midnight)
            yield cursor, stop, day
            cursor = stop

    def _drafts(self, start: datetime, end: datetime) -> list[Draft]:
        opts, site = self.options, self.site
        noise = py_rng(opts.seed, site.id, "noise", start.timestamp())
        energy_s = opts.interval(opts.energy_interval_s)
        camera_s = opts.interval(opts.camera_interval_s)
        drafts: list[Draft] = []
        for first, stop, day in self._day_segments(start, end):
            plan, loads = self.day_state(day)
            drafts += plan.drafts_between(first, stop)
            ticks = tick_times(first, stop, energy_s)
            drafts += energy_drafts(
                site, plan, loads, ticks, energy_s, self._totals, noise
            )
            ticks = tick_times(first, stop, camera_s)
            drafts += camera_drafts(site, plan, ticks, camera_s, self.incidents, noise)
        drafts += heartbeat_drafts(site, start, end, self.incidents)
        drafts += outage_drafts(self.incidents, start, end)
        drafts.sort(key=lambda d: d.ts)
        return drafts

    def step(self, start: datetime, end: datetime) -> list[Outgoing | Notice]:
        """Every event in [start, end), sorted by time; call for steps in order."""
        ids = py_rng(self.options.seed, self.site.id, "ids", start.timestamp())
        out: list[Outgoing | Notice] = [
            Notice(i.start, i.record(self.site.id))
            for i in self.incidents
            if start <= i.start < end
        ]
        if start == self.start:  # own id stream: later ids do not depend on the start
            hello = py_rng(self.options.seed, self.site.id, "online", start.timestamp())
            for draft in online_drafts(self.site, start):
                out.append((self._topic(draft), draft.build(hello)))
        for draft in self._drafts(start, end):
            out.append((self._topic(draft), draft.build(ids)))
        out.sort(key=lambda item: item.ts if isinstance(item, Notice) else item[1].ts)
        return out

    def _topic(self, draft: Draft) -> str:
        return topic_for(self.site.id, draft.stream, draft.device)

    def events(self, start: datetime, end: datetime) -> list[Outgoing]:
        """All events of [start, end) generated step by step (for tests and benches)."""
        return [
            item
            for first, stop in minute_steps(start, end)
            for item in self.step(first, stop)
            if not isinstance(item, Notice)
        ]
