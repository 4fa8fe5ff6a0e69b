"""Snapshot topics, names and references (the one place they are spelled)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

NAME = re.compile(r"^(?P<stamp>\d{8}T\d{9}Z)-(?P<kind>[a-z_]{1,32})$")
REFERENCE = re.compile(
    r"^/snapshots/(?P<camera>[a-z0-9][a-z0-9_-]{0,63})/(?P<name>[^/]+)\.jpg$"
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
    match = NAME.match(name)
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


def reference(camera: str, name: str) -> str:
    """What a camera event's `snapshot` field holds: the path the dashboard serves
    the JPEG at (so any screen, the duty console's evidence included, can show it)."""
    return f"/snapshots/{camera}/{name}.jpg"


def parse_reference(text: str) -> tuple[str, str] | None:
    match = REFERENCE.match(text)
    if match is None or parse_name(match["name"]) is None:
        return None
    return match["camera"], match["name"]
