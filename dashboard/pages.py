"""Every page of the web app, registered in one place (`dash.register_page`)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard import overview
from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from layouts import home
from layouts import overview as overview_layout
from layouts.i18n import t, valid_lang
from streams.site import Site

OVERVIEW_PATH = "/wall/overview"
SCREENS: tuple[tuple[str, str], ...] = ((OVERVIEW_PATH, "overview"),)


def register_pages(site: Site) -> None:
    """Register every page. Layout functions get query parameters as keyword arguments
    (client input: only ``lang`` is used, and only if it is a language we serve)."""

    def overview_page(lang: object = None, **_ignored: Any) -> Any:
        return overview_layout.layout(site.name, valid_lang(lang))

    def home_page(lang: object = None, **_ignored: Any) -> Any:
        language = valid_lang(lang)
        screens = [(path, t(key, language)) for path, key in SCREENS]
        return home.layout(site.name, screens, language)

    dash.register_page("home", path="/", name="home", title=site.name, layout=home_page)
    dash.register_page(
        "wall.overview",
        path=OVERVIEW_PATH,
        name="overview",
        title=f"{site.name} · {t('overview')}",
        layout=overview_page,
    )


def page_layouts() -> list[Any]:
    """Every registered page's default layout (for Dash's callback validation)."""
    return [
        page["layout"]() if callable(page["layout"]) else page["layout"]
        for page in dash.page_registry.values()
    ]


def register_callbacks(
    app: dash.Dash, reader: LiveReader, history: HistoryReader | None
) -> None:
    """Every screen's `register(app, …)`, in one place."""
    overview.register(app, reader, history)
