"""Callbacks of the security page (/security). The functions the callbacks call are
plain and take a `SecurityContext`; tests call them directly.

Every input from the browser is checked on the server: the language against the
known languages, a clicked camera against the site file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dash import ALL, Dash, Input, Output, State, ctx, html
from dash.development.base_component import Component

from dashboard.data import utc_now
from dashboard.history import HistoryReader
from dashboard.security.snapshots import SnapshotIndex, add_snapshot_routes
from layouts import ids
from layouts.i18n import Lang, format_age, t, valid_lang
from layouts.security import page as view
from layouts.wall.security import ALERT_KINDS, kind_label
from streams.config.site import Site
from streams.history.camera_reads import (
    AlarmRow,
    CameraEventRow,
    camera_event_timeline,
    gate_anomalies,
)
from streams.history.screen_reads import gate_flow_by_device
from streams.snapshots.names import snapshot_route

SECURITY_PATH = "/security"
DAY = timedelta(hours=24)
STALE_FACTOR = 3


@dataclass(frozen=True, slots=True)
class SecurityContext:
    site: Site
    history: HistoryReader | None
    index: SnapshotIndex
    clock: Callable[[], datetime] = utc_now

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)

    def query(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        return None if self.history is None else self.history.run_query(fn, **kwargs)


def camera_tiles(sec: SecurityContext, lang: Lang) -> list[view.CameraTile]:
    now = sec.clock()
    latest = sec.index.latest() or {}
    alerts = _recent_alerts(sec, now)
    tiles = []
    for camera in sec.site.cameras:
        info = latest.get(camera.id)
        url, age, stale = None, t("sec_no_snapshot", lang), True
        if info is not None:
            url = SnapshotIndex.url(info)
            stamp = info.ts.astimezone(sec.tz).strftime("%H:%M")
            limit = STALE_FACTOR * camera.snapshot_s
            age, stale = format_age((now - info.ts).total_seconds(), limit, stamp, lang)
        found = alerts.get(camera.id, {})
        note = " · ".join(f"{kind_label(k, lang)} {n}" for k, n in found.items())
        tiles.append(
            view.CameraTile(
                camera.id, camera.name, url, age, stale, note, alert=bool(found)
            )
        )
    return tiles


def _recent_alerts(sec: SecurityContext, now: datetime) -> dict[str, dict[str, int]]:
    """camera → alert kind → events in the last hour."""
    rows = sec.query(
        camera_event_timeline, start=now - timedelta(hours=1), end=now, limit=500
    )
    found: dict[str, dict[str, int]] = {}
    for row in rows or []:
        if row.kind in ALERT_KINDS and row.count > 0:
            kinds = found.setdefault(row.camera, {})
            kinds[row.kind] = kinds.get(row.kind, 0) + 1
    return found


def event_lines(
    sec: SecurityContext, rows: Sequence[CameraEventRow]
) -> list[view.EventLine]:
    names = {c.id: c.name for c in sec.site.cameras}
    zones = {z.id: z.name for c in sec.site.cameras for z in c.zones}
    lines = []
    for row in rows:
        url = snapshot_route(row.camera, row.snapshot)  # never the stored text
        lines.append(
            view.EventLine(
                row.ts.astimezone(sec.tz).strftime("%m-%d %H:%M:%S"),
                names.get(row.camera, row.camera),
                zones.get(row.zone or "", row.zone or ""),
                row.kind,
                row.count,
                row.direction,
                url,
            )
        )
    return lines


def timeline(sec: SecurityContext, lang: Lang) -> Component:
    now = sec.clock()
    rows = sec.query(camera_event_timeline, start=now - DAY, end=now, limit=40)
    if rows is None:
        return view.unavailable(lang)
    return view.event_table(event_lines(sec, rows), lang)


def history(sec: SecurityContext, camera: object, lang: Lang) -> list[Component]:
    """The clicked camera's events of the last 24 hours (camera id validated)."""
    if not isinstance(camera, str) or camera not in sec.site.cameras_by_id:
        return [html.P(t("sec_pick_camera", lang), className="security-muted")]
    now = sec.clock()
    rows = sec.query(
        camera_event_timeline, start=now - DAY, end=now, cameras=[camera], limit=50
    )
    name = sec.site.cameras_by_id[camera].name
    if rows is None:
        return [html.H3(name), view.unavailable(lang)]
    return view.history(name, event_lines(sec, rows), lang)


def gate_alarms(sec: SecurityContext, lang: Lang) -> Component:
    rows: list[AlarmRow] | None = sec.query(gate_anomalies, start=sec.clock() - DAY)
    if rows is None:
        return view.unavailable(lang)
    lines = [
        view.AlarmLine(
            r.raised_at.astimezone(sec.tz).strftime("%m-%d %H:%M"),
            r.kind,
            r.message,
            r.severity,
            _state(r, lang),
        )
        for r in rows
    ]
    return view.alarm_table(lines, lang)


def _state(row: AlarmRow, lang: Lang) -> str:
    state = t("sec_active", lang) if row.active else t("sec_cleared", lang)
    return f"{state} · {t('sec_acked', lang)}" if row.acknowledged else state


def gate_flow(sec: SecurityContext, lang: Lang) -> Component:
    end = sec.clock().replace(second=0, microsecond=0) + timedelta(minutes=1)
    flow: Mapping[str, tuple[int, int, int]] | None = sec.query(
        gate_flow_by_device, start=end - timedelta(hours=1), end=end
    )
    if flow is None:
        return view.flow_table(None, lang)
    rows = [(g.name, *flow.get(g.id, (0, 0, 0))) for g in sec.site.gates]
    return view.flow_table(rows, lang)


def clicked_camera(sec: SecurityContext, triggered: object, current: object) -> Any:
    """The camera a tile click names, if it is one of ours; else keep `current`."""
    if isinstance(triggered, Mapping):
        camera = triggered.get("camera")
        if isinstance(camera, str) and camera in sec.site.cameras_by_id:
            return camera
    return current if isinstance(current, str) else None


def register(app: Dash, sec: SecurityContext) -> None:
    @app.callback(
        Output(ids.SECURITY_PAGE_TILES, "children"),
        Output(ids.SECURITY_PAGE_TIMELINE, "children"),
        Output(ids.SECURITY_PAGE_GATE_ALARMS, "children"),
        Output(ids.SECURITY_PAGE_GATE_FLOW, "children"),
        Output(ids.SECURITY_PAGE_CLOCK, "children"),
        Input(ids.SECURITY_PAGE_TICK, "n_intervals"),
        State(ids.SECURITY_PAGE_LANG, "data"),
    )
    def on_tick(_n: int | None, lang: object) -> tuple[Any, ...]:
        language = valid_lang(lang)
        clock = sec.clock().astimezone(sec.tz).strftime("%Y-%m-%d %H:%M:%S")
        return (
            view.tile_grid(camera_tiles(sec, language), language),
            timeline(sec, language),
            gate_alarms(sec, language),
            gate_flow(sec, language),
            clock,
        )

    @app.callback(
        Output(ids.SECURITY_PAGE_SELECTED, "data"),
        Input({"type": ids.SECURITY_PAGE_TILE, "camera": ALL}, "n_clicks"),
        State(ids.SECURITY_PAGE_SELECTED, "data"),
        prevent_initial_call=True,
    )
    def on_click(clicks: list[int | None], current: object) -> Any:
        if not any(clicks or []):
            return current if isinstance(current, str) else None
        return clicked_camera(sec, ctx.triggered_id, current)

    @app.callback(
        Output(ids.SECURITY_PAGE_HISTORY, "children"),
        Input(ids.SECURITY_PAGE_SELECTED, "data"),
        Input(ids.SECURITY_PAGE_TICK, "n_intervals"),
        State(ids.SECURITY_PAGE_LANG, "data"),
    )
    def on_history(camera: object, _n: int | None, lang: object) -> list[Component]:
        return history(sec, camera, valid_lang(lang))


def page_layout(sec: SecurityContext, lang: Lang) -> Any:
    """Tiles are drawn at once (snapshot index cached); the rest on the first tick."""
    return view.page(sec.site.name, camera_tiles(sec, lang), lang)


def security_context(
    app: Dash, site: Site, history: HistoryReader | None, index: SnapshotIndex
) -> SecurityContext:
    """The page's context; also serves /snapshots from the index the wall's security
    screen shares."""
    add_snapshot_routes(app, index)
    return SecurityContext(site, history, index)
