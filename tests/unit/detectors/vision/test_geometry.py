"""Polygons, counting lines, blob splitting and the tracker (pure, no frames)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from detectors.vision.geometry import Box, Line, polygon_of
from detectors.vision.people import split_wide
from detectors.vision.tracking import Tracker
from tests.vision_frames import T0

SQUARE = polygon_of([[100, 100], [200, 100], [200, 200], [100, 200]])


@pytest.mark.parametrize(
    ("point", "inside"),
    [((150, 150), True), ((100, 150), True), ((99, 150), False), ((201, 150), False)],
)
def test_feet_in_polygon_border_counts_inside(
    point: tuple[float, float], inside: bool
) -> None:
    assert SQUARE.contains(point) is inside


def test_polygon_scaled_and_area() -> None:
    assert SQUARE.area() == pytest.approx(10_000)
    assert SQUARE.scaled(0.5, 2).contains((75, 350))


def test_feet_are_bottom_centre() -> None:
    assert Box(10, 20, 30, 60).feet == (25.0, 80.0)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ((150, 90), (150, 110), "in"),  # down across a left-to-right line
        ((150, 110), (150, 90), "out"),
        ((150, 90), (150, 99), None),  # not across yet
        ((250, 90), (250, 110), None),  # beside the segment
        ((150, 100), (150, 110), None),  # starts on the line
    ],
)
def test_line_crossing_direction(
    before: tuple[float, float], after: tuple[float, float], expected: str | None
) -> None:
    line = Line((100, 100), (200, 100))
    assert line.crossing(before, after) == expected


def test_reversed_line_swaps_in_and_out() -> None:
    assert Line((200, 100), (100, 100)).crossing((150, 90), (150, 110)) == "out"


@pytest.mark.parametrize(
    ("width", "people"), [(40, 1), (49, 1), (51, 2), (90, 2), (130, 3)]
)
def test_wide_blob_split_into_people(width: int, people: int) -> None:
    # one person 100 px tall is 40 px wide (aspect 0.4); split above 1.25 × 40
    assert len(split_wide(Box(0, 0, width, 100), 0.4, 1.25)) == people


def test_tracker_keeps_ids_and_confirms_after_two_hits() -> None:
    tracker = Tracker()
    first = tracker.update([Box(100, 100, 20, 50)], T0)
    assert first == []  # one hit: not confirmed yet
    second = tracker.update([Box(108, 102, 20, 50)], T0 + timedelta(seconds=0.2))
    assert [t.id for t in second] == [1]
    assert second[0].previous_feet == (110.0, 150.0)


def test_tracker_does_not_jump_to_a_far_box_and_forgets_lost_tracks() -> None:
    tracker = Tracker()
    tracker.update([Box(100, 100, 20, 50)], T0)
    tracker.update([Box(400, 100, 20, 50)], T0 + timedelta(seconds=0.2))
    assert sorted(tracker.tracks) == [1, 2]
    tracker.update([], T0 + timedelta(seconds=2))
    assert tracker.tracks == {}
