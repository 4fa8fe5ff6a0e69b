"""The energy layout (能耗监测): load vs baseline, buildings, PV, water, carbon."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.charts import meter_rows
from layouts.wall.overview import percent_change
from layouts.wall.tiles import (
    Freshness,
    Part,
    TileSpec,
    age_line,
    format_number,
    format_power,
    grid,
    kpi_body,
    note,
)

SPECS: tuple[TileSpec, ...] = (
    TileSpec(ids.ENERGY_POWER_NOW, "power_now"),
    TileSpec(ids.ENERGY_PV, "pv_now"),
    TileSpec(ids.ENERGY_ELECTRICITY_TODAY, "electricity_kwh"),
    TileSpec(ids.ENERGY_WATER_TODAY, "water_today"),
    TileSpec(ids.ENERGY_INTENSITY, "intensity_today"),
    TileSpec(ids.ENERGY_LOAD_CHART, "load_chart", "wide"),
    TileSpec(ids.ENERGY_BUILDINGS, "buildings_power"),
    TileSpec(ids.ENERGY_CARBON, "carbon_today"),
)


def layout(
    lang: Lang = DEFAULT_LANG, bodies: Mapping[str, Sequence[Component]] | None = None
) -> html.Main:
    return grid("energy", SPECS, lang, bodies)


def power_body(
    total_kw: float,
    baseline_kw: float | None,
    hvac_kw: float,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    tid = ids.ENERGY_POWER_NOW
    parts = [Part(t("hvac", lang), f"{format_power(hvac_kw)} kW")]
    body = kpi_body(tid, format_power(total_kw), "kW", fresh, lang, parts)
    text = percent_change(total_kw, baseline_kw, lang)
    if baseline_kw is not None:
        text = f"{t('baseline', lang)} {format_power(baseline_kw)} kW · {text}"
    body.insert(1, note(text))
    return body


def pv_body(
    pv_kw: float,
    pv_today_kwh: float | None,  # None: history unavailable, shown as a dash
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    parts = [Part(t("pv_today", lang), f"{format_number(pv_today_kwh)} kWh")]
    return kpi_body(ids.ENERGY_PV, format_power(pv_kw), "kW", fresh, lang, parts)


def electricity_body(
    kwh: float, yuan_per_kwh: float, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    parts = [Part(t("cost", lang), f"¥{format_number(kwh * yuan_per_kwh)}")]
    tid = ids.ENERGY_ELECTRICITY_TODAY
    return kpi_body(tid, format_number(kwh), "kWh", fresh, lang, parts)


def water_body(
    m3: float, yuan_per_m3: float, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    parts = [Part(t("cost", lang), f"¥{format_number(m3 * yuan_per_m3)}")]
    tid = ids.ENERGY_WATER_TODAY
    return kpi_body(tid, format_number(m3, 1), "m³", fresh, lang, parts)


def carbon_body(
    kwh: float,
    pv_kwh: float | None,  # None: history unavailable, shown as a dash
    factor: float,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """kg CO₂ of today's electricity at the site's grid factor, and what PV avoided."""
    parts = [
        Part(
            t("pv_avoided", lang),
            f"{format_number(None if pv_kwh is None else pv_kwh * factor)} kg",
        ),
        Part(t("grid_factor", lang), f"{factor:.4f} kg/kWh"),
    ]
    tid = ids.ENERGY_CARBON
    return kpi_body(tid, format_number(kwh * factor), "kg CO₂", fresh, lang, parts)


def buildings_body(
    by_building: Sequence[tuple[str, float]],
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    rows = [(name, kw, f"{format_power(kw)} kW") for name, kw in by_building]
    return [
        html.Div(meter_rows(rows), id=ids.value_of(ids.ENERGY_BUILDINGS)),
        age_line(ids.ENERGY_BUILDINGS, fresh, lang),
    ]


def intensity_body(
    kwh_per_person: float | None,
    litres_per_person: float | None,
    kwh_per_meal: float | None,
    people: int | None,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Electricity per person on site today, with water per person and electricity
    per meal served (denominators: docs/briefing.md)."""
    tid = ids.ENERGY_INTENSITY
    parts = [
        Part(t("intensity_water", lang), f"{format_number(litres_per_person)} L"),
        Part(t("intensity_per_meal", lang), f"{format_number(kwh_per_meal, 2)} kWh"),
        Part(t("intensity_people", lang), format_number(people)),
    ]
    value = format_number(kwh_per_person, 1)
    body = kpi_body(tid, value, t("intensity_unit", lang), fresh, lang, parts)
    if people == 0:
        body.insert(1, note(t("intensity_none", lang)))
    return body
