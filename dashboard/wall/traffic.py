"""Tile bodies of the traffic layout."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.wall.context import (
    WallContext,
    slot_index,
    slot_labels,
    today_frame,
    usual_entries,
)
from layouts import ids
from layouts.i18n import Lang, t
from layouts.wall import charts
from layouts.wall import traffic as view
from layouts.wall.tiles import placeholder

CHART_HOURS = (6, 22)


def vehicle_chart(ctx: WallContext, lang: Lang) -> list[Any]:
    today = today_frame(ctx, "gate")
    if today is None:
        return [placeholder("history_unavailable", lang)]
    frame = today.frame
    cars = frame[(frame["subject"] == "vehicle") & (frame["result"] == "granted")]
    labels = slot_labels(ctx, 96)
    series: dict[str, list[float]] = {}
    for direction in ("in", "out"):
        mine = cars[cars["direction"] == direction]
        per: pd.Series | dict[int, int] = (
            mine.groupby(slot_index(mine, ctx))["n"].sum() if len(mine) else {}
        )
        series[t(direction, lang)] = [float(per.get(i, 0)) for i in range(96)]
    keep = [
        i
        for i, lb in enumerate(labels)
        if CHART_HOURS[0] <= int(lb[:2]) < CHART_HOURS[1]
    ]
    return [
        charts.bar_chart(
            [labels[i] for i in keep],
            {k: [v[i] for i in keep] for k, v in series.items()},
        )
    ]


def parking_lot_count(ctx: WallContext) -> int | None:
    counts = [
        hit[0]
        for c in ctx.site.cameras
        for z in c.zones
        if z.kind == "parking"
        and (hit := ctx.sources.camera_counts.get(f"{c.id}:{z.id}"))
    ]
    return sum(counts) if counts else None


def bodies(ctx: WallContext, lang: Lang) -> dict[str, Any]:
    snap, site = ctx.snap, ctx.site
    gate = ctx.stale.of(snap, "gate")
    vehicles = snap.onsite["vehicle"]
    usual = ctx.history.derived("usual_entries", lambda: usual_entries(ctx))
    return {
        ids.TRAFFIC_VEHICLES_ONSITE: view.vehicles_body(
            vehicles, snap.entries["vehicle"], gate, lang
        ),
        ids.TRAFFIC_PARKING: view.parking_body(
            vehicles, site.parking.capacity, parking_lot_count(ctx), gate, lang
        ),
        ids.TRAFFIC_VEHICLE_ENTRIES: view.vehicle_entries_body(
            snap.entries["vehicle"],
            None if usual is None else usual.get("vehicle"),
            gate,
            lang,
        ),
        ids.TRAFFIC_VISITORS: view.visitors_body(
            ctx.history.expected_visitors_today(), snap.entries["visitor"], gate, lang
        ),
        ids.TRAFFIC_VEHICLE_CHART: ctx.history.derived(
            ("vehicle_chart", lang), lambda: vehicle_chart(ctx, lang)
        ),
    }
