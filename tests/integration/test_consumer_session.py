"""Events published before the consumer's first connection reach it once the
launcher has prepared its session (`ensure_session`): on a fresh broker they used to
have no subscriber and were dropped (issue point 11: 268 of 23,913 in a launcher run;
a simulator started together with the consumer lost all 6,700 of a --fast run)."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.processes import numbered_passes, publish_all, wait_until
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.process import free_port, stop_process
from streams.wire.contracts import subscription_topic
from streams.wire.mqtt import (
    BrokerAddress,
    ClientOptions,
    connect,
    ensure_session,
    make_client,
)

pytestmark = pytest.mark.integration
EVENTS = 500


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = start_mosquitto(port, tmp_path / "mq")  # fresh: no sessions at all
    yield f"mqtt://127.0.0.1:{port}"
    stop_process(process)


def _consume(url: str, options: ClientOptions, topic: str) -> set[str]:
    """Connect as the consumer would and collect what the broker kept for it."""
    ids: set[str] = set()
    lock = threading.Lock()
    address = BrokerAddress.parse(url)
    client = make_client(address, options)

    def on_message(c: object, _u: object, msg: object) -> None:
        with lock:
            ids.add(str(json.loads(msg.payload)["event_id"]))  # type: ignore[attr-defined]
        client.ack(msg.mid, msg.qos)  # type: ignore[attr-defined]

    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.on_message = on_message
    connect(client, address, options)
    client.loop_start()
    with contextlib.suppress(AssertionError):  # the test's assertion says how many
        wait_until(lambda: len(ids) >= EVENTS, 10, "the events kept for the consumer")
    client.disconnect()
    client.loop_stop()
    return ids


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_events_published_before_the_consumer_starts_wait_for_it(
    broker: str, protocol: str
) -> None:
    options = ClientOptions(client_id=f"consumer-{protocol}", protocol=protocol)
    topic = subscription_topic("hq")
    assert ensure_session(BrokerAddress.parse(broker), options, topic)
    passes = numbered_passes("hq", EVENTS)
    publish_all(broker, [(t, p) for t, p, _ in passes], timeout_s=30)
    assert _consume(broker, options, topic) == {e for _, _, e in passes}
