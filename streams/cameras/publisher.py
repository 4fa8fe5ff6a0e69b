"""One camera's MQTT publisher: QoS 1, never blocks the analysis loop.

Each camera has its own client so that its last will is its own `status offline`. A
publish that would exceed `max_outstanding` unacknowledged messages (broker down or
slow) is dropped and counted instead of waiting: the analysis keeps real time, and
the events that matter are levels that are re-sent while the condition lasts.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from streams.mqtt import BrokerAddress
from streams.settings import redact_url

logger = logging.getLogger(__name__)


class CameraPublisher:
    def __init__(
        self,
        url: str,
        client_id: str,
        will: tuple[str, bytes] | None = None,
        max_outstanding: int = 200,
    ) -> None:
        address = BrokerAddress.parse(url)
        self._where = redact_url(url)
        self._max = max_outstanding
        self._lock = threading.Lock()
        self._outstanding = 0
        self._connected = False
        self._closing = False
        self.sent = 0
        self.dropped = 0
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv311,
            clean_session=True,
        )
        if address.username:
            client.username_pw_set(address.username, address.password)
        if address.tls:
            client.tls_set()
        if will is not None:
            client.will_set(will[0], will[1], qos=1)
        client.max_inflight_messages_set(min(max_outstanding, 100))
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        client.on_socket_open = self._on_socket_open
        client.connect_async(address.host, address.port, keepalive=30)
        client.loop_start()
        self._client = client

    @property
    def connected(self) -> bool:
        return self._connected

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
        self._closing = True
        self._client.disconnect()
        self._client.loop_stop()

    def _on_socket_open(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        if isinstance(sock, socket.socket):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT %s refused the connection: %s", self._where, reason)
            return
        self._connected = True

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if self._connected and not self._closing:
            logger.warning(
                "MQTT %s disconnected (%s); reconnecting", self._where, reason
            )
        self._connected = False

    def _on_publish(
        self, client: mqtt.Client, userdata: Any, mid: int, reason: Any, props: Any
    ) -> None:
        with self._lock:
            self._outstanding = max(0, self._outstanding - 1)
