"""Device status: online at the run's start, a heartbeat every 5 minutes per device, and
the offline/online pair (plus a ``camera_offline`` camera event) of a camera outage.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from streams.config.site import Site
from streams.simulator.cameras import camera_silent
from streams.simulator.draft import Draft, derive_seed, tick_times
from streams.simulator.incidents import Incident

HEARTBEAT_S = 300


def status_devices(site: Site) -> list[str]:
    return sorted(site.devices_by_stream["status"])


@lru_cache(maxsize=4096)
def heartbeat_phase(device: str) -> int:
    """Seconds into each 5-minute period at which `device` beats (spreads the load)."""
    return derive_seed("heartbeat", device) % HEARTBEAT_S


def online_drafts(site: Site, ts: datetime) -> list[Draft]:
    """Every device says it is online when the simulator starts."""
    fields = {"state": "online", "reason": "simulator start"}
    return [Draft(ts, "status", d, dict(fields)) for d in status_devices(site)]


def heartbeat_drafts(
    site: Site, start: datetime, end: datetime, incidents: list[Incident]
) -> list[Draft]:
    """Heartbeats in [start, end): each device at its own phase within 5 minutes."""
    drafts = []
    for device in status_devices(site):
        for ts in tick_times(start, end, HEARTBEAT_S, heartbeat_phase(device)):
            if not camera_silent(device, ts, incidents):
                drafts.append(Draft(ts, "status", device, {"state": "heartbeat"}))
    return drafts


def outage_drafts(
    incidents: list[Incident], start: datetime, end: datetime
) -> list[Draft]:
    """Camera outages starting or ending in [start, end)."""
    drafts = []
    for incident in incidents:
        if incident.kind != "camera_offline":
            continue
        camera = incident.device
        if start <= incident.start < end:
            fields = {"state": "offline", "reason": "no frames from the camera source"}
            drafts.append(Draft(incident.start, "status", camera, fields))
            offline = {"kind": "camera_offline", "count": 0}
            drafts.append(Draft(incident.start, "camera", camera, offline))
        if start <= incident.end < end:
            fields = {"state": "online", "reason": "stream restored"}
            drafts.append(Draft(incident.end, "status", camera, fields))
    return drafts
