"""Tile bodies of the security layout."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from dashboard.data import OFFLINE_AFTER_S
from dashboard.security.snapshots import SnapshotIndex
from dashboard.wall.context import WallContext
from layouts import ids
from layouts.i18n import Lang, format_age
from layouts.wall import security as view
from layouts.wall.tiles import Freshness
from streams.config.site import Camera
from streams.snapshots.names import PERIODIC
from streams.snapshots.store import SnapshotInfo

SNAPSHOT_STALE_FACTOR = 3  # a view older than 3 snapshot periods is stale
SNAPSHOT_STALE_S = 180.0


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
        ids.SECURITY_SNAPSHOTS: snapshots(ctx, lang),
    }


def snapshots(ctx: WallContext, lang: Lang) -> list[Any]:
    """The newest snapshots: those showing an event first, then restricted-zone and
    gate cameras, then the rest; the tile's age is the newest one's."""
    latest = None if ctx.snapshots is None else ctx.snapshots.latest()
    if latest is None:
        return view.snapshots_body(None, Freshness(None, SNAPSHOT_STALE_S), lang)
    now, tz = ctx.snap.at, ctx.tz
    shots, ages = [], []
    for camera in sorted(ctx.site.cameras, key=lambda c: _rank(c, latest)):
        info = latest.get(camera.id)
        if info is None:
            continue
        age = (now - info.ts).total_seconds()
        limit = SNAPSHOT_STALE_FACTOR * camera.snapshot_s
        stamp = info.ts.astimezone(tz).strftime("%H:%M")
        text, stale = format_age(age, limit, stamp, lang)
        shots.append(
            view.WallSnapshot(
                camera.name, SnapshotIndex.url(info), text, stale, info.kind
            )
        )
        ages.append(age)
    fresh = Freshness(min(ages) if ages else None, SNAPSHOT_STALE_S)
    return view.snapshots_body(shots, fresh, lang)


def _rank(camera: Camera, latest: dict[str, SnapshotInfo]) -> int:
    info = latest.get(camera.id)
    if info is not None and info.kind != PERIODIC:
        return 0
    watched = camera.gate is not None or any(
        z.kind == "restricted" for z in camera.zones
    )
    return 1 if watched else 2


def _latest_count_time(ctx: WallContext, camera_id: str) -> datetime | None:
    stamps = [
        at
        for key, (_, at) in ctx.sources.camera_counts.items()
        if key.partition(":")[0] == camera_id and at is not None
    ]
    return max(stamps, default=None)
