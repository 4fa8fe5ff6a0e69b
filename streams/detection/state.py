"""The detectors of one compound, built from its site file, and their evaluation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from detectors.arrivals import Profiles, profile_at
from detectors.congestion import (
    CanteenMonitor,
    CongestionAlert,
    CongestionState,
    advise,
)
from detectors.devices import DeviceWatch
from detectors.energy import EnergyWatch
from detectors.gates import GateWatch
from detectors.meters import MeterHealth
from detectors.signals import AlarmSignal
from streams.detection.specs import SiteDetection, site_detection
from streams.site import Site

Evaluation = Callable[[], list[AlarmSignal]]
CATCH_UP = timedelta(minutes=30)


@dataclass(slots=True)
class Detectors:
    spec: SiteDetection
    gates: GateWatch
    devices: DeviceWatch
    meters: MeterHealth
    energy: EnergyWatch
    monitors: dict[str, CanteenMonitor]
    alerts: dict[str, CongestionAlert]
    states: dict[str, CongestionState] = field(default_factory=dict)
    canteen_mark: datetime | None = None
    profiles: Profiles = field(default_factory=dict)
    evaluated_to: datetime | None = None

    def _see_canteen(self, ts: datetime) -> None:
        if self.canteen_mark is None or ts > self.canteen_mark:
            self.canteen_mark = ts

    def canteen_event(self, window: str, ts: datetime, kind: str, count: int) -> None:
        monitor = self.monitors.get(self.spec.window_canteen.get(window, ""))
        if monitor is None:
            return
        self._see_canteen(ts)
        if kind == "settlement":
            monitor.settle(window, ts, count)
        else:
            monitor.set_window(window, kind == "window_open")

    def queue_count(self, zone: str | None, ts: datetime, count: int) -> None:
        canteen = self.spec.queue_zones.get(zone or "")
        if canteen is not None:
            self._see_canteen(ts)
            self.monitors[canteen].see_queue(ts, count)

    def evaluations(self) -> list[tuple[str, Evaluation]]:
        energy_mark = self.meters.watermark
        return [
            ("gates", self.gates.evaluate),
            ("devices", self.devices.evaluate),
            ("meters", self.meters.evaluate),
            (
                "energy",
                (lambda: self.energy.evaluate(energy_mark)) if energy_mark else list,
            ),
            ("congestion", self.evaluate_congestion),
        ]

    def evaluate_congestion(self) -> list[AlarmSignal]:
        """One evaluation per whole minute of canteen event time not yet evaluated."""
        if self.canteen_mark is None:
            return []
        last = self.canteen_mark.replace(second=0, microsecond=0)
        first = (
            last
            if self.evaluated_to is None
            else self.evaluated_to + timedelta(minutes=1)
        )
        first = max(first, last - CATCH_UP)
        out: list[AlarmSignal] = []
        at = first
        while at <= last:
            out += self._congestion_at(at)
            at += timedelta(minutes=1)
        self.evaluated_to = max(last, self.evaluated_to or last)
        return out

    def _congestion_at(self, at: datetime) -> list[AlarmSignal]:
        group = self.spec.calendar.baseline_group(at.astimezone(self.spec.tz).date())
        states = {}
        for cid, monitor in self.monitors.items():
            curve = self.profiles.get((cid, group))
            profile = None
            if curve is not None:
                profile = profile_at(curve, at, self.spec.tz, self.spec.congestion)
            states[cid] = monitor.evaluate(at, profile)
        self.states = advise(states, self.spec.canteens, self.spec.congestion)
        out = []
        for cid, state in self.states.items():
            signal = self.alerts[cid].update(state)
            if signal is not None:
                out.append(signal)
        return out

    def congestion_states(self) -> dict[str, CongestionState]:
        return dict(self.states)


def build_detectors(site: Site) -> Detectors:
    spec = site_detection(site)
    return Detectors(
        spec=spec,
        gates=GateWatch(
            spec.tz, spec.camera_gates, spec.gates, names=spec.device_names
        ),
        devices=DeviceWatch(spec.device_classes, spec.device_names),
        meters=MeterHealth(
            {m.id: m.max_value for m in spec.meters.values() if m.cumulative},
            {m.id: m.name for m in spec.meters.values()},
        ),
        energy=EnergyWatch(
            spec.meters, spec.calendar, spec.tz, spec.energy, spec.prices
        ),
        monitors={
            cid: CanteenMonitor(c, spec.congestion) for cid, c in spec.canteens.items()
        },
        alerts={
            cid: CongestionAlert(cid, cid, spec.congestion) for cid in spec.canteens
        },
    )
