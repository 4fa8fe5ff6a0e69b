"""Zones and counting lines of one camera: occupancy, intrusion, loitering, crossings
and queue density, turned into camera events at a report interval.

A person is inside a zone when their feet (the bottom centre of their box) are.
Intrusion and loitering are reported as levels: an event when the number of people
intruding (or loitering) rises, and one with count 0 once the zone has stayed clear
for `clear_s` (the alarm rules clear on it). Counts are reported every `report_s`:
entrance zones count people who entered since the last report (about the gate's
passes), queue zones report `crowd_density`, other zones the mean number of people
inside; counting lines report `line_cross` per direction.

Queue density cannot rely on the moving foreground: a queue that stands for half an
hour becomes "background" to MOG2. Each queue zone therefore keeps a reference view
of itself empty (learned while nobody is tracked in it and almost nothing moves
there), and the people in it are estimated as the area that differs from the empty
view divided by one person's area (learned from tracked people), or the tracked
count when that is higher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import cv2
import numpy as np

from detectors.vision.geometry import Line, Polygon
from detectors.vision.tracking import Track

NO_LOITER_KINDS = frozenset({"queue"})  # waiting in a queue is what queues are for


@dataclass(frozen=True, slots=True)
class ZoneSpec:
    id: str
    kind: str  # restricted, queue, entrance, public, parking (`ZoneKind` of the site)
    polygon: Polygon
    line: Line | None = None


@dataclass(frozen=True, slots=True)
class SceneParams:
    report_s: float = 30.0
    loiter_s: float = 60.0
    clear_s: float = 3.0
    person_px: float = 0.0  # foreground pixels of one person (analysis res); 0: learn


@dataclass(frozen=True, slots=True)
class VisionEvent:
    """What the camera worker publishes (the `CameraEvent` fields, without ids)."""

    kind: str
    at: datetime
    zone: str | None = None
    count: int = 0
    direction: str | None = None

    @property
    def alert(self) -> bool:
        """Worth an annotated snapshot of its own."""
        return self.count > 0 and self.kind not in ("people_count", "crowd_density")


@dataclass(slots=True)
class _EmptyView:
    """A queue zone's look when empty (grey, analysis resolution)."""

    image: np.ndarray | None = None
    still_since: datetime | None = None

    def learn(
        self,
        gray: np.ndarray,
        mask: np.ndarray,
        still: bool,
        empty: bool,
        now: datetime,
    ) -> None:
        """`still`: nothing tracked or moving in the zone; `empty`: it also looks like
        the empty view. Learn when empty and still for EMPTY_AFTER, or still for
        RELEARN_AFTER whatever it looks like (the light changed and nobody came)."""
        if not still:
            self.still_since = None
            return
        self.still_since = self.still_since or now
        if self.image is None:
            self.image = gray.astype(np.float32)
            return
        held = now - self.still_since
        if (empty and held >= EMPTY_AFTER) or held >= RELEARN_AFTER:
            cv2.accumulateWeighted(gray, self.image, EMPTY_RATE, mask)

    def differing(self, gray: np.ndarray, mask: np.ndarray) -> int:
        if self.image is None:
            return 0
        diff = cv2.absdiff(gray, cv2.convertScaleAbs(self.image))
        _, changed = cv2.threshold(diff, EMPTY_DIFF, 255, cv2.THRESH_BINARY)
        changed = cv2.morphologyEx(changed, cv2.MORPH_OPEN, _KERNEL)
        return int(cv2.countNonZero(cv2.bitwise_and(changed, mask)))


EMPTY_AFTER = timedelta(seconds=5)  # still this long before the empty view learns
RELEARN_AFTER = timedelta(minutes=10)
EMPTY_RATE = 0.05
EMPTY_DIFF = 30  # grey levels
EMPTY_QUIET = 0.01  # moving share of the zone below which it may be empty
_KERNEL = np.ones((3, 3), np.uint8)


@dataclass(slots=True)
class _ZoneState:
    mask: np.ndarray
    area_px: int
    entered: int = 0
    crossings: dict[str, int] = field(default_factory=lambda: {"in": 0, "out": 0})
    occupancy: list[int] = field(default_factory=list)
    density: list[int] = field(default_factory=list)
    intrusion: int = 0
    loiter: int = 0
    last_intruder: datetime | None = None
    last_loiterer: datetime | None = None
    empty: _EmptyView = field(default_factory=_EmptyView)


class Scene:
    def __init__(
        self,
        zones: Sequence[ZoneSpec],
        params: SceneParams,
        mask_shape: tuple[int, int],
        mask_factor: float,
    ) -> None:
        """`mask_shape` (h, w) and `mask_factor` describe the foreground mask."""
        self.zones = tuple(zones)
        self.params = params
        self._factor = mask_factor
        self._state: dict[str, _ZoneState] = {}
        for zone in self.zones:
            mask = zone.polygon.mask(*mask_shape, factor=mask_factor)
            self._state[zone.id] = _ZoneState(mask, max(int(cv2.countNonZero(mask)), 1))
        self._person_px = params.person_px
        self._last_report: datetime | None = None

    def update(
        self,
        tracks: Sequence[Track],
        foreground: np.ndarray,
        gray: np.ndarray,
        now: datetime,
    ) -> list[VisionEvent]:
        self._learn_person_size(tracks, foreground)
        events: list[VisionEvent] = []
        for zone in self.zones:
            st = self._state[zone.id]
            events += self._zone(zone, st, tracks, foreground, now)
            if zone.kind == "queue":
                st.density.append(self._density(st, tracks, foreground, gray, now))
        if self._last_report is None:
            self._last_report = now
        elif now - self._last_report >= timedelta(seconds=self.params.report_s):
            events += self._report(now)
            self._last_report = now
        return events

    def _zone(
        self,
        zone: ZoneSpec,
        st: _ZoneState,
        tracks: Sequence[Track],
        foreground: np.ndarray,
        now: datetime,
    ) -> list[VisionEvent]:
        inside = [t for t in tracks if zone.polygon.contains(t.feet)]
        inside_ids = {t.id for t in inside}
        for track in tracks:
            if track.id in inside_ids and zone.id not in track.zones:
                track.zones[zone.id] = now
                st.entered += 1
            elif track.id not in inside_ids:
                track.zones.pop(zone.id, None)
            if zone.line is not None and track.previous_feet is not None:
                way = zone.line.crossing(track.previous_feet, track.feet)
                if way is not None:
                    st.crossings[way] += 1
        st.occupancy.append(len(inside))
        events: list[VisionEvent] = []
        if zone.kind == "restricted":
            events += self._level(zone.id, st, "zone_intrusion", len(inside), now)
        if zone.kind not in NO_LOITER_KINDS:
            limit = timedelta(seconds=self.params.loiter_s)
            loiterers = sum(1 for t in inside if t.dwell(zone.id, now) >= limit)
            events += self._level(zone.id, st, "loitering", loiterers, now)
        return events

    def _level(
        self, zone: str, st: _ZoneState, kind: str, n: int, now: datetime
    ) -> list[VisionEvent]:
        """Raise on a rise; report 0 once clear for clear_s."""
        attr, seen = ("intrusion", "last_intruder")
        if kind == "loitering":
            attr, seen = ("loiter", "last_loiterer")
        level: int = getattr(st, attr)
        if n > 0:
            setattr(st, seen, now)
        if n > level:
            setattr(st, attr, n)
            return [VisionEvent(kind, now, zone, n)]
        last: datetime | None = getattr(st, seen)
        clear = timedelta(seconds=self.params.clear_s)
        if n == 0 and level > 0 and last is not None and now - last >= clear:
            setattr(st, attr, 0)
            return [VisionEvent(kind, now, zone, 0)]
        return []

    def _density(
        self,
        st: _ZoneState,
        tracks: Sequence[Track],
        foreground: np.ndarray,
        gray: np.ndarray,
        now: datetime,
    ) -> int:
        tracked = st.occupancy[-1]
        moving = cv2.countNonZero(cv2.bitwise_and(foreground, st.mask))
        still = tracked == 0 and moving < EMPTY_QUIET * st.area_px
        differing = st.empty.differing(gray, st.mask)
        person = self._person_px if self._person_px > 0 else float("inf")
        st.empty.learn(gray, st.mask, still, differing < 0.5 * person, now)
        return max(tracked, round(differing / person))

    def _learn_person_size(
        self, tracks: Sequence[Track], foreground: np.ndarray
    ) -> None:
        """Mean foreground pixels of one tracked person (running), unless given."""
        if self.params.person_px > 0:
            return
        f = self._factor
        for track in tracks:
            b = track.box.scaled(f)
            pixels = cv2.countNonZero(foreground[b.y : b.y + b.h, b.x : b.x + b.w])
            if pixels > 0:
                old = self._person_px
                self._person_px = pixels if old <= 0 else 0.98 * old + 0.02 * pixels

    def _report(self, now: datetime) -> list[VisionEvent]:
        out: list[VisionEvent] = []
        for zone in self.zones:
            st = self._state[zone.id]
            if zone.kind == "queue":
                kind, count = "crowd_density", _mean(st.density)
            elif zone.kind == "entrance":
                kind, count = "people_count", st.entered
            else:
                kind, count = "people_count", _mean(st.occupancy)
            out.append(VisionEvent(kind, now, zone.id, count))
            for way, n in st.crossings.items():
                if n:
                    out.append(VisionEvent("line_cross", now, zone.id, n, way))
            st.entered, st.crossings = 0, {"in": 0, "out": 0}
            st.occupancy, st.density = [], []
        return out


def _mean(values: list[int]) -> int:
    return round(sum(values) / len(values)) if values else 0
