"""The annotated snapshot: person boxes, zone outlines, counting lines and a label.

OpenCV's Hershey fonts draw ASCII only, so the burned-in label is the camera id and
the local time (`label`); the Chinese names are on the pages that show the image.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from detectors.vision.scene import ZoneSpec
from detectors.vision.tracking import Track

ZONE_COLOURS: dict[str, tuple[int, int, int]] = {  # BGR
    "restricted": (40, 40, 230),
    "queue": (0, 200, 255),
    "entrance": (230, 160, 40),
    "public": (160, 200, 60),
    "parking": (200, 120, 200),
}
PERSON = (60, 255, 60)
ALERT = (0, 0, 255)


def annotate(
    frame: np.ndarray,
    tracks: Sequence[Track],
    zones: Sequence[ZoneSpec],
    label: str,
    alert_zones: frozenset[str] = frozenset(),
) -> np.ndarray:
    """A copy of `frame` with the analysis drawn on it."""
    out = frame.copy()
    thick = max(1, round(out.shape[0] / 360))
    for zone in zones:
        pts = np.round(np.asarray(zone.polygon.points)).astype(np.int32)
        colour = ZONE_COLOURS.get(zone.kind, PERSON)
        if zone.id in alert_zones:
            colour = ALERT
        cv2.polylines(out, [pts], True, colour, thick, cv2.LINE_AA)
        x, y = int(pts[:, 0].min()), int(pts[:, 1].min())
        _text(out, zone.id, (x + 4, y + 18 * thick), colour, thick)
        if zone.line is not None:
            start = (int(zone.line.a[0]), int(zone.line.a[1]))
            end = (int(zone.line.b[0]), int(zone.line.b[1]))
            cv2.arrowedLine(
                out, start, end, colour, thick + 1, cv2.LINE_AA, tipLength=0.03
            )
    for track in tracks:
        b = track.box
        in_alert = any(z in alert_zones for z in track.zones)
        colour = ALERT if in_alert else PERSON
        cv2.rectangle(out, (b.x, b.y), (b.x + b.w, b.y + b.h), colour, thick)
        _text(out, str(track.id), (b.x, max(b.y - 4, 12)), colour, thick)
    _text(out, label, (8, out.shape[0] - 10), (255, 255, 255), thick, shade=True)
    return out


def _text(
    image: np.ndarray,
    text: str,
    origin: tuple[int, int],
    colour: tuple[int, int, int],
    thick: int,
    shade: bool = False,
) -> None:
    scale = 0.45 * thick
    if shade:
        (w, h), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
        x, y = origin
        cv2.rectangle(image, (x - 4, y - h - 6), (x + w + 4, y + 6), (0, 0, 0), -1)
    cv2.putText(
        image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA
    )


def encode_jpeg(image: np.ndarray, quality: int = 80) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buffer.tobytes()
