"""Small builders for wall tiles: label, big numeral, unit, breakdown and data age."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dash import html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, format_age, t
from layouts.wall.catalog import WallLayout

DASH = "—"


@dataclass(frozen=True, slots=True)
class Freshness:
    """How old a tile's data is, and when it counts as stale."""

    age_s: float | None  # None: never heard from
    stale_after_s: float
    last_time: str | None = None  # local HH:MM of the latest data, shown when stale
    quiet_key: str | None = None  # silence is expected now (e.g. "out_of_meal")


def age_text(fresh: Freshness, lang: Lang = DEFAULT_LANG) -> tuple[str, bool]:
    """The data-age line and whether it is stale; an expected silence is not."""
    late = fresh.age_s is None or fresh.age_s > fresh.stale_after_s
    if fresh.quiet_key and late:
        suffix = f" · {fresh.last_time}" if fresh.last_time else ""
        return t(fresh.quiet_key, lang) + suffix, False
    return format_age(fresh.age_s, fresh.stale_after_s, fresh.last_time, lang)


@dataclass(frozen=True, slots=True)
class Part:
    """One line of a tile's breakdown (e.g. 访客 12)."""

    label: str
    value: str
    alert: bool = False


def format_number(value: float | None, decimals: int = 0) -> str:
    """Thousands separators, fixed decimals; a dash when there is no value."""
    if value is None:
        return DASH
    return f"{value:,.{decimals}f}"


def format_power(kw: float | None) -> str:
    """kW with one decimal below 100 kW, none above (a wall shows few digits)."""
    if kw is None:
        return DASH
    return format_number(kw, 1 if abs(kw) < 100 else 0)


def tile(
    tile_id: str, label: str, body: Sequence[Component] = (), wide: bool = False
) -> html.Section:
    """The static frame of a tile; the live callback refreshes its body."""
    classes = "tile tile--wide" if wide else "tile"
    return html.Section(
        className=classes,
        id=tile_id,
        children=[
            html.H2(label, className="tile-label"),
            html.Div(list(body), id=ids.body_of(tile_id), className="tile-body"),
        ],
    )


def age_line(tile_id: str, freshness: Freshness, lang: Lang = DEFAULT_LANG) -> html.Div:
    text, stale = age_text(freshness, lang)
    classes = "tile-age tile-age--stale" if stale else "tile-age"
    return html.Div(text, id=ids.age_of(tile_id), className=classes)


def breakdown(parts: Sequence[Part], columns: int = 1) -> html.Div:
    rows = [
        html.Div(
            [html.Span(p.label, className="part-label"), html.Span(p.value)],
            className="part part--alert" if p.alert else "part",
        )
        for p in parts
    ]
    return html.Div(rows, className=f"tile-parts tile-parts--cols{columns}")


def kpi_body(
    tile_id: str,
    value: str,
    unit: str,
    freshness: Freshness,
    lang: Lang = DEFAULT_LANG,
    parts: Sequence[Part] = (),
    columns: int = 1,
) -> list[Component]:
    """Big numeral with its unit, an optional breakdown, then the data-age line."""
    _, stale = age_text(freshness, lang)
    numeral_class = "tile-value tile-value--stale" if stale else "tile-value"
    children: list[Component] = [
        html.Div(
            [
                html.Span(value, id=ids.value_of(tile_id), className="numeral"),
                html.Span(unit, className="unit"),
            ],
            className=numeral_class,
        )
    ]
    if parts:
        children.append(breakdown(parts, columns))
    children.append(age_line(tile_id, freshness, lang))
    return children


def unavailable_body(tile_id: str, message: str) -> list[Component]:
    """What a tile shows when its source cannot be read."""
    return [
        html.Div(
            html.Span(DASH, id=ids.value_of(tile_id), className="numeral"),
            className="tile-value tile-value--stale",
        ),
        html.Div(message, id=ids.age_of(tile_id), className="tile-age tile-age--stale"),
    ]


def placeholder(message_key: str, lang: Lang = DEFAULT_LANG) -> html.Div:
    return html.Div(t(message_key, lang), className="placeholder")


def grid(
    layout: WallLayout,
    lang: Lang = DEFAULT_LANG,
    bodies: Mapping[str, Sequence[Component]] | None = None,
) -> html.Main:
    """A layout's page: its tiles in its CSS grid; `bodies` pre-fills them (else
    'loading')."""
    loading = [placeholder("loading", lang)]
    tiles = []
    for spec in layout.tiles:
        body = bodies.get(spec.id, loading) if bodies else loading
        section = tile(spec.id, t(spec.label, lang), body)
        if spec.span:
            # Dash props are attributes; the class declares them only in __init__.
            section.className = f"tile tile--{spec.span}"  # type: ignore[attr-defined]
        tiles.append(section)
    return html.Main(tiles, className=f"wall-grid wall-grid--{layout.name}")


def note(text: str, alert: bool = False) -> html.Div:
    """A line of context under a numeral (e.g. the baseline it is compared with)."""
    return html.Div(
        text, className="tile-note tile-note--alert" if alert else "tile-note"
    )


def pending_body(tile_id: str, message: str) -> list[Component]:
    """A tile whose feed is not connected yet: says so, shows no number."""
    return [
        html.Div(
            html.Span(DASH, id=ids.value_of(tile_id), className="numeral"),
            className="tile-value tile-value--stale",
        ),
        html.Div(message, className="placeholder placeholder--small"),
    ]
