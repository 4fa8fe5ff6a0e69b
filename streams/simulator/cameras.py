"""Camera analytics: a people count per camera zone every 30 s, following the activity.

Entrance zones count people crossing the lanes since the last reading (about the granted
passes at the camera's gate, a few missed), queue zones the canteen queue, dining halls
the diners seated, lobbies a share of the building's occupancy plus its traffic, the
parking camera part of the cars on site; restricted zones stay empty.

A camera can instead play a video file through the real analytics
(`--camera-video CAMERA=FILE`, `play_videos`).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from streams.cameras.run import Running, select_cameras, start_workers
from streams.config.settings import Settings
from streams.config.site import Camera, Site, Zone
from streams.simulator.dayplan import DayPlan
from streams.simulator.draft import Draft, poisson
from streams.simulator.incidents import Incident

SEATED_MINUTES = 20
PARKING_VIEW_SHARE = 0.35
DINING_WORDS = ("食堂", "餐")


@dataclass(frozen=True, slots=True)
class _Look:
    """One reading: which camera and zone, when, and the day's activity to look at."""

    site: Site
    plan: DayPlan
    camera: Camera
    zone: Zone | None
    ts: datetime
    interval_s: int
    rng: random.Random

    @property
    def minute(self) -> int:
        return self.plan.minute(self.ts)

    def canteen(self) -> str | None:
        here = [c.id for c in self.site.canteens if c.building == self.camera.building]
        return here[0] if here else None


def _entrance(look: _Look) -> int:
    if look.camera.gate is None:
        return _lobby(look)
    since = look.ts - timedelta(seconds=look.interval_s)
    passes = look.plan.granted_between(look.camera.gate, since, look.ts)
    return sum(1 for _ in range(passes) if look.rng.random() < 0.97)


def _queue(look: _Look) -> int:
    canteen = look.canteen()
    if canteen is None:
        return 0
    waiting = int(look.plan.queue[canteen][look.minute])
    return round(waiting * look.rng.uniform(0.9, 1.05))


def _lobby(look: _Look) -> int:
    building = look.camera.building
    if building is None:
        return poisson(look.rng, 0.002 * float(look.plan.on_site[look.minute]))
    present = float(look.plan.by_building[building][look.minute])
    moving = float(look.plan.moves[building][look.minute])
    return poisson(look.rng, 0.01 * present + 0.5 * moving)


def _public(look: _Look) -> int:
    names = look.camera.name + (look.zone.name if look.zone else "")
    canteen = look.canteen()
    if canteen is None or not any(w in names for w in DINING_WORDS):
        return _lobby(look)
    first = max(0, look.minute - SEATED_MINUTES)
    seated = float(look.plan.served[canteen][first : look.minute + 1].sum())
    return poisson(look.rng, 0.9 * seated)


def _parking(look: _Look) -> int:
    cars = float(look.plan.vehicles[look.minute])
    return max(0, round(cars * PARKING_VIEW_SHARE + look.rng.gauss(0, 1.5)))


COUNTERS: dict[str, Callable[[_Look], int]] = {
    "entrance": _entrance,
    "queue": _queue,
    "public": _public,
    "parking": _parking,
    "restricted": lambda look: 0,
}


def camera_silent(camera: str, ts: datetime, incidents: list[Incident]) -> bool:
    return any(
        i.kind == "camera_offline" and i.device == camera and i.active(ts)
        for i in incidents
    )


def _tailgaters(look: _Look, incidents: list[Incident]) -> int:
    for incident in incidents:
        tailgated = incident.kind == "tailgating" and incident.active(look.ts)
        if tailgated and look.camera.id in incident.devices:
            return look.rng.randint(2, 5)
    return 0


def camera_drafts(
    site: Site,
    plan: DayPlan,
    ticks: list[datetime],
    interval_s: int,
    incidents: list[Incident],
    rng: random.Random,
) -> list[Draft]:
    """People counts of every camera zone at each tick (ticks within the plan's day)."""
    drafts = []
    for ts in ticks:
        for camera in site.cameras:
            if camera_silent(camera.id, ts, incidents):
                continue
            zones: Sequence[Zone | None] = camera.zones or [None]
            for zone in zones:
                look = _Look(site, plan, camera, zone, ts, interval_s, rng)
                kind = zone.kind if zone else ("entrance" if camera.gate else "public")
                count = COUNTERS[kind](look)
                if kind == "entrance" and camera.gate is not None:
                    count += _tailgaters(look, incidents)
                fields = {
                    "kind": "people_count",
                    "zone": zone.id if zone else None,
                    "count": min(count, 10_000),
                }
                drafts.append(Draft(ts, "camera", camera.id, fields))
    return drafts


def parse_camera_video(text: str) -> tuple[str, str]:
    """`--camera-video CAMERA=FILE` → (camera, file); ValueError naming the problem."""
    camera, sep, path = text.partition("=")
    if not sep or not camera or not path:
        raise ValueError(f"{text!r}: expected CAMERA=FILE")
    if not Path(path).is_file():
        raise ValueError(f"{text!r}: no such video file")
    return camera, path


def without_cameras(site: Site, cameras: Iterable[str]) -> Site:
    """The site minus the cameras played from video (the simulator skips them)."""
    gone = set(cameras)
    unknown = gone - set(site.cameras_by_id)
    if unknown:
        raise ValueError(f"unknown camera(s) for --camera-video: {sorted(unknown)}")
    raw = site.model_dump()
    raw["cameras"] = [c for c in raw["cameras"] if c["id"] not in gone]
    return Site.model_validate(raw)


def play_videos(
    settings: Settings, site: Site, videos: Mapping[str, str], stop: threading.Event
) -> Running:
    """Run the real camera worker (`streams.cameras`) on each video file, looping at
    the file's frame rate; its events carry wall-clock time, whatever the simulated
    clock says."""
    if not videos:
        return []
    sources = [f"{camera}={path}" for camera, path in videos.items()]
    cameras = select_cameras(site, list(videos), sources)
    return start_workers(settings, site, cameras, stop)
