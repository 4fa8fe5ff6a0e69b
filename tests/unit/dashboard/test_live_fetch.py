"""Named pipeline commands: a name is queued once (no server needed: nothing is
sent before `execute`)."""

from __future__ import annotations

import pytest
import redis

from dashboard.live_fetch import NamedPipeline, minute_command


def test_a_name_is_queued_once() -> None:
    client = redis.Redis(host="127.0.0.1", port=1)  # never connected: nothing sent
    batch = NamedPipeline(client)
    batch.hgetall("onsite", "k1")
    with pytest.raises(ValueError, match="'onsite' queued twice"):
        batch.get("onsite", "k2")
    client.close()


def test_minute_commands_are_named_by_stream_and_minute() -> None:
    names = {minute_command(s, m) for s in ("gate", "energy") for m in ("1", "2")}
    assert len(names) == 4
