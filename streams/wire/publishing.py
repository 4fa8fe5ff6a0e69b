"""The paho client our publishers share (simulator sink, camera workers).

QoS 1 over MQTT 3.1.1 with a clean session, TCP_NODELAY, paho's reconnect with
backoff (1–30 s) on its own loop thread, an optional last will, and the connection
state logged once per change. What each publisher does with unacknowledged messages
(wait or drop) stays its own: it passes its `on_publish`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from streams.config.settings import redact_url
from streams.wire.mqtt import BrokerAddress, set_tcp_nodelay

logger = logging.getLogger(__name__)

OnPublish = Callable[[mqtt.Client, Any, int, Any, Any], None]


class PublisherConnection:
    def __init__(
        self,
        url: str,
        client_id: str,
        *,
        max_inflight: int,
        on_publish: OnPublish,
        will: tuple[str, bytes] | None = None,
    ) -> None:
        address = BrokerAddress.parse(url)
        self.where = redact_url(url)  # for logs: never the password
        self.connected = False
        self._closing = False
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
        client.max_inflight_messages_set(max_inflight)
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_publish = on_publish
        client.on_socket_open = set_tcp_nodelay
        client.connect_async(address.host, address.port, keepalive=30)
        client.loop_start()
        self.client = client

    def close(self) -> None:
        """Disconnect (no reconnect warning) and stop paho's loop thread."""
        self._closing = True
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT %s refused the connection: %s", self.where, reason)
            return
        self.connected = True
        logger.info("connected to MQTT %s", self.where)

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any
    ) -> None:
        if self.connected and not self._closing:
            logger.warning(
                "MQTT %s disconnected (%s); reconnecting", self.where, reason
            )
        self.connected = False
