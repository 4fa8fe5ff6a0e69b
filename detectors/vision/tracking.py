"""A small multi-object tracker: greedy nearest-feet matching between frames.

Each confirmed track keeps its first and last time (event time, an argument), so
zones can measure dwell (loitering) and counting lines see each step of the feet.
Matching is gated by distance relative to the person's height, so a person at the
back of the scene and one at the front use sensible pixel limits alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from detectors.vision.geometry import Box, Point


@dataclass(frozen=True, slots=True)
class TrackParams:
    max_step: float = 0.9  # feet may move this × box height between analysed frames
    confirm_hits: int = 2  # matched frames before a track counts as a person
    max_missed_s: float = 1.5  # keep an unmatched track this long (occlusion, stop)


@dataclass(slots=True, eq=False)
class Track:
    id: int
    box: Box
    first_seen: datetime
    last_seen: datetime
    hits: int = 1
    previous_feet: Point | None = None
    zones: dict[str, datetime] = field(default_factory=dict)  # zone → entered at
    start_feet: Point | None = None
    travelled: float = 0.0  # farthest the feet have been from where they started

    @property
    def feet(self) -> Point:
        return self.box.feet

    @property
    def walked(self) -> bool:
        """Moved at least half its height: a person, not a ghost of the background
        (a spot someone left, a shadow that a walker never was)."""
        return self.travelled >= 0.5 * self.box.h

    def move(self, box: Box, now: datetime) -> None:
        self.previous_feet = self.feet
        self.box, self.last_seen = box, now
        self.hits += 1
        start = self.start_feet or self.previous_feet
        self.start_feet = start
        dx, dy = box.feet[0] - start[0], box.feet[1] - start[1]
        self.travelled = max(self.travelled, (dx * dx + dy * dy) ** 0.5)

    def dwell(self, zone: str, now: datetime) -> timedelta:
        entered = self.zones.get(zone)
        return timedelta(0) if entered is None else now - entered


class Tracker:
    def __init__(self, params: TrackParams | None = None) -> None:
        self.params = params or TrackParams()
        self.tracks: dict[int, Track] = {}
        self._next_id = 1

    def update(self, boxes: Sequence[Box], now: datetime) -> list[Track]:
        """Match this frame's boxes; returns the confirmed tracks seen now."""
        ids = list(self.tracks)
        pairs = _greedy_pairs(
            [self.tracks[i] for i in ids], boxes, self.params.max_step
        )
        matched_boxes: set[int] = set()
        seen: list[Track] = []
        for t_index, b_index in pairs:
            track = self.tracks[ids[t_index]]
            track.move(boxes[b_index], now)
            matched_boxes.add(b_index)
            seen.append(track)
        for b_index, box in enumerate(boxes):
            if b_index not in matched_boxes:
                self.tracks[self._next_id] = Track(self._next_id, box, now, now)
                self._next_id += 1
        limit = timedelta(seconds=self.params.max_missed_s)
        gone = [i for i, t in self.tracks.items() if now - t.last_seen > limit]
        for track_id in gone:
            del self.tracks[track_id]
        return [t for t in seen if t.hits >= self.params.confirm_hits]


def _greedy_pairs(
    tracks: Sequence[Track], boxes: Sequence[Box], max_step: float
) -> list[tuple[int, int]]:
    """(track index, box index) pairs, nearest first, each within its gate."""
    if not tracks or not boxes:
        return []
    old = np.array([t.feet for t in tracks], dtype=np.float64)
    new = np.array([b.feet for b in boxes], dtype=np.float64)
    dist = np.linalg.norm(old[:, None, :] - new[None, :, :], axis=2)
    heights = np.array([max(t.box.h, 1) for t in tracks], dtype=np.float64)
    dist[dist > (heights * max_step)[:, None]] = np.inf
    pairs: list[tuple[int, int]] = []
    used_t: set[int] = set()
    used_b: set[int] = set()
    for flat in np.argsort(dist, axis=None):
        t_index, b_index = divmod(int(flat), len(boxes))
        if not np.isfinite(dist[t_index, b_index]):
            break
        if t_index in used_t or b_index in used_b:
            continue
        pairs.append((t_index, b_index))
        used_t.add(t_index)
        used_b.add(b_index)
    return pairs
