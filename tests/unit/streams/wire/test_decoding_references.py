"""References at the edge: a camera event's `snapshot` is a snapshot name and an
appointment id is an id; URLs, paths and markup in either are refused with the field
named (dead-lettered), so nothing downstream ever receives them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from streams.config.site import Site
from streams.wire.contracts import AppointmentEvent, CameraEvent, GateEvent
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from tests.events_doc import doc_examples
from tests.hostile_refs import MARKUP_IDS, NAME, URL_REFERENCES

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def example(stream: str, having: str = "") -> tuple[str, dict[str, object]]:
    for topic, body in doc_examples():
        payload = json.loads(body)
        if topic.split("/")[2] == stream and (not having or having in payload):
            return topic, payload
    raise AssertionError(f"no {stream} example with {having!r}")


def decode(site: Site, topic: str, payload: dict[str, object]) -> object:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return decode_message(topic, raw, site, NOW, EdgeLimits())


def test_a_snapshot_name_is_accepted(sample_site: Site) -> None:
    topic, payload = example("camera", "snapshot")
    event = decode(sample_site, topic, {**payload, "snapshot": NAME})
    assert isinstance(event, CameraEvent) and event.snapshot == NAME


@pytest.mark.parametrize("reference", URL_REFERENCES)
def test_url_like_snapshot_references_are_refused(
    sample_site: Site, reference: str
) -> None:
    topic, payload = example("camera", "snapshot")
    refused = decode(sample_site, topic, {**payload, "snapshot": reference})
    assert isinstance(refused, DecodeError), reference
    assert refused.reason.startswith("invalid field snapshot:"), refused.reason


@pytest.mark.parametrize("stream", ["gate", "appointment"])
@pytest.mark.parametrize("ident", MARKUP_IDS)
def test_markup_in_appointment_ids_is_refused(
    sample_site: Site, stream: str, ident: str
) -> None:
    topic, payload = example(stream)
    refused = decode(sample_site, topic, {**payload, "appointment_id": ident})
    assert isinstance(refused, DecodeError), ident
    assert refused.reason.startswith("invalid field appointment_id:"), refused.reason


@pytest.mark.parametrize("ident", ["AP20261120-0042", "A-1", "7f3c.9_x", "X" * 128])
def test_plain_appointment_ids_are_accepted(sample_site: Site, ident: str) -> None:
    for stream, model in (("gate", GateEvent), ("appointment", AppointmentEvent)):
        topic, payload = example(stream)
        event = decode(sample_site, topic, {**payload, "appointment_id": ident})
        assert isinstance(event, model) and event.appointment_id == ident
