"""The canteen layout (食堂就餐): per canteen and per serving window."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.charts import table
from layouts.wall.tiles import (
    Freshness,
    Part,
    TileSpec,
    age_line,
    format_number,
    grid,
    kpi_body,
    note,
    pending_body,
)

SPECS: tuple[TileSpec, ...] = (
    TileSpec(ids.CANTEEN_MEALS_TODAY, "meals_today"),
    TileSpec(ids.CANTEEN_QUEUE, "congestion"),
    TileSpec(ids.CANTEEN_FORECAST, "forecast"),
    TileSpec(ids.CANTEEN_WINDOWS, "window_table", "tall"),
    TileSpec(ids.CANTEEN_MEALS_CHART, "meals_chart", "span3"),
)


@dataclass(frozen=True, slots=True)
class WindowRow:
    name: str
    open: bool
    meals_today: int
    last_15min: int | None  # meals in the last 15 minutes (history)
    wait_min: float | None = None  # from the congestion detector (#4), if published


@dataclass(frozen=True, slots=True)
class QueueRow:
    canteen: str
    queue: int | None  # people in the queue zone (None: no camera / no count)
    wait_min: float | None
    level: str | None = None  # from the congestion detector (#4), when published


def layout(
    lang: Lang = DEFAULT_LANG, bodies: Mapping[str, Sequence[Component]] | None = None
) -> html.Main:
    return grid("canteen", SPECS, lang, bodies)


def meals_body(
    by_canteen: Sequence[tuple[str, int]], fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    total = sum(n for _, n in by_canteen)
    parts = [Part(name, format_number(n)) for name, n in by_canteen]
    tid = ids.CANTEEN_MEALS_TODAY
    return kpi_body(
        tid, format_number(total), t("meals_unit", lang), fresh, lang, parts
    )


def wait_text(wait_min: float, lang: Lang) -> str:
    """'约等 6 分钟'; under half a minute there is no wait to speak of."""
    if wait_min < 0.5:
        return t("wait_under_1", lang)
    return t("wait_est", lang, n=round(wait_min))


def queue_text(row: QueueRow, lang: Lang) -> str:
    parts = ["—" if row.queue is None else t("queue_people", lang, n=row.queue)]
    if row.wait_min is not None:
        parts.append(wait_text(row.wait_min, lang))
    if row.level is not None:
        parts.append(row.level)
    return " · ".join(parts)


def queue_parts(rows: Sequence[QueueRow], lang: Lang) -> list[Part]:
    return [
        Part(r.canteen, queue_text(r, lang), alert=(r.wait_min or 0.0) >= 15)
        for r in rows
    ]


def queue_body(
    tile_id: str,
    rows: Sequence[QueueRow],
    source: str,
    fresh: Freshness,
    lang: Lang = DEFAULT_LANG,
) -> list[Component]:
    """The longest queue as the numeral, each canteen below, then the data source."""
    queues = [r.queue for r in rows if r.queue is not None]
    top = max(queues) if queues else None
    unit = t("people_unit", lang)
    body = kpi_body(
        tile_id, format_number(top), unit, fresh, lang, queue_parts(rows, lang)
    )
    body.insert(-1, note(source))
    return body


def forecast_body(
    rows: Sequence[QueueRow] | None, fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    """The detector's 15-minute forecast (#4); says so while it is not published."""
    tid = ids.CANTEEN_FORECAST
    if rows is None:
        return pending_body(tid, t("forecast_pending", lang))
    waits = [r.wait_min for r in rows if r.wait_min is not None]
    # the worst canteen's wait; "—" while any canteen has no forecast (a maximum
    # over the others could read 0 beside a congested canteen)
    top = max(waits) if waits and len(waits) == len(rows) else None
    parts = [
        Part(r.canteen, f"{format_number(r.wait_min)} min · {r.level or ''}")
        for r in rows
    ]
    return kpi_body(tid, format_number(top), "min", fresh, lang, parts)


def windows_body(
    rows: Sequence[WindowRow], fresh: Freshness, lang: Lang = DEFAULT_LANG
) -> list[Component]:
    header = ["", t("state_col", lang), t("meals_today", lang), t("last_15", lang)]
    show_wait = any(r.wait_min is not None for r in rows)
    if show_wait:
        header.append(t("wait_col", lang))
    cells = [
        [
            r.name,
            t("window_open" if r.open else "window_closed", lang),
            format_number(r.meals_today),
            format_number(r.last_15min),
            *([format_number(r.wait_min)] if show_wait else []),
        ]
        for r in rows
    ]
    closed = [i for i, r in enumerate(rows) if not r.open]
    return [
        html.Div(table(header, cells, closed), id=ids.value_of(ids.CANTEEN_WINDOWS)),
        age_line(ids.CANTEEN_WINDOWS, fresh, lang),
    ]
