"""The compound itself: a validated site file (YAML).

The site file names every device the platform accepts events from: gates, canteen
serving windows, meters, cameras with zones, plus buildings. It is loaded once per
entry point; a bad file stops the process at start with the field and the reason (see
`load_site`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

DeviceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]

GateKind = Literal["pedestrian", "vehicle"]
MeterQuantity = Literal[
    "electric_kwh", "electric_kw", "water_m3", "pv_kwh", "pv_kw", "hvac_kw", "hvac_kwh"
]
ZoneKind = Literal["restricted", "queue", "entrance", "public", "parking"]
QUANTITY_UNITS: dict[str, str] = {
    "electric_kwh": "kWh",
    "electric_kw": "kW",
    "water_m3": "m³",
    "pv_kwh": "kWh",
    "pv_kw": "kW",
    "hvac_kw": "kW",
    "hvac_kwh": "kWh",
}


class SiteFileError(ValueError):
    """The site file is missing, unreadable or invalid; the message names the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Building(_Model):
    id: DeviceId
    name: str = Field(min_length=1, description="Display name, e.g. 1号楼 综合办公楼")
    floors: int = Field(ge=1, le=200)
    occupants: int = Field(ge=0, le=20_000, description="Staff normally working here")
    area_m2: float = Field(gt=0, le=1_000_000)


class Gate(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    kind: GateKind
    lanes: int = Field(default=2, ge=1, le=20)


class ServingWindow(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    service_rate_per_min: float = Field(
        gt=0, le=20, description="Diners one window serves per minute at full pace"
    )


class MealPeriod(_Model):
    meal: Literal["breakfast", "lunch", "dinner"]
    start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")

    @model_validator(mode="after")
    def _ends_after_start(self) -> MealPeriod:
        if self.end <= self.start:
            raise ValueError(
                f"meal {self.meal}: end {self.end} is not after {self.start}"
            )
        return self


class Canteen(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    building: DeviceId
    seats: int = Field(ge=1, le=10_000)
    windows: list[ServingWindow] = Field(min_length=1)
    meals: list[MealPeriod] = Field(min_length=1)


class Meter(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    building: DeviceId
    quantity: MeterQuantity
    max_value: float = Field(gt=0, description="Largest plausible reading value")
    cumulative: bool = Field(
        default=False, description="True when the meter reports a running total"
    )
    parent: DeviceId | None = Field(
        default=None,
        description="The meter this one is a sub-meter of (excluded from site totals)",
    )

    @property
    def unit(self) -> str:
        return QUANTITY_UNITS[self.quantity]


class Zone(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    kind: ZoneKind
    polygon: list[tuple[float, float]] = Field(
        min_length=3, description="Vertices in frame pixels"
    )
    line: tuple[tuple[float, float], tuple[float, float]] | None = Field(
        default=None,
        description="Counting line (two points, frame pixels): crossing it from its "
        "left to its right, walking from the first point to the second, is 'in'",
    )


class Camera(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    building: DeviceId | None = None
    gate: DeviceId | None = None
    source: str = Field(default="", description="RTSP/HTTP URL or file; empty = none")
    width: int = Field(default=1920, ge=16, le=8192)
    height: int = Field(default=1080, ge=16, le=8192)
    zones: list[Zone] = Field(default_factory=list)
    analyse_fps: float = Field(
        default=5.0, gt=0, le=30, description="Frames analysed per second (budget)"
    )
    report_s: int = Field(
        default=30, ge=1, le=3600, description="Zone counts published every report_s"
    )
    loiter_s: int = Field(
        default=60, ge=5, le=86_400, description="Dwell in a zone that is loitering"
    )
    snapshot_s: int = Field(
        default=60, ge=5, le=3600, description="Periodic annotated snapshot interval"
    )


class BookingSystem(_Model):
    id: DeviceId
    name: str = Field(min_length=1)


class Parking(_Model):
    capacity: int = Field(ge=0, le=100_000)


WallLayout = Literal["overview", "canteen", "energy", "security", "traffic"]
WALL_LAYOUTS: tuple[str, ...] = ("overview", "canteen", "energy", "security", "traffic")


class Screen(_Model):
    """One physical wall screen (多屏显示): the layouts it shows, in turn."""

    id: DeviceId
    name: str = Field(min_length=1, description="Where it hangs, e.g. 主屏 左")
    layouts: list[WallLayout] = Field(min_length=1, max_length=10)
    rotate_s: int = Field(
        default=60, ge=10, le=3600, description="Seconds each layout stays up"
    )


class Calendar(_Model):
    """Working-day calendar: public holidays and make-up workdays (调休上班).

    A day is a workday when it is a make-up workday, or a Monday-Friday that is not a
    holiday. Alarm kinds in `workday_only_kinds` are suppressed by design on other
    days (ISA-18.2 suppressed-by-design; see streams/alarms/policy.py).
    """

    holidays: list[date] = Field(default_factory=list)
    workdays: list[date] = Field(
        default_factory=list, description="Make-up workdays on a weekend (调休)"
    )
    workday_only_kinds: list[str] = Field(
        default_factory=list, description="Alarm kinds that only matter on workdays"
    )

    @model_validator(mode="after")
    def _days_disjoint(self) -> Calendar:
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ValueError(f"both holiday and workday: {both[0].isoformat()}")
        return self

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays


HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class Thresholds(_Model):
    """Detector thresholds that belong to the compound (docs/detectors.md)."""

    canteen_wait_warn_min: float = Field(
        default=20, gt=0, le=240, description="Warn when the forecast wait passes this"
    )
    canteen_wait_clear_min: float = Field(
        default=12, gt=0, le=240, description="Clear when waits are back under this"
    )
    canteen_busy_wait_min: float = Field(
        default=5, gt=0, le=240, description="Level 较忙 from this wait on"
    )
    office_start: HHMM = Field(default="07:30", description="Workday office hours")
    office_end: HHMM = "19:00"
    quiet_start: HHMM = Field(default="22:00", description="Entries now: after hours")
    quiet_end: HHMM = "06:00"
    denied_burst_count: int = Field(default=5, ge=2, le=1000)
    denied_burst_window_s: int = Field(default=120, ge=10, le=3600)
    credential_reuse_s: int = Field(
        default=10, ge=1, le=300, description="Same credential twice: tailgating"
    )
    visitor_overstay_grace_min: int = Field(default=180, ge=0, le=1440)
    leak_floor_m3_per_h: float = Field(
        default=0.3, gt=0, le=100, description="Night minimum flow above: a leak"
    )

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.canteen_wait_clear_min >= self.canteen_wait_warn_min:
            raise ValueError(
                "canteen_wait_clear_min must be below canteen_wait_warn_min"
            )
        if self.canteen_busy_wait_min > self.canteen_wait_warn_min:
            raise ValueError(
                "canteen_busy_wait_min must not exceed canteen_wait_warn_min"
            )
        if self.office_end <= self.office_start:
            raise ValueError("office_end must be after office_start")
        return self


class Site(_Model):
    id: DeviceId
    name: str = Field(min_length=1)
    timezone: str = "Asia/Shanghai"
    grid_kg_co2_per_kwh: float = Field(default=0.5703, gt=0, le=2)
    electricity_yuan_per_kwh: float = Field(default=0.75, gt=0, le=10)
    water_yuan_per_m3: float = Field(default=4.1, gt=0, le=100)
    staff: int = Field(ge=0, le=100_000)
    parking: Parking
    booking: BookingSystem
    buildings: list[Building] = Field(min_length=1)
    gates: list[Gate] = Field(min_length=1)
    canteens: list[Canteen] = Field(default_factory=list)
    meters: list[Meter] = Field(default_factory=list)
    cameras: list[Camera] = Field(default_factory=list)
    calendar: Calendar = Field(default_factory=Calendar)
    thresholds: Thresholds = Field(default_factory=Thresholds)
    out_of_service_buildings: list[DeviceId] = Field(
        default_factory=list,
        description="Buildings whose alarms are suppressed by design (e.g. renovation)",
    )
    screens: list[Screen] = Field(
        default_factory=list, description="Wall screens: /wall/<screen id>"
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Site:
        _require_unique("device id", self._all_device_ids())
        buildings = {b.id for b in self.buildings}
        refs = [(f"canteens.{c.id}.building", c.building) for c in self.canteens]
        refs += [(f"meters.{m.id}.building", m.building) for m in self.meters]
        refs += [(f"cameras.{c.id}.building", c.building) for c in self.cameras]
        for where, ref in refs:
            if ref is not None and ref not in buildings:
                raise ValueError(f"{where}: unknown building {ref!r}")
        self._check_parent_meters()
        gates = {g.id for g in self.gates}
        for camera in self.cameras:
            if camera.gate is not None and camera.gate not in gates:
                raise ValueError(
                    f"cameras.{camera.id}.gate: unknown gate {camera.gate!r}"
                )
            _require_unique(
                f"cameras.{camera.id}.zones id", [z.id for z in camera.zones]
            )
        return self

    def _check_parent_meters(self) -> None:
        meters = {m.id: m for m in self.meters}
        for meter in self.meters:
            if meter.parent is None:
                continue
            parent = meters.get(meter.parent)
            if parent is None or parent.quantity != meter.quantity:
                raise ValueError(
                    f"meters.{meter.id}.parent: {meter.parent!r} is not a meter "
                    f"of quantity {meter.quantity}"
                )
            if parent.parent is not None:
                raise ValueError(
                    f"meters.{meter.id}.parent: {parent.id} is a sub-meter"
                )

    @model_validator(mode="after")
    def _screen_ids_are_distinct(self) -> Site:
        _require_unique("screens id", [s.id for s in self.screens])
        for screen in self.screens:
            if screen.id in WALL_LAYOUTS:
                raise ValueError(f"screens.{screen.id}: the id is a layout's name")
        return self

    @model_validator(mode="after")
    def _out_of_service_buildings_exist(self) -> Site:
        buildings = {b.id for b in self.buildings}
        for ref in self.out_of_service_buildings:
            if ref not in buildings:
                raise ValueError(f"out_of_service_buildings: unknown building {ref!r}")
        return self

    def _all_device_ids(self) -> list[str]:
        ids = [self.booking.id, *(b.id for b in self.buildings)]
        ids += [g.id for g in self.gates] + [m.id for m in self.meters]
        ids += [c.id for c in self.cameras] + [c.id for c in self.canteens]
        ids += [w.id for c in self.canteens for w in c.windows]
        return ids

    @cached_property
    def windows(self) -> dict[str, tuple[Canteen, ServingWindow]]:
        return {w.id: (c, w) for c in self.canteens for w in c.windows}

    @cached_property
    def gates_by_id(self) -> dict[str, Gate]:
        return {g.id: g for g in self.gates}

    @cached_property
    def meters_by_id(self) -> dict[str, Meter]:
        return {m.id: m for m in self.meters}

    @cached_property
    def cameras_by_id(self) -> dict[str, Camera]:
        return {c.id: c for c in self.cameras}

    @cached_property
    def buildings_by_id(self) -> dict[str, Building]:
        return {b.id: b for b in self.buildings}

    @cached_property
    def devices_by_stream(self) -> dict[str, frozenset[str]]:
        """Which device ids may publish on each stream (the topic's last level)."""
        every = frozenset(
            [*self.gates_by_id, *self.meters_by_id, *self.cameras_by_id, *self.windows]
        )
        return {
            "gate": frozenset(self.gates_by_id),
            "appointment": frozenset({self.booking.id}),
            "canteen": frozenset(self.windows),
            "energy": frozenset(self.meters_by_id),
            "camera": frozenset(self.cameras_by_id),
            "status": every | {self.booking.id},
        }


def _require_unique(what: str, values: Iterable[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem: dotted field path, then the reason."""
    lines = []
    for problem in error.errors():
        path = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        lines.append(f"{path}: {problem['msg']}")
    return "; ".join(lines)


def load_site(path: Path) -> Site:
    """Read and validate the site file, raising SiteFileError naming the field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SiteFileError(f"site file {path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise SiteFileError(f"site file {path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise SiteFileError(f"site file {path}: top level must be a mapping")
    try:
        return Site.model_validate(raw)
    except ValidationError as exc:
        raise SiteFileError(
            f"site file {path}: {describe_validation_error(exc)}"
        ) from exc
