"""The briefing (#7) as plain data: what the page, the narrative, the PDF and the
charts show. Built by `dashboard.briefing.report` from history; no I/O here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Better = Literal["up", "down", "none"]


@dataclass(frozen=True, slots=True)
class Kpi:
    """One figure of the period beside the previous period and last year's."""

    key: str  # i18n key of its name
    unit: str
    value: float | None
    previous: float | None
    last_year: float | None
    digits: int = 0
    better: Better = "none"  # which direction is good (for the verdict colour)
    group: str = "energy"  # people, canteen, energy, intensity, alarms

    @property
    def change_pct(self) -> float | None:
        return _change(self.value, self.previous)

    @property
    def year_change_pct(self) -> float | None:
        return _change(self.value, self.last_year)


def _change(current: float | None, base: float | None) -> float | None:
    if current is None or base is None or base == 0:
        return None
    return 100.0 * (current - base) / base


@dataclass(frozen=True, slots=True)
class Series:
    """Bars of the period (hours of a day, days of a week or month) and the
    previous period's, aligned by position."""

    labels: tuple[str, ...]
    current: tuple[float, ...]
    previous: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class BuildingPortrait:
    id: str
    name: str
    kwh: float
    kwh_per_m2: float
    kwh_per_occupant: float | None
    after_hours_share: float | None  # 0..1 of its kWh outside office hours
    change_pct: float | None
    rank: int  # 1 = highest kWh per m²
    daily: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class CanteenPortrait:
    id: str
    name: str
    meals: int
    by_meal: tuple[tuple[str, int], ...]  # (breakfast|lunch|dinner, meals)
    revenue_yuan: float
    peak_queue: int | None
    peak_wait_min: float | None  # peak queue / full-pace service rate of its windows
    busiest_day: date | None
    change_pct: float | None
    rank: int  # 1 = most meals
    daily: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AlarmKind:
    kind: str
    count: int
    mtta_min: float | None
    mttr_min: float | None


@dataclass(frozen=True, slots=True)
class IsaFigure:
    key: str  # i18n key (streams.alarms.metrics figure keys)
    text: str
    target: str
    verdict: str


@dataclass(frozen=True, slots=True)
class Incident:
    at: datetime
    kind: str
    severity: str
    area: str
    message: str
    count: int
    actions: tuple[tuple[datetime, str, str, str], ...]  # at, operator, action, comment
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Quality:
    dead_letters: int | None
    dead_letters_partial: bool
    offline_devices: tuple[str, ...]  # names of devices that reported offline
    offline_reports: int
    silent_devices: tuple[str, ...]  # names of devices never heard in the period
    devices_total: int


@dataclass(frozen=True, slots=True)
class Briefing:
    site_name: str
    kind: Literal["day", "week", "month"]
    start: date
    end: date  # exclusive
    has_previous: bool
    has_last_year: bool
    kpis: tuple[Kpi, ...]
    energy: Series
    meals: Series
    buildings: tuple[BuildingPortrait, ...]
    canteens: tuple[CanteenPortrait, ...]
    alarm_kinds: tuple[AlarmKind, ...]
    isa: tuple[IsaFigure, ...]
    eemua_level: str
    incidents: tuple[Incident, ...]
    quality: Quality
    grid_kg_co2_per_kwh: float
    timezone: str
    coverage: tuple[int, int] = (0, 0)  # days with data, days in the period
    previous_coverage: tuple[int, int] | None = None

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)
