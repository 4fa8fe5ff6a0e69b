"""Security headers on every response, and how our cookies are set.

The Content-Security-Policy allows scripts only from our origin plus the hashes
of Dash's inline scripts (`Dash.csp_hashes()`: the renderer start-up and inline
clientside callbacks), computed on the first response, when every callback is
registered. Styles allow 'unsafe-inline' (React style attributes and Plotly's
injected <style> need it); nothing else inline is allowed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import dash

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
NO_STORE_TYPES = (b"text/html", b"application/json")


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "media-src": "'self' data:",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class HeaderPolicy:
    def __init__(self, app: dash.Dash, secure: bool, kiosk_days: int) -> None:
        self._app, self.secure = app, secure
        self.kiosk_max_age_s = kiosk_days * 86400
        self._fixed: list[tuple[bytes, bytes]] | None = None

    def fixed(self) -> list[tuple[bytes, bytes]]:
        if self._fixed is None:
            csp = content_security_policy(list(self._app.csp_hashes()))
            fixed = {
                "content-security-policy": csp,
                "x-content-type-options": "nosniff",
                "x-frame-options": "DENY",
                "referrer-policy": "same-origin",
                "cross-origin-opener-policy": "same-origin",
                "permissions-policy": "camera=(), microphone=(), geolocation=()",
            }
            if self.secure:
                fixed["strict-transport-security"] = "max-age=31536000"
            self._fixed = [(k.encode(), v.encode()) for k, v in fixed.items()]
        return self._fixed

    def wrap(self, send: Send, scope: MutableMapping[str, Any]) -> Send:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers += [h for h in self.fixed() if h[0] not in names]
                kind = dict(headers).get(b"content-type", b"")
                if kind.startswith(NO_STORE_TYPES) and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        return with_headers

    def cookie(
        self, name: str, value: str, max_age: int | None, http_only: bool = True
    ) -> str:
        parts = [f"{name}={value}", "Path=/", "SameSite=Strict"]
        if max_age is not None:
            parts.append(f"Max-Age={max_age}")
        if http_only:
            parts.append("HttpOnly")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)
