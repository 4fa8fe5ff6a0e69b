"""A kiosk's scope: its screen's layouts and the wall shell (pure), built from the
real wall layouts and the sample site's screen registry."""

from __future__ import annotations

from dashboard.auth.kiosk import KioskScope
from dashboard.wall.page import kiosk_scope
from dashboard.wall.registry import ScreenRegistry
from layouts import ids
from streams.config.site import Site

SCOPE = KioskScope(
    lambda screen: {"lobby": ["a", "b"], "odd": ["a", "nope"]}.get(screen, []),
    frozenset({"wall-band"}),
    {"a": frozenset({"a-1", "a-2"}), "b": frozenset({"b-1"}), "c": frozenset({"c-1"})},
)


def test_scope_is_the_screens_layouts_and_the_shell() -> None:
    assert SCOPE.layouts("lobby") == {"a", "b"}
    assert SCOPE.layouts("odd") == {"a"}
    assert SCOPE.layouts("unknown") == frozenset()
    assert SCOPE.allows("lobby", ["a-1", "b-1", "wall-band", "_pages_content"])
    assert not SCOPE.allows("lobby", ["a-1", "c-1"])
    assert not SCOPE.allows("lobby", ["made-up"])
    assert SCOPE.allows("unknown", ["wall-band"])
    assert not SCOPE.allows("unknown", ["a-1"])
    assert SCOPE.allows("lobby", [])  # no outputs (the push checks its own layouts)


def test_wall_scope_follows_the_registry(sample_site: Site) -> None:
    scope = kiosk_scope(ScreenRegistry(sample_site, None))
    assert scope.layouts("wall-2") == {"canteen", "traffic"}
    assert scope.layouts("energy") == {"energy"}
    assert scope.layouts("nowhere") == frozenset()
    canteen = [ids.body_of(tile) for tile in ids.CANTEEN_TILES]
    energy = [ids.body_of(tile) for tile in ids.ENERGY_TILES]
    shell = [ids.WALL_STAGE, ids.WALL_LAYOUT, ids.WALL_BAND, ids.WALL_LAST_OK]
    assert scope.allows("wall-2", canteen + shell)
    assert not scope.allows("wall-2", energy)
    assert scope.allows("energy", energy) and not scope.allows("energy", canteen)
