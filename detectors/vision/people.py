"""People detection by background subtraction (MOG2) and foreground contours.

OpenCV 5 has no HOG people detector in its main module and no model weights may be
downloaded at run time, so people are moving foreground blobs of a person's shape:
MOG2 at a reduced analysis resolution (shadows dropped), an opening against noise, a
vertical closing that joins legs, torso and head, then one box per contour. A blob
much wider than a person is split into side-by-side people (two walking together).
MOG2 would absorb a person who stands still within seconds (a loiterer would vanish),
so the model does not learn where tracked people are: each frame is first classified
without learning, then (every `learn_every` frames) the model learns from the frame
with the tracked people's boxes replaced by the background image (selective update).
`CameraAnalytics` stops protecting a track after `protect_s`, so a parked object is
learned eventually.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.vision.geometry import Box

SHADOW_CUT = 200  # MOG2 marks shadows 127 and foreground 255


@dataclass(frozen=True, slots=True)
class PeopleParams:
    scale: float = 0.5  # analysis resolution / frame resolution
    history: int = 300  # MOG2 frames of memory
    var_threshold: float = 25.0
    min_height_px: int = 45  # full-frame pixels: shorter blobs are not people
    min_area_px: int = 900  # full-frame box area
    min_fill: float = 0.25  # foreground share of the box
    person_aspect: float = 0.45  # width / height of one standing person
    split_ratio: float = 1.25  # split a blob wider than this × one person
    warmup_frames: int = 10  # frames before the background model is trusted
    close_size: tuple[int, int] = (5, 17)  # (w, h) joining a person's parts
    learn_every: int = 2  # selective background update every n-th frame
    protect_pad: float = 0.2  # protected box grows by this share on each side

    def __post_init__(self) -> None:
        if not 0.1 <= self.scale <= 1.0:
            raise ValueError("scale must be within 0.1..1")


@dataclass(frozen=True, slots=True)
class Detection:
    """People found in one frame, with what later stages reuse."""

    boxes: tuple[Box, ...]  # full-frame pixels
    foreground: np.ndarray  # uint8 mask at analysis resolution, 255 = moving
    gray: np.ndarray  # the analysis-resolution grey frame
    scale: float


class PeopleDetector:
    """Stateful: the background model learns from every frame it is given."""

    def __init__(self, params: PeopleParams | None = None) -> None:
        self.params = params or PeopleParams()
        self._model = cv2.createBackgroundSubtractorMOG2(
            history=self.params.history,
            varThreshold=self.params.var_threshold,
            detectShadows=True,
        )
        self._open = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        self._close = cv2.getStructuringElement(
            cv2.MORPH_ELLIPSE, self.params.close_size
        )
        self.frames = 0

    def detect(self, frame: np.ndarray, protect: Sequence[Box] = ()) -> Detection:
        """People in `frame`; the background does not learn inside `protect` (boxes
        of tracked people, full-frame pixels)."""
        p = self.params
        small = frame
        if p.scale != 1.0:
            small = cv2.resize(
                frame, None, fx=p.scale, fy=p.scale, interpolation=cv2.INTER_AREA
            )
        raw = self._classify(small, protect)
        _, mask = cv2.threshold(raw, SHADOW_CUT, 255, cv2.THRESH_BINARY)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, self._open)
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, self._close)
        gray = small if small.ndim == 2 else cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        self.frames += 1
        if self.frames <= p.warmup_frames:
            return Detection((), mask, gray, p.scale)
        return Detection(tuple(self._boxes(mask)), mask, gray, p.scale)

    def _classify(self, small: np.ndarray, protect: Sequence[Box]) -> np.ndarray:
        p = self.params
        rate = 1.0 / min(self.frames + 1, p.history)
        if not protect or self.frames < p.warmup_frames:
            return np.asarray(self._model.apply(small, learningRate=rate))
        raw = np.asarray(self._model.apply(small, learningRate=0))
        if self.frames % p.learn_every == 0:
            patched = small.copy()
            background = self._model.getBackgroundImage()
            height, width = small.shape[:2]
            for box in protect:
                x0, y0, x1, y1 = _padded(box, p.scale, p.protect_pad, width, height)
                patched[y0:y1, x0:x1] = background[y0:y1, x0:x1]
            self._model.apply(patched, learningRate=min(1.0, rate * p.learn_every))
        return raw

    def _boxes(self, mask: np.ndarray) -> list[Box]:
        p, inv = self.params, 1.0 / self.params.scale
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        found: list[Box] = []
        for contour in contours:
            x, y, w, h = cv2.boundingRect(contour)
            box = Box(x, y, w, h).scaled(inv)
            if box.h < p.min_height_px or box.area < p.min_area_px:
                continue
            fill = cv2.contourArea(contour) / float(max(w * h, 1))
            if fill < p.min_fill:
                continue
            found += split_wide(box, p.person_aspect, p.split_ratio)
        return found


def _padded(
    box: Box, scale: float, pad: float, width: int, height: int
) -> tuple[int, int, int, int]:
    dx, dy = box.w * pad, box.h * pad
    x0 = max(0, int((box.x - dx) * scale))
    y0 = max(0, int((box.y - dy) * scale))
    x1 = min(width, int((box.x + box.w + dx) * scale) + 1)
    y1 = min(height, int((box.y + box.h + dy) * scale) + 1)
    return x0, y0, x1, y1


def split_wide(box: Box, aspect: float, ratio: float) -> list[Box]:
    """One box per person side by side when a blob is much wider than one person."""
    one = max(box.h * aspect, 1.0)
    if box.w <= one * ratio:
        return [box]
    n = max(2, round(box.w / one))
    step = box.w / n
    return [Box(round(box.x + i * step), box.y, round(step), box.h) for i in range(n)]
