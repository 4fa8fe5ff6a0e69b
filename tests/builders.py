"""Small builders of contract events for tests (real models, sensible defaults)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from streams.wire.contracts import (
    AppointmentEvent,
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    GateEvent,
    StatusEvent,
)

NOON = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Asia/Shanghai


def gate(direction: str = "in", subject: str = "staff", **kw: Any) -> GateEvent:
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": NOON,
        "device": "gate-west-car" if subject == "vehicle" else "gate-east",
        "direction": direction,
        "subject": subject,
        "credential_kind": "plate" if subject == "vehicle" else "face",
        "credential": "浙C·A1234" if subject == "vehicle" else "F1",
        "result": "granted",
    }
    return GateEvent(**{**defaults, **kw})


def appointment(visitor: str = "王建国", **kw: Any) -> AppointmentEvent:
    ts = kw.get("ts", NOON)
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": ts,
        "device": "visitor-booking",
        "appointment_id": f"AP-{uuid.uuid4().hex[:8]}",
        "action": "created",
        "visitor_name": visitor,
        "host_name": "李敏",
        "unit": "市发改委",
        "expected_from": ts + timedelta(hours=1),
        "expected_to": ts + timedelta(hours=2),
    }
    return AppointmentEvent(**{**defaults, **kw})


def meal(window: str = "c1-w1", count: int = 1, **kw: Any) -> CanteenEvent:
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": NOON,
        "device": window,
        "kind": "settlement",
        "meal": "lunch",
        "count": count,
        "amount_yuan": 12.0 * count,
    }
    return CanteenEvent(**{**defaults, **kw})


def reading(meter: str = "m-b1-kw", value: float = 800.0, **kw: Any) -> EnergyEvent:
    quantity = kw.pop("quantity", "water_m3" if "water" in meter else "electric_kw")
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": NOON,
        "device": meter,
        "quantity": quantity,
        "value": value,
    }
    return EnergyEvent(**{**defaults, **kw})


def people(
    camera: str = "cam-c1-queue", zone: str = "c1-queue", count: int = 5, **kw: Any
) -> CameraEvent:
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": NOON,
        "device": camera,
        "kind": "people_count",
        "zone": zone,
        "count": count,
    }
    return CameraEvent(**{**defaults, **kw})


def status(
    device: str = "cam-parking", state: str = "offline", **kw: Any
) -> StatusEvent:
    defaults: dict[str, Any] = {
        "event_id": uuid.uuid4(),
        "ts": NOON,
        "device": device,
        "state": state,
    }
    return StatusEvent(**{**defaults, **kw})
