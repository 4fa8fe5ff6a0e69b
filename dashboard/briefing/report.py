"""The briefing's read model: periods of history (`streams.briefings.collect`) to the
`Briefing` the page, the narrative and the PDF show. Pure: no I/O, no clock.

Definitions (docs/briefing.md): electricity = top-level ``electric_kw`` meters
integrated, water = top-level ``water_m3`` meters, PV = top-level ``pv_kw`` meters;
PV self-consumption per 15-minute slot (`detectors.energy.intensity.pv_use`); carbon =
electricity not covered by PV × the site's grid factor; people, meals and the
intensity ratios from `detectors.energy.intensity`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from detectors.energy.intensity import DayUse, Intensity, PvUse, intensity, pv_use
from streams.alarms import metrics as alarm_metrics
from streams.alarms.policy import DEFAULT_CONSOLE
from streams.briefings.collect import PeriodData
from streams.config.site import Site


@dataclass(frozen=True, slots=True)
class Totals:
    """One period's headline numbers."""

    electricity_kwh: float
    water_m3: float
    pv: PvUse
    use: Intensity
    carbon_kg: float
    visitors: int
    vehicles: int
    denied: int
    appointments: int
    peak_wait_min: float | None
    alarms: int
    mtta_min: float | None
    mttr_min: float | None


def meter_ids(site: Site, quantity: str) -> set[str]:
    return {m.id for m in site.meters if m.quantity == quantity and m.parent is None}


def _slots(data: PeriodData, devices: set[str]) -> pd.Series:
    """Amount per local 15-minute slot (summed over `devices`)."""
    frame = data.energy[data.energy["device"].isin(devices)]
    if not len(frame):
        return pd.Series(dtype=float)
    return frame.groupby("slot")["amount"].sum()


def _by_day(slots: pd.Series) -> dict[date, float]:
    if not len(slots):
        return {}
    days = pd.to_datetime(pd.Series(slots.index)).dt.date
    sums = slots.groupby(list(days)).sum()
    return {d: float(v) for d, v in sums.items()}  # type: ignore[misc]  # pandas: keys are Hashable


def _daily(frame: pd.DataFrame, column: str) -> dict[Any, int]:
    if not len(frame):
        return {}
    return {d: int(v) for d, v in frame.groupby("day")[column].sum().items()}


def day_uses(site: Site, data: PeriodData) -> list[DayUse]:
    """Every day of the period with its electricity, water, people and meals."""
    kwh = _by_day(_slots(data, meter_ids(site, "electric_kw")))
    water = _by_day(_slots(data, meter_ids(site, "water_m3")))
    people = _daily(data.people, "people")
    meals = _daily(data.meals, "meals")
    return [
        DayUse(
            day,
            kwh.get(day, 0.0),
            water.get(day, 0.0),
            int(people.get(day, 0)),
            int(meals.get(day, 0)),
        )
        for day in data.period.dates()
    ]


def pv_of(site: Site, data: PeriodData) -> PvUse:
    load = _slots(data, meter_ids(site, "electric_kw"))
    pv = _slots(data, meter_ids(site, "pv_kw"))
    index = load.index.union(pv.index)
    return pv_use(
        [float(load.get(i, 0.0)) for i in index], [float(pv.get(i, 0.0)) for i in index]
    )


def _subject_sum(data: PeriodData, subject: str) -> int:
    rows = data.people[data.people["subject"] == subject]
    return int(rows["people"].sum()) if len(rows) else 0


def canteen_peaks(site: Site, data: PeriodData) -> dict[str, tuple[int, float]]:
    """canteen → (largest queue seen in its queue zones, that queue's wait in
    minutes at the full pace of all its windows)."""
    found: dict[str, tuple[int, float]] = {}
    for canteen in site.canteens:
        zones = {
            z.id
            for cam in site.cameras
            if cam.building == canteen.building
            for z in cam.zones
            if z.kind == "queue"
        }
        rows = data.queues[data.queues["zone"].isin(zones)]
        if not len(rows):
            continue
        peak = int(rows["peak"].max())
        rate = sum(w.service_rate_per_min for w in canteen.windows)
        found[canteen.id] = (peak, peak / rate)
    return found


def alarm_figures(
    data: PeriodData, start: datetime, end: datetime
) -> alarm_metrics.AlarmMetrics:
    """ISA-18.2 figures of the duty console over the period."""
    return alarm_metrics.compute(
        data.journal, data.floods, data.active_at_end, DEFAULT_CONSOLE, start, end
    )


def totals(site: Site, data: PeriodData, start: datetime, end: datetime) -> Totals:
    uses = day_uses(site, data)
    peaks = canteen_peaks(site, data)
    figures = alarm_figures(data, start, end)
    pv = pv_of(site, data)
    return Totals(
        electricity_kwh=sum(d.electricity_kwh for d in uses),
        water_m3=sum(d.water_m3 for d in uses),
        pv=pv,
        use=intensity(uses),
        carbon_kg=pv.grid_kwh * site.grid_kg_co2_per_kwh,
        visitors=_subject_sum(data, "visitor"),
        vehicles=_subject_sum(data, "vehicle"),
        denied=sum(data.denied.values()),
        appointments=data.appointments,
        peak_wait_min=max((w for _, w in peaks.values()), default=None),
        alarms=figures.activations,
        mtta_min=figures.figure("m_mtta").value,
        mttr_min=figures.figure("m_mttr").value,
    )


def _litres(m3: float | None) -> float | None:
    return None if m3 is None else m3 * 1000.0


# (key, unit, digits, better, group, getter)
KPI_SPECS: tuple[tuple[str, str, int, str, str, Any], ...] = (
    ("b_people", "", 0, "none", "people", lambda t: t.use.person_days),
    ("b_visitors", "", 0, "none", "people", lambda t: t.visitors),
    ("b_vehicles", "", 0, "none", "people", lambda t: t.vehicles),
    ("b_denied", "", 0, "down", "people", lambda t: t.denied),
    ("b_appointments", "", 0, "none", "people", lambda t: t.appointments),
    ("b_meals", "", 0, "none", "canteen", lambda t: t.use.meals),
    ("b_peak_wait", "min", 1, "down", "canteen", lambda t: t.peak_wait_min),
    ("b_electricity", "kWh", 0, "down", "energy", lambda t: t.electricity_kwh),
    ("b_water", "m³", 1, "down", "energy", lambda t: t.water_m3),
    ("b_pv", "kWh", 0, "up", "energy", lambda t: t.pv.generated_kwh),
    ("b_pv_self", "%", 1, "up", "energy", lambda t: _pct(t.pv.self_consumption)),
    ("b_carbon", "kg CO₂", 0, "down", "energy", lambda t: t.carbon_kg),
    ("b_kwh_person", "kWh", 2, "down", "intensity", lambda t: t.use.kwh_per_person),
    (
        "b_water_person",
        "L",
        1,
        "down",
        "intensity",
        lambda t: _litres(t.use.water_m3_per_person),
    ),
    ("b_kwh_meal", "kWh", 2, "down", "intensity", lambda t: t.use.kwh_per_meal),
    (
        "b_water_meal",
        "L",
        1,
        "down",
        "intensity",
        lambda t: _litres(t.use.water_m3_per_meal),
    ),
    ("b_alarms", "", 0, "down", "alarms", lambda t: t.alarms),
    ("b_mtta", "min", 1, "down", "alarms", lambda t: t.mtta_min),
    ("b_mttr", "min", 1, "down", "alarms", lambda t: t.mttr_min),
)


def _pct(share: float | None) -> float | None:
    return None if share is None else 100.0 * share
