"""`python -m streams.simulator` publishes to the real Mosquitto exactly what a dry run
writes: same count, same event ids, on the site's own topics."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import paho.mqtt.client as mqtt
import pytest

from streams.config.site import Site
from streams.simulator.__main__ import main
from streams.simulator.outputs import MqttSink

REPO = Path(__file__).resolve().parents[2]
SPAN = ["--start", "2025-06-11T08:00", "--until", "2025-06-11T08:10", "--seed", "9"]


class Collector:
    """A paho subscriber that keeps every message of one site."""

    def __init__(self, url: str, site_id: str) -> None:
        parts = urlsplit(url)
        self.messages: list[tuple[str, bytes]] = []
        self.subscribed = threading.Event()
        self._lock = threading.Lock()
        self._client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{site_id}"
        )
        if parts.username:
            self._client.username_pw_set(parts.username, parts.password)
        topic = f"ioc/{site_id}/#"
        self._client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        self._client.on_subscribe = lambda *_: self.subscribed.set()
        self._client.on_message = self._on_message
        self._client.connect(parts.hostname or "127.0.0.1", parts.port or 1883)
        self._client.loop_start()

    def _on_message(
        self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage
    ) -> None:
        with self._lock:
            self.messages.append((msg.topic, bytes(msg.payload)))

    def wait_for(self, count: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    break
            time.sleep(0.05)
        with self._lock:
            return len(self.messages)

    def close(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()


@pytest.mark.integration
def test_publishes_what_the_dry_run_writes(
    site: Site, site_file: Path, mqtt_url: str, tmp_path: Path
) -> None:
    settings = {"IOC_SITE_FILE": str(site_file), "IOC_MQTT_URL": mqtt_url}
    dry = tmp_path / "dry.jsonl"
    assert main([*SPAN, "--fast", "--out", str(dry)], environ=settings) == 0
    expected = [
        json.loads(line) for line in dry.read_text(encoding="utf-8").splitlines()
    ]
    assert expected and all(r["topic"].startswith(f"ioc/{site.id}/") for r in expected)

    collector = Collector(mqtt_url, site.id)
    try:
        assert collector.subscribed.wait(10)
        env = {k: v for k, v in os.environ.items() if not k.startswith("IOC_")}
        done = subprocess.run(
            [sys.executable, "-m", "streams.simulator", *SPAN, "--speed", "600"],
            cwd=REPO,
            env={**env, **settings},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        received = collector.wait_for(len(expected), timeout=20)
    finally:
        collector.close()
    assert received == len(expected)
    got = {json.loads(p)["event_id"]: t for t, p in collector.messages}
    assert got == {r["payload"]["event_id"]: r["topic"] for r in expected}
    assert "done" in done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _poll(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _broker(conf: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        ["mosquitto", "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    _poll(listening, 10, "the private broker to listen")
    return process


@pytest.mark.integration
@pytest.mark.skipif(
    shutil.which("mosquitto") is None, reason="needs the mosquitto binary"
)
def test_publisher_survives_a_broker_restart(tmp_path: Path) -> None:
    port = _free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 100000\nset_tcp_nodelay true\n"
    )
    broker = _broker(conf, port)
    sink = MqttSink(f"mqtt://127.0.0.1:{port}", "sim-restart-test", max_outstanding=50)
    try:
        for n in range(200):
            sink.send("ioc/restart/status/d", str(n).encode())
        _poll(lambda: sink.outstanding == 0, 10, "acknowledgements")
        broker.terminate()
        broker.wait(10)
        for n in range(30):
            sink.send("ioc/restart/status/d", str(n).encode())
        assert sink.outstanding > 0
        broker = _broker(conf, port)
        _poll(lambda: sink.outstanding == 0, 45, "resent publishes to be acknowledged")
    finally:
        sink.close(timeout=1)
        broker.terminate()
        broker.wait(10)
