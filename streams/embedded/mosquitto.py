"""Mosquitto with our tuning (DESIGN.md §7a): deep per-client queues so a slow or
offline persistent-session consumer loses nothing, many messages in flight,
TCP_NODELAY, persistence on disk. `TUNING` is the single source of those limits;
the production config in deploy/mosquitto/mosquitto.conf repeats them (a unit test
keeps the two in step)."""

from __future__ import annotations

import getpass
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from streams.embedded.base import EmbeddedServer
from streams.embedded.process import (
    LOOPBACK,
    EmbeddedServerError,
    ports_open,
    spawn_ready,
)

TUNING: dict[str, str] = {
    # Stock 1000 dropped 10,382 of 50,000 QoS 1 messages for a lagging subscriber.
    "max_queued_messages": "1000000",
    "max_queued_bytes": "0",
    "max_inflight_messages": "1000",
    "max_packet_size": "1048576",
    "set_tcp_nodelay": "true",
    "persistence": "true",
    "autosave_interval": "60",
    "queue_qos0_messages": "false",
    "persistent_client_expiration": "14d",
}


def mosquitto_binary() -> Path | None:
    """The `mosquitto` executable on PATH (or in /usr/sbin), if installed."""
    found = shutil.which("mosquitto") or shutil.which("mosquitto", path="/usr/sbin")
    return Path(found) if found else None


def mosquitto_config(
    port: int,
    data_dir: Path,
    *,
    bind: str = LOOPBACK,
    password_file: Path | None = None,
    acl_file: Path | None = None,
    tuning: Mapping[str, str] = TUNING,
) -> str:
    """mosquitto.conf text: one listener, our TUNING (benches may pass another),
    persistence in `data_dir`. Without a password file anonymous clients are allowed
    (loopback use only)."""
    lines = [
        "# written by streams.embedded.mosquitto; rewritten at every start",
        f"listener {port} {bind}",
        f"allow_anonymous {'false' if password_file else 'true'}",
    ]
    if password_file is not None:
        lines.append(f"password_file {password_file}")
    if acl_file is not None:
        lines.append(f"acl_file {acl_file}")
    lines += [f"{key} {value}" for key, value in tuning.items()]
    lines += [
        f"persistence_location {Path(data_dir).resolve()}/",
        # Stay the invoking user: the data dir is ours (mosquitto would otherwise
        # switch from root to a 'mosquitto' user that may not exist or own it).
        f"user {getpass.getuser()}",
        "log_dest stdout",
        "log_type error",
        "log_type warning",
        "log_type notice",
        "log_type information",
        "connection_messages true",
        "log_timestamp_format %Y-%m-%dT%H:%M:%S",
        "",
    ]
    return "\n".join(lines)


def start_mosquitto(
    port: int,
    data_dir: Path,
    timeout: float = 15.0,
    *,
    password_file: Path | None = None,
    acl_file: Path | None = None,
    tuning: Mapping[str, str] = TUNING,
) -> subprocess.Popen[bytes]:
    """Write `data_dir`/mosquitto.conf for 127.0.0.1:`port` and run `mosquitto -c`;
    return once the port accepts connections. Stop with `stop_process(proc)`."""
    binary = mosquitto_binary()
    if binary is None:
        raise EmbeddedServerError("mosquitto is not installed (no binary on PATH)")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    conf = data_dir / "mosquitto.conf"
    text = mosquitto_config(
        port, data_dir, password_file=password_file, acl_file=acl_file, tuning=tuning
    )
    conf.write_text(text, encoding="utf-8")
    argv = [str(binary), "-c", str(conf)]
    log_path = data_dir / "mosquitto.log"
    return spawn_ready(argv, "mosquitto", ports_open(port), timeout, log_path=log_path)


class EmbeddedMosquitto(EmbeddedServer):
    """Mosquitto on a loopback port; sessions and queued messages survive restarts."""

    name = "mosquitto"

    @property
    def url(self) -> str:
        # A user name is harmless here and required by the amqtt fallback; keep
        # both brokers' URLs the same shape.
        return f"mqtt://ioc@{LOOPBACK}:{self.port}"

    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        return start_mosquitto(port, self.data_dir)
