"""``/login``: a plain HTML form (no script), password check with lockout, a
per-address rate limit, the session cookie, and an audit entry for every attempt.
Signing out is `dashboard.auth.logout`.
"""

from __future__ import annotations

import asyncio
import hmac
import html
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboard.auth.asgi import client_of
from dashboard.auth.audit import AuditEntry, Outcome
from dashboard.auth.gate import SESSION_COOKIE, Gate
from dashboard.auth.headers import HeaderPolicy
from dashboard.auth.passwords import new_token
from dashboard.auth.redirects import local_path
from dashboard.auth.store import Lockout
from layouts.i18n import Lang, t, valid_lang

LOGIN_COOKIE = "ioc_login"  # pre-sign-in CSRF (double submit)
MAX_FORM = 4096


@dataclass(frozen=True, slots=True)
class LoginForm:
    username: str
    password: str
    csrf: str
    next: str


def safe_next(target: object) -> str:
    """Only a local path (`local_path`), at most 500 characters."""
    return local_path(target)[:500]


def page(lang: Lang, csrf: str, target: str, error: str = "") -> str:
    message = f'<p class="error">{html.escape(error)}</p>' if error else ""
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{html.escape(t("login_title", lang))}</title>
<style>
body {{ background:#0b1220; color:#e6edf6; font-family:sans-serif;
  display:flex; justify-content:center; align-items:center; height:100vh; margin:0 }}
form {{ background:#131c2e; padding:32px 40px; border-radius:8px; min-width:320px }}
label {{ display:block; margin:12px 0 4px }}
input {{ width:100%; padding:8px; font-size:16px; box-sizing:border-box }}
button {{ margin-top:20px; width:100%; padding:10px; font-size:16px }}
.error {{ color:#ff6b6b }}
</style></head><body>
<form method="post" action="/login?lang={lang}">
<h1>{html.escape(t("app_title", lang))}</h1>{message}
<label for="username">{html.escape(t("login_username", lang))}</label>
<input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{html.escape(t("login_password", lang))}</label>
<input id="password" name="password" type="password"
  autocomplete="current-password" required>
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<input type="hidden" name="next" value="{html.escape(target)}">
<button type="submit">{html.escape(t("login_submit", lang))}</button>
</form></body></html>"""


def parse_form(body: bytes) -> LoginForm:
    fields = parse_qs(body[:MAX_FORM].decode("utf-8", "replace"))

    def one(name: str) -> str:
        return (fields.get(name) or [""])[0]

    return LoginForm(
        one("username").strip().lower()[:64],
        one("password")[:256],
        one("csrf"),
        safe_next(one("next")),
    )


def add_login_routes(
    server: FastAPI, gate: Gate, headers: HeaderPolicy, lockout: Lockout
) -> None:
    def show(lang: Lang, target: str, error: str = "", status: int = 200) -> Response:
        csrf = new_token()
        response = HTMLResponse(page(lang, csrf, target, error), status_code=status)
        response.headers.append("set-cookie", headers.cookie(LOGIN_COOKIE, csrf, 600))
        return response

    async def login_page(request: Request) -> Response:
        lang = valid_lang(request.query_params.get("lang"))
        return show(lang, safe_next(request.query_params.get("next")))

    async def login(request: Request) -> Response:
        lang = valid_lang(request.query_params.get("lang"))
        form = parse_form(await request.body())
        client = client_of(request.scope)
        expected = request.cookies.get(LOGIN_COOKIE, "")
        if not (expected and hmac.compare_digest(expected, form.csrf)):
            return show(lang, form.next, t("login_expired", lang), 403)
        now = datetime.now(UTC)
        allowed = await asyncio.to_thread(
            gate.sessions.allow_login_attempt, client, now.timestamp()
        )
        if not allowed:
            entry = AuditEntry(
                form.username or "-", "-", "login", "refused", client=client,
                detail={"why": "rate limited"},
            )  # fmt: skip
            await asyncio.to_thread(gate.record, entry)
            return show(lang, form.next, t("login_rate", lang), 429)
        result, user = await asyncio.to_thread(
            gate.users.check_login, form.username, form.password, now, lockout
        )
        role = user.role if user else "-"
        outcome: Outcome = "ok" if result == "ok" else "refused"
        entry = AuditEntry(
            form.username or "-", role, "login", outcome, client=client,
            detail={} if result == "ok" else {"why": result},
        )  # fmt: skip
        await asyncio.to_thread(gate.record, entry)
        if result != "ok" or user is None:
            key = "login_locked" if result == "locked" else "login_bad"
            return show(lang, form.next, t(key, lang), 401)
        session_id = await asyncio.to_thread(
            gate.sessions.create, user.username, user.display_name, user.role
        )
        response = RedirectResponse(form.next, status_code=303)
        max_age = gate.sessions.policy.max_s
        response.headers.append(
            "set-cookie", headers.cookie(SESSION_COOKIE, session_id, max_age)
        )
        response.headers.append("set-cookie", headers.cookie(LOGIN_COOKIE, "", 0))
        return response

    server.add_api_route("/login", login_page, methods=["GET"], include_in_schema=False)
    server.add_api_route("/login", login, methods=["POST"], include_in_schema=False)
