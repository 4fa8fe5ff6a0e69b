"""Portraits (画像) of the briefing, pure: per building (usage, pattern, trend, rank)
and per canteen (meals, meal split, peak queue and wait, trend, rank)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time

import pandas as pd

from dashboard.briefing.report import canteen_peaks
from detectors.energy.intensity import change_pct
from layouts.briefing.model import BuildingPortrait, CanteenPortrait
from streams.briefings.collect import PeriodData
from streams.config.site import Site

MEALS = ("breakfast", "lunch", "dinner")


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _building_slots(site: Site, data: PeriodData) -> pd.DataFrame:
    """slot, building, kWh of its top-level electric_kw meters."""
    meters = {
        m.id: m.building
        for m in site.meters
        if m.quantity == "electric_kw" and m.parent is None
    }
    frame = data.energy[data.energy["device"].isin(meters)].copy()
    frame["building"] = frame["device"].map(meters)
    return frame


def _after_hours(site: Site, slots: pd.Series) -> pd.Series:
    """True for slots outside office hours or on a day off (site calendar)."""
    start, end = _hhmm(site.thresholds.office_start), _hhmm(site.thresholds.office_end)
    stamps = pd.to_datetime(slots)

    def outside(stamp: datetime) -> bool:
        if not site.calendar.is_workday(stamp.date()):
            return True
        return not (start <= stamp.time() < end)

    return stamps.map(outside).astype(bool)


def buildings(
    site: Site, data: PeriodData, previous: PeriodData | None
) -> tuple[BuildingPortrait, ...]:
    frame = _building_slots(site, data)
    before = _building_slots(site, previous) if previous is not None else None
    if len(frame):
        frame["after"] = _after_hours(site, frame["slot"]).to_numpy()
        frame["day"] = pd.to_datetime(frame["slot"]).dt.date
    days = data.period.dates()
    rows = []
    for building in site.buildings:
        mine = frame[frame["building"] == building.id] if len(frame) else frame
        kwh = float(mine["amount"].sum()) if len(mine) else 0.0
        after = float(mine.loc[mine["after"], "amount"].sum()) if len(mine) else 0.0
        daily = mine.groupby("day")["amount"].sum() if len(mine) else pd.Series()
        old = None
        if before is not None and len(before):
            old = float(before.loc[before["building"] == building.id, "amount"].sum())
        rows.append(
            BuildingPortrait(
                id=building.id,
                name=building.name,
                kwh=kwh,
                kwh_per_m2=kwh / building.area_m2,
                kwh_per_occupant=kwh / building.occupants
                if building.occupants
                else None,
                after_hours_share=after / kwh if kwh > 0 else None,
                change_pct=change_pct(kwh, old),
                rank=0,
                daily=tuple(float(daily.get(d, 0.0)) for d in days),
            )
        )
    order = sorted(rows, key=lambda b: (-b.kwh_per_m2, b.id))
    ranks = {b.id: i + 1 for i, b in enumerate(order)}
    return tuple(_with_rank(b, ranks[b.id]) for b in rows)


def _with_rank(portrait: BuildingPortrait, rank: int) -> BuildingPortrait:
    return replace(portrait, rank=rank)


def _canteen_meals(site: Site, data: PeriodData) -> pd.DataFrame:
    frame = data.meals.copy()
    windows = {w: c.id for w, (c, _) in site.windows.items()}
    frame["canteen"] = frame["device"].map(windows)
    return frame


def canteens(
    site: Site, data: PeriodData, previous: PeriodData | None
) -> tuple[CanteenPortrait, ...]:
    frame = _canteen_meals(site, data)
    before = _canteen_meals(site, previous) if previous is not None else None
    peaks = canteen_peaks(site, data)
    days = data.period.dates()
    rows = []
    for canteen in site.canteens:
        mine = frame[frame["canteen"] == canteen.id]
        meals = int(mine["meals"].sum()) if len(mine) else 0
        daily = mine.groupby("day")["meals"].sum() if len(mine) else pd.Series()
        by_meal = mine.groupby("meal")["meals"].sum() if len(mine) else pd.Series()
        old = None
        if before is not None and len(before):
            old = float(before.loc[before["canteen"] == canteen.id, "meals"].sum())
        peak = peaks.get(canteen.id)
        busiest = max(days, key=lambda d: (int(daily.get(d, 0)), d)) if meals else None
        rows.append(
            CanteenPortrait(
                id=canteen.id,
                name=canteen.name,
                meals=meals,
                by_meal=tuple((m, int(by_meal.get(m, 0))) for m in MEALS),
                revenue_yuan=round(float(mine["amount_yuan"].sum()), 2)
                if len(mine)
                else 0.0,
                peak_queue=None if peak is None else peak[0],
                peak_wait_min=None if peak is None else peak[1],
                busiest_day=busiest,
                change_pct=change_pct(float(meals), old),
                rank=0,
                daily=tuple(int(daily.get(d, 0)) for d in days),
            )
        )
    order = sorted(rows, key=lambda c: (-c.meals, c.id))
    ranks = {c.id: i + 1 for i, c in enumerate(order)}
    return tuple(replace(c, rank=ranks[c.id]) for c in rows)
