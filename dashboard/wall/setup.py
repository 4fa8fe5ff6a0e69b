"""Builds the wall's parts from settings once per process (`create_app`)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import redis

from dashboard.auth.kiosk import KioskScope
from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from dashboard.security.snapshots import SnapshotIndex
from dashboard.wall.context import WallReader, site_power_meters
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.page import WallPages, kiosk_scope
from dashboard.wall.registry import ScreenRegistry
from dashboard.wall.sources import SourceReader
from streams.config.settings import Settings
from streams.config.site import Site


@dataclass(frozen=True, slots=True)
class Wall:
    pages: WallPages
    reader: WallReader
    registry: ScreenRegistry
    redis_url: str
    push: bool
    snapshots: SnapshotIndex  # shared with /security and the /snapshots routes
    kiosk_scope: KioskScope  # what each screen's kiosk may read (callbacks, push)


def build_wall(
    settings: Settings, site: Site, reader: LiveReader, history: HistoryReader | None
) -> Wall:
    url = settings.url("redis")
    sources = None
    if url:
        client = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=1.0, socket_timeout=2.0
        )
        sources = SourceReader(client, site.id)
    wall_history = WallHistory(
        history,
        ZoneInfo(site.timezone),
        day_reset_hour=settings.day_reset_hour,
        usual_devices={"energy": site_power_meters(site)},  # the baseline's meters
    )
    wall_history.prefetch()
    stale = Staleness(site, settings.wall_stale_factor)
    snapshots = SnapshotIndex(site, history)
    wall_reader = WallReader(reader, sources, wall_history, stale, snapshots)
    registry = ScreenRegistry(site, settings.site_file)
    pages = WallPages(
        site, registry, wall_reader, settings.wall_poll_ms, settings.wall_lang
    )
    push = settings.wall_push and bool(url)
    scope = kiosk_scope(registry)
    return Wall(pages, wall_reader, registry, url, push, snapshots, scope)
