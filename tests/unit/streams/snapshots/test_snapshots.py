"""Snapshot names, topics and references; what the snapshot store refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.config.site import Site
from streams.snapshots.names import (
    SnapshotName,
    parse_name,
    parse_route,
    parse_topic,
    route,
    snapshot_route,
    snapshot_subscription,
    snapshot_topic,
)
from streams.snapshots.store import Snapshot
from streams.snapshots.subscriber import snapshot_from_message
from streams.wire.mqtt import InboundMessage

TS = datetime(2026, 11, 20, 14, 13, 5, 123456, tzinfo=UTC)
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100


def test_name_round_trip_keeps_milliseconds() -> None:
    name = SnapshotName(TS, "zone_intrusion").text
    assert name == "20261120T141305123Z-zone_intrusion"
    parsed = parse_name(name)
    assert parsed == SnapshotName(TS.replace(microsecond=123000), "zone_intrusion")


@pytest.mark.parametrize(
    "bad",
    ["", "latest", "20261120T141305123Z", "20261120T141305123Z-", "2026-11-20-x",
     "20261399T141305123Z-periodic", "20261120T141305123Z-../x"],
)  # fmt: skip
def test_bad_names_refused(bad: str) -> None:
    assert parse_name(bad) is None


def test_topics_have_five_levels_so_the_event_consumer_never_sees_them() -> None:
    topic = snapshot_topic("site-a", "cam-1", "20261120T141305123Z-periodic")
    assert topic.count("/") == 4
    assert parse_topic(topic, "site-a") == ("cam-1", "20261120T141305123Z-periodic")
    assert parse_topic(topic, "site-b") is None
    assert parse_topic("ioc/site-a/camera/cam-1", "site-a") is None
    assert snapshot_subscription("s", "grp") == "$share/grp/ioc/s/snapshot/+/+"


def test_route_is_the_dashboard_path() -> None:
    path = route("cam-1", "20261120T141305123Z-loitering")
    assert path == "/snapshots/cam-1/20261120T141305123Z-loitering.jpg"
    assert parse_route(path) == ("cam-1", "20261120T141305123Z-loitering")
    assert parse_route("/snapshots/cam-1/../../etc/passwd.jpg") is None
    assert parse_route("http://evil/x.jpg") is None
    assert parse_route(path + "\n") is None


NAME = "20261120T141305123Z-zone_intrusion"
ROUTE = f"/snapshots/cam-1/{NAME}.jpg"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (NAME, ROUTE),  # what a camera event's `snapshot` holds
        (ROUTE, ROUTE),  # a row stored before names: the same camera's route
        (None, None),
        ("", None),
        (42, None),
        ("/logout", None),
        ("/logout?x=.jpg", None),
        ("http://evil.example/x.jpg", None),
        ("//evil.example/x.jpg", None),
        ("javascript:alert(1)", None),
        ("data:image/jpeg;base64,AAAA", None),
        (f"/snapshots/cam-2/{NAME}.jpg", None),  # another camera's snapshot
        (f"/snapshots/cam-1/{NAME}.jpg?x=1", None),
        (f"/snapshots/cam-1/../{NAME}.jpg", None),
        (f"https://host/snapshots/cam-1/{NAME}.jpg", None),
        ("/snapshots/cam-1/latest.jpg", None),
        ("20261399T141305123Z-zone_intrusion", None),  # no such date
        ("\u0662" + NAME[1:], None),  # a non-ASCII digit
        (NAME + "\n", None),
        (f"[x]({ROUTE})", None),
    ],
)
def test_snapshot_route_only_from_a_name_of_this_camera(
    stored: object, expected: str | None
) -> None:
    assert snapshot_route("cam-1", stored) == expected


@pytest.mark.parametrize("camera", ["", "CAM", "../x", "cam-1/../x", "cam 1"])
def test_snapshot_route_needs_a_camera_id(camera: str) -> None:
    assert snapshot_route(camera, NAME) is None


def message(topic: str, payload: bytes) -> InboundMessage:
    return InboundMessage(topic, payload, 1, 1, TS)


def test_store_accepts_a_jpeg_of_a_known_camera(sample_site: Site) -> None:
    topic = f"ioc/{sample_site.id}/snapshot/cam-parking/20261120T141305123Z-periodic"
    shot = snapshot_from_message(message(topic, JPEG), sample_site, 1000)
    assert isinstance(shot, Snapshot)
    assert (shot.camera, shot.kind, shot.ts.microsecond) == (
        "cam-parking",
        "periodic",
        123000,
    )


@pytest.mark.parametrize(
    ("camera", "name", "payload", "reason"),
    [
        ("cam-nope", "20261120T141305123Z-periodic", JPEG, "unknown camera"),
        ("cam-parking", "x", JPEG, "bad name"),
        ("cam-parking", "20261120T141305123Z-periodic", b"GIF89a", "not a JPEG"),
        ("cam-parking", "20261120T141305123Z-periodic", JPEG * 20, "oversized"),
    ],
)
def test_store_refuses(
    sample_site: Site, camera: str, name: str, payload: bytes, reason: str
) -> None:
    topic = f"ioc/{sample_site.id}/snapshot/{camera}/{name}"
    assert snapshot_from_message(message(topic, payload), sample_site, 1000) == reason
