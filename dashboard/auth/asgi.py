"""Small ASGI helpers for the auth middleware: headers, cookies, bodies, replies."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import cookie_parser

from dashboard.auth.gate import Refusal

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
MAX_CALLBACK_BODY = 4 * 1024 * 1024


def headers_of(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def cookies_of(headers: dict[str, str]) -> dict[str, str]:
    return cookie_parser(headers.get("cookie", ""))


def client_of(scope: Scope) -> str:
    """The peer's address; uvicorn replaces it by the X-Forwarded-For client only
    for a peer in IOC_DASHBOARD_TRUSTED_PROXIES (`python -m dashboard`)."""
    client = scope.get("client")
    return str(client[0]) if client else ""


async def respond(
    send: Send, status: int, body: bytes, kind: str, **extra: str
) -> None:
    headers = [(b"content-type", kind.encode()), (b"cache-control", b"no-store")]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def refuse(send: Send, refusal: Refusal) -> None:
    body = json.dumps({"detail": refusal.reason}).encode()
    await respond(send, refusal.status, body, "application/json")


async def read_body(receive: Receive) -> bytes | None:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_CALLBACK_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
