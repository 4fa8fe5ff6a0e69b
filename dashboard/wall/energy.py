"""Tile bodies of the energy layout."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.wall.context import (
    WallContext,
    baseline_power_kw,
    short_name,
    site_power_meters,
    slot_index,
    slot_labels,
    today_frame,
)
from detectors.energy.intensity import DayUse, intensity
from layouts import ids
from layouts.i18n import Lang, t
from layouts.wall import charts
from layouts.wall import energy as view
from layouts.wall.tiles import placeholder
from streams.history.briefing_reads import people_on_site


def _per_slot(frame: pd.DataFrame, ctx: WallContext, meters: list[str]) -> pd.Series:
    mine = frame[frame["device"].isin(meters)]
    if not len(mine):
        return pd.Series(dtype=float)
    return mine.groupby(slot_index(mine, ctx))["avg_value"].sum()


def pv_today_kwh(ctx: WallContext) -> float | None:
    """PV energy today from the 15-min averages of PV power (kW × 0.25 h)."""
    today = today_frame(ctx, "energy")
    if today is None:
        return None
    pv = [m.id for m in ctx.site.meters if m.quantity == "pv_kw" and m.parent is None]
    return float(_per_slot(today.frame, ctx, pv).sum() * 0.25)


def load_chart(ctx: WallContext, lang: Lang) -> list[Any]:
    today = today_frame(ctx, "energy")
    if today is None:
        return [placeholder("history_unavailable", lang)]
    meters = site_power_meters(ctx.site)
    labels = slot_labels(ctx, 96)
    load = _per_slot(today.frame, ctx, meters)
    series = {t("power_now", lang): [float(load.get(i, 0.0)) for i in range(96)]}
    usual = ctx.history.usual_day("energy")
    baseline = None
    if usual is not None:
        rows = usual.frame[usual.frame["device"].isin(meters)]
        by_slot = rows.groupby("slot")["avg_value"].sum()
        baseline = [
            float(by_slot[i]) if i in by_slot.index else None for i in range(96)
        ]
    return [
        charts.bar_chart(labels, series, baseline, t("baseline", lang), label_every=12)
    ]


def intensity_body(ctx: WallContext, lang: Lang) -> list[Any]:
    """Today's electricity and water per person on site and per meal served: the
    live totals over distinct people granted entry today (history, cached)."""
    snap = ctx.snap
    people = ctx.history.today_query("people_on_site", people_on_site)
    day = DayUse(
        ctx.history.day_start().astimezone(ctx.tz).date(),
        snap.electricity_today_kwh,
        snap.water_today_m3,
        people or 0,
        sum(snap.meals_by_canteen.values()),
    )
    ratios = intensity([day])
    litres = ratios.water_m3_per_person
    return view.intensity_body(
        ratios.kwh_per_person,
        None if litres is None else litres * 1000,
        ratios.kwh_per_meal,
        people,
        ctx.stale.of(snap, "energy"),
        lang,
    )


def bodies(ctx: WallContext, lang: Lang) -> dict[str, Any]:
    snap, site = ctx.snap, ctx.site
    fresh = ctx.stale.of(snap, "energy")
    kwh = snap.electricity_today_kwh
    pv_kwh = ctx.history.derived("pv_kwh", lambda: pv_today_kwh(ctx))
    buildings = [
        (short_name(b.name), snap.power_by_building_kw.get(b.id, 0.0))
        for b in site.buildings
    ]
    return {
        ids.ENERGY_POWER_NOW: view.power_body(
            snap.power_kw,
            ctx.history.derived("baseline_kw", lambda: baseline_power_kw(ctx)),
            snap.hvac_kw,
            fresh,
            lang,
        ),
        ids.ENERGY_PV: view.pv_body(snap.pv_kw, pv_kwh, fresh, lang),
        ids.ENERGY_ELECTRICITY_TODAY: view.electricity_body(
            kwh, site.electricity_yuan_per_kwh, fresh, lang
        ),
        ids.ENERGY_WATER_TODAY: view.water_body(
            snap.water_today_m3, site.water_yuan_per_m3, fresh, lang
        ),
        ids.ENERGY_CARBON: view.carbon_body(
            kwh, pv_kwh, site.grid_kg_co2_per_kwh, fresh, lang
        ),
        ids.ENERGY_BUILDINGS: view.buildings_body(buildings, fresh, lang),
        ids.ENERGY_INTENSITY: intensity_body(ctx, lang),
        ids.ENERGY_LOAD_CHART: ctx.history.derived(
            ("load_chart", lang), lambda: load_chart(ctx, lang)
        ),
    }
