"""Event contracts: one frozen pydantic model per stream (DESIGN.md §3).

Every event carries a producer-chosen ``event_id`` (UUID), a timezone-aware ``ts``
and the ``device`` that produced it. The topic is ``ioc/<site>/<stream>/<device>``.
`docs/events.md` documents every field; its examples are the test fixtures in
`tests/fixtures/events/`.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)

from streams.snapshots.names import parse_name

Stream = Literal["gate", "appointment", "canteen", "energy", "camera", "status"]
STREAMS: tuple[Stream, ...] = (
    "gate",
    "appointment",
    "canteen",
    "energy",
    "camera",
    "status",
)
ShortText = Annotated[str, Field(min_length=1, max_length=128)]
DeviceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
# References to other records are ids of a restricted form, never free text or URLs:
# they reach screens and phone pushes, where markup or a link in one is an attack.
ReferenceId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]


def _snapshot_name(text: str) -> str:
    if parse_name(text) is None:
        raise ValueError("not a snapshot name <YYYYmmddTHHMMSSmmmZ>-<kind>")
    return text


# The snapshot's name as published on ioc/<site>/snapshot/<camera>/<name>; the
# dashboard maps it to its own route for this event's camera (streams.snapshots).
SnapshotId = Annotated[str, Field(max_length=64), AfterValidator(_snapshot_name)]


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    event_id: UUID
    ts: Annotated[AwareDatetime, Field(strict=True)]  # an ISO 8601 string, no epoch
    device: DeviceId


class GateEvent(_Event):
    """A pass at a gate: face, card, QR code or plate; granted or denied."""

    stream: Literal["gate"] = "gate"
    direction: Literal["in", "out"]
    subject: Literal["staff", "visitor", "vehicle"]
    credential_kind: Literal["face", "card", "qr", "plate"]
    credential: ShortText = Field(description="Face id, card no., QR token or plate")
    result: Literal["granted", "denied"]
    deny_reason: (
        Literal["unknown_face", "expired", "blacklisted", "no_appointment", "passback"]
        | None
    ) = None
    appointment_id: ReferenceId | None = None

    @model_validator(mode="after")
    def _reason_matches_result(self) -> GateEvent:
        if (self.result == "denied") != (self.deny_reason is not None):
            raise ValueError("deny_reason is required exactly when result is 'denied'")
        if (self.subject == "vehicle") != (self.credential_kind == "plate"):
            raise ValueError(
                "vehicles, and only vehicles, pass with credential_kind 'plate'"
            )
        return self


class AppointmentEvent(_Event):
    """A visitor appointment (访客预约) from the booking system."""

    stream: Literal["appointment"] = "appointment"
    appointment_id: ReferenceId
    action: Literal["created", "changed", "cancelled"]
    visitor_name: ShortText
    host_name: ShortText
    unit: ShortText = Field(description="Host's department, e.g. 市发改委")
    expected_from: AwareDatetime
    expected_to: AwareDatetime
    plate: ShortText | None = None

    @model_validator(mode="after")
    def _window_ordered(self) -> AppointmentEvent:
        if self.expected_to <= self.expected_from:
            raise ValueError("expected_to must be after expected_from")
        return self


class CanteenEvent(_Event):
    """A settlement at a serving window, or the window opening or closing."""

    stream: Literal["canteen"] = "canteen"
    kind: Literal["settlement", "window_open", "window_close"]
    meal: Literal["breakfast", "lunch", "dinner"]
    count: int = Field(
        default=0, ge=0, le=50, strict=True, description="Meals in this settlement"
    )
    amount_yuan: float = Field(default=0.0, ge=0, le=5_000, strict=True)

    @model_validator(mode="after")
    def _settlement_has_meals(self) -> CanteenEvent:
        if self.kind == "settlement" and self.count < 1:
            raise ValueError("a settlement must count at least one meal")
        return self


class EnergyEvent(_Event):
    """A meter reading. ``value`` is in the quantity's unit (kW, kWh, m³)."""

    stream: Literal["energy"] = "energy"
    quantity: Literal[
        "electric_kwh",
        "electric_kw",
        "water_m3",
        "pv_kwh",
        "pv_kw",
        "hvac_kw",
        "hvac_kwh",
    ]
    value: float = Field(ge=0, allow_inf_nan=False, strict=True)
    cumulative: bool = Field(default=False, strict=True)
    interval_s: int = Field(
        default=60, ge=1, le=86_400, strict=True, description="Interval length"
    )


class CameraEvent(_Event):
    """An analytics event from a camera worker."""

    stream: Literal["camera"] = "camera"
    kind: Literal[
        "people_count",
        "zone_intrusion",
        "loitering",
        "line_cross",
        "crowd_density",
        "camera_offline",
        "camera_covered",
        "camera_blurred",
        "camera_moved",
    ]
    zone: DeviceId | None = None
    count: int = Field(default=0, ge=0, le=10_000, strict=True)
    direction: Literal["in", "out"] | None = None
    snapshot: SnapshotId | None = None


class StatusEvent(_Event):
    """A device heartbeat or online/offline change (also MQTT last-will messages)."""

    stream: Literal["status"] = "status"
    state: Literal["online", "offline", "heartbeat"]
    reason: Annotated[str, Field(max_length=256)] | None = None
    # An MQTT last will: written when the device connected, sent by the broker when
    # the connection is lost, so the consumer stamps it with the time it arrived.
    last_will: bool = Field(default=False, strict=True)


Event = (
    GateEvent
    | AppointmentEvent
    | CanteenEvent
    | EnergyEvent
    | CameraEvent
    | StatusEvent
)
EVENT_MODELS: dict[str, type[Event]] = {
    "gate": GateEvent,
    "appointment": AppointmentEvent,
    "canteen": CanteenEvent,
    "energy": EnergyEvent,
    "camera": CameraEvent,
    "status": StatusEvent,
}


def topic_for(site_id: str, stream: str, device: str) -> str:
    return f"ioc/{site_id}/{stream}/{device}"


def subscription_topic(site_id: str, shared_group: str = "") -> str:
    """What the consumer subscribes to; with a group, an MQTT shared subscription."""
    topic = f"ioc/{site_id}/+/+"
    return f"$share/{shared_group}/{topic}" if shared_group else topic


def to_payload(event: Event) -> bytes:
    """The JSON wire form (the ``stream`` field is implied by the topic and left
    out)."""
    return event.model_dump_json(exclude={"stream"}).encode()


def local_day(ts: datetime, reset_hour: int, tz: tzinfo) -> str:
    """The 'today' an event belongs to: local date, with the day starting at
    reset_hour."""
    local = ts.astimezone(tz)
    return (local - timedelta(hours=reset_hour)).strftime("%Y%m%d")
