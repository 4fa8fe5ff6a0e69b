"""Camera tampering: covered, blurred or moved, judged against a learned reference.

- covered: the picture is nearly uniform (grey standard deviation below `flat_std`):
  a hand, a cap, paint or a bag over the lens, or a camera turned to face a wall;
- blurred: sharpness (variance of the Laplacian) below `blur_ratio` × the reference
  (defocused, smeared or fogged lens);
- moved: fewer than `moved_overlap` of the reference's edges are still where they were
  (the camera was turned or knocked).
A state must hold for `hold_s` before it is reported and normal again for `hold_s`
before it is cleared. The reference is learned over the first `learn_s` seconds and
then follows slow changes (daylight) only while the picture is normal. A camera
repositioned on purpose relearns when its worker restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import cv2
import numpy as np

TAMPER_KINDS = ("camera_covered", "camera_blurred", "camera_moved")


@dataclass(frozen=True, slots=True)
class TamperParams:
    flat_std: float = 8.0
    blur_ratio: float = 0.25
    moved_overlap: float = 0.35
    hold_s: float = 5.0
    learn_s: float = 5.0
    check_every_s: float = 1.0
    follow: float = 0.05  # reference update weight per check while normal


@dataclass(frozen=True, slots=True)
class TamperChange:
    kind: str  # one of TAMPER_KINDS
    active: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class TamperMeasure:
    std: float
    sharpness: float
    overlap: float


def measure(gray: np.ndarray, reference_edges: np.ndarray | None) -> TamperMeasure:
    """Picture statistics of one grey frame (against the reference's edges)."""
    std = float(gray.std())
    sharpness = float(cv2.Laplacian(gray, cv2.CV_32F).var())
    overlap = 1.0
    if reference_edges is not None:
        edges = cv2.dilate(cv2.Canny(gray, 50, 150), np.ones((5, 5), np.uint8))
        total = int(cv2.countNonZero(reference_edges))
        if total:
            found = cv2.countNonZero(cv2.bitwise_and(edges, reference_edges))
            overlap = found / total
    return TamperMeasure(std, sharpness, overlap)


class TamperDetector:
    def __init__(self, params: TamperParams | None = None) -> None:
        self.params = params or TamperParams()
        self.state: str | None = None  # the reported tamper kind, None = normal
        self._edges: np.ndarray | None = None  # float32 edge frequency
        self._sharpness = 0.0
        self._started: datetime | None = None
        self._last_check: datetime | None = None
        self._candidate: str | None = None
        self._candidate_since: datetime | None = None

    def update(self, gray: np.ndarray, now: datetime) -> list[TamperChange]:
        p = self.params
        if self._last_check and now - self._last_check < timedelta(
            seconds=p.check_every_s
        ):
            return []
        self._last_check = now
        if self._started is None:
            self._started = now
        if now - self._started < timedelta(seconds=p.learn_s) or self._edges is None:
            self._learn(gray, weight=0.3 if self._edges is not None else 1.0)
            return []
        m = measure(gray, self._reference())
        judged = self.judge(m)
        if judged is None and self.state is None:
            self._learn(gray, weight=p.follow)
        return self._settle(judged, now)

    def judge(self, m: TamperMeasure) -> str | None:
        p = self.params
        if m.std < p.flat_std:
            return "camera_covered"
        if self._sharpness > 0 and m.sharpness < p.blur_ratio * self._sharpness:
            return "camera_blurred"
        if m.overlap < p.moved_overlap:
            return "camera_moved"
        return None

    def _settle(self, judged: str | None, now: datetime) -> list[TamperChange]:
        if judged != self._candidate:
            self._candidate, self._candidate_since = judged, now
        since = self._candidate_since or now
        if judged == self.state or now - since < timedelta(seconds=self.params.hold_s):
            return []
        changes = []
        if self.state is not None:
            changes.append(TamperChange(self.state, False, now))
        if judged is not None:
            changes.append(TamperChange(judged, True, now))
        self.state = judged
        return changes

    def _learn(self, gray: np.ndarray, weight: float) -> None:
        edges = (cv2.Canny(gray, 50, 150) > 0).astype(np.float32)
        sharpness = float(cv2.Laplacian(gray, cv2.CV_32F).var())
        if self._edges is None:
            self._edges, self._sharpness = edges, sharpness
            return
        self._edges = (1 - weight) * self._edges + weight * edges
        self._sharpness = (1 - weight) * self._sharpness + weight * sharpness

    def _reference(self) -> np.ndarray | None:
        """Edges present in most reference frames (static structure, not people)."""
        if self._edges is None:
            return None
        return ((self._edges >= 0.5) * 255).astype(np.uint8)
