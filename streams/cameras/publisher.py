"""One camera's MQTT publisher: QoS 1, never blocks the analysis loop.

Each camera has its own client so that its last will is its own `status offline`. A
publish that would exceed `max_outstanding` unacknowledged messages (broker down or
slow) is dropped and counted instead of waiting: the analysis keeps real time, and
the events that matter are levels that are re-sent while the condition lasts.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import paho.mqtt.client as mqtt

from streams.wire.publishing import PublisherConnection

logger = logging.getLogger(__name__)


class CameraPublisher:
    def __init__(
        self,
        url: str,
        client_id: str,
        will: tuple[str, bytes] | None = None,
        max_outstanding: int = 200,
    ) -> None:
        self._max = max_outstanding
        self._lock = threading.Lock()
        self._outstanding = 0
        self.sent = 0
        self.dropped = 0
        self._connection = PublisherConnection(
            url,
            client_id,
            max_inflight=min(max_outstanding, 100),
            on_publish=self._on_publish,
            will=will,
        )
        self._client = self._connection.client

    @property
    def connected(self) -> bool:
        return self._connection.connected

    def offer(self, topic: str, payload: bytes) -> bool:
        """Publish unless too many are unacknowledged; False when dropped."""
        with self._lock:
            if self._outstanding >= self._max:
                self.dropped += 1
                return False
            self._outstanding += 1
        info = self._client.publish(topic, payload, qos=1)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            with self._lock:
                self._outstanding -= 1
                self.dropped += 1
            logger.warning("MQTT publish to %s refused: %s", topic, info.rc)
            return False
        self.sent += 1
        return True

    def close(self, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._outstanding == 0:
                    break
            time.sleep(0.05)
        self._connection.close()

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, reason: Any, props: Any
    ) -> None:
        with self._lock:
            self._outstanding = max(0, self._outstanding - 1)
