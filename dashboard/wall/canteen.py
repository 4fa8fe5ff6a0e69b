"""Tile bodies of the canteen layout."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboard.wall.context import (
    WallContext,
    queue_freshness,
    queue_rows,
    slot_index,
    slot_labels,
    today_frame,
    window_wait,
)
from layouts import ids
from layouts.i18n import Lang
from layouts.wall import canteen as view
from layouts.wall import charts
from layouts.wall.tiles import placeholder

MEAL_HOURS = (6, 20)  # the chart shows local 06:00-20:00


def meals_chart(ctx: WallContext, lang: Lang) -> list[Any]:
    today = today_frame(ctx, "meals")
    if today is None:
        return [placeholder("history_unavailable", lang)]
    frame = today.frame
    labels = slot_labels(ctx, 96)
    series: dict[str, list[float]] = {}
    for canteen in ctx.site.canteens:
        mine = frame[frame["device"].isin([w.id for w in canteen.windows])]
        per_slot: pd.Series | dict[int, int] = (
            mine.groupby(slot_index(mine, ctx))["meals"].sum() if len(mine) else {}
        )
        series[canteen.name] = [float(per_slot.get(i, 0)) for i in range(len(labels))]
    keep = [
        i
        for i, label in enumerate(labels)
        if MEAL_HOURS[0] <= int(label[:2]) < MEAL_HOURS[1]
    ]
    labels = [labels[i] for i in keep] or labels
    series = {k: [v[i] for i in keep] or v for k, v in series.items()}
    return [charts.bar_chart(labels, series, label_every=8)]


def bodies(ctx: WallContext, lang: Lang) -> dict[str, Any]:
    snap, site = ctx.snap, ctx.site
    fresh = ctx.stale.of(snap, "canteen")
    last_15 = ctx.history.meals_last_15min()
    windows = [
        view.WindowRow(
            w.name,
            snap.windows_open.get(w.id, False),
            snap.meals_by_window.get(w.id, 0),
            None if last_15 is None else last_15.get(w.id, 0),
            window_wait(ctx, w.id),
        )
        for c in site.canteens
        for w in c.windows
    ]
    queues, source = queue_rows(ctx, lang)
    forecast = None
    if ctx.sources.congestion:
        forecast = [
            view.QueueRow(c.name, None, s.forecast_wait_min, s.level)
            for c in site.canteens
            if (s := ctx.sources.congestion.get(c.id)) is not None
        ]
    canteens = [(c.name, snap.meals_by_canteen.get(c.id, 0)) for c in site.canteens]
    return {
        ids.CANTEEN_MEALS_TODAY: view.meals_body(canteens, fresh, lang),
        ids.CANTEEN_QUEUE: view.queue_body(
            ids.CANTEEN_QUEUE, queues, source, queue_freshness(ctx), lang
        ),
        ids.CANTEEN_FORECAST: view.forecast_body(forecast, fresh, lang),
        ids.CANTEEN_WINDOWS: view.windows_body(windows, fresh, lang),
        ids.CANTEEN_MEALS_CHART: ctx.history.derived(
            ("meals_chart", lang), lambda: meals_chart(ctx, lang)
        ),
    }
