"""The home page: links to every wall screen."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t


def layout(
    site_name: str, screens: Sequence[tuple[str, str]], lang: Lang = DEFAULT_LANG
) -> html.Div:
    """`screens`: (path, title) of every registered screen."""
    links = [html.Li(dcc.Link(title, href=path)) for path, title in screens]
    return html.Div(
        [
            html.H1(f"{site_name} · {t('app_title', lang)}"),
            html.H2(t("screens", lang)),
            html.Ul(links, id=ids.HOME_LINKS),
        ],
        className="home",
    )
