"""The compound itself: a validated site file (YAML).

The site file names every device the platform accepts events from: gates, canteen
serving windows, meters, cameras with zones, plus buildings. It is loaded once per
entry point; a bad file stops the process at start with the field and the reason (see
`load_site`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import (
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from streams.config.site_parts import (
    WALL_LAYOUTS,
    BookingSystem,
    Building,
    Calendar,
    Camera,
    Canteen,
    DeviceId,
    Gate,
    Meter,
    Parking,
    Screen,
    ServingWindow,
    SiteModel,
    Thresholds,
    Zone,
)

# The site file's parts are re-exported: `from streams.config.site import Camera`.
__all__ = [
    "WALL_LAYOUTS",
    "Building",
    "Camera",
    "Canteen",
    "Meter",
    "Screen",
    "ServingWindow",
    "Site",
    "SiteFileError",
    "Thresholds",
    "Zone",
    "describe_validation_error",
    "load_site",
]


class SiteFileError(ValueError):
    """The site file is missing, unreadable or invalid; the message names the field."""


class Site(SiteModel):
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
        refs: list[tuple[str, str | None]] = [
            (f"canteens.{c.id}.building", c.building) for c in self.canteens
        ]
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
