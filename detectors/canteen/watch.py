"""A compound's canteens minute by minute: `CongestionWatch` feeds each canteen's
`CanteenMonitor` (settlements, window open/close, queue-camera counts), evaluates
every whole minute of canteen event time with the arrival profile of the day's group
(workday incl. 调休 / offday incl. holidays), adds advice and runs the warnings.

The live detection hub and `bench.congestion` both run this class, so the bench
measures the code path the compound runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from detectors.canteen.alert import CongestionAlert, advise
from detectors.canteen.arrivals import Profiles, profile_at
from detectors.canteen.congestion import KIND, CanteenMonitor, CongestionState
from detectors.canteen.params import CanteenSpec, CongestionParams
from detectors.core.calendar import WorkCalendar
from detectors.core.signals import AlarmSignal

CATCH_UP = timedelta(minutes=30)  # a backlog is evaluated for its last 30 minutes


@dataclass(slots=True)
class CongestionWatch:
    canteens: Mapping[str, CanteenSpec]
    window_canteen: Mapping[str, str]  # serving window -> canteen
    queue_zones: Mapping[str, str]  # queue-camera zone -> canteen
    calendar: WorkCalendar
    tz: tzinfo
    params: CongestionParams = field(default_factory=CongestionParams)
    profiles: Profiles = field(default_factory=dict)
    monitors: dict[str, CanteenMonitor] = field(init=False)
    alerts: dict[str, CongestionAlert] = field(init=False)
    states: dict[str, CongestionState] = field(default_factory=dict)
    mark: datetime | None = None  # newest canteen event time seen
    evaluated_to: datetime | None = None

    def __post_init__(self) -> None:
        p = self.params
        self.monitors = {c: CanteenMonitor(s, p) for c, s in self.canteens.items()}
        self.alerts = {c: CongestionAlert(c, c, p) for c in self.canteens}

    def _see(self, ts: datetime) -> None:
        if self.mark is None or ts > self.mark:
            self.mark = ts

    def canteen_event(self, window: str, ts: datetime, kind: str, count: int) -> None:
        """A settlement (`count` meals) or a window opening / closing."""
        monitor = self.monitors.get(self.window_canteen.get(window, ""))
        if monitor is None:
            return
        self._see(ts)
        if kind == "settlement":
            monitor.settle(window, ts, count)
        else:
            monitor.set_window(window, kind == "window_open")

    def queue_count(self, zone: str | None, ts: datetime, count: int) -> None:
        canteen = self.queue_zones.get(zone or "")
        if canteen is not None:
            self._see(ts)
            self.monitors[canteen].see_queue(ts, count)

    def adopt(self, kind: str, source: str) -> bool:
        """Take over a warning raised before a restart; False when not ours."""
        alert = self.alerts.get(source)
        if kind != KIND or alert is None:
            return False
        alert.adopt()
        return True

    def evaluate(self) -> list[AlarmSignal]:
        """One evaluation per whole minute of canteen event time not yet evaluated."""
        if self.mark is None:
            return []
        last = self.mark.replace(second=0, microsecond=0)
        first = (
            last
            if self.evaluated_to is None
            else self.evaluated_to + timedelta(minutes=1)
        )
        at, out = max(first, last - CATCH_UP), []
        while at <= last:
            out += self.evaluate_at(at)
            at += timedelta(minutes=1)
        self.evaluated_to = max(last, self.evaluated_to or last)
        return out

    def evaluate_at(self, at: datetime) -> list[AlarmSignal]:
        group = self.calendar.baseline_group(at.astimezone(self.tz).date())
        states = {}
        for cid, monitor in self.monitors.items():
            curve = self.profiles.get((cid, group))
            profile = None
            if curve is not None:
                profile = profile_at(curve, at, self.tz, self.params)
            states[cid] = monitor.evaluate(at, profile)
        self.states = advise(states, self.canteens, self.params)
        out = []
        for cid, state in self.states.items():
            signal = self.alerts[cid].update(state)
            if signal is not None:
                out.append(signal)
        return out
