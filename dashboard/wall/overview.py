"""Tile bodies of the overview layout, from one `WallContext`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from dash.development.base_component import Component

from dashboard.wall.context import (
    WallContext,
    baseline_power_kw,
    queue_freshness,
    queue_rows,
    short_name,
    slot_labels,
    today_frame,
    usual_entries,
)
from layouts import ids
from layouts.i18n import Lang, t
from layouts.wall import canteen as canteen_view
from layouts.wall import charts
from layouts.wall import overview as view
from layouts.wall.tiles import placeholder

SUBJECT_ORDER = ("staff", "visitor", "vehicle")


def gate_entries(frame: pd.DataFrame, buckets: Sequence[datetime]) -> pd.DataFrame:
    """Granted entries per bucket (rows) and subject (columns), zero-filled."""
    index = pd.DatetimeIndex(list(buckets))
    rows = frame[(frame["direction"] == "in") & (frame["result"] == "granted")]
    stamps = pd.to_datetime(rows["bucket"], utc=True)
    table = (
        rows.assign(bucket=stamps)
        .pivot_table(index="bucket", columns="subject", values="n", aggfunc="sum")
        .reindex(index=index.tz_convert("UTC"), columns=list(SUBJECT_ORDER))
    )
    return table.fillna(0).astype(int)


def gate_chart(ctx: WallContext, lang: Lang) -> list[Component]:
    """Entries per 15 min today by subject, with the usual day as baseline marks."""
    today = today_frame(ctx, "gate")
    if today is None:
        return [placeholder("history_unavailable", lang)]
    first = pd.Timestamp(today.start).floor(today.bucket)
    starts = pd.date_range(first, today.end, freq=today.bucket, inclusive="left")
    table = gate_entries(today.frame, list(starts))
    labels = slot_labels(ctx, len(table))
    series = {t(s, lang): table[s].tolist() for s in SUBJECT_ORDER}
    usual = ctx.history.usual_day("gate")
    baseline: list[float | None] | None = None
    if usual is not None:
        rows = usual.frame[
            (usual.frame["direction"] == "in") & (usual.frame["result"] == "granted")
        ]
        by_slot = rows.groupby("slot")["n"].sum()
        baseline = [float(by_slot.get(i, 0.0)) for i in range(len(labels))]
    return [charts.bar_chart(labels, series, baseline, t("usual_day", lang))]


def events_rate(ctx: WallContext) -> tuple[int, int]:
    """Events in the last whole minute, and so far in the current one."""
    per_minute = ctx.snap.total_per_minute()
    if len(per_minute) < 2:
        return (0, sum(per_minute))
    return per_minute[-2], per_minute[-1]


def bodies(ctx: WallContext, lang: Lang) -> dict[str, Any]:
    snap, site, fresh = ctx.snap, ctx.site, ctx.stale.of
    gate, canteen = fresh(snap, "gate"), fresh(snap, "canteen")
    energy, any_ = fresh(snap, "energy"), fresh(snap, "any")
    canteens = [(c.name, snap.meals_by_canteen.get(c.id, 0)) for c in site.canteens]
    windows = (sum(snap.windows_open.values()), len(snap.windows_open))
    buildings = [
        (short_name(b.name), snap.power_by_building_kw.get(b.id, 0.0))
        for b in site.buildings
    ]
    queues, source = queue_rows(ctx, lang)
    congestion_fresh = queue_freshness(ctx)
    return {
        ids.OVERVIEW_PEOPLE_ONSITE: view.people_body(snap.onsite, gate, lang),
        ids.OVERVIEW_VEHICLES_ONSITE: view.vehicles_body(
            snap.onsite["vehicle"], site.parking.capacity, gate, lang
        ),
        ids.OVERVIEW_ENTRIES_TODAY: view.entries_body(
            snap.entries,
            snap.denied,
            ctx.history.derived("usual_entries", lambda: usual_entries(ctx)),
            gate,
            lang,
        ),
        ids.OVERVIEW_MEALS_TODAY: view.meals_body(canteens, windows, canteen, lang),
        ids.OVERVIEW_CONGESTION: canteen_view.queue_body(
            ids.OVERVIEW_CONGESTION, queues, source, congestion_fresh, lang
        ),
        ids.OVERVIEW_POWER_NOW: view.power_body(
            snap.power_kw,
            ctx.history.derived("baseline_kw", lambda: baseline_power_kw(ctx)),
            buildings,
            energy,
            lang,
        ),
        ids.OVERVIEW_PV_NOW: view.quantity_body(
            ids.OVERVIEW_PV_NOW, snap.pv_kw, "kW", 1, energy, lang
        ),
        ids.OVERVIEW_WATER_TODAY: view.quantity_body(
            ids.OVERVIEW_WATER_TODAY, snap.water_today_m3, "m³", 1, energy, lang
        ),
        ids.OVERVIEW_ALARMS: view.alarms_body(
            ctx.sources.alarm_counts(),
            ctx.stale.of_moment(ctx.sources.alarm_engine_seen, snap.at, "alarm"),
            lang,
        ),
        ids.OVERVIEW_DEVICES_ONLINE: view.devices_body(
            snap.devices.online,
            snap.devices.total,
            events_rate(ctx),
            snap.dead_letters,
            any_,
            lang,
        ),
        ids.OVERVIEW_GATE_CHART: ctx.history.derived(
            ("gate_chart", lang), lambda: gate_chart(ctx, lang)
        ),
    }
