"""A camera source read by OpenCV in its own thread: RTSP, HTTP (MJPEG) or a file.

The reader thread decodes continuously and keeps only the newest frame, so the
analysis always gets the present and never works through a backlog (frames it did
not take are counted as dropped). A source that fails to open or stops delivering
is reopened with exponential backoff (1 s doubling to 30 s), logged once per state
change. A file plays at its own frame rate, looping when `loop` is set (the
simulator plays a video file as a camera this way).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

logger = logging.getLogger(__name__)
OPEN_TIMEOUT_MS = 10_000
READ_TIMEOUT_MS = 10_000


class Capture(Protocol):
    def isOpened(self) -> bool: ...  # OpenCV's name
    def read(self) -> tuple[bool, np.ndarray | None]: ...
    def get(self, prop: int) -> float: ...
    def set(self, prop: int, value: float) -> bool: ...
    def release(self) -> None: ...


def open_capture(url: str) -> Capture:
    """cv2.VideoCapture with open/read timeouts for network sources."""
    if Path(url).exists():
        return cv2.VideoCapture(url)
    params = [
        cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
        OPEN_TIMEOUT_MS,
        cv2.CAP_PROP_READ_TIMEOUT_MSEC,
        READ_TIMEOUT_MS,
    ]
    return cv2.VideoCapture(url, cv2.CAP_ANY, params)


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray
    seq: int
    captured: float  # time.monotonic() when decoded


@dataclass(slots=True)
class SourceStats:
    decoded: int = 0
    dropped: int = 0  # decoded but replaced before the analysis took it
    reopened: int = 0
    open: bool = False


class FrameSource:
    def __init__(
        self,
        url: str,
        *,
        loop: bool = True,
        opener: Callable[[str], Capture] = open_capture,
        backoff: tuple[float, float] = (1.0, 30.0),
        label: str = "",
    ) -> None:
        self.url = url
        self._loop = loop
        self._opener = opener
        self._backoff = backoff
        self._label = label or url
        self._lock = threading.Lock()
        self._frame: Frame | None = None
        self._taken = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"source-{self._label}", daemon=True
        )
        self.stats = SourceStats()

    def start(self) -> FrameSource:
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def latest(self) -> Frame | None:
        """The newest frame not yet taken, or None."""
        with self._lock:
            frame = self._frame
            if frame is None or frame.seq <= self._taken:
                return None
            self._taken = frame.seq
            return frame

    def _run(self) -> None:
        delay, failing = self._backoff[0], False
        while not self._stop.is_set():
            capture = self._opener(self.url)
            if capture.isOpened():
                if failing:
                    logger.info("camera source %s open again", self._label)
                failing, delay = False, self._backoff[0]
                self.stats.open = True
                delivered = self._read_all(capture)
                self.stats.open = False
                if delivered and not self._stop.is_set():
                    logger.warning("camera source %s stopped; reopening", self._label)
            elif not failing:
                logger.warning("camera source %s cannot be opened", self._label)
                failing = True
            capture.release()
            if self._stop.wait(delay):
                return
            self.stats.reopened += 1
            delay = min(delay * 2, self._backoff[1])

    def _read_all(self, capture: Capture) -> int:
        """Read until the source ends or fails; returns the frames decoded."""
        is_file = Path(self.url).exists()
        fps = capture.get(cv2.CAP_PROP_FPS) if is_file else 0.0
        period = 1.0 / fps if 0 < fps <= 240 else 0.0
        started, n, count = time.monotonic(), 0, 0
        while not self._stop.is_set():
            ok, image = capture.read()
            if not ok or image is None:
                if is_file and self._loop and count > 0:
                    capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
                    continue
                return count
            count += 1
            if period:
                n += 1
                wait = started + n * period - time.monotonic()
                if wait > 0 and self._stop.wait(wait):
                    return count
            self._publish(image)
        return count

    def _publish(self, image: np.ndarray) -> None:
        with self._lock:
            previous = self._frame
            seq = 1 if previous is None else previous.seq + 1
            if previous is not None and previous.seq > self._taken:
                self.stats.dropped += 1
            self._frame = Frame(image, seq, time.monotonic())
            self.stats.decoded += 1
