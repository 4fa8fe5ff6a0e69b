"""What each wall layout reads: one table from the catalog's layouts
(`layouts.wall.catalog`) to their body builders and the changed-notice groups that
concern them; a layout's tile bodies in its tiles' order, and its page filled with
them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dash import html

from dashboard.data import LiveUnavailable
from dashboard.wall import canteen, energy, overview, security, traffic
from dashboard.wall.context import WallContext, WallReader
from layouts.i18n import Lang, t
from layouts.wall import catalog
from layouts.wall.tiles import grid, unavailable_body
from streams.live.keys import CHANGED_GROUPS

Bodies = Callable[[WallContext, Lang], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class LayoutFeed:
    """A layout's body builder (tile id → body, one per tile of the layout) and the
    changed-notice groups its bodies read (a push for other groups is ignored)."""

    bodies: Bodies
    groups: frozenset[str]


FEEDS: dict[str, LayoutFeed] = {
    catalog.OVERVIEW.name: LayoutFeed(
        overview.bodies, frozenset(CHANGED_GROUPS) - {"appointment"}
    ),
    catalog.CANTEEN.name: LayoutFeed(
        canteen.bodies, frozenset({"canteen", "camera", "congestion"})
    ),
    catalog.ENERGY.name: LayoutFeed(energy.bodies, frozenset({"energy"})),
    catalog.SECURITY.name: LayoutFeed(
        security.bodies, frozenset({"gate", "camera", "status"})
    ),
    catalog.TRAFFIC.name: LayoutFeed(
        traffic.bodies, frozenset({"gate", "appointment", "camera"})
    ),
}


def tile_outputs(
    result: WallContext | LiveUnavailable, layout: str, lang: Lang
) -> list[Any]:
    """Bodies in the layout's tile order (dashes if Redis is down)."""
    tiles = catalog.BY_NAME[layout].tile_ids
    if isinstance(result, LiveUnavailable):
        message = t("live_unavailable", lang)
        return [unavailable_body(tid, message) for tid in tiles]
    bodies = FEEDS[layout].bodies(result, lang)
    return [bodies[tid] for tid in tiles]


def stage(layout: str, reader: WallReader, lang: Lang) -> html.Main:
    """A layout filled with current data, so a rotation never shows 'loading'."""
    wall_layout = catalog.BY_NAME[layout]
    outputs = tile_outputs(reader.read(), layout, lang)
    return grid(
        wall_layout, lang, dict(zip(wall_layout.tile_ids, outputs, strict=True))
    )
