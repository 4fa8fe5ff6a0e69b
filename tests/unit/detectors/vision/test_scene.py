"""The whole vision path on synthetic frames: people, intrusion, loitering, line
crossing, queue density, tampering and offline (time is an argument)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import cv2
import numpy as np
import pytest

from detectors.vision.analytics import AnalyticsParams, CameraAnalytics
from detectors.vision.geometry import Line, polygon_of
from detectors.vision.offline import OfflineWatch
from detectors.vision.scene import SceneParams, VisionEvent, ZoneSpec
from detectors.vision.tamper import TamperDetector, TamperParams
from tests.vision_frames import T0, H, W, at, background, scene

BASE = background()
RIGHT_HALF = polygon_of([[300, 150], [W, 150], [W, H], [300, H]])
WHOLE = polygon_of([[0, 0], [W, 0], [W, H], [0, H]])


def analytics(*zones: ZoneSpec, **scene_params: float) -> CameraAnalytics:
    params = SceneParams(
        **({"report_s": 2, "loiter_s": 3, "clear_s": 1} | scene_params)
    )
    return CameraAnalytics(zones, (W, H), AnalyticsParams(scene=params))


def run(
    cam: CameraAnalytics, frames: Iterable[np.ndarray], start: int = 0
) -> list[VisionEvent]:
    events: list[VisionEvent] = []
    for i, frame in enumerate(frames, start=start):
        events += cam.process(frame, at(i)).events
    return events


def warm(cam: CameraAnalytics, n: int = 20) -> None:
    run(cam, [BASE] * n)


def of(events: list[VisionEvent], kind: str) -> list[tuple[str | None, int]]:
    return [(e.zone, e.count) for e in events if e.kind == kind]


def test_intrusion_raised_when_feet_enter_and_cleared_when_zone_empty() -> None:
    cam = analytics(ZoneSpec("vault", "restricted", RIGHT_HALF))
    warm(cam)
    walk = [scene(BASE, [(100 + 10 * i, 300)]) for i in range(40)]  # x 100 → 490
    events = run(cam, walk, start=20)
    assert of(events, "zone_intrusion") == [("vault", 1)]
    first = next(e for e in events if e.kind == "zone_intrusion")
    # feet cross x = 300 at step 20 (+ a frame or two for the tracker)
    assert at(40) <= first.at <= at(43)
    later = run(cam, [BASE] * 20, start=60)
    assert of(later, "zone_intrusion") == [("vault", 0)]


def test_no_intrusion_outside_the_zone_or_in_other_zone_kinds() -> None:
    cam = analytics(
        ZoneSpec("vault", "restricted", RIGHT_HALF),
        ZoneSpec("hall", "public", WHOLE),
    )
    warm(cam)
    walk = [scene(BASE, [(40 + 6 * i, 300)]) for i in range(40)]  # x 40 → 274
    events = run(cam, walk, start=20)
    assert of(events, "zone_intrusion") == []
    counts = of(events, "people_count")
    assert ("hall", 1) in counts and ("vault", 0) in counts


def test_loitering_after_dwell_time_not_in_queues() -> None:
    cam = analytics(
        ZoneSpec("lobby", "public", WHOLE), ZoneSpec("line", "queue", WHOLE)
    )
    warm(cam)
    walk_in = [scene(BASE, [(100 + 10 * i, 300)]) for i in range(22)]
    sway = [scene(BASE, [(320 + (i % 4) * 3, 300)]) for i in range(60)]  # 6 s
    events = run(cam, walk_in + sway, start=20)
    loiter = [e for e in events if e.kind == "loitering"]
    assert [(e.zone, e.count) for e in loiter] == [("lobby", 1)]
    assert loiter[0].at - at(20) >= timedelta(seconds=3)
    gone = run(cam, [BASE] * 20, start=102)
    assert of(gone, "loitering") == [("lobby", 0)]


def test_line_crossing_counts_each_direction() -> None:
    gate = Line((320, 0), (320, H))  # top to bottom: right-to-left walking is "in"
    cam = analytics(ZoneSpec("lanes", "entrance", WHOLE, gate), report_s=1)
    warm(cam)
    there = [scene(BASE, [(100 + 12 * i, 300)]) for i in range(40)]
    back = [scene(BASE, [(580 - 12 * i, 300)]) for i in range(40)]
    events = run(cam, there + back + [BASE] * 15, start=20)
    crossings = [(e.direction, e.count) for e in events if e.kind == "line_cross"]
    assert crossings == [("out", 1), ("in", 1)]
    entered = sum(n for z, n in of(events, "people_count") if z == "lanes")
    assert entered == 1  # the same person stayed in the zone: entered once


@pytest.mark.parametrize("people", [3, 6])
def test_queue_density_counts_a_packed_queue(people: int) -> None:
    cam = analytics(ZoneSpec("c1-queue", "queue", WHOLE), report_s=3)
    warm(cam)
    singles = [scene(BASE, [(60 + 10 * i, 200)]) for i in range(15)]  # learn size
    run(cam, singles, start=20)
    walk_in = [
        scene(BASE, [(50 + 10 * i + 30 * k, 320) for k in range(people)])
        for i in range(10)
    ]
    packed = [
        scene(BASE, [(150 + 30 * k + (i % 3) * 2, 320) for k in range(people)])
        for i in range(60)
    ]
    events = run(cam, walk_in + packed, start=35)
    reports = [n for z, n in of(events, "crowd_density") if z == "c1-queue"]
    assert reports and abs(reports[-1] - people) <= 1, reports


def tamper_run(
    frames: Iterable[np.ndarray], params: TamperParams | None = None
) -> list[tuple[str, bool, float]]:
    detector = TamperDetector(params)
    out = []
    for i, frame in enumerate(frames):
        gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        for c in detector.update(gray, T0 + timedelta(seconds=i)):
            out.append((c.kind, c.active, (c.at - T0).total_seconds()))
    return out


def noisy(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [
        np.clip(BASE + rng.integers(-3, 4, BASE.shape), 0, 255).astype(np.uint8)
        for _ in range(n)
    ]


def test_covered_raised_after_hold_and_cleared_after_hold() -> None:
    grey = np.full_like(BASE, 40)
    changes = tamper_run(noisy(10) + [grey] * 10 + noisy(10))
    assert changes == [
        ("camera_covered", True, 15.0),  # covered at 10 s, held 5 s
        ("camera_covered", False, 25.0),
    ]


def test_blurred_and_moved_are_told_apart() -> None:
    blurred = cv2.GaussianBlur(BASE, (31, 31), 0)
    moved = cv2.warpAffine(
        BASE, np.array([[1, 0, 70], [0, 1, 40]], dtype=np.float32), (W, H)
    )
    changes = tamper_run(noisy(10) + [blurred] * 8 + noisy(8) + [moved] * 8)
    kinds = [(kind, active) for kind, active, _ in changes]
    assert kinds == [
        ("camera_blurred", True),
        ("camera_blurred", False),
        ("camera_moved", True),
    ]


def test_people_walking_by_are_not_tampering() -> None:
    walk = [scene(BASE, [(60 + 25 * (i % 20), 300), (500, 200)]) for i in range(30)]
    assert tamper_run(noisy(10) + walk) == []


def test_tampering_reaches_the_event_stream() -> None:
    cam = analytics(ZoneSpec("hall", "public", WHOLE))
    frames = [BASE] * 60 + [np.full_like(BASE, 30)] * 80  # 10 fps: 6 s, then 8 s
    events = run(cam, frames)
    assert of(events, "camera_covered") == [(None, 1)]


@pytest.mark.parametrize(("silence_s", "offline"), [(19.9, False), (20.0, True)])
def test_offline_after_timeout(silence_s: float, offline: bool) -> None:
    watch = OfflineWatch(timeout_s=20)
    watch.check(T0)
    watch.frame(T0)
    assert watch.check(T0 + timedelta(seconds=silence_s)) is offline
    if offline:
        assert watch.check(T0 + timedelta(seconds=30)) is False  # reported once
        assert watch.frame(T0 + timedelta(seconds=31)) is True  # back online


def test_offline_when_no_frame_ever_arrives() -> None:
    watch = OfflineWatch(timeout_s=5)
    assert watch.check(T0) is False
    assert watch.check(T0 + timedelta(seconds=5)) is True


@pytest.mark.parametrize("people", [3, 6, 9])
def test_queue_density_of_an_advancing_queue(people: int) -> None:
    """A queue shuffling forward all the time turns into MOG2 background; the empty
    view still sees it (measured: 4, 8, 12 reported for 3, 6, 9 people)."""
    zone = polygon_of([[100, 200], [560, 200], [560, H], [100, H]])
    cam = analytics(ZoneSpec("c1-queue", "queue", zone), report_s=3)
    warm(cam)
    run(cam, [scene(BASE, [(60 + 10 * i, 200)]) for i in range(15)], start=20)
    advancing = [
        scene(
            BASE, [(140 + (2 * i + 30 * k) % (30 * people), 320) for k in range(people)]
        )
        for i in range(90)
    ]
    events = run(cam, advancing, start=35)
    reports = [n for z, n in of(events, "crowd_density") if z == "c1-queue"]
    assert len(reports) == 3
    assert all(abs(n - people) <= max(1, 0.35 * people) for n in reports), reports


def test_a_change_of_resolution_restarts_the_analysis() -> None:
    cam = analytics(ZoneSpec("vault", "restricted", RIGHT_HALF))
    warm(cam)
    small = cv2.resize(BASE, (W // 2, H // 2))
    result = cam.process(small, at(30))
    assert result.boxes == () and cam.scene is not None
    assert cam.zones[0].polygon.points[0] == (150.0, 75.0)  # zones rescaled
