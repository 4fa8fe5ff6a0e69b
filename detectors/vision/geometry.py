"""Boxes, polygons and counting lines in frame pixels (pure numpy/cv2 math)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in frame pixels; a person stands on its bottom centre."""

    x: int
    y: int
    w: int
    h: int

    @property
    def feet(self) -> Point:
        return (self.x + self.w / 2.0, float(self.y + self.h))

    @property
    def area(self) -> int:
        return self.w * self.h

    def scaled(self, factor: float) -> Box:
        return Box(
            round(self.x * factor),
            round(self.y * factor),
            round(self.w * factor),
            round(self.h * factor),
        )


@dataclass(frozen=True, slots=True)
class Polygon:
    points: tuple[Point, ...]

    def __post_init__(self) -> None:
        if len(self.points) < 3:
            raise ValueError("a polygon needs at least 3 points")

    def contains(self, point: Point) -> bool:
        """True when the point is inside or on the border."""
        contour = np.asarray(self.points, dtype=np.float32).reshape(-1, 1, 2)
        where = (float(point[0]), float(point[1]))
        inside = cv2.pointPolygonTest(contour, where, False)
        return bool(inside >= 0)

    def scaled(self, sx: float, sy: float) -> Polygon:
        return Polygon(tuple((x * sx, y * sy) for x, y in self.points))

    def area(self) -> float:
        xs = np.array([p[0] for p in self.points])
        ys = np.array([p[1] for p in self.points])
        return float(0.5 * abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))

    def mask(self, height: int, width: int, factor: float = 1.0) -> np.ndarray:
        """A uint8 mask (255 inside) at `factor` × the frame's resolution."""
        out = np.zeros((height, width), dtype=np.uint8)
        pts = np.round(np.asarray(self.points) * factor).astype(np.int32)
        cv2.fillPoly(out, [pts], 255)
        return out


@dataclass(frozen=True, slots=True)
class Line:
    """A counting line from `a` to `b`. Walking from a to b, a crossing from the left
    side to the right side is `in`; right to left is `out` (image coordinates, y down:
    for a line drawn left → right, `in` means moving down the frame)."""

    a: Point
    b: Point

    def side(self, p: Point) -> float:
        """> 0 right of a→b, < 0 left, 0 on the line (image coordinates)."""
        (ax, ay), (bx, by) = self.a, self.b
        return (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)

    def crossing(self, before: Point, after: Point) -> str | None:
        """'in', 'out' or None for one step of a track from `before` to `after`."""
        s0, s1 = self.side(before), self.side(after)
        if s0 == 0 or s1 == 0 or (s0 > 0) == (s1 > 0):
            return None
        if not _segments_cross(before, after, self.a, self.b):
            return None
        return "in" if s1 > 0 else "out"

    def scaled(self, sx: float, sy: float) -> Line:
        return Line((self.a[0] * sx, self.a[1] * sy), (self.b[0] * sx, self.b[1] * sy))


def _orient(p: Point, q: Point, r: Point) -> float:
    return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])


def _segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0)


def polygon_of(points: Sequence[Sequence[float]]) -> Polygon:
    return Polygon(tuple((float(p[0]), float(p[1])) for p in points))
