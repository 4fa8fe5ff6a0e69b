"""`CameraAnalytics`: one camera's whole vision path on one frame.

detect people → track → zones and lines → events, plus tampering. Zones are given in
the camera's configured resolution and scaled to the frames actually received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import numpy as np

from detectors.vision.geometry import Box
from detectors.vision.people import PeopleDetector, PeopleParams
from detectors.vision.scene import Scene, SceneParams, VisionEvent, ZoneSpec
from detectors.vision.tamper import TamperDetector, TamperParams
from detectors.vision.tracking import Track, Tracker, TrackParams


@dataclass(frozen=True, slots=True)
class AnalyticsParams:
    people: PeopleParams = field(default_factory=PeopleParams)
    track: TrackParams = field(default_factory=TrackParams)
    scene: SceneParams = field(default_factory=SceneParams)
    tamper: TamperParams = field(default_factory=TamperParams)
    protect_s: float = 600.0  # a tracked person is kept out of the background this long


@dataclass(frozen=True, slots=True)
class FrameResult:
    tracks: tuple[Track, ...]
    events: tuple[VisionEvent, ...]
    boxes: tuple[Box, ...]  # every person detected in the frame (confirmed or not)


class CameraAnalytics:
    def __init__(
        self,
        zones: Sequence[ZoneSpec],
        configured_size: tuple[int, int],  # (width, height) the zones are drawn in
        params: AnalyticsParams | None = None,
    ) -> None:
        self.params = params or AnalyticsParams()
        self._configured = configured_size
        self._zones = tuple(zones)
        self.detector = PeopleDetector(self.params.people)
        self.tracker = Tracker(self.params.track)
        self.tamper = TamperDetector(self.params.tamper)
        self.scene: Scene | None = None
        self._shape: tuple[int, ...] | None = None

    def _restart(self) -> None:
        self.detector = PeopleDetector(self.params.people)
        self.tracker = Tracker(self.params.track)
        self.tamper = TamperDetector(self.params.tamper)
        self.scene = None

    @property
    def zones(self) -> tuple[ZoneSpec, ...]:
        """The zones in the received frames' pixels (known after the first frame)."""
        return self.scene.zones if self.scene is not None else self._zones

    def process(self, frame: np.ndarray, now: datetime) -> FrameResult:
        if self._shape is not None and frame.shape != self._shape:
            self._restart()  # the source changed resolution: learn the new view
        self._shape = frame.shape
        detection = self.detector.detect(frame, self._protected(now))
        if self.scene is None:
            self.scene = self._scene(frame.shape[1], frame.shape[0], detection.scale)
        tracks = self.tracker.update(detection.boxes, now)
        events = self.scene.update(tracks, detection.foreground, detection.gray, now)
        for change in self.tamper.update(detection.gray, now):
            events.append(
                VisionEvent(change.kind, change.at, None, 1 if change.active else 0)
            )
        return FrameResult(tuple(tracks), tuple(events), detection.boxes)

    def _protected(self, now: datetime) -> list[Box]:
        """Boxes of tracks that walked, younger than `protect_s` (see people.py)."""
        limit = timedelta(seconds=self.params.protect_s)
        confirm = self.params.track.confirm_hits
        return [
            t.box
            for t in self.tracker.tracks.values()
            if t.hits >= confirm and t.walked and now - t.first_seen <= limit
        ]

    def _scene(self, width: int, height: int, factor: float) -> Scene:
        sx, sy = width / self._configured[0], height / self._configured[1]
        zones = [
            replace(
                z,
                polygon=z.polygon.scaled(sx, sy),
                line=z.line.scaled(sx, sy) if z.line else None,
            )
            for z in self._zones
        ]
        shape = (round(height * factor), round(width * factor))
        return Scene(zones, self.params.scene, shape, factor)
