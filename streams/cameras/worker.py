"""One camera's analysis loop: frame budget, analytics, events and snapshots.

Every `1 / analyse_fps` seconds the worker takes the source's newest frame (older
ones were dropped by the source), runs `CameraAnalytics` and publishes what it found
as `CameraEvent`s on `ioc/<site>/camera/<camera>`. An alerting event (intrusion,
loitering, tampering) carries the name of an annotated snapshot published just
before it on `ioc/<site>/snapshot/<camera>/<name>`; a periodic view goes out every
`snapshot_s`. No frame for `camera_offline_s`: `camera_offline` plus `status offline`;
the next frame: `status online`.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import cv2
import numpy as np

from detectors.vision.analytics import AnalyticsParams, CameraAnalytics
from detectors.vision.annotate import annotate, encode_jpeg
from detectors.vision.geometry import Line, polygon_of
from detectors.vision.offline import OfflineWatch
from detectors.vision.scene import SceneParams, VisionEvent, ZoneSpec
from detectors.vision.tracking import Track
from streams.cameras.publisher import CameraPublisher
from streams.cameras.source import FrameSource
from streams.config.site import Camera
from streams.snapshots.names import PERIODIC, SnapshotName, snapshot_topic
from streams.wire.contracts import CameraEvent, StatusEvent, to_payload, topic_for

logger = logging.getLogger(__name__)
Clock = Callable[[], datetime]
NO_SNAPSHOT = frozenset({"people_count", "crowd_density", "line_cross"})
SNAPSHOT_MAX_WIDTH = 1280  # JPEGs stay well under the broker's 1 MiB packet limit


def zone_specs(camera: Camera) -> list[ZoneSpec]:
    return [
        ZoneSpec(
            z.id,
            z.kind,
            polygon_of(z.polygon),
            Line(z.line[0], z.line[1]) if z.line else None,
        )
        for z in camera.zones
    ]


def analytics_for(camera: Camera) -> CameraAnalytics:
    scene = SceneParams(report_s=camera.report_s, loiter_s=camera.loiter_s)
    return CameraAnalytics(
        zone_specs(camera),
        (camera.width, camera.height),
        AnalyticsParams(scene=scene),
    )


@dataclass(slots=True)
class WorkerStats:
    analysed: int = 0
    events: int = 0
    snapshots: int = 0
    behind: int = 0  # analysis slower than the budget (frames due late)
    busy_s: float = 0.0
    failures: int = 0


class CameraWorker:
    def __init__(
        self,
        site_id: str,
        camera: Camera,
        source: FrameSource,
        publisher: CameraPublisher,
        *,
        tz: ZoneInfo,
        offline_s: float = 20.0,
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self.camera = camera
        self.source = source
        self.publisher = publisher
        self.analytics = analytics_for(camera)
        self.watch = OfflineWatch(offline_s)
        self.stats = WorkerStats()
        self._site, self._tz, self._clock = site_id, tz, clock
        self._announced = False
        self._snapshot_due: datetime | None = None

    def run(self, stop: threading.Event) -> None:
        period = 1.0 / self.camera.analyse_fps
        due = time.monotonic()
        while not stop.is_set():
            frame = self.source.latest()
            now = self._clock()
            if frame is None:
                if self.watch.check(now):
                    self._went_offline(now)
                stop.wait(min(period, 0.05))
                continue
            started = time.monotonic()
            self._guarded(frame.image, now)
            self.stats.busy_s += time.monotonic() - started
            due += period
            wait = due - time.monotonic()
            if wait < 0:
                self.stats.behind += 1
                due = time.monotonic()
            elif stop.wait(wait):
                break

    def _guarded(self, image: np.ndarray, now: datetime) -> None:
        """A frame that breaks the analysis is logged (rate-limited) and skipped."""
        try:
            self.analyse(image, now)
        except Exception:
            self.stats.failures += 1
            if self.stats.failures <= 5 or self.stats.failures % 1000 == 0:
                logger.exception(
                    "camera %s: analysis failed (%d times)",
                    self.camera.id,
                    self.stats.failures,
                )

    def analyse(self, image: np.ndarray, now: datetime) -> list[CameraEvent]:
        """One frame through the whole path; returns the events published."""
        if self.watch.frame(now) or not self._announced:
            self._status("online", now, "视频流正常")
            self._announced = True
        result = self.analytics.process(image, now)
        self.stats.analysed += 1
        alerts = [e for e in result.events if e.kind not in NO_SNAPSHOT and e.count]
        shot: str | None = None
        if alerts:
            shot = self._snapshot(image, result.tracks, now, alerts[0].kind, alerts)
        elif self._snapshot_due is None or now >= self._snapshot_due:
            self._snapshot(image, result.tracks, now, PERIODIC, [])
            self._snapshot_due = now + timedelta(seconds=self.camera.snapshot_s)
        published = []
        for found in result.events:
            event = self._event(found, shot if found in alerts else None)
            self.publisher.offer(self._topic("camera"), to_payload(event))
            published.append(event)
        self.stats.events += len(published)
        return published

    def _event(self, found: VisionEvent, snapshot: str | None) -> CameraEvent:
        return CameraEvent(
            event_id=uuid.uuid4(),
            ts=found.at,
            device=self.camera.id,
            kind=found.kind,  # type: ignore[arg-type]  # a detector str; pydantic checks the Literal
            zone=found.zone,
            count=min(found.count, 10_000),
            direction=found.direction,  # type: ignore[arg-type]  # likewise
            snapshot=snapshot,
        )

    def _snapshot(
        self,
        image: np.ndarray,
        tracks: Sequence[Track],
        now: datetime,
        kind: str,
        alerts: Sequence[VisionEvent],
    ) -> str:
        local = now.astimezone(self._tz).strftime("%Y-%m-%d %H:%M:%S")
        alert_zones = frozenset(e.zone for e in alerts if e.zone)
        drawn = annotate(
            image,
            tracks,
            self.analytics.zones,
            f"{self.camera.id}  {local}",
            alert_zones,
        )
        if drawn.shape[1] > SNAPSHOT_MAX_WIDTH:
            factor = SNAPSHOT_MAX_WIDTH / drawn.shape[1]
            drawn = cv2.resize(
                drawn, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA
            )
        name = SnapshotName(now, kind).text
        topic = snapshot_topic(self._site, self.camera.id, name)
        if self.publisher.offer(topic, encode_jpeg(drawn)):
            self.stats.snapshots += 1
        return name  # the event's `snapshot`: an id, never a URL

    def _went_offline(self, now: datetime) -> None:
        logger.warning(
            "camera %s: no frame for %.0f s", self.camera.id, self.watch.timeout_s
        )
        event = CameraEvent(
            event_id=uuid.uuid4(), ts=now, device=self.camera.id, kind="camera_offline"
        )
        self.publisher.offer(self._topic("camera"), to_payload(event))
        self._status("offline", now, "摄像机无画面")

    def _status(
        self, state: Literal["online", "offline"], now: datetime, reason: str
    ) -> None:
        event = StatusEvent(
            event_id=uuid.uuid4(),
            ts=now,
            device=self.camera.id,
            state=state,
            reason=reason,
        )
        self.publisher.offer(self._topic("status"), to_payload(event))

    def _topic(self, stream: str) -> str:
        return topic_for(self._site, stream, self.camera.id)
