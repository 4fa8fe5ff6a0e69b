"""Callbacks of /wall/overview: read model → `layouts.overview` builders → components.

`register(app, reader, history)` binds them to one app; the functions they call
(`live_outputs`, `gate_chart`) are plain and tested directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from dash import Dash, Input, Output, State, dcc
from dash.development.base_component import Component

from dashboard.data import LiveReader, LiveResult, LiveSnapshot, LiveUnavailable
from dashboard.history import HistoryReader, HistoryResult, HistoryUnavailable
from layouts import figures, ids
from layouts import overview as view
from layouts.i18n import Lang, format_date, t, valid_lang
from layouts.tiles import Freshness, placeholder, unavailable_body
from streams.site import Site

# A tile turns stale when its group has been silent this long (seconds).
STALE_AFTER_S: dict[str, float] = {
    "gate": 900.0,
    "canteen": 3600.0,
    "energy": 300.0,
    "any": 300.0,  # any device at all: event rate, device health, dead letters
}
SUBJECT_ORDER = ("staff", "visitor", "vehicle")


def freshness(snapshot: LiveSnapshot, group: str, tz: ZoneInfo) -> Freshness:
    last = snapshot.last_data.get(group)
    last_time = None if last is None else last.astimezone(tz).strftime("%H:%M")
    return Freshness(snapshot.age_s(group), STALE_AFTER_S[group], last_time)


def short_name(name: str) -> str:
    """'1号楼 市政府办公楼' → '1号楼' (a wall tile has room for the short form)."""
    return name.split()[0] if name.split() else name


def tile_bodies(
    snap: LiveSnapshot, site: Site, lang: Lang
) -> dict[str, list[Component]]:
    tz = ZoneInfo(site.timezone)
    gate, canteen = freshness(snap, "gate", tz), freshness(snap, "canteen", tz)
    energy, any_ = freshness(snap, "energy", tz), freshness(snap, "any", tz)
    canteens = [(c.name, snap.meals_by_canteen.get(c.id, 0)) for c in site.canteens]
    windows = (sum(snap.windows_open.values()), len(snap.windows_open))
    buildings = [
        (short_name(b.name), snap.power_by_building_kw.get(b.id, 0.0))
        for b in site.buildings
    ]
    minutes = [m.astimezone(tz).strftime("%H:%M") for m in snap.minutes]
    water, kwh = snap.water_today_m3, snap.electricity_today_kwh
    return {
        ids.OVERVIEW_PEOPLE_ONSITE: view.people_body(snap.onsite, gate, lang),
        ids.OVERVIEW_ENTRIES_TODAY: view.entries_body(
            snap.entries, snap.denied, gate, lang
        ),
        ids.OVERVIEW_MEALS_TODAY: view.meals_body(canteens, windows, canteen, lang),
        ids.OVERVIEW_POWER_NOW: view.power_body(
            snap.power_kw, buildings, snap.hvac_kw, energy, lang
        ),
        ids.OVERVIEW_PV_NOW: view.quantity_body(
            ids.OVERVIEW_PV_NOW, snap.pv_kw, "kW", 1, energy, lang
        ),
        ids.OVERVIEW_WATER_TODAY: view.quantity_body(
            ids.OVERVIEW_WATER_TODAY, water, "m³", 1, energy, lang
        ),
        ids.OVERVIEW_ELECTRICITY_TODAY: view.quantity_body(
            ids.OVERVIEW_ELECTRICITY_TODAY, kwh, "kWh", 0, energy, lang
        ),
        ids.OVERVIEW_DEVICES_ONLINE: view.devices_body(
            snap.devices.online, snap.devices.total, any_, lang
        ),
        ids.OVERVIEW_DEAD_LETTERS: view.dead_letters_body(
            snap.dead_letters, any_, lang
        ),
        ids.OVERVIEW_EVENT_RATE: view.event_rate_body(
            snap.total_per_minute(), minutes, any_, lang
        ),
    }


def live_outputs(result: LiveResult, site: Site, lang: Lang) -> list[Any]:
    """Clock, status banner, then one body per tile in `ids.OVERVIEW_TILES` order."""
    local = result.at.astimezone(ZoneInfo(site.timezone))
    clock = view.clock(format_date(local, lang), local.strftime("%H:%M:%S"))
    if isinstance(result, LiveUnavailable):
        message = t("live_unavailable", lang)
        bodies = [unavailable_body(tid, message) for tid in ids.OVERVIEW_TILES]
        return [clock, view.status(message), *bodies]
    by_tile = tile_bodies(result, site, lang)
    return [clock, view.status(None), *(by_tile[tid] for tid in ids.OVERVIEW_TILES)]


def gate_entries(frame: pd.DataFrame, buckets: Sequence[datetime]) -> pd.DataFrame:
    """Granted entries per bucket (rows) and subject (columns), zero-filled."""
    index = pd.DatetimeIndex(buckets)
    rows = frame[(frame["direction"] == "in") & (frame["result"] == "granted")]
    stamps = pd.to_datetime(rows["bucket"], utc=True)
    table = (
        rows.assign(bucket=stamps)
        .pivot_table(index="bucket", columns="subject", values="n", aggfunc="sum")
        .reindex(index=index.tz_convert("UTC"), columns=list(SUBJECT_ORDER))
    )
    return table.fillna(0).astype(int)


def gate_chart(result: HistoryResult, tz: ZoneInfo, lang: Lang) -> Component:
    if isinstance(result, HistoryUnavailable):
        return placeholder("history_unavailable", lang)
    first = pd.Timestamp(result.start).floor(result.bucket)
    starts = pd.date_range(first, result.end, freq=result.bucket, inclusive="left")
    table = gate_entries(result.frame, list(starts))
    x = [ts.tz_convert(tz).strftime("%H:%M") for ts in table.index]
    series = {t(s, lang): table[s].tolist() for s in SUBJECT_ORDER}
    figure = figures.stacked_bars(x, series)
    return dcc.Graph(figure=figure, config={"staticPlot": True}, className="chart")


def register(app: Dash, reader: LiveReader, history: HistoryReader | None) -> None:
    """Bind the overview callbacks to `app`."""
    site = reader.site
    tz = ZoneInfo(site.timezone)
    outputs = [
        Output(ids.OVERVIEW_CLOCK, "children"),
        Output(ids.OVERVIEW_STATUS, "children"),
        *(Output(ids.body_of(tid), "children") for tid in ids.OVERVIEW_TILES),
    ]

    @app.callback(
        outputs,
        Input(ids.OVERVIEW_TICK, "n_intervals"),
        State(ids.OVERVIEW_LANG, "data"),
    )
    def refresh_live(_n: int | None, lang: object) -> list[Any]:
        return live_outputs(reader.snapshot(), site, valid_lang(lang))

    @app.callback(
        Output(ids.body_of(ids.OVERVIEW_GATE_CHART), "children"),
        Input(ids.OVERVIEW_HISTORY_TICK, "n_intervals"),
        State(ids.OVERVIEW_LANG, "data"),
    )
    def refresh_history(_n: int | None, lang: object) -> Component:
        lang = valid_lang(lang)
        if history is None:
            return placeholder("history_unavailable", lang)
        return gate_chart(history.today("gate"), tz, lang)
