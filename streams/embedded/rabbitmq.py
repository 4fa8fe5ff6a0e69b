"""RabbitMQ with its MQTT plugin, as a private node: the broker that writes a QoS 1
message to disk (fsynced) before it acknowledges it, so a SIGKILL loses nothing that
was acknowledged (docs/deploy.md "Broker durability").

Each instance is isolated from any RabbitMQ the machine runs: its own Erlang port
mapper (epmd) on a free loopback port, started in the same process group as the node
(so stopping or killing the group takes both), its own node name, cookie (HOME is the
data directory), config, plugins file, Mnesia and log directories, and the machine's
`/etc/rabbitmq/rabbitmq-env.conf` is not read. The Debian script
`/usr/sbin/rabbitmq-server` switches to the `rabbitmq` user, so the release's own
script under /usr/lib/rabbitmq/bin is run instead.

QoS 1 subscriptions of persistent sessions are durable classic queues: a QoS 1
publish is acknowledged (PUBACK) only once RabbitMQ has confirmed it, i.e. written it
to its message store and fsynced. Quorum queues would do the same through their Raft
log, but on 3.10 a SIGKILL within seconds of a queue's creation left that queue
unable to take or deliver anything after the restart (bench/broker_kill).
`RABBITMQ_MQTT` is the single source of those settings; deploy/rabbitmq/rabbitmq.conf
repeats them (a test keeps the two in step)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from streams.embedded.process import (
    LOOPBACK,
    EmbeddedServerError,
    free_port,
    ports_open,
    spawn_ready,
)

RABBITMQ_HOME = Path("/usr/lib/rabbitmq")
NODE_NAME = "ioc@localhost"  # unique enough: each instance has its own epmd

_CTL_ENV = ("HOME", "ERL_EPMD", "RABBITMQ_NODENAME")

RABBITMQ_MQTT: dict[str, str] = {
    # QoS 1 subscriptions of persistent sessions: durable queues, confirmed (fsynced)
    # before the PUBACK. Not quorum: see the module doc.
    "mqtt.durable_queue_type": "classic",
    # Unacknowledged deliveries per subscriber (Mosquitto: max_inflight_messages).
    "mqtt.prefetch": "1000",
    # An offline persistent session keeps its queue 14 days (stock: 1 day).
    "mqtt.subscription_ttl": "1209600000",
    "mqtt.tcp_listen_options.nodelay": "true",
    "mqtt.vhost": "/",
    "mqtt.exchange": "amq.topic",
}


# Embedded and test nodes only (loopback): anonymous MQTT clients act as the default
# user. Production (deploy/rabbitmq/rabbitmq.conf) refuses them.
LOCAL = {"mqtt.allow_anonymous": "true"}


def rabbitmq_ctl_env(data_dir: Path) -> dict[str, str]:
    """Environment for `rabbitmqctl` against the node in `data_dir` (while it runs)."""
    env = dict(os.environ)
    for line in (Path(data_dir) / "node.env").read_text(encoding="utf-8").split():
        key, _, value = line.partition("=")
        env[key] = value
    return env


def rabbitmq_server_script() -> Path | None:
    """The release's `rabbitmq-server` script (not Debian's user-switching wrapper)."""
    script = RABBITMQ_HOME / "bin" / "rabbitmq-server"
    if script.exists() and shutil.which("epmd"):
        return script
    return None


def rabbitmq_config(
    mqtt_port: int, amqp_port: int, settings: Mapping[str, str] = RABBITMQ_MQTT
) -> str:
    """rabbitmq.conf: loopback listeners for AMQP (unused) and MQTT, our MQTT settings
    (benches may pass others), anonymous MQTT clients mapped to the default user
    (loopback use only)."""
    lines = [
        "# written by streams.embedded.rabbitmq; rewritten at every start",
        f"listeners.tcp.default = {LOOPBACK}:{amqp_port}",
        f"mqtt.listeners.tcp.default = {LOOPBACK}:{mqtt_port}",
        *(f"{key} = {value}" for key, value in {**LOCAL, **settings}.items()),
        "log.console = true",
        "log.console.level = warning",
        "log.file = false",
        "",
    ]
    return "\n".join(lines)


def _node_env(data_dir: Path, amqp_port: int, epmd_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RABBITMQ_")}
    dist_port = free_port()
    env.update(
        HOME=str(data_dir),  # the Erlang cookie lives here
        ERL_EPMD_PORT=str(epmd_port),
        ERL_EPMD_ADDRESS=LOOPBACK,
        RABBITMQ_NODENAME=NODE_NAME,
        RABBITMQ_NODE_IP_ADDRESS=LOOPBACK,
        RABBITMQ_NODE_PORT=str(amqp_port),
        RABBITMQ_DIST_PORT=str(dist_port),
        RABBITMQ_CONFIG_FILE=str(data_dir / "rabbitmq.conf"),
        RABBITMQ_ADVANCED_CONFIG_FILE=str(data_dir / "advanced.config"),
        RABBITMQ_ENABLED_PLUGINS_FILE=str(data_dir / "enabled_plugins"),
        RABBITMQ_CONF_ENV_FILE=str(data_dir / "rabbitmq-env.conf"),
        RABBITMQ_MNESIA_BASE=str(data_dir / "mnesia"),
        RABBITMQ_LOG_BASE=str(data_dir / "log"),
        RABBITMQ_PID_FILE=str(data_dir / "rabbitmq.pid"),
        RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=(
            "-start_epmd false -kernel inet_dist_use_interface {127,0,0,1}"
        ),
    )
    return env


def _write_files(data_dir: Path, config: str) -> None:
    (data_dir / "rabbitmq.conf").write_text(config, encoding="utf-8")
    (data_dir / "enabled_plugins").write_text("[rabbitmq_mqtt].\n", encoding="utf-8")
    (data_dir / "rabbitmq-env.conf").write_text("", encoding="utf-8")
    (data_dir / "advanced.config").write_text("[].\n", encoding="utf-8")


def _wrapper(script: Path, epmd_port: int) -> str:
    """sh script: a private epmd, then the node; SIGTERM/SIGINT stop the node
    gracefully, and epmd goes when the node has gone (also after the parent died:
    the shell gets its parent-death SIGTERM)."""
    epmd = f"epmd -port {epmd_port} -address {LOOPBACK}"
    return "\n".join(
        [
            f"{epmd} & e=$!",
            f"i=0; while ! {epmd} -names >/dev/null 2>&1 && [ $i -lt 100 ]; do",
            "  sleep 0.05; i=$((i+1)); done",
            f'"{script}" & n=$!',
            "trap 'kill -TERM $n 2>/dev/null' TERM INT",
            "st=0; while kill -0 $n 2>/dev/null; do wait $n; st=$?; done",
            'kill $e 2>/dev/null; exit "$st"',
        ]
    )


def start_rabbitmq(
    port: int,
    data_dir: Path,
    timeout: float = 90.0,
    *,
    settings: Mapping[str, str] = RABBITMQ_MQTT,
) -> subprocess.Popen[bytes]:
    """A private RabbitMQ node with MQTT on 127.0.0.1:`port`, data in `data_dir`;
    return once the MQTT port accepts connections (first start ~10 s, a restart after
    SIGKILL a few seconds more while queues recover). Stop with `stop_process(proc)`:
    the node and its epmd share the process group."""
    script = rabbitmq_server_script()
    if script is None:
        raise EmbeddedServerError("rabbitmq-server (and epmd) are not installed")
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    amqp_port, epmd_port = free_port(), free_port()
    _write_files(data_dir, rabbitmq_config(port, amqp_port, settings))
    env = _node_env(data_dir, amqp_port, epmd_port)
    # For rabbitmqctl (inspection): `env $(cat node.env) rabbitmqctl list_queues`.
    (data_dir / "node.env").write_text(
        "".join(f"{k}={env[k]}\n" for k in sorted(env) if k.startswith(_CTL_ENV)),
        encoding="utf-8",
    )
    # One process group: epmd (foreground, private port) and the node.
    log_path = data_dir / "rabbitmq.log"
    argv = ["sh", "-c", _wrapper(script, epmd_port)]
    # MQTT opens first; the AMQP listener last, once boot has finished.
    ready = ports_open(port, amqp_port)
    return spawn_ready(
        argv, "rabbitmq", ready, timeout, log_path=log_path, env=env, cwd=data_dir
    )
