"""The one module that owns paho-mqtt. Everyone else sees `InboundMessage` values.

The paho callback only wraps the message and enqueues it; acknowledgement is manual and
happens after the message's batch is durable (see `streams.ingest.consumer`).
"""

from __future__ import annotations

import logging
import queue
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from streams.config.settings import redact_url

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    topic: str
    payload: bytes
    mid: int
    qos: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class BrokerAddress:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool

    @classmethod
    def parse(cls, url: str) -> BrokerAddress:
        parts = urlsplit(url or "mqtt://127.0.0.1:1883")
        tls = parts.scheme == "mqtts"
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or (8883 if tls else 1883),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
        )


@dataclass(frozen=True, slots=True)
class ClientOptions:
    client_id: str
    protocol: str = "5"
    session_expiry_s: int = 7 * 86400
    max_inflight: int = 1000
    manual_ack: bool = True
    tcp_nodelay: bool = True


def set_tcp_nodelay(client: paho.Client, userdata: Any, sock: Any) -> None:
    # DESIGN.md §7a: Nagle's algorithm adds 10-40 ms per message on loopback.
    if hasattr(sock, "setsockopt"):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def make_client(address: BrokerAddress, options: ClientOptions) -> paho.Client:
    """A configured, not yet connected client with a persistent session."""
    v5 = options.protocol == "5"
    kwargs: dict[str, Any] = {
        "callback_api_version": CallbackAPIVersion.VERSION2,
        "client_id": options.client_id,
        "protocol": paho.MQTTv5 if v5 else paho.MQTTv311,
        "manual_ack": options.manual_ack,
    }
    if not v5:
        kwargs["clean_session"] = False
    client = paho.Client(**kwargs)
    if address.username:
        client.username_pw_set(address.username, address.password)
    if address.tls:
        client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
    if options.tcp_nodelay:
        client.on_socket_open = set_tcp_nodelay
    client.max_inflight_messages_set(min(options.max_inflight, 65_535))
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def connect(
    client: paho.Client, address: BrokerAddress, options: ClientOptions
) -> None:
    """Start connecting (asynchronously: paho retries in its network thread)."""
    if options.protocol == "5":
        properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]  # paho: no hints
        properties.SessionExpiryInterval = options.session_expiry_s
        properties.ReceiveMaximum = min(options.max_inflight, 65_535)
        client.connect_async(
            address.host,
            address.port,
            keepalive=30,
            clean_start=False,
            properties=properties,
        )
    else:
        client.connect_async(address.host, address.port, keepalive=30)


class Subscription:
    """Subscribes (again on every reconnect) and enqueues every message it receives."""

    def __init__(
        self,
        client: paho.Client,
        topic: str,
        inbox: queue.Queue[InboundMessage],
        url_for_logs: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client = client
        self._topic = topic
        self._inbox = inbox
        self._where = redact_url(url_for_logs)
        self._clock = clock
        self.connected = False
        self._paused = False
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message

    def _on_connect(
        self, client: paho.Client, _u: Any, _f: Any, reason: Any, _p: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT connection to %s refused: %s", self._where, reason)
            return
        self.connected = True
        logger.info("MQTT connected to %s; subscribing to %s", self._where, self._topic)
        client.subscribe(self._topic, qos=1)

    def _on_disconnect(
        self, _c: paho.Client, _u: Any, _f: Any, reason: Any, _p: Any
    ) -> None:
        if self.connected and not self._paused:
            logger.warning(
                "MQTT disconnected from %s (%s); reconnecting", self._where, reason
            )
        self.connected = False

    def pause(self) -> None:
        """Stop taking messages; those not taken stay unacknowledged with the broker."""
        self._paused = True

    def _on_message(self, _c: paho.Client, _u: Any, message: paho.MQTTMessage) -> None:
        if self._paused:
            return
        try:
            topic = message.topic
        except (
            UnicodeDecodeError
        ):  # a broker should refuse these; keep it for the record
            topic = bytes(message._topic).decode("utf-8", "replace")
        # Blocks when the inbox is full: back-pressure onto the broker, nothing dropped.
        # The broker never has more than Receive Maximum QoS 1 messages unacknowledged.
        self._inbox.put(
            InboundMessage(
                topic=topic,
                payload=bytes(message.payload),
                mid=message.mid,
                qos=message.qos,
                received_at=self._clock(),
            )
        )


def ensure_session(
    address: BrokerAddress, options: ClientOptions, topic: str, timeout: float = 30.0
) -> bool:
    """Make the broker hold `options.client_id`'s persistent session subscribed to
    `topic` (QoS 1), then disconnect: from then on the broker queues what is published
    there even before that consumer first connects. Without it, events a producer
    sends before the consumer's very first SUBSCRIBE have no subscriber and are
    dropped. True once subscribed; False if the broker did not answer in time."""
    subscribed = threading.Event()
    client = make_client(address, replace(options, manual_ack=False))
    client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
    client.on_subscribe = lambda *_: subscribed.set()
    connect(client, address, options)
    client.loop_start()
    try:
        return subscribed.wait(timeout)
    finally:
        client.disconnect()
        client.loop_stop()
