"""The traffic layout (交通与访客): vehicles, parking, visitors expected vs arrived."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.overview import percent_change
from layouts.wall.tiles import (
    Freshness,
    Part,
    TileSpec,
    format_number,
    grid,
    kpi_body,
    note,
    pending_body,
)

SPECS: tuple[TileSpec, ...] = (
    TileSpec(ids.TRAFFIC_VEHICLES_ONSITE, "vehicles_onsite"),
    TileSpec(ids.TRAFFIC_PARKING, "parking"),
    TileSpec(ids.TRAFFIC_VEHICLE_ENTRIES, "vehicle_entries"),
    TileSpec(ids.TRAFFIC_VISITORS, "visitors"),
    TileSpec(ids.TRAFFIC_VEHICLE_CHART, "vehicle_chart", "full"),
)


def layout(
    lang: Lang = DEFAULT_LANG, bodies: Mapping[str, Sequence[Component]] | None = None
) -> html.Main:
    return grid("traffic", SPECS, lang, bodies)


def vehicles_body(
    vehicles: int, entered: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    """On site now; entered today and left today (entered − on site)."""
    parts = [
        Part(t("entered_today", lang), format_number(entered)),
        Part(t("left_today", lang), format_number(max(0, entered - vehicles))),
    ]
    tid = ids.TRAFFIC_VEHICLES_ONSITE
    return kpi_body(tid, format_number(vehicles), "", fresh, lang, parts)


def parking_body(
    vehicles: int,
    capacity: int,
    lot_count: int | None,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Occupancy from gate counts (vehicles in − out) against the site's capacity."""
    pct = 100 * vehicles / capacity if capacity else None
    parts = [
        Part(t("parking", lang), f"{vehicles} / {capacity}"),
        Part(t("spaces_free", lang, n=max(0, capacity - vehicles)), ""),
    ]
    if lot_count is not None:
        parts.append(Part(t("lot_camera", lang), format_number(lot_count)))
    return kpi_body(ids.TRAFFIC_PARKING, format_number(pct, 0), "%", fresh, lang, parts)


def vehicle_entries_body(
    entries: int, usual: float | None, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    tid = ids.TRAFFIC_VEHICLE_ENTRIES
    body = kpi_body(tid, format_number(entries), t("count_unit", lang), fresh, lang)
    body.insert(1, note(percent_change(entries, usual, lang)))
    return body


def visitors_body(
    expected: int | None, arrived: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    """Visitors arrived today (gate entries) against appointments expected today."""
    tid = ids.TRAFFIC_VISITORS
    if expected is None:
        return pending_body(tid, t("history_unavailable", lang))
    parts = [
        Part(t("expected", lang), format_number(expected)),
        Part(t("arrived", lang), format_number(arrived)),
    ]
    unit = t("person_times", lang)  # gate entries: a visitor may pass twice
    return kpi_body(tid, format_number(arrived), unit, fresh, lang, parts)
