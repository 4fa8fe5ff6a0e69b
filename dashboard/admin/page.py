"""The admin page (/admin): its registration, context and callbacks. Only admins
reach it (the auth middleware, by path and by callback output); each callback
checks the role again before it changes anything."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import dash
import psycopg
import redis
from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard.admin import actions
from dashboard.admin.actions import AdminContext
from dashboard.auth.audit import AuditQuery
from dashboard.auth.gate import Gate
from dashboard.auth.policy import may_open
from dashboard.auth.principal import Principal, current_principal
from dashboard.wall.registry import ScreenRegistry
from layouts import admin as view
from layouts import ids
from layouts.i18n import Lang, t, valid_lang
from streams.config.settings import Settings
from streams.config.site import Site
from streams.live.keys import Keys

ADMIN_PATH = "/admin"


def admin_context(
    settings: Settings, site: Site, gate: Gate, registry: ScreenRegistry
) -> AdminContext:
    client = redis.Redis.from_url(
        settings.url("redis") or "redis://127.0.0.1:1/0",
        socket_connect_timeout=1.0,
        socket_timeout=2.0,
    )
    return AdminContext(
        users=gate.users,
        audit=gate.audit,
        sessions=gate.sessions,
        redis=client,
        keys=Keys(site.id),
        registry=registry,
        site_file=settings.site_file,
        database_url=settings.url("database"),
        forget_tokens=gate.tokens.forget,
    )


def register_page(site: Site) -> None:
    def admin_page(lang: object = None, **_ignored: Any) -> Any:
        language = valid_lang(lang)
        who = current_principal()
        signed_in = (
            t(
                "signed_in_as",
                language,
                name=who.display,
                role=t(f"role_{who.role}", language),
            )
            if who
            else ""
        )
        return view.layout(site.name, language, signed_in, who.csrf if who else "")

    dash.register_page(
        "admin",
        path=ADMIN_PATH,
        name="admin",
        title=f"{site.name} · {t('admin')}",
        layout=admin_page,
    )


PAGE_LINKS = (("/duty", "duty"), ("/security", "security_page"),
              ("/briefing", "briefing"), ("/admin", "admin"))  # fmt: skip


def user_bar(lang: Lang) -> Any:
    """The signed-in user and the pages their role may open (none for a kiosk)."""
    who = current_principal()
    if who is None or who.kind != "user":
        return html.Nav()
    name = t("signed_in_as", lang, name=who.display, role=t(f"role_{who.role}", lang))
    links = [(path, t(key, lang)) for path, key in PAGE_LINKS if may_open(who, path)]
    return view.user_bar(name, links, lang, who.csrf)


def _admin() -> Principal:
    who = current_principal()
    if who is None or who.role != "admin" or who.kind != "user":
        raise dash.exceptions.PreventUpdate
    return who


def register(app: Dash, admin: AdminContext, tz: ZoneInfo) -> None:
    _register_users(app, admin)
    _register_blacklist(app, admin)
    _register_tokens(app, admin, tz)
    _register_site_and_audit(app, admin, tz)


def _register_users(app: Dash, admin: AdminContext) -> None:
    @app.callback(
        Output(ids.ADMIN_USER_MESSAGE, "children"),
        Output(ids.ADMIN_USERS, "data"),
        Input(ids.ADMIN_USER_CREATE, "n_clicks"),
        Input(ids.ADMIN_USER_APPLY, "n_clicks"),
        State(ids.ADMIN_USER_NAME, "value"),
        State(ids.ADMIN_USER_DISPLAY, "value"),
        State(ids.ADMIN_USER_ROLE, "value"),
        State(ids.ADMIN_USER_PASSWORD, "value"),
        State(ids.ADMIN_USER_DISABLED, "value"),
        State(ids.ADMIN_LANG, "data"),
    )
    def on_users(
        _c: Any, _a: Any, name: Any, display: Any, role: Any, password: Any,
        disabled: Any, lang_value: Any,
    ) -> tuple[Any, Any]:  # fmt: skip
        who, lang = _admin(), valid_lang(lang_value)
        message: Any = no_update
        if ctx.triggered_id == ids.ADMIN_USER_CREATE:
            message = actions.run(
                admin, who, "user.create", str(name or "")[:32],
                lambda: actions.create_user(admin, name, display, role, password),
                lang,
            )  # fmt: skip
        elif ctx.triggered_id == ids.ADMIN_USER_APPLY:
            off = isinstance(disabled, list) and "disabled" in disabled
            message = actions.run(
                admin, who, "user.change", str(name or "")[:32],
                lambda: actions.change_user(admin, who, name, role, off, password),
                lang,
            )  # fmt: skip
        return message, _users(admin, lang)


def _users(admin: AdminContext, lang: Lang) -> list[dict[str, str]] | Any:
    try:
        return view.user_rows(admin.users.users(), datetime.now(UTC), lang)
    except psycopg.Error:
        return no_update


def _register_blacklist(app: Dash, admin: AdminContext) -> None:
    @app.callback(
        Output(ids.ADMIN_BLACKLIST_MESSAGE, "children"),
        Output(ids.ADMIN_BLACKLIST, "children"),
        Input(ids.ADMIN_BLACKLIST_ADD, "n_clicks"),
        Input(ids.ADMIN_BLACKLIST_REMOVE, "n_clicks"),
        State(ids.ADMIN_BLACKLIST_VALUE, "value"),
        State(ids.ADMIN_LANG, "data"),
    )
    def on_blacklist(_a: Any, _r: Any, value: Any, lang_value: Any) -> tuple[Any, Any]:
        who, lang = _admin(), valid_lang(lang_value)
        message: Any = no_update
        if ctx.triggered_id in (ids.ADMIN_BLACKLIST_ADD, ids.ADMIN_BLACKLIST_REMOVE):
            add = ctx.triggered_id == ids.ADMIN_BLACKLIST_ADD
            message = actions.run(
                admin, who, "blacklist.add" if add else "blacklist.remove",
                str(value or "")[:64],
                lambda: actions.blacklist(admin, value, add), lang,
            )  # fmt: skip
        try:
            members = actions.blacklist_members(admin)
        except redis.RedisError:
            return t("admin_failed", lang, why=t("admin_unavailable", lang)), no_update
        return message, [html.Li(m) for m in members]


def _register_tokens(app: Dash, admin: AdminContext, tz: ZoneInfo) -> None:
    @app.callback(
        Output(ids.ADMIN_TOKEN_MESSAGE, "children"),
        Output(ids.ADMIN_TOKENS, "data"),
        Output(ids.ADMIN_SCREENS, "data"),
        Input(ids.ADMIN_TOKEN_ISSUE, "n_clicks"),
        Input(ids.ADMIN_TOKEN_REVOKE, "n_clicks"),
        State(ids.ADMIN_TOKEN_KIND, "value"),
        State(ids.ADMIN_TOKEN_SCOPE, "value"),
        State(ids.ADMIN_TOKEN_ID, "value"),
        State(ids.ADMIN_LANG, "data"),
    )
    def on_tokens(
        _i: Any, _r: Any, kind: Any, scope: Any, token_id: Any, lang_value: Any
    ) -> tuple[Any, Any, Any]:
        who, lang = _admin(), valid_lang(lang_value)
        message: Any = no_update
        if ctx.triggered_id == ids.ADMIN_TOKEN_ISSUE:
            message = actions.run(
                admin, who, f"token.issue.{kind}", str(scope or "")[:64],
                lambda: actions.issue(admin, who, kind, scope), lang, "admin_issued",
            )  # fmt: skip
        elif ctx.triggered_id == ids.ADMIN_TOKEN_REVOKE:
            message = actions.run(
                admin, who, f"token.revoke.{kind}", str(token_id)[:20],
                lambda: actions.revoke(admin, kind, token_id), lang,
            )  # fmt: skip
        screens = [
            {"screen": s.id, "name": s.name, "layouts": " → ".join(s.layouts),
             "rotate_s": str(s.rotate_s)}
            for s in admin.registry.screens().values()
        ]  # fmt: skip
        try:
            tokens = [("kiosk", r) for r in admin.users.tokens("kiosk")]
            tokens += [("api", r) for r in admin.users.tokens("api")]
        except psycopg.Error:
            return message, no_update, screens
        return message, view.token_rows(tokens, tz), screens


def _register_site_and_audit(app: Dash, admin: AdminContext, tz: ZoneInfo) -> None:
    @app.callback(
        Output(ids.ADMIN_RELOAD_MESSAGE, "children"),
        Input(ids.ADMIN_RELOAD, "n_clicks"),
        State(ids.ADMIN_LANG, "data"),
        prevent_initial_call=True,
    )
    def on_reload(_n: Any, lang_value: Any) -> str:
        who, lang = _admin(), valid_lang(lang_value)
        return actions.run(
            admin, who, "site.reload", str(admin.site_file or ""),
            lambda: actions.reload_site(admin, lang), lang, "",
        )  # fmt: skip

    @app.callback(
        Output(ids.ADMIN_AUDIT, "data"),
        Input(ids.ADMIN_AUDIT_SEARCH, "n_clicks"),
        Input(ids.ADMIN_AUDIT_TEXT, "value"),
        Input(ids.ADMIN_AUDIT_OUTCOME, "value"),
    )
    def on_audit(_n: Any, text: Any, outcome: Any) -> Any:
        _admin()
        query = AuditQuery(text=str(text or "")[:100], outcome=str(outcome or ""))
        try:
            return view.audit_rows(admin.audit.search(query), tz)
        except psycopg.Error:
            return no_update
