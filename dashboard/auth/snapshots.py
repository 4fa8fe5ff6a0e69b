"""Snapshot JPEGs leave the server de-identified for roles that may not see faces
(GB/T 35273): the middleware passes every ``/snapshots/…`` response of such a
principal through `deidentify_jpeg`, whoever wrote the route. Snapshots carry no
face boxes today, so the whole frame is pixelated (`dashboard.masking`); a route
that knows face boxes can call `mask_faces` itself and mark its response with
``x-ioc-masked: 1`` to be passed through.

The body behind one snapshot URL therefore depends on who asks (sharp for
security, pixelated for the others), so every ``/snapshots/…`` response is
``private`` (no shared cache may keep it) and ``Vary: Cookie`` (a browser's copy
is not reused for another credential, e.g. after a sign-out), whatever the route
said."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from dashboard.auth.policy import canonical
from dashboard.auth.principal import Principal
from dashboard.masking import deidentify_jpeg, sees_full

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
SNAPSHOT_PREFIX = "/snapshots/"


def is_snapshot(path: str) -> bool:
    return (canonical(path) or "").startswith(SNAPSHOT_PREFIX)


def needs_masking(path: str, principal: Principal | None) -> bool:
    return (
        is_snapshot(path)
        and principal is not None
        and not sees_full(principal.role, "face")
    )


def snapshot_send(send: Send, path: str, principal: Principal | None) -> Send:
    """`send` for this request: snapshots private per credential, and masked for
    roles without the face right; anything else unchanged."""
    if not is_snapshot(path):
        return send
    private = private_send(send)
    return masking_send(private) if needs_masking(path, principal) else private


def private_send(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = message.get("headers", [])
            message = {**message, "headers": private_headers(list(headers))}
        await send(message)

    return wrapped


def private_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``Cache-Control`` made ``private`` (``public`` and ``s-maxage`` dropped; none
    given: ``private, no-store``) and ``Cookie`` added to ``Vary``."""
    found = {k.lower(): v for k, v in headers}
    directives = [
        d.strip() for d in found.get(b"cache-control", b"").split(b",") if d.strip()
    ]
    shared = (b"public", b"private", b"s-maxage")
    kept = [d for d in directives if d.lower().split(b"=")[0] not in shared]
    cache = b", ".join([b"private", *(kept or [b"no-store"])])
    vary = [v.strip() for v in found.get(b"vary", b"").split(b",") if v.strip()]
    if b"cookie" not in (v.lower() for v in vary):
        vary.append(b"Cookie")
    rest = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"vary")]
    return [*rest, (b"cache-control", cache), (b"vary", b", ".join(vary))]


def masking_send(send: Send) -> Send:
    """Buffer a JPEG response, pixelate it, fix its length; per-role bodies must
    not sit in shared caches, so it becomes ``private, no-store``."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        await _finish(send, start, b"".join(chunks))

    return wrapped


async def _finish(send: Send, start: Message, body: bytes) -> None:
    headers = dict(start.get("headers", []))
    is_jpeg = headers.get(b"content-type", b"").startswith(b"image/jpeg")
    if start["status"] == 200 and is_jpeg and headers.get(b"x-ioc-masked") != b"1":
        body = await asyncio.to_thread(deidentify_jpeg, body)
        if not body:
            start = {**start, "status": 404}
    kept = [
        (k, v) for k, v in start.get("headers", [])
        if k.lower() not in (b"content-length", b"cache-control", b"etag")
    ]  # fmt: skip
    kept += [
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"private, no-store"),
    ]
    await send({**start, "headers": kept})
    await send({"type": "http.response.body", "body": body})
