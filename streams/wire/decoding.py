"""Edge validation: raw MQTT message → typed event, or a `DecodeError` value with a
reason.

Nothing here raises for bad input: every failure becomes a `DecodeError` that the
consumer routes to the dead-letter stream (STYLE.md: decode failures are values).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError

from streams.config.site import Site
from streams.wire.contracts import EVENT_MODELS, Event, StatusEvent
from streams.wire.storable import EdgeLimits, text_problem, time_problem

__all__ = ["RAW_KEEP_BYTES", "DecodeError", "EdgeLimits", "decode_message"]
RAW_KEEP_BYTES = 1024


@dataclass(frozen=True, slots=True)
class DecodeError:
    """Why a message was refused, with the topic and its first bytes kept for the
    record."""

    topic: str
    reason: str
    raw: bytes

    @classmethod
    def of(cls, topic: str, reason: str, payload: bytes) -> DecodeError:
        return cls(topic=topic[:512], reason=reason[:500], raw=payload[:RAW_KEEP_BYTES])


def _parse_topic(topic: str, site_id: str) -> tuple[str, str] | str:
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != "ioc":
        return "wrong topic: expected ioc/<site>/<stream>/<device>"
    if parts[1] != site_id:
        return f"wrong topic: unknown site {parts[1]!r}"
    if parts[2] not in EVENT_MODELS:
        return f"wrong topic: unknown stream {parts[2]!r}"
    return parts[2], parts[3]


def _first_problem(error: ValidationError) -> str:
    problem = error.errors(include_url=False)[0]
    if problem["type"] == "json_invalid":
        return f"not JSON: {problem['msg']}"
    if problem["type"] == "model_type" and not problem["loc"]:
        return "not a JSON object"
    where = ".".join(str(p) for p in problem["loc"]) or "payload"
    more = f" (+{error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"invalid field {where}: {problem['msg']}{more}"


def _site_problem(event: Event, site: Site) -> str | None:
    """Checks that need the site file: known devices, matching quantities and zones."""
    if event.device not in site.devices_by_stream[event.stream]:
        return f"unknown device {event.device!r} for stream {event.stream}"
    if event.stream == "energy":
        meter = site.meters_by_id[event.device]
        if event.quantity != meter.quantity:
            return f"quantity {event.quantity} does not match meter ({meter.quantity})"
        if event.value > meter.max_value:
            return f"value {event.value} above meter maximum {meter.max_value}"
    if event.stream == "camera" and event.zone is not None:
        zones = {z.id for z in site.cameras_by_id[event.device].zones}
        if event.zone not in zones:
            return f"unknown zone {event.zone!r} for camera {event.device}"
    return None


def decode_message(
    topic: str, payload: bytes, site: Site, now: datetime, limits: EdgeLimits
) -> Event | DecodeError:
    """Decode and validate one message; `now` is the receive time (aware)."""
    if len(payload) > limits.max_payload_bytes:
        return DecodeError.of(topic, f"oversized: {len(payload)} bytes", payload)
    parsed = _parse_topic(topic, site.id)
    if isinstance(parsed, str):
        return DecodeError.of(topic, parsed, payload)
    stream, topic_device = parsed
    try:
        event = EVENT_MODELS[stream].model_validate_json(payload)
    except ValidationError as exc:
        return DecodeError.of(topic, _first_problem(exc), payload)
    if event.device != topic_device:
        reason = f"device {event.device!r} does not match topic device {topic_device!r}"
        return DecodeError.of(topic, reason, payload)
    if isinstance(event, StatusEvent) and event.last_will:
        event = event.model_copy(update={"ts": now})  # the loss, not the connect
    problem = (
        text_problem(event)
        or time_problem(event, now, limits)
        or _site_problem(event, site)
    )
    if problem is not None:
        return DecodeError.of(topic, problem, payload)
    return event
