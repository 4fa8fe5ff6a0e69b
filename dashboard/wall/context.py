"""What a wall refresh reads once and every screen's tile builders share."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from dashboard.data import LiveReader, LiveSnapshot, LiveUnavailable
from dashboard.history import HistoryFrame, Series
from dashboard.security.snapshots import SnapshotIndex
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import SLOT, WallHistory, usual_so_far
from dashboard.wall.sources import EMPTY, SourceReader, WallSources
from layouts.i18n import Lang, t
from layouts.wall.canteen import QueueRow
from layouts.wall.tiles import Freshness
from streams.config.site import Site


@dataclass(frozen=True, slots=True)
class WallContext:
    snap: LiveSnapshot
    sources: WallSources
    history: WallHistory
    site: Site
    stale: Staleness
    snapshots: SnapshotIndex | None = None  # annotated camera snapshots (#6)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)


class WallReader:
    """Reads the live snapshot and the wall's other live sources together."""

    def __init__(
        self,
        live: LiveReader,
        sources: SourceReader | None,
        history: WallHistory,
        stale: Staleness,
        snapshots: SnapshotIndex | None = None,
    ) -> None:
        self.live = live
        self.sources = sources
        self.history = history
        self.stale = stale
        self.snapshots = snapshots
        self.site = live.site

    def read(self) -> LiveUnavailable | WallContext:
        snap = self.live.snapshot()
        if not isinstance(snap, LiveSnapshot):
            return snap
        sources = self.sources.read() if self.sources else EMPTY
        return WallContext(
            snap, sources, self.history, self.site, self.stale, self.snapshots
        )


def short_name(name: str) -> str:
    """'1号楼 市政府办公楼' → '1号楼' (a wall tile has room for the short form)."""
    return name.split()[0] if name.split() else name


def usual_entries(ctx: WallContext) -> dict[str, float] | None:
    """Granted entries by subject on a usual day up to this time of day."""
    slot, frac = slot_position(ctx)
    frame = usual_so_far(ctx.history.usual_day("gate"), slot, frac)
    if frame is None:
        return None
    rows = frame[(frame["direction"] == "in") & (frame["result"] == "granted")]
    return {str(k): float(v) for k, v in rows.groupby("subject")["n"].sum().items()}


def slot_position(ctx: WallContext) -> tuple[int, float]:
    """The current 15-min slot of the day and how much of it has passed."""
    elapsed = ctx.snap.at - ctx.history.day_start()
    slot = int(elapsed // SLOT)
    return slot, (elapsed - slot * SLOT) / SLOT


def site_power_meters(site: Site) -> list[str]:
    return [
        m.id for m in site.meters if m.quantity == "electric_kw" and m.parent is None
    ]


def baseline_power_kw(ctx: WallContext) -> float | None:
    """Site electric load on a usual day in the current slot (kW)."""
    usual = ctx.history.usual_day("energy")
    if usual is None:
        return None
    slot, _ = slot_position(ctx)
    frame = usual.frame
    rows = frame[
        (frame["slot"] == slot) & frame["device"].isin(site_power_meters(ctx.site))
    ]
    return float(rows["avg_value"].sum()) if len(rows) else None


def today_frame(ctx: WallContext, series: Series) -> HistoryFrame | None:
    result = ctx.history.today(series)
    return result if isinstance(result, HistoryFrame) else None


def slot_labels(ctx: WallContext, count: int) -> list[str]:
    start = pd.Timestamp(ctx.history.day_start())
    return [
        (start + i * SLOT).tz_convert(ctx.tz).strftime("%H:%M") for i in range(count)
    ]


def slot_index(frame: pd.DataFrame, ctx: WallContext) -> pd.Series:
    stamps = pd.to_datetime(frame["bucket"], utc=True)
    start = pd.Timestamp(ctx.history.day_start())
    return ((stamps - start) // pd.Timedelta(SLOT)).astype(int)


def queue_rows(ctx: WallContext, lang: Lang) -> tuple[list[QueueRow], str]:
    """Per canteen: the detector's state when published (#4), else the queue-zone
    camera count and a wait estimated from the open windows' service rates."""
    congestion = ctx.sources.congestion
    if congestion:
        rows = [
            QueueRow(c.name, _round(s.queue), s.wait_min, s.level)
            for c in ctx.site.canteens
            if (s := congestion.get(c.id)) is not None
        ]
        return rows, t("forecast", lang)
    rows = []
    for canteen in ctx.site.canteens:
        queue = _queue_count(ctx, canteen.building)
        rate = sum(
            w.service_rate_per_min
            for w in canteen.windows
            if ctx.snap.windows_open.get(w.id)
        )
        wait = None if queue is None or rate <= 0 else queue / rate
        rows.append(QueueRow(canteen.name, queue, wait))
    return rows, t("queue_camera", lang)


def _queue_count(ctx: WallContext, building: str) -> int | None:
    found = None
    for camera in ctx.site.cameras:
        for zone in camera.zones:
            if zone.kind == "queue" and camera.building == building:
                hit = ctx.sources.camera_counts.get(f"{camera.id}:{zone.id}")
                if hit is not None:
                    found = (found or 0) + hit[0]
    return found


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


def queue_freshness(ctx: WallContext) -> Freshness:
    """The detector's publication time when it publishes (#4), else the cameras'."""
    camera = ctx.stale.of(ctx.snap, "camera")
    published = [c.at for c in (ctx.sources.congestion or {}).values() if c.at]
    if not published:
        return camera
    newest = max(published)
    age = (ctx.snap.at - newest).total_seconds()
    stamp = ctx.stale.stamp(newest, ctx.snap.at)
    return Freshness(age, ctx.stale.limit_s("camera"), stamp, camera.quiet_key)


def window_wait(ctx: WallContext, window_id: str) -> float | None:
    state = (ctx.sources.congestion or {}).get(window_id)
    return None if state is None else state.wait_min
