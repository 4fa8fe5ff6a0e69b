"""The edge refuses what a store could not hold: control characters and surrogates in
text, and times outside the plausible window (issue points 1 and 4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from streams.config.site import Site
from streams.wire.contracts import AppointmentEvent, GateEvent
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from streams.wire.storable import text_problem
from tests import builders

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
TOPIC = "ioc/oujiang-civic/appointment/visitor-booking"
APPOINTMENT: dict[str, object] = {
    "event_id": "0b6c7d3e-1f1e-4c52-9a55-3d7e2a0f0b01",
    "ts": "2026-11-19T16:40:00+08:00",
    "device": "visitor-booking",
    "appointment_id": "AP20261120-0042",
    "action": "created",
    "visitor_name": "王建国",
    "host_name": "李敏",
    "unit": "市发改委",
    "expected_from": "2026-11-20T09:30:00+08:00",
    "expected_to": "2026-11-20T11:00:00+08:00",
}


def decode(payload: dict[str, object], site: Site, **limits: object) -> object:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return decode_message(TOPIC, raw, site, NOW, EdgeLimits(**limits))  # type: ignore[arg-type]


def reason(result: object) -> str:
    assert isinstance(result, DecodeError), result
    return result.reason


def test_the_example_is_accepted(sample_site: Site) -> None:
    assert isinstance(decode(APPOINTMENT, sample_site), AppointmentEvent)


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\x1b", "\x7f", "\x85"])
@pytest.mark.parametrize("field", ["visitor_name", "host_name", "unit", "plate"])
def test_control_characters_in_text_are_refused(
    sample_site: Site, field: str, char: str
) -> None:
    payload = {**APPOINTMENT, field: f"王{char}建国"}
    code = f"U+{ord(char):04X}"
    assert reason(decode(payload, sample_site)) == (
        f"invalid field {field}: control character {code} not allowed"
    )


def test_ordinary_unicode_is_kept(sample_site: Site) -> None:
    name = "Zoë 王·建国 ｇａｔｅ"
    payload = {**APPOINTMENT, "visitor_name": name, "plate": "浙C·8K2M7"}
    event = decode(payload, sample_site)
    assert isinstance(event, AppointmentEvent)
    assert event.visitor_name == name


def test_a_lone_surrogate_is_found_even_past_the_json_parser() -> None:
    # JSON parsing already refuses lone surrogates; a model built in code may not.
    event = builders.gate().model_copy(update={"credential": "F\ud800"})
    assert text_problem(event) == (
        "invalid field credential: control character U+D800 not allowed"
    )


@pytest.mark.parametrize(
    ("ts", "expected"),
    [
        ("0001-01-01T00:00:00+00:00", "too old (over 30 days)"),
        ("0001-01-01T00:00:00+14:00", "too old (over 30 days)"),  # year 0 in UTC
        ("1900-01-01T00:00:00+08:00", "too old"),
        ("1969-12-31T23:59:59+00:00", "too old"),
        ("1970-01-01T00:00:00+00:00", "too old"),
        ("9999-12-31T23:59:59-14:00", "in the future"),  # year 10000 in UTC
        ("2126-11-20T10:00:00+08:00", "in the future"),
    ],
)
def test_implausible_times_are_refused(
    sample_site: Site, ts: str, expected: str
) -> None:
    result = reason(decode({**APPOINTMENT, "ts": ts}, sample_site))
    assert result.startswith(f"timestamp {datetime.fromisoformat(ts).isoformat()} ")
    assert expected in result


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(timedelta(days=30), True), (timedelta(days=30, seconds=1), False)],
)
def test_maximum_age_boundary(
    sample_site: Site, age: timedelta, accepted: bool
) -> None:
    payload = {**APPOINTMENT, "ts": (NOW - age).isoformat()}
    payload["expected_from"] = (NOW - age + timedelta(hours=1)).isoformat()
    payload["expected_to"] = (NOW - age + timedelta(hours=2)).isoformat()
    assert isinstance(decode(payload, sample_site), AppointmentEvent) is accepted


def test_maximum_age_is_a_limit(sample_site: Site) -> None:
    old = {**APPOINTMENT, "ts": "2026-01-01T00:00:00+08:00"}
    assert "too old (over 30 days)" in reason(decode(old, sample_site))
    kept = decode(old, sample_site, max_age=timedelta(days=400))
    assert isinstance(kept, AppointmentEvent)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expected_from", "0001-01-01T00:00:00+14:00"),
        ("expected_from", "1970-01-01T00:00:00+00:00"),
        ("expected_to", "9999-12-31T23:59:59-14:00"),
        ("expected_to", "2028-11-20T11:00:00+08:00"),
    ],
)
def test_an_appointment_window_far_from_its_event_is_refused(
    sample_site: Site, field: str, value: str
) -> None:
    result = reason(decode({**APPOINTMENT, field: value}, sample_site))
    assert result in (
        f"invalid field {field}: more than 366 days from ts",
        "invalid field payload: Value error, expected_to must be after expected_from",
    )


def test_a_window_booked_months_ahead_is_accepted(sample_site: Site) -> None:
    payload = {
        **APPOINTMENT,
        "expected_from": "2027-09-01T09:00:00+08:00",
        "expected_to": "2027-09-01T10:00:00+08:00",
    }
    assert isinstance(decode(payload, sample_site), AppointmentEvent)


def test_a_gate_pass_from_an_unset_device_clock_is_refused(sample_site: Site) -> None:
    raw = builders.gate(ts=datetime(1970, 1, 1, tzinfo=UTC)).model_dump_json()
    result = decode_message(
        "ioc/oujiang-civic/gate/gate-east", raw.encode(), sample_site, NOW, EdgeLimits()
    )
    assert isinstance(result, DecodeError) and "too old" in result.reason
    assert not isinstance(result, GateEvent)
