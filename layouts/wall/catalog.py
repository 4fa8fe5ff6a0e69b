"""The wall's layouts, each declared once: its name, its title and its tiles in grid
order.

A layout's name is its URL (`/wall/<name>`), what a site file's screen lists under
`layouts:`, and its grid's CSS modifier (`wall-grid--<name>`). Everything else is
derived from here: the ids of a layout's tiles and bodies, its page
(`layouts.wall.tiles.grid`), the dashboard's table of body builders and push groups
(`dashboard.wall.stage.FEEDS`, keyed by these layouts), the screen registry's check
of a site file's `screens:` (`dashboard.wall.registry`) and a kiosk's scope. Pure
data: no dash here.
"""

from __future__ import annotations

from dataclasses import dataclass

from layouts import ids


@dataclass(frozen=True, slots=True)
class TileSpec:
    """A tile of a layout: its id, its label's string key, its grid placement."""

    id: str
    label: str
    span: str = ""  # CSS modifier: "wide", "tall", "full", "span3"


@dataclass(frozen=True, slots=True)
class WallLayout:
    """One wall layout (a "screen" of the wall): name, title key, tiles in order."""

    name: str
    title: str  # string key in layouts.i18n
    tiles: tuple[TileSpec, ...]

    @property
    def tile_ids(self) -> tuple[str, ...]:
        """The tiles' ids in grid order: the order of the refresh callback's
        outputs and of `dashboard.wall.stage.tile_outputs`."""
        return tuple(spec.id for spec in self.tiles)

    @property
    def body_ids(self) -> tuple[str, ...]:
        """The ids of the tile bodies the refresh callback and the push update."""
        return tuple(ids.body_of(spec.id) for spec in self.tiles)


OVERVIEW = WallLayout(
    "overview",
    "overview",
    (
        TileSpec(ids.OVERVIEW_PEOPLE_ONSITE, "people_onsite"),
        TileSpec(ids.OVERVIEW_VEHICLES_ONSITE, "vehicles_onsite"),
        TileSpec(ids.OVERVIEW_ENTRIES_TODAY, "entries_today"),
        TileSpec(ids.OVERVIEW_ALARMS, "alarms_active"),
        TileSpec(ids.OVERVIEW_MEALS_TODAY, "meals_today"),
        TileSpec(ids.OVERVIEW_CONGESTION, "congestion"),
        TileSpec(ids.OVERVIEW_GATE_CHART, "gate_chart", "wide"),
        TileSpec(ids.OVERVIEW_POWER_NOW, "power_now"),
        TileSpec(ids.OVERVIEW_PV_NOW, "pv_now"),
        TileSpec(ids.OVERVIEW_WATER_TODAY, "water_today"),
        TileSpec(ids.OVERVIEW_DEVICES_ONLINE, "devices_online"),
    ),
)
CANTEEN = WallLayout(
    "canteen",
    "canteen",
    (
        TileSpec(ids.CANTEEN_MEALS_TODAY, "meals_today"),
        TileSpec(ids.CANTEEN_QUEUE, "congestion"),
        TileSpec(ids.CANTEEN_FORECAST, "forecast"),
        TileSpec(ids.CANTEEN_WINDOWS, "window_table", "tall"),
        TileSpec(ids.CANTEEN_MEALS_CHART, "meals_chart", "span3"),
    ),
)
ENERGY = WallLayout(
    "energy",
    "energy",
    (
        TileSpec(ids.ENERGY_POWER_NOW, "power_now"),
        TileSpec(ids.ENERGY_PV, "pv_now"),
        TileSpec(ids.ENERGY_ELECTRICITY_TODAY, "electricity_kwh"),
        TileSpec(ids.ENERGY_WATER_TODAY, "water_today"),
        TileSpec(ids.ENERGY_INTENSITY, "intensity_today"),
        TileSpec(ids.ENERGY_LOAD_CHART, "load_chart", "wide"),
        TileSpec(ids.ENERGY_BUILDINGS, "buildings_power"),
        TileSpec(ids.ENERGY_CARBON, "carbon_today"),
    ),
)
SECURITY = WallLayout(
    "security",
    "security",
    (
        TileSpec(ids.SECURITY_ENTRIES_TODAY, "entries_today"),
        TileSpec(ids.SECURITY_DENIED_TODAY, "denied_today"),
        TileSpec(ids.SECURITY_CAMERAS_ONLINE, "cameras_online"),
        TileSpec(ids.SECURITY_CAMERA_EVENTS, "camera_events"),
        TileSpec(ids.SECURITY_GATE_FLOW, "gate_flow", "wide"),
        TileSpec(ids.SECURITY_SNAPSHOTS, "snapshots", "wide"),
    ),
)
TRAFFIC = WallLayout(
    "traffic",
    "traffic",
    (
        TileSpec(ids.TRAFFIC_VEHICLES_ONSITE, "vehicles_onsite"),
        TileSpec(ids.TRAFFIC_PARKING, "parking"),
        TileSpec(ids.TRAFFIC_VEHICLE_ENTRIES, "vehicle_entries"),
        TileSpec(ids.TRAFFIC_VISITORS, "visitors"),
        TileSpec(ids.TRAFFIC_VEHICLE_CHART, "vehicle_chart", "full"),
    ),
)

# In the order the unknown-screen page lists them; the first is the default wall.
WALL_LAYOUTS: tuple[WallLayout, ...] = (OVERVIEW, CANTEEN, ENERGY, SECURITY, TRAFFIC)
BY_NAME: dict[str, WallLayout] = {layout.name: layout for layout in WALL_LAYOUTS}
LAYOUT_NAMES: tuple[str, ...] = tuple(BY_NAME)
