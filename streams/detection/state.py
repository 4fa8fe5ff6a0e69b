"""The detectors of one compound, built from its site file, and their evaluation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from detectors.access.gates import GateWatch
from detectors.canteen.congestion import CongestionState
from detectors.canteen.watch import CongestionWatch
from detectors.core.signals import AlarmSignal
from detectors.devices.meters import MeterHealth
from detectors.devices.offline import DeviceWatch
from detectors.energy.anomalies import EnergyWatch
from streams.config.site import Site
from streams.detection.specs import SiteDetection, site_detection

Evaluation = Callable[[], list[AlarmSignal]]


@dataclass(slots=True)
class Detectors:
    spec: SiteDetection
    gates: GateWatch
    devices: DeviceWatch
    meters: MeterHealth
    energy: EnergyWatch
    congestion: CongestionWatch

    def canteen_event(self, window: str, ts: datetime, kind: str, count: int) -> None:
        self.congestion.canteen_event(window, ts, kind, count)

    def queue_count(self, zone: str | None, ts: datetime, count: int) -> None:
        self.congestion.queue_count(zone, ts, count)

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
        return self.congestion.evaluate()

    def congestion_states(self) -> dict[str, CongestionState]:
        return dict(self.congestion.states)


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
        congestion=CongestionWatch(
            spec.canteens,
            spec.window_canteen,
            spec.queue_zones,
            spec.calendar,
            spec.tz,
            spec.congestion,
        ),
    )
