"""Snapshot JPEGs leave the server de-identified for roles that may not see faces
(GB/T 35273): the middleware passes every ``/snapshots/…`` response of such a
principal through `deidentify_jpeg`, whoever wrote the route. Snapshots carry no
face boxes today, so the whole frame is pixelated (`dashboard.masking`); a route
that knows face boxes can call `mask_faces` itself and mark its response with
``x-ioc-masked: 1`` to be passed through."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from dashboard.auth.principal import Principal
from dashboard.masking import deidentify_jpeg, sees_full

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
SNAPSHOT_PREFIX = "/snapshots/"


def needs_masking(path: str, principal: Principal | None) -> bool:
    return (
        path.startswith(SNAPSHOT_PREFIX)
        and principal is not None
        and not sees_full(principal.role, "face")
    )


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
