"""Live push: one persistent WebSocket callback per page (Dash 4, FastAPI backend).

It listens to the site's Redis "changed" channel and, at most `MAX_RATE_HZ` times a
second, rebuilds the tiles of the layout the page shows and sends only the tile bodies
that changed (`set_prop`), straight into the page: no second round trip. Which layout
the page shows (rotation changes it) is asked (`get_prop`) while the tiles of the
last known layout are already being built, so the question costs no latency. Alarm
and status notices also set the page's `wall-push` store, which refreshes the shell
(critical band, status line) over HTTP. The page's answer is client input: a
kiosk is pushed only the layouts its screen shows (`KioskScope`), like its HTTP
callbacks.
The polling interval keeps everything right when the socket is down.

Dash restarts the callback when the WebSocket reconnects (no inputs, no outputs:
"persistent"); it ends when the connection closes (`is_shutdown`), and its Redis
subscription is closed with it. A Redis outage is retried with backoff, one log line
per state change.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from itertools import count
from typing import Any

import redis.asyncio as aioredis
from dash import Dash, ctx
from dash._utils import to_json
from dash.exceptions import WebsocketDisconnected
from redis.exceptions import RedisError

from dashboard.auth.kiosk import KioskScope
from dashboard.auth.principal import Principal, current_principal
from dashboard.wall.context import WallReader
from dashboard.wall.page import GROUPS, tile_outputs
from layouts import ids
from layouts.i18n import valid_lang

logger = logging.getLogger(__name__)

MAX_RATE_HZ = 8.0
POLL_S = 0.25  # idle: how often the loop checks that the page is still there
BACKOFF_S = (0.5, 1.0, 2.0, 5.0)
SHELL_GROUPS = frozenset({"alarm", "status"})
_sequence = count(1)
Stopped = Callable[[], bool]
Emit = Callable[[list[str]], Awaitable[None] | None]
MayShow = Callable[[str], bool]


class ChangeListener:
    """Throttled notices from one pub/sub channel, for one connection."""

    def __init__(
        self, url: str, channel: str, max_rate_hz: float = MAX_RATE_HZ
    ) -> None:
        self._url, self._channel = url, channel
        self._min_gap_s = 1.0 / max_rate_hz

    async def run(self, is_shutdown: Stopped, emit: Emit) -> None:
        failures = 0
        while not is_shutdown():
            try:
                await self._listen(is_shutdown, emit)
                return
            except (RedisError, OSError) as exc:
                if failures == 0:
                    logger.warning(
                        "push: redis unavailable (%s), retrying", type(exc).__name__
                    )
                await asyncio.sleep(BACKOFF_S[min(failures, len(BACKOFF_S) - 1)])
                failures += 1

    async def _listen(self, is_shutdown: Stopped, emit: Emit) -> None:
        client = aioredis.Redis.from_url(self._url, decode_responses=True)
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self._channel)
            loop = asyncio.get_running_loop()
            pending: set[str] = set()
            last_emit = -self._min_gap_s
            while not is_shutdown():
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True,
                    timeout=self._wait_s(pending, loop.time() - last_emit),
                )
                if message is not None:
                    pending.add(str(message["data"]))
                    continue  # drain what is queued before emitting
                if pending and loop.time() - last_emit >= self._min_gap_s:
                    last_emit = loop.time()
                    result = emit(sorted(pending))
                    pending.clear()
                    if result is not None:
                        await result
        finally:
            await pubsub.aclose()
            await client.aclose()

    def _wait_s(self, pending: set[str], since_emit_s: float) -> float:
        """How long to block for the next notice: idle, the poll period; with notices
        pending, only until the throttle allows the next emit (0: just drain)."""
        if not pending:
            return POLL_S
        return max(0.0, self._min_gap_s - since_emit_s)


class PagePush:
    """What one connection's pushes do: rebuild the page's tiles, send the changed."""

    def __init__(self, ws: Any, reader: WallReader, may_show: MayShow) -> None:
        self._ws, self._reader, self._may_show = ws, reader, may_show
        self._sent: dict[str, str] = {}  # tile body id → JSON last sent
        self._lang: Any = None  # a page's language never changes: asked once
        self._layout: Any = None  # the layout the page showed at the last push

    async def __call__(self, groups: list[str]) -> None:
        try:
            await self._push(groups)
        except (TimeoutError, WebsocketDisconnected):
            return  # the page did not answer or is gone: polling covers it

    async def _push(self, groups: list[str]) -> None:
        # Rotation may have changed the layout: ask the page, and meanwhile build the
        # tiles of the layout it showed last (right unless it just rotated).
        guess = self._layout
        asked = asyncio.create_task(
            self._ws.get_prop(ids.WALL_LAYOUT, "data", timeout=5.0)
        )
        built = self._start_build(guess, groups)
        try:
            layout = self._layout = await asked
        except BaseException:
            if built is not None:
                built.cancel()
            raise
        outputs = await built if built is not None else None
        if not self._pushable(layout):  # not a wall page, not rendered, not ours
            return
        if self._lang is None:  # set before the first build (guess is None until then)
            self._lang = valid_lang(await self._ws.get_prop(ids.WALL_LANG, "data"))
        if set(groups) & SHELL_GROUPS:
            data = {"seq": next(_sequence), "groups": groups}
            self._ws.set_prop_sync(ids.WALL_PUSH, "data", data)
        if not set(groups) & GROUPS[layout]:
            return
        if layout != guess or outputs is None:
            outputs = await asyncio.to_thread(self._build, layout)
        self._send(layout, outputs)

    def _start_build(
        self, layout: Any, groups: list[str]
    ) -> asyncio.Future[list[Any]] | None:
        if not self._pushable(layout) or not set(groups) & GROUPS[layout]:
            return None
        return asyncio.ensure_future(asyncio.to_thread(self._build, layout))

    def _pushable(self, layout: Any) -> bool:
        return isinstance(layout, str) and layout in GROUPS and self._may_show(layout)

    def _send(self, layout: str, outputs: list[Any]) -> None:
        """Only the tile bodies that changed since the last push go to the page."""
        for tile_id, body in zip(ids.SCREEN_TILES[layout], outputs, strict=True):
            key, text = ids.body_of(tile_id), to_json(body)
            if self._sent.get(key) != text:
                self._sent[key] = text
                self._ws.set_prop_sync(key, "children", body)
        self._ws.set_prop_sync(ids.WALL_LAST_OK, "data", int(time.time() * 1000))

    def _build(self, layout: str) -> list[Any]:
        return tile_outputs(self._reader.read(), layout, self._lang)


def layouts_for(principal: Principal | None, scope: KioskScope) -> MayShow:
    """Which layouts this connection may be pushed: a kiosk only its screen's
    (asked at each push: the registry can change), nobody without a principal."""
    if principal is None:
        return lambda _layout: False
    if principal.is_kiosk:
        return lambda layout: layout in scope.layouts(principal.screen)
    return lambda _layout: True


def register(
    app: Dash, url: str, channel: str, reader: WallReader, scope: KioskScope
) -> None:
    """The page's persistent push callback (requires the FastAPI backend)."""
    listener = ChangeListener(url, channel)

    @app.callback(websocket=True, persistent=True)
    async def push_changes() -> None:
        ws = ctx.websocket
        if ws is None:  # plain HTTP (WebSocket blocked): polling covers it
            return
        may_show = layouts_for(current_principal(), scope)
        await listener.run(lambda: ws.is_shutdown, PagePush(ws, reader, may_show))
