"""One ASGI middleware in front of the whole web app (pages, Dash callbacks, the
WebSocket push, assets, downloads, the read API): authentication, authorization
by path and by callback output, CSRF, security headers, no stack traces.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs, quote

from dashboard.auth.asgi import (
    Message,
    Receive,
    Scope,
    Send,
    client_of,
    cookies_of,
    headers_of,
    read_body,
    refuse,
    replay,
    respond,
)
from dashboard.auth.audit import AuditEntry
from dashboard.auth.gate import (
    CSRF_COOKIE,
    CSRF_HEADER,
    KIOSK_COOKIE,
    Gate,
    Refusal,
    clicked,
)
from dashboard.auth.headers import HeaderPolicy
from dashboard.auth.policy import canonical, may_open, rule_for
from dashboard.auth.principal import Principal, reset_principal, set_principal
from dashboard.auth.redirects import local_path
from dashboard.auth.snapshots import snapshot_send

logger = logging.getLogger(__name__)

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CALLBACK_PATH = "/_dash-update-component"


class AuthMiddleware:
    def __init__(self, app: ASGIApp, gate: Gate, headers: HeaderPolicy) -> None:
        self.app, self.gate, self.policy = app, gate, headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, self.policy.wrap(send, scope))
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        headers = headers_of(scope)
        rule = rule_for(path)
        if rule.access == "public":
            await self._run(scope, receive, send, None)
            return
        if rule.access == "api":
            principal = await asyncio.to_thread(
                self.gate.api_client, headers.get("authorization", "")
            )
            if principal is None:
                await refuse(send, Refusal(401, "bearer token required"))
                return
            await self._run(scope, receive, send, principal)
            return
        cookies = cookies_of(headers)
        kiosk_token = self._kiosk_query(scope)
        if kiosk_token is not None and method == "GET":
            await self._kiosk_login(scope, send, kiosk_token)
            return
        principal = await asyncio.to_thread(self.gate.from_cookies, cookies)
        if principal is None:
            await self._unauthenticated(scope, send, headers)
            return
        if not may_open(principal, path):
            await self._refused(scope, send, principal, Refusal(403, "not allowed"))
            return
        if method not in SAFE_METHODS and not self.gate.csrf_ok(
            principal, headers.get(CSRF_HEADER, "")
        ):
            await self._refused(scope, send, principal, Refusal(403, "csrf"))
            return
        if path == CALLBACK_PATH and method == "POST":
            await self._callback(scope, receive, send, principal)
            return
        send = self._with_csrf_cookie(send, principal, cookies)
        send = snapshot_send(send, path, principal)
        await self._run(scope, receive, send, principal)

    async def _run(
        self, scope: Scope, receive: Receive, send: Send, who: Principal | None
    ) -> None:
        token = set_principal(who)
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception:
            logger.exception("unhandled error on %s", scope.get("path"))
            if not started:
                await refuse(send, Refusal(500, "internal error"))
        finally:
            reset_principal(token)

    async def _callback(
        self, scope: Scope, receive: Receive, send: Send, principal: Principal
    ) -> None:
        body = await read_body(receive)
        if body is None:
            await refuse(send, Refusal(413, "request too large"))
            return
        refusal = self.gate.callback_refusal(principal, body)
        if refusal is not None:
            await self._refused(scope, send, principal, refusal, body)
            return
        status: list[int] = []

        async def noting(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self._run(scope, replay(body, receive), noting, principal)
        button = clicked(json.loads(body))
        if button is not None:
            outcome = "ok" if status and status[0] < 400 else "failed"
            entry = AuditEntry.by(
                principal, "ui.action", target=button, outcome=outcome,
                client=client_of(scope),
            )  # fmt: skip
            await asyncio.to_thread(self.gate.record, entry)

    async def _refused(
        self,
        scope: Scope,
        send: Send,
        principal: Principal,
        refusal: Refusal,
        body: bytes = b"",
    ) -> None:
        detail: dict[str, Any] = {"path": scope["path"][:200], "why": refusal.reason}
        if body:
            with contextlib.suppress(ValueError, AttributeError):
                detail["output"] = str(json.loads(body).get("output", ""))[:200]
        entry = AuditEntry.by(
            principal, "access.refused", outcome="refused", target=scope["path"][:200],
            client=client_of(scope), detail=detail,
        )  # fmt: skip
        await asyncio.to_thread(self.gate.record, entry)
        await refuse(send, refusal)

    async def _unauthenticated(
        self, scope: Scope, send: Send, headers: dict[str, str]
    ) -> None:
        wants_page = scope["method"] == "GET" and "text/html" in headers.get(
            "accept", ""
        )
        if not wants_page:
            await refuse(send, Refusal(401, "sign-in required"))
            return
        target = scope["path"] + (
            "?" + scope["query_string"].decode("latin-1")
            if scope.get("query_string")
            else ""
        )
        location = local_path("/login?next=" + quote(target, safe=""))
        await respond(send, 303, b"", "text/plain", location=location)

    @staticmethod
    def _kiosk_query(scope: Scope) -> str | None:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        values = query.get("kiosk")
        return values[0] if values else None

    async def _kiosk_login(self, scope: Scope, send: Send, token: str) -> None:
        """``/wall/<screen>?kiosk=<token>``: set the kiosk cookie, drop the token
        from the address (history, screenshots, Referer) and reload."""
        principal = await asyncio.to_thread(self.gate.kiosk, token)
        path = scope["path"]
        if principal is None or not may_open(principal, path):
            entry = AuditEntry(
                "kiosk", "kiosk", "login.kiosk", outcome="refused", target=path[:200],
                client=client_of(scope),
            )  # fmt: skip
            await asyncio.to_thread(self.gate.record, entry)
            await refuse(send, Refusal(403, "kiosk token not valid for this screen"))
            return
        rest = {
            k: v for k, v in parse_qs(scope["query_string"].decode("latin-1")).items()
            if k != "kiosk"
        }  # fmt: skip
        query = "&".join(f"{quote(k)}={quote(v[0])}" for k, v in rest.items())
        cookie = self.policy.cookie(KIOSK_COOKIE, token, self.policy.kiosk_max_age_s)
        # The path as the policy read it: "//wall/x" would leave the site.
        screen_path = canonical(path) or "/"
        location = local_path(screen_path + (f"?{query}" if query else ""))
        await respond(
            send, 303, b"", "text/plain", location=location, **{"set-cookie": cookie}
        )

    def _with_csrf_cookie(
        self, send: Send, principal: Principal, cookies: dict[str, str]
    ) -> Send:
        """Give the page's script the CSRF token (dash-renderer sends it back)."""
        if cookies.get(CSRF_COOKIE) == principal.csrf:
            return send
        cookie = self.policy.cookie(
            CSRF_COOKIE, principal.csrf, None, http_only=False
        ).encode()

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"set-cookie", cookie)]
            await send(message)

        return with_cookie

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = await asyncio.to_thread(
            self.gate.from_cookies, cookies_of(headers_of(scope))
        )
        if principal is None or not may_open(principal, scope["path"]):
            await send({"type": "websocket.close", "code": 4401})
            return
        gate = self.gate

        async def checked() -> Message:
            message = await receive()
            if message["type"] != "websocket.receive" or not message.get("text"):
                return message
            refusal = _ws_refusal(gate, principal, message["text"])
            if refusal is None:
                return message
            await send({"type": "websocket.close", "code": 4403})
            return {"type": "websocket.disconnect", "code": 4403}

        token = set_principal(principal)
        try:
            await self.app(scope, checked, send)
        finally:
            reset_principal(token)


def _ws_refusal(gate: Gate, principal: Principal, text: str) -> Refusal | None:
    try:
        message = json.loads(text)
    except ValueError:
        return Refusal(400, "bad message")
    if not isinstance(message, dict) or message.get("type") != "callback_request":
        return None
    payload = message.get("payload")
    if not isinstance(payload, dict):
        return Refusal(400, "bad message")
    return gate.payload_refusal(principal, payload)
