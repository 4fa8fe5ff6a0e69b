"""The security page (/security): camera tiles with their latest annotated snapshot
and its age, the zone-event timeline, gate anomalies, flow per gate, and the event
history of the camera an operator clicks. Pure: data in, components out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dash import dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t
from layouts.wall.security import kind_label
from layouts.wall.tiles import format_number

REFRESH_MS = 10_000


@dataclass(frozen=True, slots=True)
class CameraTile:
    camera: str
    name: str
    image_url: str | None  # None: no snapshot yet
    age: str
    stale: bool
    note: str = ""  # e.g. "区域入侵 2" from the last hour
    alert: bool = False


@dataclass(frozen=True, slots=True)
class EventLine:
    time: str  # local HH:MM:SS (or MM-DD HH:MM)
    camera: str
    zone: str
    kind: str
    count: int
    direction: str | None
    snapshot_url: str | None


@dataclass(frozen=True, slots=True)
class AlarmLine:
    time: str
    kind: str
    message: str
    severity: str
    state: str  # already translated


def page(site_name: str, tiles: Sequence[CameraTile], lang: Lang) -> html.Div:
    return html.Div(
        id=ids.SECURITY_PAGE_ROOT,
        className="security-page",
        lang="zh-CN" if lang == "zh" else "en",
        children=[
            dcc.Store(id=ids.SECURITY_PAGE_LANG, data=lang),
            dcc.Store(id=ids.SECURITY_PAGE_SELECTED, data=None),
            dcc.Interval(id=ids.SECURITY_PAGE_TICK, interval=REFRESH_MS),
            html.Header(
                className="security-head",
                children=[
                    html.H1(f"{site_name} · {t('security_page', lang)}"),
                    html.Span(id=ids.SECURITY_PAGE_CLOCK, className="security-clock"),
                ],
            ),
            _panel(
                t("sec_cameras", lang),
                html.Div(tile_grid(tiles, lang), id=ids.SECURITY_PAGE_TILES),
                "security-panel security-panel--cameras",
            ),
            html.Div(
                className="security-columns",
                children=[
                    _panel(
                        t("sec_history", lang),
                        _history_hint(lang),
                        "security-panel",
                        ids.SECURITY_PAGE_HISTORY,
                    ),
                    _panel(
                        t("sec_timeline", lang),
                        [],
                        "security-panel",
                        ids.SECURITY_PAGE_TIMELINE,
                    ),
                    _panel(
                        t("sec_gate_alarms", lang),
                        [],
                        "security-panel",
                        ids.SECURITY_PAGE_GATE_ALARMS,
                    ),
                    _panel(
                        t("sec_gate_flow", lang),
                        [],
                        "security-panel",
                        ids.SECURITY_PAGE_GATE_FLOW,
                    ),
                ],
            ),
        ],
    )


def _panel(
    title: str,
    body: Component | Sequence[Component],
    classes: str,
    body_id: str | None = None,
) -> html.Section:
    content = body if isinstance(body, Component) else list(body)
    inner = html.Div(content, id=body_id) if body_id else html.Div(content)
    return html.Section(className=classes, children=[html.H2(title), inner])


def _history_hint(lang: Lang) -> list[Component]:
    return [html.P(t("sec_pick_camera", lang), className="security-muted")]


def tile_grid(tiles: Sequence[CameraTile], lang: Lang = DEFAULT_LANG) -> html.Div:
    return html.Div([camera_tile(x, lang) for x in tiles], className="camera-grid")


def camera_tile(tile: CameraTile, lang: Lang = DEFAULT_LANG) -> html.Div:
    if tile.image_url:
        picture: Component = html.Img(
            src=tile.image_url, alt=tile.name, className="camera-img"
        )
    else:
        picture = html.Div(t("sec_no_snapshot", lang), className="camera-img--none")
    classes = "camera-tile" + (" camera-tile--alert" if tile.alert else "")
    return html.Div(
        id={"type": ids.SECURITY_PAGE_TILE, "camera": tile.camera},
        className=classes,
        n_clicks=0,
        role="button",
        tabIndex="0",
        title=tile.camera,
        children=[
            picture,
            html.Div(tile.name, className="camera-name"),
            html.Div(
                tile.age,
                className="camera-age camera-age--stale"
                if tile.stale
                else "camera-age",
            ),
            html.Div(tile.note, className="camera-note") if tile.note else None,
        ],
    )


def event_table(lines: Sequence[EventLine], lang: Lang = DEFAULT_LANG) -> Component:
    if not lines:
        return html.P(t("sec_no_events", lang), className="security-muted")
    header = [
        t("sec_time", lang),
        t("sec_camera", lang),
        t("sec_zone", lang),
        t("sec_event", lang),
        t("sec_count", lang),
        t("sec_snapshot", lang),
    ]
    rows = [
        [
            x.time,
            x.camera,
            x.zone,
            _kind(x, lang),
            format_number(x.count),
            html.A(t("sec_view", lang), href=x.snapshot_url, target="_blank")
            if x.snapshot_url
            else "",
        ]
        for x in lines
    ]
    return table(header, rows)


def _kind(line: EventLine, lang: Lang) -> str:
    label = kind_label(line.kind, lang)
    if line.direction:
        label += f" ({t(line.direction, lang)})"
    return label


def history(
    camera_name: str, lines: Sequence[EventLine], lang: Lang = DEFAULT_LANG
) -> list[Component]:
    return [html.H3(camera_name), event_table(lines, lang)]


def alarm_table(lines: Sequence[AlarmLine], lang: Lang = DEFAULT_LANG) -> Component:
    if not lines:
        return html.P(t("sec_no_events", lang), className="security-muted")
    header = [t("sec_time", lang), t("sec_alarm", lang), t("sec_state", lang)]
    rows: list[list[str | Component]] = [
        [x.time, html.Span(x.message, className=f"sev sev--{x.severity}"), x.state]
        for x in lines
    ]
    return table(header, rows)


def flow_table(
    rows: Sequence[tuple[str, int, int, int]] | None, lang: Lang = DEFAULT_LANG
) -> Component:
    if rows is None:
        return html.P(t("sec_history_down", lang), className="security-muted")
    header = ["", t("in", lang), t("out", lang), t("denied", lang)]
    cells: list[list[str | Component]] = [
        [n, format_number(i), format_number(o), format_number(d)] for n, i, o, d in rows
    ]
    return table(header, cells)


def table(
    header: Sequence[str], rows: Sequence[Sequence[str | Component]]
) -> html.Table:
    head = html.Thead(html.Tr([html.Th(h) for h in header]))
    body = html.Tbody([html.Tr([html.Td(cell) for cell in row]) for row in rows])
    return html.Table([head, body], className="security-table")


def unavailable(lang: Lang = DEFAULT_LANG) -> Component:
    return html.P(t("sec_history_down", lang), className="security-muted")
