"""Callbacks of the duty console (/duty), registered one concern at a time. The
functions the callbacks call are plain and take a `DutyContext`; tests call them
directly (the operator actions are in `dashboard.duty.actions`).

The operator and role come from the signed-in session (`as_signed_in`: the
principal the auth middleware authenticated, #8); nothing the browser sends can
choose a role. Every action is also written to the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
import redis
from dash import Dash, Input, NoUpdate, Output, State, ctx, html, no_update
from dash.development.base_component import Component

from dashboard.auth.audit import AuditLog
from dashboard.auth.principal import current_principal
from dashboard.duty import views
from dashboard.duty.actions import BUTTONS, act, button_args, targets
from dashboard.duty.context import DutyContext, as_signed_in
from dashboard.duty.handover import handover_action
from layouts import duty as view
from layouts import ids
from layouts.i18n import Lang, t, valid_lang
from streams.alarms import build_alarm_engine
from streams.alarms.actions import AlarmError
from streams.alarms.mirror import AlarmMirror
from streams.alarms.state import Alarm
from streams.config.settings import Settings
from streams.config.site import Site

logger = logging.getLogger(__name__)


def load_alarms(duty: DutyContext) -> list[Alarm] | None:
    """Open alarms from the Redis mirror; None when Redis is unreachable."""
    try:
        return duty.mirror.read_open()
    except redis.RedisError as exc:
        logger.warning("alarm mirror unavailable: %s", type(exc).__name__)
        return None


def refresh(duty: DutyContext, view_name: str, lang: Lang) -> list[Any]:
    """Table rows, list options with counts, unacknowledged ids, clock line."""
    now = duty.clock()
    local = now.astimezone(duty.tz).strftime("%H:%M:%S")
    alarms = load_alarms(duty)
    if alarms is None:
        return [
            [],
            view.views({}, lang),
            no_update,
            f"{local} {t('alarms_unavailable', lang)}",
        ]
    rows = views.table_rows(alarms, view_name, now, duty.tz, lang)
    flood = any(a.is_summary and a.condition for a in alarms)
    clock = f"{local}" + (f" · {t('flood_banner', lang)}" if flood else "")
    return [rows, view.views(views.counts(alarms), lang), views.unacked(alarms), clock]


def kept_cell(cell: Mapping[str, Any] | None, rows: Any) -> Any:
    """The focused cell, dropped when its alarm left the list: otherwise the table
    would keep a stale row id and a click on the row now in its place would act on
    the alarm that left."""
    if not cell or not isinstance(rows, list):
        return no_update
    if any(row.get("id") == cell.get("row_id") for row in rows):
        return no_update
    return None


def detail(
    duty: DutyContext, alarm_id: str | None, lang: Lang
) -> Sequence[Component | str]:
    if not alarm_id or duty.engine is None:
        return []
    try:
        return views.alarm_detail(duty.engine, alarm_id, duty.tz, lang, duty.role)
    except psycopg.Error as exc:
        logger.warning("alarm detail unavailable: %s", type(exc).__name__)
        return [t("alarms_unavailable", lang)]


def metrics(duty: DutyContext, lang: Lang, period: object = "day") -> Component | str:
    """The metrics panel; `period` comes from the browser: anything but a known
    period reads as today."""
    if duty.engine is None:
        return t("alarms_unavailable", lang)
    chosen = period if period in views.METRICS_PERIODS else "day"
    try:
        return views.metrics_panel(
            duty.engine,
            duty.clock(),
            duty.tz,
            lang,
            chosen,
        )
    except psycopg.Error as exc:
        logger.warning("alarm metrics unavailable: %s", type(exc).__name__)
        return t("alarms_unavailable", lang)


def handover(
    duty: DutyContext, trigger: str | None, note: str | None, lang: Lang
) -> Sequence[Component | str]:
    """Hand over (outgoing) or take over (incoming), then the latest handovers."""
    if duty.engine is None:
        return [t("alarms_unavailable", lang)]
    message = ""
    try:
        message = handover_action(duty, trigger, note or "", lang)
        lines = views.handover_lines(duty.engine, duty.tz, lang)
    except AlarmError as exc:
        return [t("refused", lang, reason=str(exc))]
    except psycopg.Error:
        return [t("alarms_unavailable", lang)]
    return (
        [html.Li(message, className="duty-handover-message")] if message else []
    ) + (view.handover_items(lines))


def register(app: Dash, duty: DutyContext) -> None:
    """Bind the duty console's callbacks to `app`, one concern at a time."""
    _register_list(app, duty)
    _register_actions(app, duty)
    _register_detail(app, duty)
    _register_metrics(app, duty)
    _register_handover(app, duty)
    _register_browser(app)


def _register_list(app: Dash, duty: DutyContext) -> None:
    """The alarm list, its view options and counts, the unacknowledged ids, the
    clock; the focused cell is dropped when its alarm left the list."""

    @app.callback(
        Output(ids.DUTY_TABLE, "data"),
        Output(ids.DUTY_VIEW, "options"),
        Output(ids.DUTY_UNACKED, "data"),
        Output(ids.DUTY_CLOCK, "children"),
        Output(ids.DUTY_TABLE, "active_cell"),
        Input(ids.DUTY_TICK, "n_intervals"),
        Input(ids.DUTY_VIEW, "value"),
        Input(ids.DUTY_REFRESH, "data"),
        State(ids.DUTY_TABLE, "active_cell"),
        State(ids.DUTY_LANG, "data"),
    )
    def on_refresh(
        _n: int | None, view_name: str, _r: int, cell: Any, lang: object
    ) -> list[Any]:
        outputs = refresh(duty, str(view_name or "active"), valid_lang(lang))
        return [*outputs, kept_cell(cell, outputs[0])]


def _register_actions(app: Dash, duty: DutyContext) -> None:
    """The action buttons: apply the pressed one, show its status line, and bump
    the refresh counter so the list re-reads."""

    @app.callback(
        Output(ids.DUTY_MESSAGE, "children"),
        Output(ids.DUTY_REFRESH, "data"),
        *(Input(button, "n_clicks") for button in BUTTONS),
        State(ids.DUTY_TABLE, "selected_row_ids"),
        State(ids.DUTY_TABLE, "active_cell"),
        State(ids.DUTY_SHELVE_MINUTES, "value"),
        State(ids.DUTY_REASON, "value"),
        State(ids.DUTY_ASSIGNEE, "value"),
        State(ids.DUTY_COMMENT_TEXT, "value"),
        State(ids.DUTY_REFRESH, "data"),
        State(ids.DUTY_LANG, "data"),
        prevent_initial_call=True,
    )
    def on_action(*values: Any) -> tuple[str | NoUpdate, int | NoUpdate]:
        selected, cell, minutes, reason, assignee, comment, count, lang = values[-8:]
        action = BUTTONS.get(str(ctx.triggered_id))
        if action is None:
            return no_update, no_update
        args = button_args(action, minutes, reason, assignee, comment)
        chosen = targets(selected, cell)
        message = act(as_signed_in(duty), action, chosen, args, valid_lang(lang))
        return message, int(count or 0) + 1


def _register_detail(app: Dash, duty: DutyContext) -> None:
    """The detail panel of the focused (or last ticked) alarm."""

    @app.callback(
        Output(ids.DUTY_DETAIL, "children"),
        Input(ids.DUTY_TABLE, "active_cell"),
        Input(ids.DUTY_TABLE, "selected_row_ids"),
        Input(ids.DUTY_REFRESH, "data"),
        State(ids.DUTY_LANG, "data"),
    )
    def on_detail(
        cell: Any, selected: Any, _r: int, lang: object
    ) -> Sequence[Component | str]:
        chosen = targets(selected, cell)
        alarm_id = chosen[-1] if chosen else None
        return detail(as_signed_in(duty), alarm_id, valid_lang(lang))


def _register_metrics(app: Dash, duty: DutyContext) -> None:
    """The ISA-18.2 metrics panel, on the slow tick and after every action."""

    @app.callback(
        Output(ids.DUTY_METRICS, "children"),
        Input(ids.DUTY_SLOW_TICK, "n_intervals"),
        Input(ids.DUTY_REFRESH, "data"),
        Input(ids.DUTY_METRICS_PERIOD, "value"),
        State(ids.DUTY_LANG, "data"),
    )
    def on_metrics(
        _n: int | None, _r: int, period: object, lang: object
    ) -> Component | str:
        return metrics(duty, valid_lang(lang), period)


def _register_handover(app: Dash, duty: DutyContext) -> None:
    """The shift handover: hand over, take over, and the latest handovers."""

    @app.callback(
        Output(ids.DUTY_HANDOVERS, "children"),
        Input(ids.DUTY_HANDOVER_SUBMIT, "n_clicks"),
        Input(ids.DUTY_HANDOVER_ACCEPT, "n_clicks"),
        Input(ids.DUTY_SLOW_TICK, "n_intervals"),
        State(ids.DUTY_HANDOVER_NOTE, "value"),
        State(ids.DUTY_LANG, "data"),
    )
    def on_handover(
        _s: Any, _a: Any, _n: Any, note: Any, lang: object
    ) -> Sequence[Component | str]:
        trigger = str(ctx.triggered_id) if ctx.triggered_id else None
        return handover(as_signed_in(duty), trigger, note, valid_lang(lang))


def _register_browser(app: Dash) -> None:
    """What runs in the browser: sound and notification on new unacknowledged
    alarms, and the keyboard shortcuts."""
    app.clientside_callback(
        views.ALERT_JS,
        Output(ids.DUTY_ALERTED, "data"),
        Input(ids.DUTY_UNACKED, "data"),
        State(ids.DUTY_ALERTED, "data"),
    )
    app.clientside_callback(
        views.KEYS_JS, Output(ids.DUTY_KEYS, "data"), Input(ids.DUTY_LANG, "data")
    )


def duty_context(settings: Settings, site: Site) -> DutyContext | None:
    """The console's context from settings (None without database or Redis URLs).
    It acts as nobody ("kiosk": no rights) until a callback binds the signed-in
    user (`as_signed_in`)."""
    if not (settings.url("database") and settings.url("redis")):
        return None
    client = redis.Redis.from_url(
        settings.url("redis"), socket_connect_timeout=1.0, socket_timeout=2.0
    )
    engine = build_alarm_engine(
        settings, site, settings.url("database"), client, notify=False
    )
    return DutyContext(
        site=site,
        engine=engine,
        mirror=AlarmMirror(client, site.id),
        operator="—",
        role="kiosk",
        shelve_max_min=settings.alarm_shelve_max_min,
        audit=AuditLog(settings.url("database")).append,
    )


def page_layout(site: Site, duty: DutyContext | None, lang: Lang) -> Any:
    who = current_principal()
    operator = (who.display or who.name) if who else "—"
    role = t(f"role_{who.role}", lang) if who else "—"
    shelve_max = duty.shelve_max_min if duty else 480
    return view.layout(site.name, lang, operator, role, shelve_max)
