"""`harness.processes.publish_all` publishes through a broker outage like a real
producer: what the broker has not acknowledged is kept and re-sent after the
reconnect, in-flight stays bounded, and the whole call is bounded in time."""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as paho
import pytest

from harness.processes import numbered_passes, publish_all, wait_until
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.process import free_port, stop_process

pytestmark = pytest.mark.integration
EVENTS = 5_000


class Received:
    """A persistent-session QoS 1 subscriber that keeps every event_id it gets."""

    def __init__(self, port: int, topic: str) -> None:
        self.ids: set[str] = set()
        self._lock = threading.Lock()
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2, client_id="received", clean_session=False
        )
        self.client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(1, 1)
        self.client.connect_async("127.0.0.1", port)
        self.client.loop_start()

    def _on_message(self, _c: paho.Client, _u: object, msg: paho.MQTTMessage) -> None:
        with self._lock:
            self.ids.add(str(json.loads(msg.payload)["event_id"]))

    def count(self) -> int:
        with self._lock:
            return len(self.ids)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = free_port()
    yield port, tmp_path / "mq"


def test_publishes_every_message_through_broker_outages(
    broker: tuple[int, Path],
) -> None:
    """The broker is not there yet when publishing starts, then restarts mid-way."""
    port, data = broker
    process = start_mosquitto(port, data)
    passes = numbered_passes("pubtest", EVENTS)
    received = Received(port, "ioc/pubtest/#")
    wait_until(lambda: received.client.is_connected(), 10, "subscriber")
    stop_process(process)  # the session is saved; the broker is away
    result: list[int | BaseException] = []

    def produce() -> None:
        try:
            result.append(
                publish_all(
                    f"mqtt://127.0.0.1:{port}",
                    [(t, p) for t, p, _ in passes],
                    max_inflight=200,
                    timeout_s=90,
                )
            )
        except BaseException as exc:  # reported by the assertion below
            result.append(exc)

    producer = threading.Thread(target=produce)
    producer.start()
    try:
        time.sleep(1.5)
        process = start_mosquitto(port, data)
        wait_until(lambda: received.count() >= EVENTS // 4, 30, "a quarter")
        # Graceful: Mosquitto saves what it acknowledged, so only the producer's
        # handling of the outage is under test here.
        stop_process(process, signal.SIGTERM)
        time.sleep(2.0)
        process = start_mosquitto(port, data)
        producer.join(120)
        assert result == [EVENTS]
        wait_until(lambda: received.count() == EVENTS, 60, "every event delivered")
        assert received.ids == {event_id for _, _, event_id in passes}
    finally:
        received.client.disconnect()
        received.client.loop_stop()
        stop_process(process)


def test_gives_up_within_its_time_bound_when_no_broker_answers() -> None:
    port = free_port()  # nobody listens here
    passes = numbered_passes("pubtest", 50)
    began = time.monotonic()
    with pytest.raises(TimeoutError, match="unacknowledged"):
        publish_all(
            f"mqtt://127.0.0.1:{port}",
            [(t, p) for t, p, _ in passes],
            max_inflight=10,
            timeout_s=3,
        )
    assert time.monotonic() - began < 10
