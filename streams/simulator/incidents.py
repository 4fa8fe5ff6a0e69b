"""Injected incidents: what the detectors should find in the simulated data.

``--incident KIND[@HH:MM][=DEVICE]`` starts KIND at the first local HH:MM at or after
the run's start, on DEVICE or on a default device. Each incident has a fixed duration:

- ``water_leak`` (8 h): extra flow in a building, seen by its water meters and by the
  site-wide (``*main*``/园区) water meter, so the night minimum stays high.
- ``after_hours_load`` (until 08:00 next morning): a building keeps its daytime load.
- ``queue_surge`` (20 min): a serving window closes early and extra diners arrive.
- ``tailgating`` (10 min): the gate camera counts more people than passes granted, and
  one credential is used twice within seconds.
- ``camera_offline`` (60 min): a camera reports offline and falls silent, then returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from streams.config.site import Site
from streams.simulator.draft import Day, hhmm_minutes

KINDS = (
    "water_leak",
    "after_hours_load",
    "queue_surge",
    "tailgating",
    "camera_offline",
)
DEFAULT_AT = {
    "water_leak": "01:00",
    "after_hours_load": "19:00",
    "tailgating": "08:20",
    "camera_offline": "10:00",
}
DURATION = {
    "water_leak": timedelta(hours=8),
    "queue_surge": timedelta(minutes=20),
    "tailgating": timedelta(minutes=10),
    "camera_offline": timedelta(minutes=60),
}
_SPEC = re.compile(
    r"^(?P<kind>[a-z_]+)(@(?P<at>([01]\d|2[0-3]):[0-5]\d))?(=(?P<device>[a-z0-9_-]+))?$"
)


@dataclass(frozen=True, slots=True)
class IncidentSpec:
    """An incident as asked for on the command line."""

    kind: str
    at: str | None = None
    device: str | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """A resolved incident: its device, the building or devices it touches, its span."""

    kind: str
    device: str
    start: datetime
    end: datetime
    building: str | None = None
    devices: tuple[str, ...] = ()

    def active(self, ts: datetime) -> bool:
        return self.start <= ts < self.end

    def record(self, site_id: str) -> dict[str, Any]:
        """The JSON line logged once when the incident starts."""
        return {
            "incident": self.kind,
            "site": site_id,
            "device": self.device,
            "devices": list(self.devices or (self.device,)),
            "building": self.building,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def parse_incident(text: str) -> IncidentSpec:
    """'water_leak@02:30' or 'camera_offline=cam-b1-lobby'; ValueError if malformed."""
    match = _SPEC.match(text.strip())
    if match is None or match["kind"] not in KINDS:
        raise ValueError(
            f"bad incident {text!r}: expected KIND[@HH:MM][=DEVICE], "
            f"KIND one of {', '.join(KINDS)}"
        )
    return IncidentSpec(match["kind"], match["at"], match["device"])


def first_at(start: datetime, hhmm: str, tz: tzinfo) -> datetime:
    """The first local `hhmm` at or after `start`."""
    day = Day.of(start, tz)
    candidate = day.at(hhmm_minutes(hhmm))
    return candidate if candidate >= start else day.shifted(1).at(hhmm_minutes(hhmm))


def water_site_wide(meter_id: str, meter_name: str) -> bool:
    """Whether a water meter measures the whole compound (its id or name says so)."""
    return "main" in meter_id or "园区" in meter_name


def _water(site: Site, spec: IncidentSpec) -> tuple[str, str, tuple[str, ...]]:
    water = [m for m in site.meters if m.quantity == "water_m3"]
    local = [m for m in water if not water_site_wide(m.id, m.name)] or water
    if not water:
        raise ValueError("water_leak: the site has no water_m3 meter")
    meter = site.meters_by_id.get(spec.device or local[0].id)
    if meter is None or meter.quantity != "water_m3":
        raise ValueError(f"water_leak: {spec.device!r} is not a water meter")
    seen = [
        m.id
        for m in water
        if m.building == meter.building or water_site_wide(m.id, m.name)
    ]
    return meter.id, meter.building, tuple(seen)


def _building_load(site: Site, spec: IncidentSpec) -> tuple[str, str, tuple[str, ...]]:
    electric = [m for m in site.meters if m.quantity.startswith(("electric", "hvac"))]
    if not electric:
        raise ValueError("after_hours_load: the site has no electric meter")
    wanted = spec.device or electric[0].building
    building = (
        site.meters_by_id[wanted].building if wanted in site.meters_by_id else wanted
    )
    meters = tuple(m.id for m in electric if m.building == building)
    if not meters:
        raise ValueError(f"after_hours_load: no electric meter in building {wanted!r}")
    return meters[0], building, meters


def _surge(site: Site, spec: IncidentSpec) -> tuple[str, int]:
    """The window and the default minute (lunch start + 15) of a queue surge."""
    for canteen in site.canteens:
        for window in canteen.windows:
            if spec.device in (None, window.id):
                meal = next((m for m in canteen.meals if m.meal == "lunch"), None)
                meal = meal or canteen.meals[0]
                return window.id, hhmm_minutes(meal.start) + 15
    raise ValueError(f"queue_surge: no serving window {spec.device or ''!r}".strip())


def _tailgating(site: Site, spec: IncidentSpec) -> tuple[str, tuple[str, ...]]:
    watched = {c.gate: c.id for c in site.cameras if c.gate is not None}
    walk = [g.id for g in site.gates if g.kind == "pedestrian"]
    gate = spec.device or next((g for g in walk if g in watched), None)
    gate = gate or (walk[0] if walk else None)
    if gate is None or gate not in site.gates_by_id:
        raise ValueError(f"tailgating: no pedestrian gate {spec.device or ''!r}")
    cameras = tuple(c.id for c in site.cameras if c.gate == gate)
    return gate, (gate, *cameras)


def _camera(site: Site, spec: IncidentSpec) -> str:
    if not site.cameras:
        raise ValueError("camera_offline: the site has no camera")
    camera = spec.device or site.cameras[-1].id
    if camera not in site.cameras_by_id:
        raise ValueError(f"camera_offline: unknown camera {camera!r}")
    return camera


def resolve_incident(
    spec: IncidentSpec, site: Site, start: datetime, tz: tzinfo
) -> Incident:
    """Pick the device and the start time (site zone `tz`); ValueError if impossible."""
    building: str | None = None
    devices: tuple[str, ...] = ()
    default_at = DEFAULT_AT.get(spec.kind)
    if spec.kind == "water_leak":
        device, building, devices = _water(site, spec)
    elif spec.kind == "after_hours_load":
        device, building, devices = _building_load(site, spec)
    elif spec.kind == "queue_surge":
        device, minute = _surge(site, spec)
        default_at = f"{minute // 60:02d}:{minute % 60:02d}"
    elif spec.kind == "tailgating":
        device, devices = _tailgating(site, spec)
    else:
        device = _camera(site, spec)
    begins = first_at(start, spec.at or default_at or "00:00", tz)
    if spec.kind == "after_hours_load":
        ends = first_at(begins + timedelta(minutes=1), "08:00", tz)
    else:
        ends = begins + DURATION[spec.kind]
    return Incident(spec.kind, device, begins, ends, building, devices)
