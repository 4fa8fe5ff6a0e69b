"""An alarm's camera evidence on real PostgreSQL: stored `snapshot` values become
images only as our own route for the evidence's camera. A stored URL or path
(`/logout`, another site, another camera's route) is never an image `src`: the
browser would fetch it with the viewer's cookies (a probe signed out every role
that opened such an alarm)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from dash import html

from dashboard.duty import console as duty
from dashboard.duty.context import DutyContext
from detectors.core.signals import AlarmSignal
from streams.config.site import Site
from streams.history.migrations import migrate
from tests.integration.alarms.fixtures import T0, make_engine

pytestmark = pytest.mark.integration
CAMERA = "cam-power-room"
NAME = "20260303T015900000Z-zone_intrusion"
OLD_ROUTE = f"/snapshots/{CAMERA}/20260303T015800000Z-zone_intrusion.jpg"


def images(component: Any) -> list[str]:
    """Every `src` of an html.Img anywhere in the tree."""
    found: list[str] = []
    stack = [component]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
            continue
        if isinstance(item, html.Img):
            found.append(str(item.src))  # type: ignore[attr-defined]  # a Dash prop
        children = getattr(item, "children", None)
        if children is not None:
            stack.append(children)
    return found


@pytest.fixture
def console(site: Site, pg_url: str, redis_url: str) -> Iterator[DutyContext]:
    with psycopg.connect(pg_url, autocommit=True) as conn:
        migrate(conn)
    engine, mirror = make_engine(site, pg_url, redis_url)
    yield DutyContext(site, engine, mirror, "张三", "duty", 480, lambda: T0)
    engine.close()


def store_camera_rows(pg_url: str, snapshots: list[str]) -> None:
    """Rows as they sit in history, some written before the edge refused URLs."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for i, snapshot in enumerate(snapshots):
            conn.execute(
                "INSERT INTO camera_events (event_id, ts, device, kind, zone, count,"
                " snapshot) VALUES (%s, %s, %s, 'zone_intrusion', 'power-room', 1, %s)",
                (uuid.uuid4(), T0 - timedelta(seconds=i + 1), CAMERA, snapshot),
            )


def test_only_our_own_snapshot_routes_become_images(
    console: DutyContext, pg_url: str
) -> None:
    hostile = ["/logout", "http://evil.example/x.jpg", "//evil.example/x.jpg",
               f"/snapshots/cam-parking/{NAME}.jpg", "javascript:alert(1)"]  # fmt: skip
    store_camera_rows(pg_url, [NAME, OLD_ROUTE, *hostile])
    assert console.engine is not None
    console.engine.submit(
        [AlarmSignal(kind="zone_intrusion", source="power-room", severity="major",
                     state="active", observed_at=T0, message="配电房禁区 有人闯入",
                     area="b6", evidence={"stream": "camera", "device": CAMERA})],
        T0,
    )  # fmt: skip
    alarm = console.engine.open_alarms()[0].id
    parts = duty.detail(console, alarm, "zh")
    assert "相关证据" in str(parts)
    assert sorted(images(parts)) == sorted(
        [f"/snapshots/{CAMERA}/{NAME}.jpg", OLD_ROUTE]
    )
    text = str(parts)
    for value in hostile:  # not even as text: a stored value is not shown
        assert value not in text
