"""The wall: `/wall/<name>` pages (a layout's name or a registered screen's id) and
their callbacks. Every screen refreshes on a push from the WebSocket callback
(`dashboard.wall.push`) or on the slow polling interval, whichever comes first; the
clock and the link check run in the browser (clientside)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import dash
from dash import ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard.auth.callbacks import component_ids
from dashboard.auth.kiosk import KioskScope
from dashboard.data import LiveUnavailable
from dashboard.wall import canteen, energy, overview, security, traffic
from dashboard.wall.context import WallContext, WallReader
from dashboard.wall.registry import ScreenRegistry, layout_at
from layouts import ids
from layouts.i18n import Lang, t, valid_lang
from layouts.wall import canteen as canteen_view
from layouts.wall import energy as energy_view
from layouts.wall import overview as overview_view
from layouts.wall import security as security_view
from layouts.wall import shell
from layouts.wall import traffic as traffic_view
from layouts.wall.tiles import unavailable_body
from streams.config.site import WALL_LAYOUTS, Screen, Site
from streams.live.keys import CHANGED_GROUPS

Bodies = Callable[[WallContext, Lang], dict[str, Any]]
VIEWS: dict[str, Callable[..., Any]] = {
    "overview": overview_view.layout,
    "canteen": canteen_view.layout,
    "energy": energy_view.layout,
    "security": security_view.layout,
    "traffic": traffic_view.layout,
}
BODIES: dict[str, Bodies] = {
    "overview": overview.bodies,
    "canteen": canteen.bodies,
    "energy": energy.bodies,
    "security": security.bodies,
    "traffic": traffic.bodies,
}
# Which changed-notice groups concern a layout (a push for others is ignored).
GROUPS: dict[str, frozenset[str]] = {
    "overview": frozenset(CHANGED_GROUPS) - {"appointment"},
    "canteen": frozenset({"canteen", "camera", "congestion"}),
    "energy": frozenset({"energy"}),
    "security": frozenset({"gate", "camera", "status"}),
    "traffic": frozenset({"gate", "appointment", "camera"}),
}
WALL_TEMPLATE = "/wall/<name>"


def screen_title(screen: Screen, layout: str, lang: Lang) -> str:
    if screen.id in WALL_LAYOUTS:
        return t(layout, lang)
    return f"{screen.name} · {t(layout, lang)}"


def tile_outputs(
    result: WallContext | LiveUnavailable, layout: str, lang: Lang
) -> list[Any]:
    """Bodies in `ids.SCREEN_TILES[layout]` order (dashes if Redis is down)."""
    tiles = ids.SCREEN_TILES[layout]
    if isinstance(result, LiveUnavailable):
        message = t("live_unavailable", lang)
        return [unavailable_body(tid, message) for tid in tiles]
    bodies = BODIES[layout](result, lang)
    return [bodies[tid] for tid in tiles]


def stage(layout: str, reader: WallReader, lang: Lang) -> Any:
    """A layout filled with current data, so a rotation never shows 'loading'."""
    result = reader.read()
    filled = dict(
        zip(ids.SCREEN_TILES[layout], tile_outputs(result, layout, lang), strict=True)
    )
    return VIEWS[layout](lang, filled)


class WallPages:
    """Builds wall pages for the pages registry (`dashboard.pages`)."""

    def __init__(
        self,
        site: Site,
        registry: ScreenRegistry,
        reader: WallReader,
        poll_ms: int,
        default_lang: Lang = "zh",
    ):
        self.site, self.registry, self.reader = site, registry, reader
        self.poll_ms, self.default_lang = poll_ms, default_lang

    def page(self, name: object = None, lang: object = None, **_ignored: Any) -> Any:
        if name is None:
            # Only Dash calls it without a name: the pages plugin builds the
            # validation layout from every page's layout() (overriding the app's).
            return html.Div(self.validation_layouts())
        language = self.default_lang if lang is None else valid_lang(lang)
        screen = self.registry.resolve(name)
        if screen is None:
            return shell.unknown_screen(str(name or ""), self.known(language), language)
        layout = layout_at(screen, time.time())
        return shell.layout(
            self.site.name,
            screen.id,
            screen_title(screen, layout, language),
            stage(layout, self.reader, language),
            language,
            current=layout,
            timezone=self.site.timezone,
            poll_ms=self.poll_ms,
        )

    def known(self, lang: Lang) -> list[tuple[str, str]]:
        layouts = [(f"/wall/{name}", t(name, lang)) for name in WALL_LAYOUTS]
        screens = [
            (f"/wall/{s.id}", f"{s.id} · {s.name}")
            for s in self.registry.screens().values()
        ]
        return layouts + screens

    def validation_layouts(self) -> list[Any]:
        """The shell and every layout, unfilled (no data is read at start)."""
        frame = shell.layout(self.site.name, "overview", "", VIEWS["overview"]())
        return [frame, *(VIEWS[name]() for name in WALL_LAYOUTS[1:])]


def kiosk_scope(registry: ScreenRegistry) -> KioskScope:
    """What a screen's kiosk may read: the shell, and the layouts the registry says
    the screen shows (looked up at each request: the registry can change)."""

    def screen_layouts(name: str) -> Sequence[str]:
        screen = registry.resolve(name)
        return () if screen is None else screen.layouts

    shell_ids = component_ids(shell.layout("", "", "", html.Div()))
    layout_ids = {name: component_ids(VIEWS[name]()) for name in WALL_LAYOUTS}
    return KioskScope(screen_layouts, shell_ids, layout_ids)


def register(app: Dash, reader: WallReader, registry: ScreenRegistry) -> None:
    for layout in WALL_LAYOUTS:
        _register_layout(app, reader, layout)
    _register_shell(app, reader, registry)
    _register_clock(app)


def _pushed_groups(push: object) -> frozenset[str] | None:
    """The groups a push names, or None when the poll (not a push) fired."""
    if ctx.triggered_id != ids.WALL_PUSH or not isinstance(push, Mapping):
        return None
    groups = push.get("groups")
    return (
        frozenset(g for g in groups if isinstance(g, str))
        if isinstance(groups, list)
        else None
    )


def _register_layout(app: Dash, reader: WallReader, layout: str) -> None:
    outputs = [Output(ids.body_of(tid), "children") for tid in ids.SCREEN_TILES[layout]]

    @app.callback(
        outputs,
        Input(ids.WALL_POLL, "n_intervals"),
        State(ids.WALL_LANG, "data"),
        prevent_initial_call=True,
    )
    def refresh(_n: int | None, lang: object) -> list[Any]:
        """The polling path (the push sends changed tiles itself)."""
        return tile_outputs(reader.read(), layout, valid_lang(lang))

    refresh.__name__ = f"refresh_{layout}"


def _band(reader: WallReader, lang: Lang) -> tuple[list[Any], str, list[Any]]:
    result = reader.read()
    if isinstance(result, LiveUnavailable):
        return [], shell.band_class([]), shell.status(t("live_unavailable", lang))
    tz = ZoneInfo(reader.site.timezone)
    alarms = [
        shell.BandAlarm(a.message, a.place, _hhmm(a.raised_at, tz))
        for a in result.sources.critical_unacknowledged()
    ]
    return shell.band(alarms, lang), shell.band_class(alarms), shell.status(None)


def _hhmm(moment: datetime | None, tz: ZoneInfo) -> str:
    return "--:--" if moment is None else moment.astimezone(tz).strftime("%H:%M")


def _register_shell(app: Dash, reader: WallReader, registry: ScreenRegistry) -> None:
    @app.callback(
        Output(ids.WALL_BAND, "children"),
        Output(ids.WALL_BAND, "className"),
        Output(ids.WALL_STATUS, "children"),
        Output(ids.WALL_LAST_OK, "data"),
        Input(ids.WALL_PUSH, "data"),
        Input(ids.WALL_POLL, "n_intervals"),
        State(ids.WALL_LANG, "data"),
    )
    def refresh_shell(push: object, _n: int | None, lang: object) -> tuple[Any, ...]:
        groups = _pushed_groups(push)
        if groups is not None and "alarm" not in groups and "status" not in groups:
            return no_update, no_update, no_update, int(time.time() * 1000)
        band, classes, status = _band(reader, valid_lang(lang))
        return band, classes, status, int(time.time() * 1000)

    @app.callback(
        Output(ids.WALL_STAGE, "children"),
        Output(ids.WALL_LAYOUT, "data"),
        Output(ids.WALL_SCREEN_NAME, "children"),
        Input(ids.WALL_ROTATE, "n_intervals"),
        State(ids.WALL_SCREEN, "data"),
        State(ids.WALL_LAYOUT, "data"),
        State(ids.WALL_LANG, "data"),
        prevent_initial_call=True,
    )
    def rotate(
        _n: int | None, name: object, current: object, lang: object
    ) -> tuple[Any, ...]:
        screen = registry.resolve(name)
        if screen is None:
            raise PreventUpdate
        layout = layout_at(screen, time.time())
        if layout == current:
            raise PreventUpdate
        language = valid_lang(lang)
        return (
            stage(layout, reader, language),
            layout,
            screen_title(screen, layout, language),
        )


def _register_clock(app: Dash) -> None:
    app.clientside_callback(
        ClientsideFunction(namespace="wall", function_name="tick"),
        Output(ids.WALL_CLOCK, "children"),
        Output(ids.WALL_LINK, "children"),
        Input(ids.WALL_SECOND, "n_intervals"),
        State(ids.WALL_CONFIG, "data"),
        State(ids.WALL_LAST_OK, "data"),
    )


def page_registration(pages: WallPages) -> dict[str, Any]:
    """Keyword arguments of `dash.register_page` for the wall."""
    return {
        "path_template": WALL_TEMPLATE,
        "name": "wall",
        "title": pages.site.name,
        "layout": pages.page,
    }


__all__ = ["WallPages", "dash", "kiosk_scope", "page_registration", "register"]
