"""The admin page (/admin): users and roles, the blacklist, wall screens with their
kiosk tokens and the read-API tokens, the site file reload, and the audit log.

Pure builders: data in, components out (`dashboard.admin.page` fills them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from dash import dash_table, dcc, html
from dash.development.base_component import Component

from layouts import ids
from layouts.i18n import DEFAULT_LANG, Lang, t

USER_ROLES = ("duty", "security", "leader", "admin")
AUDIT_COLUMNS = ("at", "actor", "role", "action", "target", "outcome", "client")


def _section(title: str, *children: Any) -> html.Section:
    return html.Section([html.H2(title), *children], className="admin-section")


def _table(table_id: str, columns: Sequence[str], page_size: int = 15) -> Component:
    return dash_table.DataTable(  # type: ignore[attr-defined, no-any-return]  # dash_table's __init__ is untyped
        id=table_id,
        columns=[{"name": c, "id": c} for c in columns],
        data=[],
        page_size=page_size,
        style_table={"overflowX": "auto"},
        style_cell={"textAlign": "left", "fontSize": "14px"},
    )


def role_options(lang: Lang) -> list[dict[str, str]]:
    return [{"label": t(f"role_{r}", lang), "value": r} for r in USER_ROLES]


def users_section(lang: Lang) -> html.Section:
    field = "admin-field"
    return _section(
        t("admin_users", lang),
        _table(ids.ADMIN_USERS, ("username", "display", "role", "state")),
        html.Div(
            [
                dcc.Input(id=ids.ADMIN_USER_NAME, placeholder=t("admin_username", lang),
                          maxLength=32, className=field),
                dcc.Input(id=ids.ADMIN_USER_DISPLAY, maxLength=64, className=field,
                          placeholder=t("admin_display", lang)),
                dcc.Dropdown(id=ids.ADMIN_USER_ROLE, options=role_options(lang),
                             value="duty", clearable=False, className=field),
                dcc.Input(id=ids.ADMIN_USER_PASSWORD, type="password", maxLength=128,
                          placeholder=t("admin_password", lang), className=field),
                dcc.Checklist(id=ids.ADMIN_USER_DISABLED,
                              options=[{"label": t("admin_disable", lang),
                                        "value": "disabled"}], value=[]),
                html.Button(t("admin_create", lang), id=ids.ADMIN_USER_CREATE),
                html.Button(t("admin_apply", lang), id=ids.ADMIN_USER_APPLY),
            ],
            className="admin-form",
        ),
        html.Div(id=ids.ADMIN_USER_MESSAGE, role="status"),
    )  # fmt: skip


def blacklist_section(lang: Lang) -> html.Section:
    return _section(
        t("admin_blacklist", lang),
        html.Ul(id=ids.ADMIN_BLACKLIST),
        html.Div(
            [
                dcc.Input(id=ids.ADMIN_BLACKLIST_VALUE, maxLength=64,
                          placeholder=t("admin_credential", lang)),
                html.Button(t("admin_add", lang), id=ids.ADMIN_BLACKLIST_ADD),
                html.Button(t("admin_remove", lang), id=ids.ADMIN_BLACKLIST_REMOVE),
            ],
            className="admin-form",
        ),
        html.Div(id=ids.ADMIN_BLACKLIST_MESSAGE, role="status"),
    )  # fmt: skip


def tokens_section(lang: Lang) -> html.Section:
    kinds = [
        {"label": t("admin_screen", lang), "value": "kiosk"},
        {"label": t("admin_client", lang), "value": "api"},
    ]
    return _section(
        t("admin_screens", lang) + " · " + t("admin_api", lang),
        _table(ids.ADMIN_SCREENS, ("screen", "name", "layouts", "rotate_s")),
        _table(ids.ADMIN_TOKENS, ("id", "kind", "scope", "label", "created_by",
                                  "created_at", "revoked_at")),
        html.Div(
            [
                dcc.RadioItems(id=ids.ADMIN_TOKEN_KIND, options=kinds, value="kiosk",
                               inline=True),
                dcc.Input(id=ids.ADMIN_TOKEN_SCOPE, maxLength=64,
                          placeholder=t("admin_screen", lang) + " / "
                          + t("admin_client", lang)),
                html.Button(t("admin_issue", lang), id=ids.ADMIN_TOKEN_ISSUE),
                dcc.Input(id=ids.ADMIN_TOKEN_ID, type="number", min=1,
                          placeholder=t("admin_token_id", lang)),
                html.Button(t("admin_revoke", lang), id=ids.ADMIN_TOKEN_REVOKE),
            ],
            className="admin-form",
        ),
        html.Div(id=ids.ADMIN_TOKEN_MESSAGE, role="status", className="admin-secret"),
    )  # fmt: skip


def site_section(lang: Lang) -> html.Section:
    return _section(
        t("admin_site", lang),
        html.Button(t("admin_reload", lang), id=ids.ADMIN_RELOAD),
        html.Div(id=ids.ADMIN_RELOAD_MESSAGE, role="status"),
    )


def audit_section(lang: Lang) -> html.Section:
    outcomes = [{"label": o, "value": o} for o in ("", "ok", "refused", "failed")]
    return _section(
        t("admin_audit", lang),
        html.Div(
            [
                dcc.Input(id=ids.ADMIN_AUDIT_TEXT, maxLength=100, debounce=True,
                          placeholder=t("admin_search", lang)),
                dcc.Dropdown(id=ids.ADMIN_AUDIT_OUTCOME, options=outcomes, value="",
                             clearable=False, className="admin-field"),
                html.Button(t("admin_search", lang).split("（")[0].split(" (")[0],
                            id=ids.ADMIN_AUDIT_SEARCH),
            ],
            className="admin-form",
        ),
        _table(ids.ADMIN_AUDIT, (*AUDIT_COLUMNS, "detail"), page_size=25),
    )  # fmt: skip


def logout_form(lang: Lang = DEFAULT_LANG, csrf: str = "") -> html.Form:
    """Sign-out: a POST of the session's CSRF token (the submit button's value),
    never a link (`dashboard.auth.logout`: a GET signs nobody out)."""
    button = html.Button(
        t("logout", lang), type="submit", name="csrf", value=csrf,
        className="logout-button",
    )  # fmt: skip
    return html.Form(button, method="post", action="/logout", className="logout-form")


def layout(
    site_name: str = "",
    lang: Lang = DEFAULT_LANG,
    signed_in: str = "",
    csrf: str = "",
) -> html.Div:
    header = html.Header(
        [
            html.H1([html.Span(site_name), " · ", html.Span(t("admin", lang))]),
            html.Div([html.Span(signed_in), " ", logout_form(lang, csrf)]),
        ],
        className="admin-header",
    )  # fmt: skip
    return html.Div(
        [
            header,
            users_section(lang),
            blacklist_section(lang),
            tokens_section(lang),
            site_section(lang),
            audit_section(lang),
            dcc.Store(id=ids.ADMIN_LANG, data=lang),
        ],
        id=ids.ADMIN_ROOT,
        className="admin",
    )


def user_rows(users: Sequence[Any], now: datetime, lang: Lang) -> list[dict[str, str]]:
    rows = []
    for user in users:
        locked = user.locked_until is not None and user.locked_until > now
        state = "admin_disable" if user.disabled else (
            "admin_locked" if locked else "admin_active"
        )  # fmt: skip
        rows.append(
            {
                "username": user.username,
                "display": user.display_name,
                "role": t(f"role_{user.role}", lang),
                "state": t(state, lang),
            }
        )
    return rows


def audit_rows(rows: Sequence[Mapping[str, Any]], tz: Any) -> list[dict[str, str]]:
    return [
        {
            **{c: str(row.get(c, "")) for c in AUDIT_COLUMNS},
            "at": row["at"].astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            "detail": str(row.get("detail") or "")[:200],
        }
        for row in rows
    ]


def token_rows(
    tokens: Sequence[tuple[str, Mapping[str, Any]]], tz: Any
) -> list[dict[str, str]]:
    def when(value: Any) -> str:
        return "" if value is None else value.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    return [
        {
            "id": str(row["id"]),
            "kind": kind,
            "scope": str(row["scope"]),
            "label": str(row["label"]),
            "created_by": str(row["created_by"]),
            "created_at": when(row["created_at"]),
            "revoked_at": when(row["revoked_at"]),
        }
        for kind, row in tokens
    ]


def user_bar(
    signed_in: str,
    links: Sequence[tuple[str, str]],
    lang: Lang = DEFAULT_LANG,
    csrf: str = "",
) -> html.Nav:
    """Who is signed in, the pages they may open, and sign-out (home page)."""
    items: list[Any] = [html.Span(signed_in)]
    items += [dcc.Link(title, href=path) for path, title in links]
    items.append(logout_form(lang, csrf))
    return html.Nav(items, className="user-bar")
