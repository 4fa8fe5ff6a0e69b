"""The production deployment files: docker-compose.yml structure (no Docker engine
here, so PyYAML instead of `docker compose config`), the shipped RabbitMQ and
Mosquitto configs kept in step with the embedded ones, and the shipped Mosquitto ACL
(edge and development broker) enforced by a real Mosquitto with a password file made
the documented way. The RabbitMQ users and permissions:
test_broker_acl_rabbitmq.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
import yaml
from paho.mqtt.enums import CallbackAPIVersion

from streams.embedded import TUNING, free_port, start_mosquitto, stop_process
from streams.embedded.rabbitmq import RABBITMQ_MQTT

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy" / "mosquitto"
SERVERS = {"timescaledb", "redis", "rabbitmq"}
APPS = {"consumer", "dashboard", "simulator", "briefings", "cameras"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    assert isinstance(loaded, dict)
    return loaded


def test_every_service_has_a_healthcheck(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == SERVERS | APPS
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), name


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        image = service["image"]
        _, _, tag = image.rpartition(":")
        assert tag and tag != "latest" and re.search(r"\d", tag), (name, image)
        if name in APPS:
            assert service["build"] == "."
    dockerfile = (REPO / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11[\w.-]*-slim", dockerfile, re.M)


def test_apps_wait_for_healthy_servers_and_volumes_are_named(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    for name in APPS:
        depends = services[name]["depends_on"]
        assert set(depends) >= SERVERS, name
        assert {d["condition"] for d in depends.values()} == {"service_healthy"}
    assert services["simulator"]["profiles"] == ["demo"]
    declared = set(compose["volumes"])
    for service in services.values():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert source.startswith("./") or source in declared, volume


def test_secrets_come_from_env_and_env_example_lists_them(
    compose: dict[str, Any],
) -> None:
    text = (REPO / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{(\w+):\?", text))
    assert {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "MQTT_CONSUMER_PASSWORD"} <= required
    example = (REPO / ".env.example").read_text()
    listed = set(re.findall(r"^(\w+)=", example, re.M))
    assert required <= listed
    assert not re.search(r"://\w+:[^$@/]+@", text), "literal password in a URL"


def test_shipped_mosquitto_config_has_the_embedded_tuning() -> None:
    lines = set((DEPLOY / "mosquitto.conf").read_text().splitlines())
    for key, value in TUNING.items():
        assert f"{key} {value}" in lines, key
    assert "allow_anonymous false" in lines
    assert {
        "password_file /mosquitto/config/passwd",
        "acl_file /mosquitto/config/acl",
    } <= lines


def test_shipped_rabbitmq_config_has_the_embedded_settings(
    compose: dict[str, Any],
) -> None:
    text = (REPO / "deploy" / "rabbitmq" / "rabbitmq.conf").read_text()
    lines = set(text.splitlines())
    for key, value in RABBITMQ_MQTT.items():
        assert f"{key} = {value}" in lines, key
    assert {"mqtt.allow_anonymous = false", "listeners.tcp = none"} <= lines
    environment = compose["x-app"]["environment"]
    assert environment["IOC_MQTT_PROTOCOL"] == "3.1.1"
    assert "@rabbitmq:1883" in environment["IOC_MQTT_URL"]


needs_mosquitto_passwd = pytest.mark.skipif(
    shutil.which("mosquitto_passwd") is None or shutil.which("mosquitto") is None,
    reason="mosquitto and mosquitto_passwd are not installed",
)

USERS = {"consumer": "pw-c", "simulator": "pw-s", "hq": "pw-hq"}


@pytest.fixture
def acl_broker(tmp_path: Path) -> Iterator[int]:
    """Mosquitto with a password file made as docs/deploy.md says, and the ACL."""
    passwd = tmp_path / "passwd"
    passwd.touch(mode=0o600)
    for user, password in USERS.items():
        subprocess.run(
            ["mosquitto_passwd", "-b", str(passwd), user, password], check=True
        )
    port = free_port()
    proc = start_mosquitto(
        port, tmp_path / "data", password_file=passwd, acl_file=DEPLOY / "acl"
    )
    yield port
    stop_process(proc)


def _connect(port: int, user: str, received: list[str] | None = None) -> mqtt.Client:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=f"{user}-{uuid.uuid4().hex[:6]}"
    )
    client.username_pw_set(user, USERS[user])
    if received is not None:
        client.on_message = lambda c, u, m: received.append(m.topic)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


@pytest.mark.integration
@needs_mosquitto_passwd
def test_acl_lets_a_site_gateway_write_only_its_own_site(acl_broker: int) -> None:
    received: list[str] = []
    consumer = _connect(acl_broker, "consumer", received)
    consumer.subscribe("ioc/#", qos=1)
    time.sleep(0.3)
    gateway = _connect(acl_broker, "hq")
    simulator = _connect(acl_broker, "simulator")
    for client, topic in [
        (gateway, "ioc/hq/gate/g1"),
        (gateway, "ioc/other/gate/g1"),  # denied: not its site
        (simulator, "ioc/other/energy/m1"),
    ]:
        client.publish(topic, b"{}", qos=1).wait_for_publish(5)
    deadline = time.monotonic() + 5
    while len(received) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    for client in (consumer, gateway, simulator):
        client.disconnect()
        client.loop_stop()
    assert sorted(received) == ["ioc/hq/gate/g1", "ioc/other/energy/m1"]
