"""The brokers bench/broker_kill compares, and the subscriber that counts what they
deliver.

Each candidate is a way to start one broker process on a loopback port with its data
in a directory (restartable on the same data). `CountingSubscriber` stands in for the
consumer: an MQTT 3.1.1 persistent session (every candidate speaks 3.1.1), QoS 1,
acknowledging each message only after recording its event_id, so whatever the broker
loses shows up as a missing id and whatever it redelivers as a duplicate.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as paho

from streams.embedded.amqtt_broker import start_amqtt
from streams.embedded.mosquitto import TUNING, mosquitto_binary, start_mosquitto
from streams.embedded.rabbitmq import (
    RABBITMQ_MQTT,
    rabbitmq_server_script,
    start_rabbitmq,
)
from streams.wire.mqtt import BrokerAddress, set_tcp_nodelay

Starter = Callable[[int, Path], "subprocess.Popen[bytes]"]


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str
    what: str
    start: Starter
    available: Callable[[], bool]
    user: str = ""

    def url(self, port: int) -> str:
        who = f"{self.user}@" if self.user else ""
        return f"mqtt://{who}127.0.0.1:{port}"


def _mosquitto(tuning: dict[str, str]) -> Starter:
    return lambda port, data: start_mosquitto(port, data, tuning=tuning)


def _rabbitmq(queue_type: str) -> Starter:
    # The shipped settings, with the queue type under test.
    settings = {**RABBITMQ_MQTT, "mqtt.durable_queue_type": queue_type}
    return lambda port, data: start_rabbitmq(port, data, settings=settings)


_ON_CHANGES = {**TUNING, "autosave_on_changes": "true", "autosave_interval": "1"}
_ON_100 = {**TUNING, "autosave_on_changes": "true", "autosave_interval": "100"}

CANDIDATES: dict[str, Candidate] = {
    c.name: c
    for c in (
        Candidate(
            "mosquitto-autosave60",
            "Mosquitto 2.0, persistence, autosave every 60 s (shipped until now)",
            _mosquitto(dict(TUNING)),
            lambda: mosquitto_binary() is not None,
        ),
        Candidate(
            "mosquitto-changes1",
            "Mosquitto 2.0, autosave_on_changes, autosave_interval 1",
            _mosquitto(_ON_CHANGES),
            lambda: mosquitto_binary() is not None,
        ),
        Candidate(
            "mosquitto-changes100",
            "Mosquitto 2.0, autosave_on_changes, autosave_interval 100",
            _mosquitto(_ON_100),
            lambda: mosquitto_binary() is not None,
        ),
        Candidate(
            "rabbitmq-quorum",
            "RabbitMQ MQTT plugin, quorum queues (Raft log fsynced before PUBACK)",
            _rabbitmq("quorum"),
            lambda: rabbitmq_server_script() is not None,
        ),
        Candidate(
            "rabbitmq-classic",
            "RabbitMQ MQTT plugin, durable classic queues (shipped now)",
            _rabbitmq("classic"),
            lambda: rabbitmq_server_script() is not None,
        ),
        Candidate(
            "amqtt",
            "amqtt 0.12 (pure Python, sessions in memory)",
            lambda port, data: start_amqtt(port, data),
            lambda: True,
            user="ioc",
        ),
    )
}


class CountingSubscriber:
    """A persistent session on `topic` that records each event_id, then acks it."""

    def __init__(self, url: str, client_id: str, topic: str) -> None:
        self._address = BrokerAddress.parse(url)
        self._client_id = client_id
        self._topic = topic
        self._lock = threading.Lock()
        self.ids: Counter[str] = Counter()
        self.subscribed = threading.Event()
        self._client: paho.Client | None = None

    @property
    def distinct(self) -> int:
        with self._lock:
            return len(self.ids)

    @property
    def received(self) -> int:
        with self._lock:
            return sum(self.ids.values())

    def start(self) -> None:
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=self._client_id,
            protocol=paho.MQTTv311,
            clean_session=False,
            manual_ack=True,
        )
        if self._address.username:
            client.username_pw_set(self._address.username, self._address.password)
        client.on_socket_open = set_tcp_nodelay
        client.on_connect = self._on_connect
        client.on_subscribe = lambda *_: self.subscribed.set()
        client.on_message = self._on_message
        client.max_inflight_messages_set(1000)
        client.reconnect_delay_set(min_delay=1, max_delay=2)
        client.connect_async(self._address.host, self._address.port, keepalive=30)
        client.loop_start()
        self._client = client

    def stop(self) -> None:
        if self._client is not None:
            self._client.disconnect()
            self._client.loop_stop()
            self._client = None
        self.subscribed.clear()

    def _on_connect(self, client: paho.Client, *_: Any) -> None:
        client.subscribe(self._topic, qos=1)

    def _on_message(self, client: paho.Client, _u: Any, msg: paho.MQTTMessage) -> None:
        event_id = str(json.loads(msg.payload)["event_id"])
        with self._lock:
            self.ids[event_id] += 1
        client.ack(msg.mid, msg.qos)
