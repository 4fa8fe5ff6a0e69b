"""Callbacks of the duty console (/duty). The functions the callbacks call are plain
and take a `DutyContext`; tests call them directly.

The operator and role come from the signed-in session (`as_signed_in`: the
principal the auth middleware authenticated, #8); nothing the browser sends can
choose a role. Every action is also written to the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import psycopg
import redis
from dash import Dash, Input, NoUpdate, Output, State, ctx, no_update
from dash.development.base_component import Component

from dashboard.auth.audit import AuditEntry, AuditLog
from dashboard.auth.principal import current_principal
from dashboard.duty import views
from dashboard.duty.context import DutyContext
from dashboard.duty.handover import handover_action
from layouts import duty as view
from layouts import ids
from layouts.i18n import Lang, t, valid_lang
from streams.alarms import build_alarm_engine
from streams.alarms.actions import AlarmError
from streams.alarms.mirror import AlarmMirror
from streams.alarms.model import Alarm
from streams.config.settings import Settings
from streams.config.site import Site

logger = logging.getLogger(__name__)

BUTTONS: dict[str, str] = {
    ids.DUTY_ACK: "acknowledge",
    ids.DUTY_SHELVE: "shelve",
    ids.DUTY_UNSHELVE: "unshelve",
    ids.DUTY_CLEAR: "clear",
    ids.DUTY_ASSIGN: "assign",
    ids.DUTY_COMMENT: "comment",
}


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


def targets(
    selected: Sequence[str] | None, active_cell: Mapping[str, Any] | None
) -> list[str]:
    """The alarms an action applies to: the ticked rows, else the focused row."""
    if selected:
        return [str(s) for s in selected]
    if active_cell and active_cell.get("row_id"):
        return [str(active_cell["row_id"])]
    return []


def act(
    duty: DutyContext,
    action: str,
    alarm_ids: Sequence[str],
    args: Mapping[str, Any],
    lang: Lang,
) -> str:
    """Apply one operator action to each alarm; the status line to show."""
    if duty.engine is None:
        return t("alarms_unavailable", lang)
    if not alarm_ids:
        return t("select_first", lang)
    done, refused = 0, []
    for alarm_id in alarm_ids:
        try:
            duty.engine.act(
                alarm_id, action, duty.operator, duty.role, duty.clock(), **args
            )
            done += 1
        except AlarmError as exc:
            refused.append(str(exc))
        except psycopg.Error as exc:
            logger.warning("alarm action failed: %s", type(exc).__name__)
            refused.append(t("alarms_unavailable", lang))
            break
    _audit(duty, action, alarm_ids, done, refused)
    label = t(f"btn_{_short(action)}", lang).split(" (")[0]
    message = t("done_n", lang, action=label, n=done)
    if refused:
        message += " · " + t("refused", lang, reason="; ".join(sorted(set(refused))))
    return message


def as_signed_in(duty: DutyContext) -> DutyContext:
    """The context acting as the request's signed-in user; with no principal (never
    behind the auth middleware) the role is "kiosk", which may do nothing."""
    who = current_principal()
    if who is None:
        return replace(duty, operator="—", role="kiosk")
    return replace(duty, operator=who.display or who.name, role=who.role)


def _audit(
    duty: DutyContext,
    action: str,
    alarm_ids: Sequence[str],
    done: int,
    refused: Sequence[str],
) -> None:
    if duty.audit is None:
        return
    who = current_principal()
    entry = AuditEntry(
        who.name if who else duty.operator,
        duty.role,
        f"alarm.{action}",
        "ok" if done and not refused else ("refused" if refused else "failed"),
        target=",".join(alarm_ids)[:200],
        detail={"done": done, "refused": sorted(set(refused))[:5]},
    )
    duty.audit(entry)


def _short(action: str) -> str:
    return {"acknowledge": "ack"}.get(action, action)


def button_args(
    action: str, minutes: object, reason: object, assignee: object, comment: object
) -> dict[str, Any]:
    text = "" if comment is None else str(comment)
    by_action: dict[str, dict[str, Any]] = {
        "acknowledge": {"comment": text},
        "shelve": {"minutes": minutes, "reason": reason or ""},
        "unshelve": {},
        "clear": {"comment": reason or text},
        "assign": {"assignee": assignee or ""},
        "comment": {"text": text},
    }
    return by_action[action]


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
            chosen,  # type: ignore[arg-type]
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
        [view.html.Li(message, className="duty-handover-message")] if message else []
    ) + (view.handover_items(lines))


def register(app: Dash, duty: DutyContext) -> None:
    """Bind the duty console's callbacks to `app`."""

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
