"""Desensitisation of personal data (GB/T 35273 去标识化/脱敏), decided on the server.

Pure functions (no I/O): which role sees which field in full (`FULL_VIEW`), how
each kind of value is masked, and `mask_faces` for snapshot JPEGs or frames. A
screen, an export or a snapshot route calls `mask_for(role, field, value)` or
`mask_faces(...)` before anything leaves the server; exports follow the same table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import cv2
import numpy as np

Field = Literal["name", "id_number", "phone", "plate", "card", "credential", "face"]
# Who sees each field in full; everyone else sees it masked (minimum necessary).
FULL_VIEW: Mapping[Field, frozenset[str]] = {
    "name": frozenset({"duty", "security", "admin"}),
    "id_number": frozenset({"security"}),
    "phone": frozenset({"duty", "security"}),
    "plate": frozenset({"duty", "security", "admin"}),
    "card": frozenset({"security", "admin"}),
    "credential": frozenset({"security", "admin"}),
    "face": frozenset({"security"}),
}
# Alarm detail keys that hold personal data, and their field.
DETAIL_FIELDS: Mapping[str, Field] = {
    "credential": "credential",
    "plate": "plate",
    "visitor_name": "name",
    "host_name": "name",
    "name": "name",
    "phone": "phone",
    "id_number": "id_number",
    "card": "card",
}
_PLATE = re.compile(r"^([\u4e00-\u9fff])([A-Z])[·• ]?([A-Z0-9]{5,6})$")
_PLATE_TAIL = 2


def sees_full(role: str, field: Field) -> bool:
    return role in FULL_VIEW[field]


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; Latin: John Smith → J*** S****."""
    text = name.strip()
    if not text:
        return text
    if " " in text:
        return " ".join(w[0] + "*" * (len(w) - 1) for w in text.split())
    if len(text) <= 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def mask_id_number(value: str) -> str:
    """18-digit resident ID: first 3 and last 4 kept (110***********123X)."""
    text = value.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_phone(value: str) -> str:
    """138****5678 (mobile); other numbers keep only their last 4 digits."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def mask_plate(value: str) -> str:
    """浙C12312 → 浙C·***12 (new-energy 浙CD12345 → 浙C·****45)."""
    text = value.strip().upper().replace(" ", "")
    found = _PLATE.match(text)
    if found is None:
        return mask_card(text)
    province, city, serial = found.groups()
    hidden = "*" * (len(serial) - _PLATE_TAIL)
    return f"{province}{city}·{hidden}{serial[-_PLATE_TAIL:]}"


def mask_card(value: str) -> str:
    """Card numbers, face ids and QR tokens: only the last 4 characters."""
    text = value.strip()
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def mask_credential(value: str) -> str:
    """A gate credential of unknown kind: a plate when it looks like one."""
    text = value.strip().upper().replace(" ", "")
    return mask_plate(text) if _PLATE.match(text) else mask_card(value)


_MASKERS = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "plate": mask_plate,
    "card": mask_card,
    "credential": mask_credential,
}


def mask_for(role: str, field: Field, value: str) -> str:
    """The value as this role may see it."""
    if sees_full(role, field) or field == "face":
        return value
    return _MASKERS[field](value)


def mask_details(role: str, details: Mapping[str, object]) -> dict[str, object]:
    """Alarm details with personal fields masked for this role."""
    masked: dict[str, object] = {}
    for key, value in details.items():
        field = DETAIL_FIELDS.get(str(key))
        masked[key] = (
            mask_for(role, field, value)
            if field is not None and isinstance(value, str)
            else value
        )
    return masked


Box = Sequence[int]  # x, y, width, height in pixels


def mask_faces(
    image: bytes | np.ndarray, boxes: Iterable[Box], block_px: int = 12
) -> bytes | np.ndarray:
    """Pixelate each face box (enlarged by 20 % to cover hair and chin). A JPEG in
    gives a JPEG out; a frame in gives a new frame. Boxes are clipped to the
    image; an unreadable JPEG gives empty bytes (the caller must not serve it)."""
    frame = _decode(image) if isinstance(image, bytes) else image.copy()
    if frame is None:
        return b""
    height, width = frame.shape[:2]
    for box in boxes:
        x, y, w, h = (int(v) for v in box[:4])
        pad_x, pad_y = w // 5, h // 5
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        x1, y1 = min(width, x + w + pad_x), min(height, y + h + pad_y)
        if x1 <= x0 or y1 <= y0:
            continue
        region = frame[y0:y1, x0:x1]
        small = cv2.resize(
            region,
            (max(1, (x1 - x0) // block_px), max(1, (y1 - y0) // block_px)),
            interpolation=cv2.INTER_AREA,
        )
        frame[y0:y1, x0:x1] = cv2.resize(
            small, (x1 - x0, y1 - y0), interpolation=cv2.INTER_NEAREST
        )
    if isinstance(image, bytes):
        ok, encoded = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])
        return encoded.tobytes() if ok else b""
    return frame


def _decode(jpeg: bytes) -> np.ndarray | None:
    data = np.frombuffer(jpeg, dtype=np.uint8)
    return cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None


def deidentify_jpeg(jpeg: bytes) -> bytes:
    """The whole frame pixelated (blocks of 1/60 of its width, at least 8 px): for
    snapshots without face boxes, shown to roles that may not see faces. People
    and vehicles stay countable; faces and plates do not stay readable."""
    frame = _decode(jpeg)
    if frame is None:
        return b""
    height, width = frame.shape[:2]
    masked = mask_faces(frame, [(0, 0, width, height)], max(8, width // 60))
    assert isinstance(masked, np.ndarray)
    ok, encoded = cv2.imencode(".jpg", masked, [cv2.IMWRITE_JPEG_QUALITY, 85])
    return encoded.tobytes() if ok else b""
