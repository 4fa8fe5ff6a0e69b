"""The site file as the detectors' inputs: specs, maps and parameters."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from detectors.access.params import GateParams
from detectors.canteen.params import CanteenSpec, CongestionParams, WindowSpec
from detectors.core.calendar import WorkCalendar
from detectors.energy.params import EnergyParams, MeterSpec
from detectors.energy.waste import Prices
from streams.config.site import Site, Thresholds


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True, slots=True)
class SiteDetection:
    """Everything the detectors need to know about one compound."""

    tz: ZoneInfo
    calendar: WorkCalendar
    canteens: dict[str, CanteenSpec]
    window_canteen: dict[str, str]
    queue_zones: dict[str, str]  # camera queue zone id -> canteen id
    camera_gates: dict[str, str]  # gate camera id -> gate id
    meters: dict[str, MeterSpec]
    device_classes: dict[str, str]
    device_names: dict[str, str]
    congestion: CongestionParams
    energy: EnergyParams
    gates: GateParams
    prices: Prices


def _canteens(site: Site) -> dict[str, CanteenSpec]:
    return {
        c.id: CanteenSpec(
            c.id,
            c.name,
            tuple(
                WindowSpec(w.id, w.name, i + 1, w.service_rate_per_min)
                for i, w in enumerate(c.windows)
            ),
        )
        for c in site.canteens
    }


def _queue_zones(site: Site) -> dict[str, str]:
    by_building = {c.building: c.id for c in site.canteens}
    return {
        zone.id: by_building[camera.building]
        for camera in site.cameras
        if camera.building in by_building
        for zone in camera.zones
        if zone.kind == "queue"
    }


def _meters(site: Site) -> dict[str, MeterSpec]:
    parents = {m.parent for m in site.meters if m.parent}
    buildings = {b.id: b.name for b in site.buildings}
    return {
        m.id: MeterSpec(
            m.id,
            m.name,
            m.building,
            m.quantity,
            m.cumulative,
            m.max_value,
            site_wide=m.id in parents,
            building_name=buildings.get(m.building, m.building),
        )
        for m in site.meters
    }


def _classes(site: Site) -> dict[str, str]:
    classes = {c.id: "camera" for c in site.cameras}
    classes |= {g.id: "gate" for g in site.gates}
    classes |= {m.id: "meter" for m in site.meters}
    classes |= {w: "pos" for w in site.windows}
    return classes | {site.booking.id: "booking"}


def _names(site: Site) -> dict[str, str]:
    names = {c.id: c.name for c in site.cameras} | {g.id: g.name for g in site.gates}
    names |= {m.id: m.name for m in site.meters}
    names |= {w: spec.name for w, (_, spec) in site.windows.items()}
    return names | {site.booking.id: site.booking.name}


def _params(t: Thresholds) -> tuple[CongestionParams, EnergyParams, GateParams]:
    congestion = CongestionParams(
        warn_wait_min=t.canteen_wait_warn_min,
        clear_wait_min=t.canteen_wait_clear_min,
        busy_wait_min=t.canteen_busy_wait_min,
    )
    energy = EnergyParams(
        office_start_min=_minutes(t.office_start),
        office_end_min=_minutes(t.office_end),
        leak_floor_per_min=t.leak_floor_m3_per_h / 60.0,
    )
    gates = GateParams(
        denied_burst_count=t.denied_burst_count,
        denied_burst_window_s=t.denied_burst_window_s,
        reuse_window_s=t.credential_reuse_s,
        quiet_start_min=_minutes(t.quiet_start),
        quiet_end_min=_minutes(t.quiet_end),
        overstay_grace_min=t.visitor_overstay_grace_min,
    )
    return congestion, energy, gates


def site_detection(site: Site) -> SiteDetection:
    congestion, energy, gates = _params(site.thresholds)
    return SiteDetection(
        tz=ZoneInfo(site.timezone),
        calendar=WorkCalendar.of(site.calendar.holidays, site.calendar.workdays),
        canteens=_canteens(site),
        window_canteen={w: c.id for w, (c, _) in site.windows.items()},
        queue_zones=_queue_zones(site),
        camera_gates={c.id: c.gate for c in site.cameras if c.gate},
        meters=_meters(site),
        device_classes=_classes(site),
        device_names=_names(site),
        congestion=congestion,
        energy=energy,
        gates=gates,
        prices=Prices(
            electricity_yuan_per_kwh=site.electricity_yuan_per_kwh,
            water_yuan_per_m3=site.water_yuan_per_m3,
            grid_kg_co2_per_kwh=site.grid_kg_co2_per_kwh,
        ),
    )
