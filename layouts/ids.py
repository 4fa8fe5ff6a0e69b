"""Every component id of the web app, in one place (kebab-case, prefixed by screen)."""

from __future__ import annotations

# Home
HOME_LINKS = "home-links"

# Wall: overview
OVERVIEW_ROOT = "overview-root"
OVERVIEW_TITLE = "overview-title"
OVERVIEW_CLOCK = "overview-clock"
OVERVIEW_STATUS = "overview-status"
OVERVIEW_LANG = "overview-lang"
OVERVIEW_TICK = "overview-tick"
OVERVIEW_HISTORY_TICK = "overview-history-tick"
OVERVIEW_PEOPLE_ONSITE = "overview-people-onsite"
OVERVIEW_ENTRIES_TODAY = "overview-entries-today"
OVERVIEW_MEALS_TODAY = "overview-meals-today"
OVERVIEW_POWER_NOW = "overview-power-now"
OVERVIEW_PV_NOW = "overview-pv-now"
OVERVIEW_WATER_TODAY = "overview-water-today"
OVERVIEW_ELECTRICITY_TODAY = "overview-electricity-today"
OVERVIEW_DEVICES_ONLINE = "overview-devices-online"
OVERVIEW_DEAD_LETTERS = "overview-dead-letters"
OVERVIEW_EVENT_RATE = "overview-event-rate"
OVERVIEW_GATE_CHART = "overview-gate-chart"

OVERVIEW_TILES: tuple[str, ...] = (
    OVERVIEW_PEOPLE_ONSITE,
    OVERVIEW_ENTRIES_TODAY,
    OVERVIEW_MEALS_TODAY,
    OVERVIEW_POWER_NOW,
    OVERVIEW_PV_NOW,
    OVERVIEW_WATER_TODAY,
    OVERVIEW_ELECTRICITY_TODAY,
    OVERVIEW_DEVICES_ONLINE,
    OVERVIEW_DEAD_LETTERS,
    OVERVIEW_EVENT_RATE,
)


def value_of(tile: str) -> str:
    """The id of a tile's big numeral."""
    return f"{tile}-value"


def age_of(tile: str) -> str:
    """The id of a tile's data-age line."""
    return f"{tile}-age"


def body_of(tile: str) -> str:
    """The id of the part of a tile the live callback refreshes."""
    return f"{tile}-body"


def all_ids() -> list[str]:
    """Every static id defined here, derived ones included (for uniqueness checks)."""
    static = [v for k, v in globals().items() if k.isupper() and isinstance(v, str)]
    derived = [f(t) for t in OVERVIEW_TILES for f in (value_of, age_of, body_of)]
    return static + derived
