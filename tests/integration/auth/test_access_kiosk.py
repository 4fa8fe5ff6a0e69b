"""A kiosk token reads its own screen only, over real HTTP and the real WebSocket
against `python -m dashboard` (PostgreSQL, Redis): the tile callbacks of exactly
the layouts its screen rotates through, the push of those layouts only, and a
kiosk sign-in that never redirects off the site."""

from __future__ import annotations

import asyncio
import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis.asyncio
import requests
import websockets
from websockets.typing import Origin

from dashboard.auth.bootstrap import issue_kiosk
from dashboard.auth.gate import CSRF_COOKIE, KIOSK_COOKIE
from layouts import ids
from layouts.wall import catalog
from streams.config.site import Site
from streams.live.keys import Keys

pytestmark = pytest.mark.integration


def kiosk_client(url: str, token: str, screen: str) -> requests.Session:
    """A kiosk's browser: the kiosk cookie, and the CSRF cookie its page sets."""
    client = requests.Session()
    client.cookies.set(KIOSK_COOKIE, token, domain="127.0.0.1")
    page = client.get(f"{url}/wall/{screen}", headers={"Accept": "text/html"})
    assert page.status_code == 200, screen
    return client


def tiles_request(layout: str) -> dict[str, Any]:
    """The polling callback of one layout's tiles, as dash-renderer sends it."""
    bodies = list(catalog.BY_NAME[layout].body_ids)
    return {
        "output": ".." + "...".join(f"{body}.children" for body in bodies) + "..",
        "outputs": [{"id": body, "property": "children"} for body in bodies],
        "inputs": [{"id": ids.WALL_POLL, "property": "n_intervals", "value": 3}],
        "changedPropIds": [f"{ids.WALL_POLL}.n_intervals"],
        "state": [{"id": ids.WALL_LANG, "property": "data", "value": "zh"}],
    }


def readable_layouts(client: requests.Session, url: str) -> set[str]:
    readable = set()
    for layout in catalog.LAYOUT_NAMES:
        answer = client.post(
            f"{url}/_dash-update-component",
            json=tiles_request(layout),
            headers={"X-CSRFToken": client.cookies.get(CSRF_COOKIE) or ""},
            timeout=30,
        )
        assert answer.status_code in (200, 403), (layout, answer.text)
        if answer.status_code == 200:
            readable.add(layout)
    return readable


def test_kiosk_reads_only_its_screens_layouts(app_url: str, pg_url: str) -> None:
    # sample site: wall-2 rotates canteen and traffic, wall-4 security and overview
    expected = {
        "overview": {"overview"},
        "wall-2": {"canteen", "traffic"},
        "wall-4": {"security", "overview"},
    }
    for screen, layouts in expected.items():
        client = kiosk_client(app_url, issue_kiosk(pg_url, screen, "test"), screen)
        assert readable_layouts(client, app_url) == layouts, screen


def test_kiosk_sign_in_redirects_to_a_local_path(app_url: str, pg_url: str) -> None:
    token = issue_kiosk(pg_url, "wall-1", "test")
    host = urlsplit(app_url)
    for path in ("//wall/wall-1", "//wall//wall-1/", "/wall//wall-1"):
        connection = http.client.HTTPConnection(host.hostname or "", host.port)
        try:
            connection.request("GET", f"{path}?kiosk={token}&lang=en")
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        assert answer.status == 303, path
        assert answer.getheader("location") == "/wall/wall-1?lang=en", path


def push_key(client: requests.Session, url: str) -> str:
    """The output key of the wall's persistent push callback (no outputs)."""
    dependencies = client.get(f"{url}/_dash-dependencies", timeout=30).json()
    pushes = [d["output"] for d in dependencies if not d["inputs"] and not d["state"]]
    assert len(pushes) == 1, pushes
    return str(pushes[0])


async def pushed_ids(
    url: str, token: str, key: str, redis_url: str, channel: str
) -> list[str]:
    """Connect as the kiosk, start the push, claim the page shows 'canteen' at the
    first push and 'overview' afterwards; the ids pushed until overview arrives."""
    claims = iter(["canteen"])
    seen: list[str] = []
    publisher = redis.asyncio.Redis.from_url(redis_url)
    async with websockets.connect(
        url.replace("http", "ws") + "/_dash-ws-callback",
        origin=Origin(url),
        additional_headers={"Cookie": f"{KIOSK_COOKIE}={token}"},
    ) as socket:
        request = {"output": key, "outputs": [], "inputs": [], "state": []}
        await socket.send(
            json.dumps({"type": "callback_request", "requestId": "push",
                        "rendererId": "r", "payload": request | {"changedPropIds": []}})
        )  # fmt: skip
        overview = ids.body_of(catalog.OVERVIEW.tile_ids[0])
        while overview not in seen:
            await publisher.publish(channel, "canteen")  # a notice for both layouts
            try:
                text = await asyncio.wait_for(socket.recv(), 0.3)
            except TimeoutError:
                continue
            for message in _messages(text):
                await _answer(socket, message, claims, seen)
    await publisher.aclose()
    return seen


def _messages(text: str | bytes) -> list[dict[str, object]]:
    decoded = json.loads(text)
    return decoded if isinstance(decoded, list) else [decoded]


async def _answer(
    socket: websockets.ClientConnection,
    message: dict[str, object],
    claims: Iterator[str],
    seen: list[str],
) -> None:
    payload = message.get("payload")
    assert isinstance(payload, dict)
    if message["type"] == "set_props":
        seen.append(str(payload["componentId"]))
    if message["type"] != "get_props_request":
        return
    prop = payload["properties"][0]
    asks_layout = payload["componentId"] == ids.WALL_LAYOUT
    claim = next(claims, "overview") if asks_layout else "zh"
    answer = {"type": "get_props_response", "requestId": message["requestId"],
              "payload": {prop: claim}}  # fmt: skip
    await socket.send(json.dumps(answer))


def test_push_sends_a_kiosk_only_its_screens_layouts(
    app_url: str, pg_url: str, redis_url: str, site: Site
) -> None:
    token = issue_kiosk(pg_url, "overview", "test")
    key = push_key(kiosk_client(app_url, token, "overview"), app_url)
    channel = Keys(site.id).changed_channel
    pushing = pushed_ids(app_url, token, key, redis_url, channel)
    seen = asyncio.run(asyncio.wait_for(pushing, timeout=60))
    assert ids.body_of(catalog.OVERVIEW.tile_ids[0]) in seen
    assert not [body for body in seen if body.startswith("canteen-")], seen
