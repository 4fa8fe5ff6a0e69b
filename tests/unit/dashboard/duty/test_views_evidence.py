"""The duty console's evidence view (pure): a camera row's stored `snapshot` is an
image only as our own route for the evidence's camera, never as stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dash import html

from dashboard.duty.views import evidence_view
from tests.hostile_refs import NAME, URL_REFERENCES

TZ = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 20, 14, 13, 5, tzinfo=UTC)
CAMERA = "cam-power-room"


def row(snapshot: object) -> dict[str, Any]:
    return {"ts": AT, "kind": "zone_intrusion", "zone": "power-room", "count": 1,
            "snapshot": snapshot}  # fmt: skip


def sources(view: Any) -> list[str]:
    found, stack = [], [view]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif item is not None and hasattr(item, "children"):
            if isinstance(item, html.Img):
                found.append(item.src)  # type: ignore[attr-defined]  # a Dash prop, set in __init__
            stack.append(item.children)
    return found


def test_a_name_becomes_this_cameras_route() -> None:
    view = evidence_view({"camera": [row(NAME)]}, CAMERA, TZ)
    assert sources(view) == [f"/snapshots/{CAMERA}/{NAME}.jpg"]


def test_an_old_row_holding_this_cameras_route_still_shows() -> None:
    route = f"/snapshots/{CAMERA}/{NAME}.jpg"
    assert sources(evidence_view({"camera": [row(route)]}, CAMERA, TZ)) == [route]


OWN_ROUTE = f"/snapshots/{CAMERA}/{NAME}.jpg"  # an image by design (above)


@pytest.mark.parametrize(
    "stored", [*(r for r in URL_REFERENCES if r != OWN_ROUTE), 7, ["/logout"]]
)
def test_no_other_stored_value_becomes_an_image(stored: object) -> None:
    view = evidence_view({"camera": [row(stored)]}, CAMERA, TZ)
    assert sources(view) == []
    assert "/logout" not in str(view)


def test_a_snapshot_of_another_stream_or_device_is_not_shown() -> None:
    assert sources(evidence_view({"gate": [row(NAME)]}, CAMERA, TZ)) == []
    assert sources(evidence_view({"camera": [row(NAME)]}, "", TZ)) == []
