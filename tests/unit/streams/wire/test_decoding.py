from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from streams.config.site import Site
from streams.wire.contracts import EnergyEvent, GateEvent, StatusEvent
from streams.wire.decoding import (
    RAW_KEEP_BYTES,
    DecodeError,
    EdgeLimits,
    decode_message,
)

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
GATE = {
    "event_id": "0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0a01",
    "ts": "2026-11-20T08:15:03+08:00",
    "device": "gate-east",
    "direction": "in",
    "subject": "staff",
    "credential_kind": "face",
    "credential": "F1",
    "result": "granted",
}
METER = {
    "event_id": "0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0d01",
    "ts": "2026-11-20T08:00:00+08:00",
    "device": "m-b1-kw",
    "quantity": "electric_kw",
    "value": 812.4,
}


def decode(site: Site, topic: str, payload: object, **limits: object) -> object:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return decode_message(topic, raw, site, NOW, EdgeLimits(**limits))  # type: ignore[arg-type]


def reason(result: object) -> str:
    assert isinstance(result, DecodeError), result
    return result.reason


def test_valid_gate_pass(sample_site: Site) -> None:
    event = decode(sample_site, "ioc/oujiang-civic/gate/gate-east", GATE)
    assert isinstance(event, GateEvent)
    assert event.ts.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    ("topic", "payload", "expected"),
    [
        ("ioc/oujiang-civic/gate/gate-east", b"\xff\xfe", "not JSON"),
        ("ioc/oujiang-civic/gate/gate-east", b"{not json", "not JSON"),
        ("ioc/oujiang-civic/gate/gate-east", b"[1, 2]", "not a JSON object"),
        ("ioc/oujiang-civic/gate", GATE, "wrong topic"),
        ("other/oujiang-civic/gate/gate-east", GATE, "wrong topic"),
        ("ioc/another-site/gate/gate-east", GATE, "wrong topic: unknown site"),
        ("ioc/oujiang-civic/weather/gate-east", GATE, "wrong topic: unknown stream"),
        ("ioc/oujiang-civic/gate/gate-north", GATE, "does not match topic device"),
        (
            "ioc/oujiang-civic/gate/gate-x",
            {**GATE, "device": "gate-x"},
            "unknown device",
        ),
        ("ioc/oujiang-civic/gate/gate-east", {**GATE, "direction": "up"}, "direction"),
        ("ioc/oujiang-civic/gate/gate-east", {**GATE, "extra": 1}, "extra"),
        ("ioc/oujiang-civic/gate/gate-east", {**GATE, "ts": "2026-11-20T08:15"}, "ts"),
        ("ioc/oujiang-civic/gate/gate-east", {**GATE, "event_id": "x"}, "event_id"),
        (
            "ioc/oujiang-civic/gate/gate-east",
            {**GATE, "result": "denied"},
            "deny_reason",
        ),
        ("ioc/oujiang-civic/energy/m-b1-kw", {**METER, "value": -1}, "value"),
        (
            "ioc/oujiang-civic/energy/m-b1-kw",
            {**METER, "value": 3000.01},
            "above meter",
        ),
        (
            "ioc/oujiang-civic/energy/m-b1-kw",
            {**METER, "quantity": "water_m3"},
            "quantity",
        ),
        ("ioc/oujiang-civic/energy/m-b1-kw", b'{"value": NaN}', "invalid field"),
    ],
)
def test_refusals_name_the_reason(
    sample_site: Site, topic: str, payload: object, expected: str
) -> None:
    assert expected in reason(decode(sample_site, topic, payload))


@pytest.mark.parametrize(
    ("value", "accepted"), [(2999.99, True), (3000, True), (3000.5, False)]
)
def test_meter_maximum_boundary(
    sample_site: Site, value: float, accepted: bool
) -> None:
    result = decode(
        sample_site, "ioc/oujiang-civic/energy/m-b1-kw", {**METER, "value": value}
    )
    assert isinstance(result, EnergyEvent) is accepted


@pytest.mark.parametrize(
    ("ahead_s", "accepted"), [(299, True), (300, True), (301, False)]
)
def test_future_timestamp_boundary(
    sample_site: Site, ahead_s: int, accepted: bool
) -> None:
    ts = (NOW + timedelta(seconds=ahead_s)).isoformat()
    result = decode(sample_site, "ioc/oujiang-civic/gate/gate-east", {**GATE, "ts": ts})
    assert isinstance(result, GateEvent) is accepted


@pytest.mark.parametrize(("extra", "accepted"), [(-1, True), (0, True), (1, False)])
def test_payload_size_boundary(sample_site: Site, extra: int, accepted: bool) -> None:
    body = json.dumps(GATE).encode()
    limit = len(body) - extra
    result = decode(
        sample_site, "ioc/oujiang-civic/gate/gate-east", body, max_payload_bytes=limit
    )
    assert isinstance(result, GateEvent) is accepted


def test_raw_bytes_are_truncated(sample_site: Site) -> None:
    result = decode(sample_site, "ioc/oujiang-civic/gate/gate-east", b"x" * 5000)
    assert isinstance(result, DecodeError)
    assert len(result.raw) == RAW_KEEP_BYTES


def test_unknown_camera_zone(sample_site: Site) -> None:
    payload = {
        "event_id": "0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0e01",
        "ts": "2026-11-20T08:00:00+08:00",
        "device": "cam-c1-queue",
        "kind": "people_count",
        "zone": "power-room",
        "count": 3,
    }
    assert "unknown zone" in reason(
        decode(sample_site, "ioc/oujiang-civic/camera/cam-c1-queue", payload)
    )


def test_deeply_nested_json_is_refused_not_raised(sample_site: Site) -> None:
    payload = b"[" * 100_000 + b"]" * 100_000
    result = decode(
        sample_site,
        "ioc/oujiang-civic/gate/gate-east",
        payload,
        max_payload_bytes=10**6,
    )
    assert isinstance(result, DecodeError)


@pytest.mark.parametrize(("last_will", "stamped"), [(True, NOW), (False, None)])
def test_a_last_will_is_stamped_when_it_arrives(
    sample_site: Site, last_will: bool, stamped: datetime | None
) -> None:
    connected = "2026-11-19T08:00:00+08:00"  # the will was written a day earlier
    status = {
        "event_id": "0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0f01", "ts": connected,
        "device": "cam-east-gate", "state": "offline", "last_will": last_will,
    }  # fmt: skip
    topic = f"ioc/{sample_site.id}/status/cam-east-gate"
    event = decode(sample_site, topic, status)
    assert isinstance(event, StatusEvent)
    assert event.ts == (stamped or datetime.fromisoformat(connected))
