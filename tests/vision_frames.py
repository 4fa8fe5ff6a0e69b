"""Synthetic camera frames for the vision detectors' unit tests: a fixed textured
background (paving, kerbs, a building edge) and people as dark upright boxes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import cv2
import numpy as np

W, H = 640, 360
T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PERSON = (24, 64)  # width, height in pixels


def background(seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    frame = np.full((H, W, 3), 150, np.uint8)
    noise = rng.integers(-12, 13, size=(H, W, 1), dtype=np.int16)
    frame = np.clip(frame.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    for x in range(0, W, 80):  # paving joints
        cv2.line(frame, (x, 0), (x, H), (110, 110, 110), 2)
    for y in range(40, H, 60):
        cv2.line(frame, (0, y), (W, y), (120, 120, 120), 2)
    cv2.rectangle(frame, (20, 10), (250, 90), (70, 90, 140), -1)  # a building
    cv2.rectangle(frame, (420, 20), (600, 70), (60, 60, 60), 3)
    return frame


def scene(
    base: np.ndarray, people: Sequence[tuple[int, int]], size: tuple[int, int] = PERSON
) -> np.ndarray:
    """`base` with a person whose feet are at each (x, y)."""
    frame = base.copy()
    w, h = size
    for x, y in people:
        cv2.rectangle(frame, (x - w // 2, y - h), (x + w // 2, y), (35, 30, 30), -1)
        cv2.circle(frame, (x, y - h - 8), 9, (60, 80, 120), -1)
    return frame


def at(i: int, fps: float = 10.0) -> datetime:
    return T0 + timedelta(seconds=i / fps)
