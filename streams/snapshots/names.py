"""Snapshot topics, names and routes (the one place they are spelled).

A camera event's ``snapshot`` field holds a snapshot *name* (an id of one fixed
form), never a URL: the server alone turns a name into its own route
(`snapshot_route`), and only for the camera the event came from. Rows stored
before names were the contract hold the route itself; `snapshot_route` accepts
those too, re-derived from their validated parts, and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

NAME = re.compile(r"(?P<stamp>[0-9]{8}T[0-9]{9}Z)-(?P<kind>[a-z_]{1,32})")
CAMERA = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
ROUTE = re.compile(
    r"/snapshots/(?P<camera>[a-z0-9][a-z0-9_-]{0,63})/(?P<name>[^/]+)\.jpg"
)
PERIODIC = "periodic"
STAMP = "%Y%m%dT%H%M%S"


@dataclass(frozen=True, slots=True)
class SnapshotName:
    ts: datetime
    kind: str

    @property
    def text(self) -> str:
        utc = self.ts.astimezone(UTC)
        return f"{utc.strftime(STAMP)}{utc.microsecond // 1000:03d}Z-{self.kind}"


def snapshot_topic(site_id: str, camera: str, name: str) -> str:
    return f"ioc/{site_id}/snapshot/{camera}/{name}"


def snapshot_subscription(site_id: str, shared_group: str = "") -> str:
    topic = f"ioc/{site_id}/snapshot/+/+"
    return f"$share/{shared_group}/{topic}" if shared_group else topic


def parse_name(name: str) -> SnapshotName | None:
    match = NAME.fullmatch(name)
    if match is None:
        return None
    stamp = match["stamp"]
    try:
        ts = datetime.strptime(stamp[:15], STAMP).replace(tzinfo=UTC)
    except ValueError:
        return None
    return SnapshotName(ts.replace(microsecond=int(stamp[15:18]) * 1000), match["kind"])


def parse_topic(topic: str, site_id: str) -> tuple[str, str] | None:
    """(camera, name) of a snapshot topic of this site, else None."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[:3] != ["ioc", site_id, "snapshot"]:
        return None
    return parts[3], parts[4]


def route(camera: str, name: str) -> str:
    """The dashboard path a stored snapshot is served at."""
    return f"/snapshots/{camera}/{name}.jpg"


def parse_route(text: str) -> tuple[str, str] | None:
    """(camera, name) of a well-formed snapshot route, else None."""
    match = ROUTE.fullmatch(text)
    if match is None or parse_name(match["name"]) is None:
        return None
    return match["camera"], match["name"]


def snapshot_route(camera: str, stored: object) -> str | None:
    """The route of the snapshot a camera event of `camera` refers to, or None.

    `stored` is the event's ``snapshot`` as kept in history: a snapshot name, or
    (rows from before names) this same camera's route. A URL, another route,
    another camera's snapshot or anything malformed gives None: it is never shown
    as a link or an image."""
    if not isinstance(stored, str) or CAMERA.fullmatch(camera) is None:
        return None
    name = stored
    old = parse_route(stored)
    if old is not None:
        if old[0] != camera:
            return None
        name = old[1]
    return route(camera, name) if parse_name(name) is not None else None
