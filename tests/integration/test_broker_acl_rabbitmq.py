"""The production broker's access control (deploy/rabbitmq/users.sh) on a real
RabbitMQ node started for this test with the shipped MQTT settings and anonymous
clients refused: a site's gateway may publish only under its own site, the cameras
only camera and status topics, the consumer may read but not publish."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as paho
import pytest

from harness.processes import wait_until
from streams.embedded.process import free_port, stop_process
from streams.embedded.rabbitmq import (
    RABBITMQ_HOME,
    RABBITMQ_MQTT,
    rabbitmq_ctl_env,
    start_rabbitmq,
)

pytestmark = pytest.mark.integration
USERS_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "rabbitmq" / "users.sh"
PASSWORDS = {
    "MQTT_CONSUMER_PASSWORD": "c-pass-1",
    "MQTT_SIMULATOR_PASSWORD": "s-pass-1",
    "MQTT_CAMERAS_PASSWORD": "k-pass-1",
    "MQTT_SITE_PASSWORD_hq": "hq-pass-1",
}
USERS = {"consumer": "c-pass-1", "simulator": "s-pass-1", "cameras": "k-pass-1",
         "hq": "hq-pass-1"}  # fmt: skip


Node = tuple[int, dict[str, str]]  # MQTT port, environment for users.sh


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    data = tmp_path_factory.mktemp("rabbitmq-acl") / "node"
    port = free_port()
    settings = {**RABBITMQ_MQTT, "mqtt.allow_anonymous": "false"}
    proc = start_rabbitmq(port, data, settings=settings)
    env = {**rabbitmq_ctl_env(data), **PASSWORDS, "IOC_SITE_USERS": "hq",
           "RABBITMQ_CTL": str(RABBITMQ_HOME / "bin" / "rabbitmqctl")}  # fmt: skip
    try:
        subprocess.run(["sh", str(USERS_SCRIPT)], env=env, check=True, timeout=240)
        yield port, env
    finally:
        stop_process(proc, timeout=30)


@pytest.fixture
def broker(node: Node) -> int:
    return node[0]


def _client(port: int, user: str | None, password: str | None = None) -> paho.Client:
    client = paho.Client(
        paho.CallbackAPIVersion.VERSION2,
        client_id=f"{user}-{uuid.uuid4().hex[:6]}",
        protocol=paho.MQTTv311,
    )
    if user is not None:
        client.username_pw_set(user, password or USERS[user])
    return client


def _connects(port: int, user: str | None, password: str | None = None) -> bool:
    outcome: list[bool] = []
    client = _client(port, user, password)
    client.on_connect = lambda c, u, f, reason, p: outcome.append(not reason.is_failure)
    client.on_disconnect = lambda *_: outcome.append(False)
    client.connect("127.0.0.1", port)
    client.loop_start()
    wait_until(lambda: bool(outcome), 10, f"CONNACK or close for {user}")
    client.disconnect()
    client.loop_stop()
    return outcome[0]


def test_refuses_anonymous_clients_and_wrong_passwords(broker: int) -> None:
    assert _connects(broker, "hq")
    assert not _connects(broker, None)
    assert not _connects(broker, "hq", "wrong")


def _publish(port: int, user: str, topic: str) -> None:
    client = _client(port, user)
    client.connect("127.0.0.1", port)
    client.loop_start()
    # A refused publish closes the connection (MQTT 3.1.1 has no negative PUBACK).
    client.publish(topic, f"from {user}".encode(), qos=1).wait_for_publish(3)
    client.disconnect()
    client.loop_stop()


def test_each_user_writes_only_its_topics(broker: int) -> None:
    received: list[str] = []
    consumer = _client(broker, "consumer")
    consumer.on_message = lambda c, u, m: received.append(m.topic)
    consumer.connect("127.0.0.1", broker)
    consumer.loop_start()
    consumer.subscribe("ioc/#", qos=1)
    time.sleep(0.5)
    allowed = ["ioc/hq/gate/east", "ioc/any/canteen/w1", "ioc/hq/camera/c1"]
    for user, topic in [
        ("hq", "ioc/hq/gate/east"),
        ("hq", "ioc/other/gate/east"),
        ("simulator", "ioc/any/canteen/w1"),
        ("cameras", "ioc/hq/camera/c1"),
        ("cameras", "ioc/hq/gate/east-fake"),
        ("consumer", "ioc/hq/gate/by-consumer"),
    ]:
        _publish(broker, user, topic)
    wait_until(lambda: len(received) >= len(allowed), 10, "the allowed messages")
    time.sleep(0.5)  # and nothing else arrives
    consumer.disconnect()
    consumer.loop_stop()
    assert sorted(received) == sorted(allowed)


def test_users_script_is_safe_to_re_run(node: Node) -> None:
    port, env = node
    env = {**env, "MQTT_CONSUMER_PASSWORD": "c-pass-2"}
    subprocess.run(["sh", str(USERS_SCRIPT)], env=env, check=True, timeout=240)
    assert _connects(port, "consumer", "c-pass-2")
    assert not _connects(port, "consumer", "c-pass-1")
