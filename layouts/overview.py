"""The /wall/overview screen: the compound at a glance, 1920×1080, read from 5 m."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from dash import dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.tiles import (
    Freshness,
    Part,
    format_number,
    format_power,
    kpi_body,
    placeholder,
    spark_bars,
    tile,
)

SUBJECTS = ("staff", "visitor", "vehicle")
TILE_LABELS: dict[str, str] = {
    ids.OVERVIEW_PEOPLE_ONSITE: "people_onsite",
    ids.OVERVIEW_ENTRIES_TODAY: "entries_today",
    ids.OVERVIEW_MEALS_TODAY: "meals_today",
    ids.OVERVIEW_POWER_NOW: "power_now",
    ids.OVERVIEW_PV_NOW: "pv_now",
    ids.OVERVIEW_WATER_TODAY: "water_today",
    ids.OVERVIEW_ELECTRICITY_TODAY: "electricity_today",
    ids.OVERVIEW_DEVICES_ONLINE: "devices_online",
    ids.OVERVIEW_DEAD_LETTERS: "dead_letters",
    ids.OVERVIEW_EVENT_RATE: "event_rate",
}


def header(site_name: str, lang: Lang = DEFAULT_LANG) -> html.Header:
    return html.Header(
        [
            html.H1(
                [
                    html.Span(site_name, className="site-name"),
                    html.Span(t("overview", lang), className="screen-name"),
                ],
                id=ids.OVERVIEW_TITLE,
            ),
            html.Div(id=ids.OVERVIEW_STATUS, className="status"),
            html.Div(id=ids.OVERVIEW_CLOCK, className="clock"),
        ],
        className="wall-header",
    )


def layout(
    site_name: str = "",
    lang: Lang = DEFAULT_LANG,
    live_interval_ms: int = 2000,
    history_interval_ms: int = 60_000,
) -> html.Div:
    """The page skeleton; the live and history callbacks fill the tiles and chart."""
    loading = [placeholder("loading", lang)]
    tiles = [tile(tid, t(key, lang), loading) for tid, key in TILE_LABELS.items()]
    chart = tile(ids.OVERVIEW_GATE_CHART, t("gate_chart", lang), loading, wide=True)
    grid = [*tiles[:8], chart, *tiles[8:]]
    return html.Div(
        [
            dcc.Store(id=ids.OVERVIEW_LANG, data=lang),
            dcc.Interval(id=ids.OVERVIEW_TICK, interval=live_interval_ms),
            dcc.Interval(id=ids.OVERVIEW_HISTORY_TICK, interval=history_interval_ms),
            header(site_name, lang),
            html.Main(grid, className="wall-grid"),
        ],
        id=ids.OVERVIEW_ROOT,
        className="wall",
        lang="en" if lang == "en" else "zh-CN",
    )


def clock(date_text: str, time_text: str) -> list[Component]:
    return [
        html.Span(date_text, className="date"),
        html.Span(time_text, className="time"),
    ]


def status(message: str | None) -> list[Component]:
    """The banner shown when live data cannot be read; empty when all is well."""
    return [html.Span(message, className="status-alert")] if message else []


def people_body(
    onsite: Mapping[str, int], fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    people = onsite.get("staff", 0) + onsite.get("visitor", 0)
    parts = [Part(t(s, lang), format_number(onsite.get(s, 0))) for s in SUBJECTS]
    tid = ids.OVERVIEW_PEOPLE_ONSITE
    return kpi_body(
        tid, format_number(people), t("people_unit", lang), fresh, lang, parts
    )


def entries_body(
    entries: Mapping[str, int], denied: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    total = sum(entries.get(s, 0) for s in SUBJECTS)
    parts = [Part(t(s, lang), format_number(entries.get(s, 0))) for s in SUBJECTS]
    parts.append(Part(t("denied", lang), format_number(denied), alert=denied > 0))
    tid = ids.OVERVIEW_ENTRIES_TODAY
    unit = t("count_unit", lang)
    return kpi_body(tid, format_number(total), unit, fresh, lang, parts, columns=2)


def meals_body(
    by_canteen: Sequence[tuple[str, int]],
    windows_open: tuple[int, int],
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    total = sum(n for _, n in by_canteen)
    parts = [Part(name, format_number(n)) for name, n in by_canteen]
    parts.append(
        Part(t("windows_open", lang), f"{windows_open[0]} / {windows_open[1]}")
    )
    tid = ids.OVERVIEW_MEALS_TODAY
    return kpi_body(
        tid, format_number(total), t("meals_unit", lang), fresh, lang, parts
    )


def power_body(
    total_kw: float,
    by_building: Sequence[tuple[str, float]],
    hvac_kw: float,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    parts = [Part(name, format_power(kw)) for name, kw in by_building]
    parts.append(Part(t("hvac", lang), format_power(hvac_kw)))
    tid = ids.OVERVIEW_POWER_NOW
    return kpi_body(tid, format_power(total_kw), "kW", fresh, lang, parts, columns=3)


def devices_body(
    online: int, total: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    pct = 100 * online / total if total else None
    parts = [Part(t("online_of", lang, online=online, total=total), "")]
    tid = ids.OVERVIEW_DEVICES_ONLINE
    return kpi_body(tid, format_number(pct, 1), "%", fresh, lang, parts)


def dead_letters_body(
    count: int, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    parts = [Part(t("since_start", lang), "", alert=count > 0)]
    tid = ids.OVERVIEW_DEAD_LETTERS
    return kpi_body(tid, format_number(count), t("item_unit", lang), fresh, lang, parts)


def event_rate_body(
    per_minute: Sequence[int],
    minute_labels: Sequence[str],
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """Events in the last complete minute, over a sparkline of the last ten."""
    last = per_minute[-2] if len(per_minute) > 1 else sum(per_minute)
    body = kpi_body(ids.OVERVIEW_EVENT_RATE, format_number(last), "", fresh, lang)
    return [body[0], spark_bars(per_minute, minute_labels), *body[1:]]


def quantity_body(
    tile_id: str,
    value: float,
    unit: str,
    decimals: int,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """A single quantity (kW, m³, kWh) with no breakdown."""
    return kpi_body(tile_id, format_number(value, decimals), unit, fresh, lang)
