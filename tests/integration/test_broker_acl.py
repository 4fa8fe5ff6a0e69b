"""The production broker's access control (deploy/mosquitto/acl) on a real Mosquitto
started for this test: no anonymous clients, wrong passwords refused, a site's
gateway may publish only under its own site, the consumer may not publish."""

from __future__ import annotations

import getpass
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as paho
import pytest

from harness.processes import wait_until
from streams.embedded.process import free_port

pytestmark = pytest.mark.integration
ACL = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto" / "acl"
USERS = {"consumer": "c-pass-1", "hq": "hq-pass-1", "simulator": "s-pass-1"}


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[int]:
    if shutil.which("mosquitto") is None or shutil.which("mosquitto_passwd") is None:
        pytest.skip("mosquitto not installed")
    passwd = tmp_path / "passwd"
    passwd.touch(mode=0o600)
    for user, password in USERS.items():
        subprocess.run(
            ["mosquitto_passwd", "-b", str(passwd), user, password],
            check=True, capture_output=True, timeout=10,
        )  # fmt: skip
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nuser {getpass.getuser()}\nallow_anonymous false\n"
        f"password_file {passwd}\nacl_file {ACL}\npersistence false\n"
    )
    process = subprocess.Popen(
        ["mosquitto", "-c", str(conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until(
            lambda: _connects(port, "consumer", USERS["consumer"]) == 0, 10, "up"
        )
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _client(port: int, user: str | None, password: str | None) -> paho.Client:
    client = paho.Client(
        paho.CallbackAPIVersion.VERSION2, client_id=f"t-{uuid.uuid4().hex[:8]}"
    )
    if user is not None:
        client.username_pw_set(user, password)
    return client


def _connects(port: int, user: str | None, password: str | None) -> int:
    """The CONNACK reason code (0 = accepted)."""
    result: list[int] = []
    client = _client(port, user, password)
    client.on_connect = lambda c, u, f, reason, p: result.append(reason.value)
    try:
        client.connect("127.0.0.1", port)
    except OSError:
        return -1
    client.loop_start()
    deadline = time.monotonic() + 5
    while not result and time.monotonic() < deadline:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    return result[0] if result else -1


def test_anonymous_and_wrong_passwords_refused(broker: int) -> None:
    assert _connects(broker, None, None) != 0
    assert _connects(broker, "hq", "wrong") != 0
    assert _connects(broker, "hq", USERS["hq"]) == 0


def test_gateway_publishes_only_under_its_site(broker: int) -> None:
    received: list[str] = []
    lock = threading.Event()
    listener = _client(broker, "consumer", USERS["consumer"])

    def on_message(_c: object, _u: object, message: paho.MQTTMessage) -> None:
        received.append(message.topic)
        if message.topic.endswith("/done"):
            lock.set()

    listener.on_message = on_message
    listener.on_connect = lambda c, u, f, r, p: c.subscribe("ioc/#", qos=1)
    listener.connect("127.0.0.1", broker)
    listener.loop_start()
    time.sleep(0.5)
    sender = _client(broker, "hq", USERS["hq"])
    sender.connect("127.0.0.1", broker)
    sender.loop_start()
    for topic in ("ioc/hq/gate/g1", "ioc/other/gate/g1", "ioc/hq/status/g1"):
        sender.publish(topic, b"{}", qos=1).wait_for_publish(5)
    consumer_out = _client(broker, "consumer", USERS["consumer"])
    consumer_out.connect("127.0.0.1", broker)
    consumer_out.loop_start()
    consumer_out.publish("ioc/hq/gate/forged", b"{}", qos=1).wait_for_publish(5)
    sender.publish("ioc/hq/gate/done", b"{}", qos=1).wait_for_publish(5)
    assert lock.wait(10)
    for client in (sender, consumer_out, listener):
        client.loop_stop()
        client.disconnect()
    assert received == ["ioc/hq/gate/g1", "ioc/hq/status/g1", "ioc/hq/gate/done"]
