"""The camera source: newest frame only (stale frames dropped), reopening with
backoff; the worker's offline and online status; the CLI's camera choice."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from harness.processes import wait_until
from streams.cameras.run import select_cameras
from streams.cameras.source import FrameSource
from streams.cameras.worker import CameraWorker
from streams.config.site import Site

FRAME = np.zeros((36, 64, 3), np.uint8)


class ScriptedCapture:
    """Delivers `frames` frames then fails (a stream that drops)."""

    def __init__(self, frames: int, opened: bool = True) -> None:
        self.left = frames
        self.opened = opened

    def isOpened(self) -> bool:  # OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, np.ndarray | None]:
        if self.left <= 0:
            return False, None
        self.left -= 1
        time.sleep(0.001)
        return True, FRAME

    def get(self, prop: int) -> float:
        return 0.0

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        pass


def test_newest_frame_only_and_reopen_after_failure() -> None:
    opened: list[int] = []
    script = [ScriptedCapture(0, opened=False), ScriptedCapture(50), ScriptedCapture(5)]

    def opener(url: str) -> ScriptedCapture:
        opened.append(1)
        return script[min(len(opened) - 1, len(script) - 1)]

    source = FrameSource("rtsp://camera.invalid/x", opener=opener, backoff=(0.01, 0.04))
    source.start()
    try:
        wait_until(lambda: source.stats.decoded >= 55, 5, "frames after reopening")
        frame = source.latest()
        assert frame is not None and frame.seq == source.stats.decoded
        assert source.latest() is None  # taken once
        assert source.stats.dropped >= 40  # nobody took them: replaced by newer
        assert source.stats.reopened >= 2
    finally:
        source.stop()


class ListPublisher:
    connected = True
    dropped = 0

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def offer(self, topic: str, payload: bytes) -> bool:
        self.sent.append((topic, payload))
        return True


class NoFrames:
    def latest(self) -> None:
        return None


def test_worker_reports_offline_then_online(sample_site: Site) -> None:
    camera = sample_site.cameras_by_id["cam-parking"]
    publisher = ListPublisher()
    now = [datetime(2026, 11, 20, 2, 0, tzinfo=UTC)]
    worker = CameraWorker(
        sample_site.id,
        camera,
        NoFrames(),  # type: ignore[arg-type]
        publisher,  # type: ignore[arg-type]
        tz=ZoneInfo("Asia/Shanghai"),
        offline_s=2,
        clock=lambda: now[0],
    )
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()
    try:
        time.sleep(0.1)
        now[0] += timedelta(seconds=3)
        wait_until(lambda: len(publisher.sent) >= 2, 5, "offline messages")
    finally:
        stop.set()
        thread.join(5)
    topics = [t.split("/")[2] for t, _ in publisher.sent]
    assert topics == ["camera", "status"]
    assert b'"camera_offline"' in publisher.sent[0][1]
    assert b'"offline"' in publisher.sent[1][1]
    worker.analyse(np.zeros((1080, 1920, 3), np.uint8), now[0])
    assert b'"online"' in publisher.sent[2][1]


def test_select_cameras_needs_a_source(sample_site: Site) -> None:
    with pytest.raises(ValueError, match="no camera has a source"):
        select_cameras(sample_site, [], [])
    with pytest.raises(ValueError, match="unknown camera"):
        select_cameras(sample_site, [], ["cam-nope=/tmp/x.avi"])
    with pytest.raises(ValueError, match="CAMERA=URL"):
        select_cameras(sample_site, [], ["cam-parking"])
    [chosen] = select_cameras(sample_site, [], ["cam-parking=rtsp://10.0.0.9/1"])
    assert (chosen.id, chosen.source) == ("cam-parking", "rtsp://10.0.0.9/1")
