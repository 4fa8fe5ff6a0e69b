"""Masking rules (GB/T 35273) per role: pure functions, no server."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dashboard import masking
from dashboard.masking import (
    mask_card,
    mask_details,
    mask_faces,
    mask_for,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_plate,
)


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("浙C12312", "浙C·***12"),
        ("浙C·12312", "浙C·***12"),
        ("浙c 12312", "浙C·***12"),
        ("浙CD12345", "浙C·****45"),
        ("ABC", "***"),
    ],
)
def test_plates(raw: str, masked: str) -> None:
    assert mask_plate(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"),
     ("John Smith", "J*** S****"), ("", "")],
)  # fmt: skip
def test_names(raw: str, masked: str) -> None:
    assert mask_name(raw) == masked


def test_id_phone_card() -> None:
    assert mask_id_number("11010519491231002X") == "110***********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138-1234-5678") == "138****5678"
    assert mask_card("F-00012345") == "******2345"
    assert mask_card("123") == "***"


@pytest.mark.parametrize(
    ("role", "full"),
    [("security", True), ("duty", True), ("admin", True), ("leader", False),
     ("kiosk", False), ("nobody", False)],
)  # fmt: skip
def test_plate_per_role(role: str, full: bool) -> None:
    value = mask_for(role, "plate", "浙C12312")
    assert (value == "浙C12312") is full
    if not full:
        assert value == "浙C·***12"


def test_every_field_masked_for_kiosk_and_leader() -> None:
    for role in ("kiosk", "leader"):
        for field in masking.FULL_VIEW:
            if field != "face":
                assert mask_for(role, field, "13812345678") != "13812345678"


def test_alarm_details_masked_by_key() -> None:
    details = {"credential": "浙C12312", "gate": "g1", "count": 3, "host_name": "李四"}
    assert mask_details("leader", details) == {
        "credential": "浙C·***12", "gate": "g1", "count": 3, "host_name": "李*",
    }  # fmt: skip
    assert mask_details("security", details) == details


def _jpeg() -> bytes:
    rng = np.random.default_rng(7)
    frame = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", frame)
    assert ok
    return data.tobytes()


def test_faces_pixelated_in_frame_and_jpeg() -> None:
    frame = np.random.default_rng(1).integers(0, 255, (100, 100, 3), dtype=np.uint8)
    masked = mask_faces(frame, [(30, 30, 40, 40)])
    assert isinstance(masked, np.ndarray)
    box = masked[30:70, 30:70].astype(int)
    assert box.std() < frame[30:70, 30:70].std()  # detail gone inside the box
    assert np.array_equal(masked[:10, :10], frame[:10, :10])  # untouched outside
    assert np.array_equal(frame, frame.copy())  # input unchanged
    out = mask_faces(_jpeg(), [(-10, -10, 50, 50), (150, 110, 40, 40)])  # clipped
    assert isinstance(out, bytes) and out[:2] == b"\xff\xd8"
    assert mask_faces(b"not a jpeg", [(0, 0, 5, 5)]) == b""
