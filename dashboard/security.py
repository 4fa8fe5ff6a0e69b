"""Tile bodies of the security layout."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.data import OFFLINE_AFTER_S
from dashboard.wall_context import WallContext
from layouts import ids
from layouts import security as view
from layouts.i18n import Lang


def cameras_online(ctx: WallContext, last_seen: dict[str, datetime | None]) -> int:
    now = ctx.snap.at
    return sum(
        1
        for c in ctx.site.cameras
        if (seen := last_seen.get(c.id)) is not None
        and (now - seen).total_seconds() <= OFFLINE_AFTER_S
    )


def bodies(ctx: WallContext, lang: Lang) -> dict[str, Any]:
    snap, site = ctx.snap, ctx.site
    gate, camera = ctx.stale.of(snap, "gate"), ctx.stale.of(snap, "camera")
    flow = ctx.history.gate_flow_last_hour()
    rows = None
    if flow is not None:
        rows = [(g.name, *flow.get(g.id, (0, 0, 0))) for g in site.gates]
    seen = {c.id: at for c in site.cameras for at in [_latest_count_time(ctx, c.id)]}
    return {
        ids.SECURITY_ENTRIES_TODAY: view.entries_body(snap.entries, gate, lang),
        ids.SECURITY_DENIED_TODAY: view.denied_body(snap.denied, gate, lang),
        ids.SECURITY_CAMERAS_ONLINE: view.cameras_body(
            cameras_online(ctx, seen), len(site.cameras), camera, lang
        ),
        ids.SECURITY_CAMERA_EVENTS: view.camera_events_body(
            ctx.history.camera_kinds_today(), camera, lang
        ),
        ids.SECURITY_GATE_FLOW: view.gate_flow_body(rows, gate, lang),
        ids.SECURITY_SNAPSHOTS: view.snapshots_body(lang),
    }


def _latest_count_time(ctx: WallContext, camera_id: str) -> datetime | None:
    stamps = [
        at
        for key, (_, at) in ctx.sources.camera_counts.items()
        if key.partition(":")[0] == camera_id and at is not None
    ]
    return max(stamps, default=None)
