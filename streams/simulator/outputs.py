"""Where simulated events go: MQTT (QoS 1), a JSON-lines file, or just a count.

`MqttSink` publishes through `streams.wire.publishing` (MQTT 3.1.1, TCP_NODELAY,
reconnect with backoff on paho's loop thread; queued QoS 1 messages are resent after a
reconnect) and keeps at most `max_outstanding` unacknowledged publishes (DESIGN.md §7a:
past 65,535 the message ids wrap), so `send` blocks while the broker is away.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any, Protocol

import paho.mqtt.client as mqtt

from streams.wire.publishing import PublisherConnection

logger = logging.getLogger(__name__)

STALL_LOG_S = 10.0


class EventSink(Protocol):
    def send(self, topic: str, payload: bytes) -> None: ...

    def close(self) -> object: ...


class CountingSink:
    """Drops events, counting them per stream (dry runs and benches)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def send(self, topic: str, payload: bytes) -> None:
        self.counts[topic.split("/")[2]] += 1

    def close(self) -> None:
        return None


class JsonLinesSink:
    """One JSON object per line: ``{"topic": ..., "payload": {...}}``; '-' = stdout."""

    def __init__(self, path: str) -> None:
        self._own = path != "-"
        # The file lives as long as the sink; `close` closes it.
        self._file: IO[str] = (
            Path(path).open("w", encoding="utf-8")  # noqa: SIM115
            if self._own
            else sys.stdout
        )

    def send(self, topic: str, payload: bytes) -> None:
        self._file.write(
            f'{{"topic": {json.dumps(topic)}, "payload": {payload.decode()}}}\n'
        )

    def close(self) -> None:
        self._file.flush()
        if self._own:
            self._file.close()


class MqttSink:
    """QoS 1 publisher, bounded unacknowledged messages; survives broker restarts."""

    def __init__(self, url: str, client_id: str, max_outstanding: int = 1000) -> None:
        self._max = max_outstanding
        self._outstanding = 0
        self._ready = threading.Condition()
        self._connection = PublisherConnection(
            url,
            client_id,
            max_inflight=min(max_outstanding, 100),
            on_publish=self._on_publish,
        )
        self._url = self._connection.where
        self._client = self._connection.client

    @property
    def connected(self) -> bool:
        return self._connection.connected

    @property
    def outstanding(self) -> int:
        """Publishes sent or queued but not yet acknowledged by the broker."""
        with self._ready:
            return self._outstanding

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, reason: Any, props: Any
    ) -> None:
        with self._ready:
            self._outstanding -= 1
            self._ready.notify_all()

    def send(self, topic: str, payload: bytes, timeout: float | None = None) -> None:
        """Queue one QoS 1 publish; blocks while `max_outstanding` are unacknowledged
        (the broker is away or slow). With `timeout`, raises `TimeoutError` if no room
        frees up in time (the message is then not queued)."""
        with self._ready:
            self._wait_for_room(timeout)
            self._outstanding += 1
        info = self._client.publish(topic, payload, qos=1)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            logger.error(
                "MQTT publish to %s refused: %s", topic, mqtt.error_string(info.rc)
            )
            with self._ready:
                self._outstanding -= 1

    def _wait_for_room(self, timeout: float | None) -> None:
        began = time.monotonic()
        deadline = None if timeout is None else began + timeout
        while self._outstanding >= self._max:
            step = STALL_LOG_S
            if deadline is not None:
                step = min(step, deadline - time.monotonic())
                if step <= 0:
                    raise TimeoutError(
                        f"{self._outstanding} publishes unacknowledged after "
                        f"{timeout:.0f} s"
                    )
            if not self._ready.wait(timeout=step) and step == STALL_LOG_S:
                logger.warning(
                    "MQTT %s: %d publishes unacknowledged for %.0f s, waiting",
                    self._url,
                    self._outstanding,
                    time.monotonic() - began,
                )

    def close(self, timeout: float = 30.0) -> int:
        """Wait (bounded) for every publish to be acknowledged, then disconnect;
        returns how many were still unacknowledged (0: the broker has them all)."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while self._outstanding > 0 and time.monotonic() < deadline:
                self._ready.wait(timeout=0.2)
            left = self._outstanding
        if left > 0:
            logger.warning(
                "MQTT %s: closing with %d publishes unacknowledged", self._url, left
            )
        self._connection.close()
        return left
