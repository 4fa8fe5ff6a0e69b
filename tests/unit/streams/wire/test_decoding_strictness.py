"""Decoder leniencies found by the hostile-payload fuzz test (#8): pydantic's lax
mode read a number as an epoch timestamp and a JSON boolean as a count. The contract's
scalar fields are strict now; these cases keep them so."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from streams.config.site import Site
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from tests.events_doc import doc_examples

NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


def _example(site: Site, stream: str) -> tuple[str, dict[str, object]]:
    topic, body = next(e for e in doc_examples(site.id) if f"/{stream}/" in e[0])
    return topic, json.loads(body)


def test_numeric_timestamp_refused(sample_site: Site) -> None:
    topic, body = _example(sample_site, "energy")
    payload = json.dumps({**body, "ts": -1}).encode()
    result = decode_message(topic, payload, sample_site, NOW, EdgeLimits())
    assert isinstance(result, DecodeError)


def test_boolean_count_refused(sample_site: Site) -> None:
    topic, body = _example(sample_site, "camera")
    payload = json.dumps({**body, "count": True}).encode()
    result = decode_message(topic, payload, sample_site, NOW, EdgeLimits())
    assert isinstance(result, DecodeError)
