"""The site file's parts: one frozen model per thing a compound has (buildings,
gates, canteens and windows, meters, cameras and zones, screens, calendar,
thresholds). `streams.config.site.Site` puts them together and checks them against each
other."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class SiteModel(BaseModel):
    """Every part of the site file: frozen, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Building(SiteModel):
    id: DeviceId
    name: str = Field(min_length=1, description="Display name, e.g. 1号楼 综合办公楼")
    floors: int = Field(ge=1, le=200)
    occupants: int = Field(ge=0, le=20_000, description="Staff normally working here")
    area_m2: float = Field(gt=0, le=1_000_000)


class Gate(SiteModel):
    id: DeviceId
    name: str = Field(min_length=1)
    kind: GateKind
    lanes: int = Field(default=2, ge=1, le=20)


class ServingWindow(SiteModel):
    id: DeviceId
    name: str = Field(min_length=1)
    service_rate_per_min: float = Field(
        gt=0, le=20, description="Diners one window serves per minute at full pace"
    )


class MealPeriod(SiteModel):
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


class Canteen(SiteModel):
    id: DeviceId
    name: str = Field(min_length=1)
    building: DeviceId
    seats: int = Field(ge=1, le=10_000)
    windows: list[ServingWindow] = Field(min_length=1)
    meals: list[MealPeriod] = Field(min_length=1)


class Meter(SiteModel):
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


class Zone(SiteModel):
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


class Camera(SiteModel):
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


class BookingSystem(SiteModel):
    id: DeviceId
    name: str = Field(min_length=1)


class Parking(SiteModel):
    capacity: int = Field(ge=0, le=100_000)


# A wall layout's name. Which names exist is the dashboard's to say (its catalog,
# layouts/wall/catalog.py): it checks them when it loads the file
# (`load_wall_site` in dashboard/wall/registry.py); streams does not know the
# wall's layouts.
LayoutName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,31}$")]


class Screen(SiteModel):
    """One physical wall screen (多屏显示): the layouts it shows, in turn."""

    id: DeviceId
    name: str = Field(min_length=1, description="Where it hangs, e.g. 主屏 左")
    layouts: list[LayoutName] = Field(
        min_length=1, max_length=10, description="Wall layouts by name, shown in turn"
    )
    rotate_s: int = Field(
        default=60, ge=10, le=3600, description="Seconds each layout stays up"
    )


class Calendar(SiteModel):
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


class Thresholds(SiteModel):
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
