"""What the energy detectors share: a meter as they see it and their parameters
(`EnergyWatch` and the leak, PV and spike watches it holds)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MeterSpec:
    id: str
    name: str
    building: str
    quantity: str
    cumulative: bool = False
    max_value: float = 1e9
    site_wide: bool = False
    building_name: str = ""

    @property
    def is_building_total(self) -> bool:
        """Judged for after-hours load: a building's electricity, not a subsystem."""
        return self.quantity in ("electric_kw", "electric_kwh") and not self.cumulative

    @property
    def is_load(self) -> bool:
        """A meter whose values can be compared with a load baseline."""
        return not self.cumulative and not self.quantity.startswith("pv")


@dataclass(frozen=True, slots=True)
class EnergyParams:
    office_start_min: int = 7 * 60 + 30
    office_end_min: int = 19 * 60
    excess_k: float = 4.0
    excess_ratio: float = 0.3
    hvac_excess_ratio: float = 1.0
    floor_share: float = 0.05
    excess_slots: int = 4
    after_hours_slots: int = 2
    clear_slots: int = 2
    spike_k: float = 4.0
    spike_ratio: float = 0.6
    spike_readings: int = 3
    spike_max_readings: int = 30
    spike_slots: int = 2
    after_hours_ratio: float = 0.5
    after_hours_empty_multiple: float = 2.0
    spike_hold_s: int = 1800
    leak_start_min: int = 0
    leak_end_min: int = 5 * 60
    leak_window_min: int = 60
    leak_floor_per_min: float = 0.005
    leak_baseline_ratio: float = 3.0
    pv_ratio: float = 0.6
    pv_slots: int = 2
