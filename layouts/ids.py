"""Every component id of the web app, in one place (kebab-case, prefixed by screen)."""

from __future__ import annotations

# Home
HOME_LINKS = "home-links"

# Wall: the shell every wall screen shares (header, band, stage, push and poll)
WALL_ROOT = "wall-root"
WALL_TITLE = "wall-title"
WALL_SCREEN_NAME = "wall-screen-name"
WALL_CLOCK = "wall-clock"
WALL_STATUS = "wall-status"
WALL_LINK = "wall-link"
WALL_BAND = "wall-band"
WALL_STAGE = "wall-stage"
WALL_SCREEN = "wall-screen"  # store: the screen id or layout name from the URL
WALL_LANG = "wall-lang"  # store
WALL_LAYOUT = "wall-layout"  # store: the layout on stage now
WALL_CONFIG = "wall-config"  # store: time zone and link-loss limit for the clock
WALL_PUSH = "wall-push"  # store set by the WebSocket push (set_props)
WALL_POLL = "wall-poll"  # interval: the polling fallback
WALL_SECOND = "wall-second"  # interval: clock and link check (clientside)
WALL_ROTATE = "wall-rotate"  # interval: rotation and registry check
WALL_LAST_OK = "wall-last-ok"  # store: epoch ms of the last server refresh

# Wall: the tiles of each layout (which tiles, in which order, with which label:
# layouts/wall/catalog.py)

# Wall: overview
OVERVIEW_PEOPLE_ONSITE = "overview-people-onsite"
OVERVIEW_VEHICLES_ONSITE = "overview-vehicles-onsite"
OVERVIEW_ENTRIES_TODAY = "overview-entries-today"
OVERVIEW_MEALS_TODAY = "overview-meals-today"
OVERVIEW_CONGESTION = "overview-congestion"
OVERVIEW_POWER_NOW = "overview-power-now"
OVERVIEW_PV_NOW = "overview-pv-now"
OVERVIEW_WATER_TODAY = "overview-water-today"
OVERVIEW_ALARMS = "overview-alarms"
OVERVIEW_DEVICES_ONLINE = "overview-devices-online"
OVERVIEW_GATE_CHART = "overview-gate-chart"


# Wall: canteen
CANTEEN_MEALS_TODAY = "canteen-meals-today"
CANTEEN_QUEUE = "canteen-queue"
CANTEEN_FORECAST = "canteen-forecast"
CANTEEN_WINDOWS = "canteen-windows"
CANTEEN_MEALS_CHART = "canteen-meals-chart"

# Wall: energy
ENERGY_POWER_NOW = "energy-power-now"
ENERGY_PV = "energy-pv"
ENERGY_ELECTRICITY_TODAY = "energy-electricity-today"
ENERGY_WATER_TODAY = "energy-water-today"
ENERGY_CARBON = "energy-carbon"
ENERGY_BUILDINGS = "energy-buildings"
ENERGY_LOAD_CHART = "energy-load-chart"
ENERGY_INTENSITY = "energy-intensity"  # per person / per meal today (#4)

# Wall: security
SECURITY_ENTRIES_TODAY = "security-entries-today"
SECURITY_DENIED_TODAY = "security-denied-today"
SECURITY_CAMERAS_ONLINE = "security-cameras-online"
SECURITY_CAMERA_EVENTS = "security-camera-events"
SECURITY_GATE_FLOW = "security-gate-flow"
SECURITY_SNAPSHOTS = "security-snapshots"

# Wall: traffic
TRAFFIC_VEHICLES_ONSITE = "traffic-vehicles-onsite"
TRAFFIC_PARKING = "traffic-parking"
TRAFFIC_VEHICLE_ENTRIES = "traffic-vehicle-entries"
TRAFFIC_VISITORS = "traffic-visitors"
TRAFFIC_VEHICLE_CHART = "traffic-vehicle-chart"


def value_of(tile: str) -> str:
    """The id of a tile's big numeral."""
    return f"{tile}-value"


def age_of(tile: str) -> str:
    """The id of a tile's data-age line."""
    return f"{tile}-age"


def body_of(tile: str) -> str:
    """The id of the part of a tile the live callback refreshes."""
    return f"{tile}-body"


# Duty console (/duty)
DUTY_ROOT = "duty-root"
DUTY_LANG = "duty-lang"
DUTY_TICK = "duty-tick"
DUTY_SLOW_TICK = "duty-slow-tick"
DUTY_CLOCK = "duty-clock"
DUTY_OPERATOR = "duty-operator"
DUTY_VIEW = "duty-view"
DUTY_TABLE = "duty-table"
DUTY_MESSAGE = "duty-message"
DUTY_REFRESH = "duty-refresh"
DUTY_ACK = "duty-ack"
DUTY_SHELVE = "duty-shelve"
DUTY_SHELVE_MINUTES = "duty-shelve-minutes"
DUTY_REASON = "duty-reason"
DUTY_UNSHELVE = "duty-unshelve"
DUTY_CLEAR = "duty-clear"
DUTY_ASSIGN = "duty-assign"
DUTY_ASSIGNEE = "duty-assignee"
DUTY_COMMENT = "duty-comment"
DUTY_COMMENT_TEXT = "duty-comment-text"
DUTY_DETAIL = "duty-detail"
DUTY_METRICS = "duty-metrics"
DUTY_METRICS_PERIOD = "duty-metrics-period"
DUTY_HANDOVER_NOTE = "duty-handover-note"
DUTY_HANDOVER_SUBMIT = "duty-handover-submit"
DUTY_HANDOVER_ACCEPT = "duty-handover-accept"
DUTY_HANDOVERS = "duty-handovers"
DUTY_AUDIO = "duty-audio"
DUTY_UNACKED = "duty-unacked"
DUTY_ALERTED = "duty-alerted"
DUTY_KEYS = "duty-keys"

# Briefing (/briefing, #7)
BRIEFING_ROOT = "briefing-root"
BRIEFING_KIND = "briefing-kind"  # radio: day / week / month
BRIEFING_DATE = "briefing-date"  # date picker: a day inside the period
BRIEFING_EARLIER = "briefing-earlier"
BRIEFING_LATER = "briefing-later"
BRIEFING_LANG = "briefing-lang"  # store
BRIEFING_BODY = "briefing-body"
BRIEFING_EXPORT = "briefing-export"
BRIEFING_EXPORT_STATUS = "briefing-export-status"
BRIEFING_ARCHIVE = "briefing-archive"
BRIEFING_PRINT = "briefing-print"

# Security page (/security, #6)
SECURITY_PAGE_ROOT = "security-page-root"
SECURITY_PAGE_TICK = "security-page-tick"
SECURITY_PAGE_LANG = "security-page-lang"  # store
SECURITY_PAGE_SELECTED = "security-page-selected"  # store: the camera whose history
SECURITY_PAGE_TILES = "security-page-tiles"
SECURITY_PAGE_TILE = "security-page-tile"  # pattern id {"type": …, "camera": id}
SECURITY_PAGE_TIMELINE = "security-page-timeline"
SECURITY_PAGE_GATE_ALARMS = "security-page-gate-alarms"
SECURITY_PAGE_GATE_FLOW = "security-page-gate-flow"
SECURITY_PAGE_HISTORY = "security-page-history"
SECURITY_PAGE_CLOCK = "security-page-clock"

# Admin page (/admin, #8): users, blacklist, screens and tokens, site file, audit
ADMIN_ROOT = "admin-root"
ADMIN_LANG = "admin-lang"  # store
ADMIN_USERS = "admin-users"  # table
ADMIN_USER_NAME = "admin-user-name"
ADMIN_USER_DISPLAY = "admin-user-display"
ADMIN_USER_ROLE = "admin-user-role"
ADMIN_USER_PASSWORD = "admin-user-password"
ADMIN_USER_DISABLED = "admin-user-disabled"
ADMIN_USER_CREATE = "admin-user-create"
ADMIN_USER_APPLY = "admin-user-apply"
ADMIN_USER_MESSAGE = "admin-user-message"
ADMIN_BLACKLIST = "admin-blacklist"  # list
ADMIN_BLACKLIST_VALUE = "admin-blacklist-value"
ADMIN_BLACKLIST_ADD = "admin-blacklist-add"
ADMIN_BLACKLIST_REMOVE = "admin-blacklist-remove"
ADMIN_BLACKLIST_MESSAGE = "admin-blacklist-message"
ADMIN_SCREENS = "admin-screens"  # table of screens
ADMIN_TOKENS = "admin-tokens"  # table of kiosk and API tokens
ADMIN_TOKEN_KIND = "admin-token-kind"
ADMIN_TOKEN_SCOPE = "admin-token-scope"
ADMIN_TOKEN_ISSUE = "admin-token-issue"
ADMIN_TOKEN_ID = "admin-token-id"
ADMIN_TOKEN_REVOKE = "admin-token-revoke"
ADMIN_TOKEN_MESSAGE = "admin-token-message"
ADMIN_RELOAD = "admin-reload"
ADMIN_RELOAD_MESSAGE = "admin-reload-message"
ADMIN_AUDIT = "admin-audit"  # table
ADMIN_AUDIT_TEXT = "admin-audit-text"
ADMIN_AUDIT_OUTCOME = "admin-audit-outcome"
ADMIN_AUDIT_SEARCH = "admin-audit-search"
