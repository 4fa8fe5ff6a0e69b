"""The frame every wall screen shares: header with the compound's name and a clock,
the critical-alarm band, the stage that holds the current layout, and the stores and
intervals the push, the polling fallback and the rotation work through."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dash import dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t

ROTATE_CHECK_MS = 5000


@dataclass(frozen=True, slots=True)
class BandAlarm:
    """A critical alarm as the band shows it (already localized, local time)."""

    title: str
    place: str
    time: str


def layout(
    site_name: str,
    screen: str,
    screen_title: str,
    stage: Component,
    lang: Lang = DEFAULT_LANG,
    *,
    current: str = "",
    timezone: str = "Asia/Shanghai",
    poll_ms: int = 10_000,
) -> html.Div:
    """A wall page; `stage` is the layout shown first (rotation swaps it)."""
    config = {"tz": timezone, "lang": lang, "link_lost_ms": 3 * poll_ms + 5000}
    return html.Div(
        [
            dcc.Store(id=ids.WALL_SCREEN, data=screen),
            dcc.Store(id=ids.WALL_LANG, data=lang),
            dcc.Store(id=ids.WALL_LAYOUT, data=current),
            dcc.Store(id=ids.WALL_CONFIG, data=config),
            dcc.Store(id=ids.WALL_PUSH, data=None),
            dcc.Store(id=ids.WALL_LAST_OK, data=None),
            dcc.Interval(id=ids.WALL_POLL, interval=poll_ms),
            dcc.Interval(id=ids.WALL_SECOND, interval=1000),
            dcc.Interval(id=ids.WALL_ROTATE, interval=ROTATE_CHECK_MS),
            header(site_name, screen_title, lang),
            html.Div(id=ids.WALL_BAND, className="wall-band wall-band--off"),
            html.Div(stage, id=ids.WALL_STAGE, className="wall-stage"),
        ],
        id=ids.WALL_ROOT,
        className="wall",
        lang="en" if lang == "en" else "zh-CN",
    )


def header(site_name: str, screen_title: str, lang: Lang) -> html.Header:
    return html.Header(
        [
            html.H1(
                [
                    html.Span(site_name, className="site-name"),
                    html.Span(
                        screen_title, id=ids.WALL_SCREEN_NAME, className="screen-name"
                    ),
                ],
                id=ids.WALL_TITLE,
            ),
            html.Div(id=ids.WALL_STATUS, className="status"),
            html.Div(id=ids.WALL_LINK, className="status"),
            html.Div(
                [html.Span(className="date"), html.Span("--:--:--", className="time")],
                id=ids.WALL_CLOCK,
                className="clock",
            ),
        ],
        className="wall-header",
    )


def status(message: str | None) -> list[Component]:
    """The banner shown when live data cannot be read; empty when all is well."""
    return [html.Span(message, className="status-alert")] if message else []


def band(alarms: Sequence[BandAlarm], lang: Lang = DEFAULT_LANG) -> list[Component]:
    """The critical band's content: the newest alarm, and how many more."""
    if not alarms:
        return []
    first = alarms[0]
    children: list[Component] = [
        html.Span(t("band_title", lang), className="band-title"),
        html.Span(first.title, className="band-alarm"),
        html.Span(first.place, className="band-place"),
        html.Span(first.time, className="band-time"),
    ]
    if len(alarms) > 1:
        more = t("more_alarms", lang, n=len(alarms) - 1)
        children.append(html.Span(more, className="band-more"))
    return children


def band_class(alarms: Sequence[BandAlarm]) -> str:
    return "wall-band wall-band--on" if alarms else "wall-band wall-band--off"


def unknown_screen(name: str, known: Sequence[tuple[str, str]], lang: Lang) -> html.Div:
    """What /wall/<name> shows for a name neither a layout nor a registered screen."""
    links = [html.Li(dcc.Link(title, href=path)) for path, title in known]
    return html.Div(
        [html.H1(t("unknown_screen", lang, name=name[:64])), html.Ul(links)],
        className="home",
    )
