"""The app factory: one Dash app on the FastAPI backend, every page and callback."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from pathlib import Path
from zoneinfo import ZoneInfo

import dash

from dashboard.admin import page as admin
from dashboard.admin.page import admin_context
from dashboard.api.ops import add_ops_routes
from dashboard.api.v1 import mount_api
from dashboard.auth.setup import build_gate, protect
from dashboard.briefing.page import BriefingContext, briefing_context
from dashboard.data import LiveReader
from dashboard.duty.console import duty_context
from dashboard.duty.context import DutyContext
from dashboard.history import HistoryReader
from dashboard.pages import (
    page_layouts,
    register_callbacks,
    register_pages,
    register_security_page,
)
from dashboard.security.page import register as register_security
from dashboard.security.page import security_context
from dashboard.wall.setup import build_wall
from layouts.i18n import t
from streams.config.settings import Settings
from streams.config.site import Site

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def create_app(
    settings: Settings,
    site: Site,
    reader: LiveReader,
    history: HistoryReader | None = None,
    duty: DutyContext | None = None,
    brief: BriefingContext | None = None,
) -> dash.Dash:
    """Build the app; no data is read until a browser asks for it."""
    duty = duty or duty_context(settings, site)
    brief = brief or briefing_context(settings, site, history)
    app = dash.Dash(
        __name__,
        backend="fastapi",
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title=t("app_title"),
        update_title=None,  # type: ignore[arg-type]  # None turns it off; hint says str
        suppress_callback_exceptions=False,
    )
    wall_parts = build_wall(settings, site, reader, history)
    register_pages(site, wall_parts, duty, brief)
    security = security_context(app, site, history, wall_parts.snapshots)
    register_security_page(site, security)
    admin.register_page(site)
    app.layout = dash.html.Div(dash.page_container, className="app")
    app.validation_layout = dash.html.Div(  # type: ignore[assignment]  # Dash types it by its default, None
        [app.layout, *page_layouts(), *wall_parts.pages.validation_layouts()]
    )
    register_callbacks(app, reader, history, wall_parts, duty, brief)
    register_security(app, security)
    add_ops_routes(app, reader, history)
    mount_api(app.server, reader, settings.url("redis"))
    gate = build_gate(settings, site, app, wall_parts.kiosk_scope)
    tz = ZoneInfo(site.timezone)
    admin.register(app, admin_context(settings, site, gate, wall_parts.registry), tz)
    protect(app, settings, gate)
    _finish_setup(app)
    return app


def _finish_setup(app: dash.Dash) -> None:
    """Run Dash's first-request hooks now, before any request.

    Dash 4.4.1's FastAPI backend runs them only for paths under the Dash prefix
    (``/`` and ``/_dash-*``), so a kiosk whose first request is ``/wall/overview``
    got an index without the assets (no wall.css), without the validation layout
    ("ID not found in layout") and without the pages plugin's inline clientside
    callback (a TypeError in dash-renderer). The hooks are idempotent (Dash guards
    each with ``_got_first_request``). Private API: re-check on every Dash upgrade.
    """
    for hook in list(getattr(app.backend, "_before_request_funcs", [])):
        result = hook()
        if inspect.isawaitable(result):
            asyncio.run(_awaited(result))


async def _awaited(awaitable: Awaitable[object]) -> None:
    await awaitable
