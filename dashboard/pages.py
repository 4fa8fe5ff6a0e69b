"""Every page of the web app, registered in one place (`dash.register_page`)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard import duty as duty_console
from dashboard import push, wall
from dashboard.data import LiveReader
from dashboard.history import HistoryReader
from dashboard.wall_setup import Wall
from layouts import home
from layouts.i18n import t, valid_lang
from streams.keys import Keys
from streams.site import Site

OVERVIEW_PATH = "/wall/overview"
DUTY_PATH = "/duty"


def register_pages(
    site: Site, wall_parts: Wall, duty: duty_console.DutyContext | None = None
) -> None:
    """Register every page. Layout functions get path variables and query parameters
    as keyword arguments (client input: validated by each page function)."""

    def home_page(lang: object = None, **_ignored: Any) -> Any:
        language = valid_lang(lang)
        return home.layout(site.name, wall_parts.pages.known(language), language)

    dash.register_page("home", path="/", name="home", title=site.name, layout=home_page)
    dash.register_page("wall", **wall.page_registration(wall_parts.pages))

    def duty_page(lang: object = None, **_ignored: Any) -> Any:
        return duty_console.page_layout(site, duty, valid_lang(lang))

    dash.register_page(
        "duty",
        path=DUTY_PATH,
        name="duty",
        title=f"{site.name} · {t('duty')}",
        layout=duty_page,
    )


def page_layouts() -> list[Any]:
    """Every registered page's default layout (for Dash's callback validation)."""
    return [
        page["layout"]() if callable(page["layout"]) else page["layout"]
        for page in dash.page_registry.values()
    ]


def register_callbacks(
    app: dash.Dash,
    reader: LiveReader,
    history: HistoryReader | None,
    wall_parts: Wall,
    duty: duty_console.DutyContext | None = None,
) -> None:
    """Every screen's `register(app, …)`, in one place."""
    if duty is not None:
        duty_console.register(app, duty)
    wall.register(app, wall_parts.reader, wall_parts.registry)
    if wall_parts.push:
        channel = Keys(reader.site.id).changed_channel
        push.register(app, wall_parts.redis_url, channel, wall_parts.reader)
