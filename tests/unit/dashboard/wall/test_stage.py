"""The table from the catalog's layouts to what they read: one body builder per
layout, one body per tile, and push groups that are Redis's changed-notice groups."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from dashboard.wall.context import WallContext
from dashboard.wall.freshness import Staleness
from dashboard.wall.history_cache import WallHistory
from dashboard.wall.sources import EMPTY
from dashboard.wall.stage import FEEDS, tile_outputs
from layouts.wall import catalog
from streams.config.site import Site
from streams.live.keys import CHANGED_GROUPS
from tests.unit.dashboard.test_app import AT, snapshot


def test_every_declared_layout_has_exactly_one_feed() -> None:
    assert list(FEEDS) == list(catalog.LAYOUT_NAMES)


@pytest.mark.parametrize("name", catalog.LAYOUT_NAMES)
def test_every_tile_has_one_body_and_no_body_is_extra(
    sample_site: Site, name: str
) -> None:
    ctx = WallContext(
        snapshot(sample_site),
        EMPTY,
        WallHistory(None, ZoneInfo(sample_site.timezone), clock=lambda: AT),
        sample_site,
        Staleness(sample_site),
    )
    bodies = FEEDS[name].bodies(ctx, "zh")
    assert sorted(bodies) == sorted(catalog.BY_NAME[name].tile_ids)
    assert len(tile_outputs(ctx, name, "zh")) == len(catalog.BY_NAME[name].tiles)


@pytest.mark.parametrize("name", catalog.LAYOUT_NAMES)
def test_push_groups_are_changed_notice_groups(name: str) -> None:
    groups = FEEDS[name].groups
    assert groups and groups <= frozenset(CHANGED_GROUPS)


def test_the_overview_hears_every_group_but_appointments() -> None:
    assert FEEDS["overview"].groups == frozenset(CHANGED_GROUPS) - {"appointment"}
