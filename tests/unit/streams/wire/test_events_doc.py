from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from streams.config.site import Site
from streams.wire.contracts import EVENT_MODELS, STREAMS
from streams.wire.decoding import DecodeError, EdgeLimits, decode_message
from tests.events_doc import doc_examples

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def test_every_stream_has_an_example() -> None:
    streams = {topic.split("/")[2] for topic, _ in doc_examples()}
    assert streams == set(STREAMS)


@pytest.mark.parametrize(("topic", "payload"), doc_examples())
def test_example_decodes(sample_site: Site, topic: str, payload: bytes) -> None:
    event = decode_message(topic, payload, sample_site, NOW, EdgeLimits())
    assert not isinstance(event, DecodeError), event
    assert str(event.event_id) == json.loads(payload)["event_id"]


def test_every_documented_field_exists() -> None:
    text = (doc_examples.__globals__["DOC"]).read_text(encoding="utf-8")
    for stream, model in EVENT_MODELS.items():
        section = text.split(f"## {stream} ", 1)[1].split("\n## ", 1)[0]
        for name in model.model_fields:
            if name in {"stream", "event_id", "ts", "device"}:
                continue
            assert f"`{name}`" in section, f"{stream}.{name} is not documented"
