"""Every page of the web app, registered in one place (`dash.register_page`)."""

from __future__ import annotations

from typing import Any

import dash

from dashboard.admin.page import user_bar
from dashboard.briefing import page as briefing
from dashboard.data import LiveReader
from dashboard.duty import console as duty_console
from dashboard.duty.context import DutyContext
from dashboard.history import HistoryReader
from dashboard.security.page import SECURITY_PATH, SecurityContext, page_layout
from dashboard.wall import page as wall
from dashboard.wall import push
from dashboard.wall.setup import Wall
from layouts import home
from layouts.i18n import t, valid_lang
from streams.config.site import Site
from streams.live.keys import Keys

DUTY_PATH = "/duty"


def register_pages(
    site: Site,
    wall_parts: Wall,
    duty: DutyContext | None = None,
    brief: briefing.BriefingContext | None = None,
) -> None:
    """Register every page. Layout functions get path variables and query parameters
    as keyword arguments (client input: validated by each page function)."""

    def home_page(lang: object = None, **_ignored: Any) -> Any:
        language = valid_lang(lang)
        screens = home.layout(site.name, wall_parts.pages.known(language), language)
        return dash.html.Div([user_bar(language), screens])

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
    if brief is not None:
        _register_briefing(site, brief)


def _register_briefing(site: Site, brief: briefing.BriefingContext) -> None:
    def briefing_page(
        lang: object = None, kind: object = None, date: object = None, **_: Any
    ) -> Any:
        return briefing.page_layout(brief, valid_lang(lang), kind, date)

    dash.register_page(
        "briefing",
        path=briefing.BRIEFING_PATH,
        name="briefing",
        title=f"{site.name} · {t('briefing')}",
        layout=briefing_page,
    )


def register_security_page(site: Site, security: SecurityContext) -> None:
    """/security (#6): camera tiles, zone events, gate anomalies and flow."""

    def page(lang: object = None, **_ignored: Any) -> Any:
        return page_layout(security, valid_lang(lang))

    dash.register_page(
        "security",
        path=SECURITY_PATH,
        name="security",
        title=f"{site.name} · {t('security_page')}",
        layout=page,
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
    duty: DutyContext | None = None,
    brief: briefing.BriefingContext | None = None,
) -> None:
    """Every screen's `register(app, …)`, in one place."""
    if duty is not None:
        duty_console.register(app, duty)
    if brief is not None:
        briefing.register(app, brief)
    wall.register(app, wall_parts.reader, wall_parts.registry)
    if wall_parts.push:
        channel = Keys(reader.site.id).changed_channel
        scope = wall_parts.kiosk_scope
        push.register(app, wall_parts.redis_url, channel, wall_parts.reader, scope)
