"""The wall's catalog: each layout declared once, its names, tiles and strings
whole; its page has every tile's body."""

from __future__ import annotations

import pytest

from layouts import ids
from layouts.i18n import STRINGS
from layouts.wall import catalog
from layouts.wall.tiles import grid


def test_names_and_tiles_are_unique_across_the_wall() -> None:
    names = [layout.name for layout in catalog.WALL_LAYOUTS]
    assert len(names) == len(set(names)) == len(catalog.BY_NAME)
    assert tuple(names) == catalog.LAYOUT_NAMES
    assert catalog.LAYOUT_NAMES[0] == "overview"  # the default wall
    tiles = [t for layout in catalog.WALL_LAYOUTS for t in layout.tile_ids]
    assert len(tiles) == len(set(tiles))
    bodies = [b for layout in catalog.WALL_LAYOUTS for b in layout.body_ids]
    assert len(bodies) == len(set(bodies)) == len(tiles)


@pytest.mark.parametrize("layout", catalog.WALL_LAYOUTS, ids=catalog.LAYOUT_NAMES)
def test_every_tile_is_prefixed_by_its_layout_and_labelled(
    layout: catalog.WallLayout,
) -> None:
    assert layout.title in STRINGS
    for spec in layout.tiles:
        assert spec.id.startswith(f"{layout.name}-"), spec.id
        assert spec.label in STRINGS, spec.label
        assert spec.span in ("", "wide", "tall", "full", "span3")


@pytest.mark.parametrize("layout", catalog.WALL_LAYOUTS, ids=catalog.LAYOUT_NAMES)
def test_a_layouts_page_has_its_tiles_in_order(layout: catalog.WallLayout) -> None:
    page = grid(layout)
    assert [section.id for section in page.children] == list(layout.tile_ids)
    for tile_id in layout.tile_ids:
        assert page[ids.body_of(tile_id)] is not None
