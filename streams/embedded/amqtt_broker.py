"""Embedded amqtt broker (pure Python) in its own process: the fallback when the
mosquitto binary is not installed.

amqtt queues QoS 1/2 messages for an offline clean_session=False client only if
that client is *not anonymous*, so this config refuses clients without a user name
(any name is accepted, no password is checked) and the URL carries one. Queued
messages live in the broker's memory: they survive a client's reconnect, not a
broker restart."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import yaml

from streams.embedded.base import EmbeddedServer
from streams.embedded.process import LOOPBACK, ports_open, spawn_ready

MQTT_USER = "ioc"


def amqtt_config(port: int) -> str:
    """amqtt broker YAML: one loopback listener, user name required."""
    config = {
        "listeners": {"default": {"type": "tcp", "bind": f"{LOOPBACK}:{port}"}},
        "plugins": {
            "amqtt.plugins.authentication.AnonymousAuthPlugin": {
                "allow_anonymous": False
            }
        },
    }
    header = "# written by streams.embedded.amqtt_broker; rewritten at every start\n"
    return header + yaml.safe_dump(config, sort_keys=False)


def start_amqtt(
    port: int, data_dir: Path, timeout: float = 20.0
) -> subprocess.Popen[bytes]:
    """Run `python -m amqtt.scripts.broker_script -c <data_dir>/amqtt.yaml` on
    127.0.0.1:`port`; return once the port accepts connections."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    conf = data_dir / "amqtt.yaml"
    conf.write_text(amqtt_config(port), encoding="utf-8")
    log_path = data_dir / "amqtt.log"
    argv = [sys.executable, "-m", "amqtt.scripts.broker_script", "-c", str(conf)]
    return spawn_ready(argv, "amqtt", ports_open(port), timeout, log_path=log_path)


class EmbeddedAmqtt(EmbeddedServer):
    """The pure-Python broker; clients must send a user name (see module doc)."""

    name = "amqtt"
    stop_signal = signal.SIGINT  # the broker script shuts down on KeyboardInterrupt

    @property
    def url(self) -> str:
        return f"mqtt://{MQTT_USER}@{LOOPBACK}:{self.port}"

    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        return start_amqtt(port, self.data_dir)
