"""``/logout``: signing out is a POST carrying the session's CSRF token.

A GET never signs anyone out: anything that makes the browser fetch a URL (an
``<img src="/logout">``, a prefetch, a link in a message) would otherwise end the
viewer's session. Every page's sign-out is a small form (`layouts.admin.logout_form`)
posting the token the session already has (`Principal.csrf`, the value
dash-renderer sends as ``X-CSRFToken``), as a ``csrf`` field or that header. A GET
shows a page with the same form, so a bookmarked or hand-typed ``/logout`` still
leads to signing out, with one click.
"""

from __future__ import annotations

import asyncio
import hmac
import html
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from dashboard.auth.asgi import client_of
from dashboard.auth.audit import AuditEntry
from dashboard.auth.gate import CSRF_HEADER, SESSION_COOKIE, Gate
from dashboard.auth.headers import HeaderPolicy
from dashboard.auth.principal import Principal
from layouts.i18n import Lang, t, valid_lang

LOGOUT_PATH = "/logout"
MAX_FORM = 1024


def confirm_page(lang: Lang, csrf: str) -> str:
    """The page a GET shows: the sign-out form, nothing else (no script)."""
    return f"""<!DOCTYPE html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<title>{html.escape(t("logout", lang))}</title>
<style>
body {{ background:#0b1220; color:#e6edf6; font-family:sans-serif;
  display:flex; justify-content:center; align-items:center; height:100vh; margin:0 }}
form {{ background:#131c2e; padding:32px 40px; border-radius:8px; min-width:320px }}
button {{ margin-top:20px; width:100%; padding:10px; font-size:16px }}
</style></head><body>
<form method="post" action="{LOGOUT_PATH}">
<p>{html.escape(t("logout_confirm", lang))}</p>
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<button type="submit">{html.escape(t("logout", lang))}</button>
</form></body></html>"""


def posted_token(body: bytes, header: str) -> str:
    """The CSRF token of a sign-out request: the form's ``csrf`` field, else the
    ``X-CSRFToken`` header."""
    fields = parse_qs(body[:MAX_FORM].decode("utf-8", "replace"))
    return (fields.get("csrf") or [""])[0] or header


def to_login(headers: HeaderPolicy) -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.headers.append("set-cookie", headers.cookie(SESSION_COOKIE, "", 0))
    return response


def add_logout_routes(server: FastAPI, gate: Gate, headers: HeaderPolicy) -> None:
    async def signed_in(request: Request) -> tuple[str, Principal | None]:
        session_id = request.cookies.get(SESSION_COOKIE, "")
        if not session_id:
            return "", None
        who = await asyncio.to_thread(gate.sessions.principal, session_id)
        return session_id, who

    async def confirm(request: Request) -> Response:
        _, who = await signed_in(request)
        if who is None:
            return to_login(headers)  # nothing to end
        lang = valid_lang(request.query_params.get("lang"))
        return HTMLResponse(confirm_page(lang, who.csrf))

    async def logout(request: Request) -> Response:
        session_id, who = await signed_in(request)
        if who is None:
            return to_login(headers)
        token = posted_token(await request.body(), request.headers.get(CSRF_HEADER, ""))
        client = client_of(request.scope)
        if not (token and hmac.compare_digest(token, who.csrf)):
            entry = AuditEntry.by(
                who, "logout", outcome="refused", client=client, detail={"why": "csrf"}
            )
            await asyncio.to_thread(gate.record, entry)
            return JSONResponse({"detail": "csrf"}, status_code=403)
        await asyncio.to_thread(gate.sessions.end, session_id)
        await asyncio.to_thread(
            gate.record, AuditEntry.by(who, "logout", client=client)
        )
        return to_login(headers)

    for method, handler in (("GET", confirm), ("POST", logout)):
        server.add_api_route(
            LOGOUT_PATH, handler, methods=[method], include_in_schema=False
        )
