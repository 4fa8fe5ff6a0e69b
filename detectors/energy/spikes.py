"""Load spikes (读数突增): a short excursion far above the usual peak.

A run starts with a reading above the spike bound (the largest usual peak within
±`spike_slots` slots, plus a margin) and lasts while readings stay above the normal
bound of the slot; it is judged when it ends: at least `spike_readings` readings
above the spike bound and at most `spike_max_readings` in all. A longer excursion is
a level shift, left to the excess and after-hours checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from detectors.core.signals import AlarmSignal
from detectors.energy.baseline import SlotStats
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.signal import meter_signal


@dataclass(slots=True)
class _Run:
    readings: int = 0
    high: int = 0
    top: float = 0.0


class SpikeWatch:
    def __init__(self, params: EnergyParams) -> None:
        self.params = params
        self.runs: dict[str, _Run] = {}

    def reading(
        self,
        spec: MeterSpec,
        ts: datetime,
        value: float,
        near: SlotStats,
        normal: float,
        floor: float,
    ) -> AlarmSignal | None:
        p = self.params
        bound = near.peak + max(
            p.spike_k * near.peak_sigma, p.spike_ratio * near.peak, floor
        )
        run = self.runs.get(spec.id)
        if value > bound or (run is not None and value > normal):
            run = self.runs.setdefault(spec.id, _Run())
            run.readings += 1
            run.high += value > bound
            run.top = max(run.top, value)
            return None
        self.runs.pop(spec.id, None)
        if run is None or run.high < p.spike_readings:
            return None
        if run.readings > p.spike_max_readings:
            return None
        text = (
            f"{spec.name}读数突增：最高{run.top:.2f}，持续约{run.readings}分钟"
            f"（通常峰值{near.peak:.2f}）"
        )
        details = {
            "expected": round(near.peak, 4),
            "actual": run.top,
            "readings": run.readings,
        }
        return meter_signal(
            "load_spike", spec, "active", ts, text, severity="minor", details=details
        )
