"""Embedded servers as real processes: each starts in a fresh run directory,
accepts a real client, stops cleanly, and keeps its data across a restart; the
brokers keep QoS 1 messages for an offline persistent session."""

from __future__ import annotations

import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import psycopg
import pytest
import redis
from paho.mqtt.enums import CallbackAPIVersion

from streams.embedded import (
    EmbeddedAmqtt,
    EmbeddedMosquitto,
    EmbeddedPostgres,
    EmbeddedRedis,
    EmbeddedServer,
    free_port,
    mosquitto_binary,
    port_open,
    start_mosquitto,
    start_postgres,
    start_redis,
    stop_process,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def run_dir() -> Iterator[Path]:
    """A fresh run directory outside pytest's basetemp: as root, PostgreSQL runs as
    `nobody` and needs o+x on every ancestor, which a concurrent pytest session
    strips from /tmp/pytest-of-<user> (it re-tightens that directory to 0700)."""
    path = Path(tempfile.mkdtemp(prefix="ioc-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


needs_mosquitto = pytest.mark.skipif(
    mosquitto_binary() is None, reason="mosquitto is not installed"
)


@pytest.fixture
def cleanup() -> Iterator[list[EmbeddedServer]]:
    """Servers appended here are stopped even when the test fails."""
    servers: list[EmbeddedServer] = []
    yield servers
    for server in reversed(servers):
        server.stop()


def test_postgres_serves_ioc_and_keeps_a_table_across_restart(
    run_dir: Path, cleanup: list[EmbeddedServer]
) -> None:
    server = EmbeddedPostgres(run_dir / "postgres")
    cleanup.append(server)
    server.start()
    assert server.url.endswith("/ioc")
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO kept VALUES (1, '机关')")
    port = server.port
    assert port is not None
    server.stop()
    assert not port_open("127.0.0.1", port)

    server.start()
    with psycopg.connect(server.url) as conn:
        assert conn.execute("SELECT note FROM kept").fetchall() == [("机关",)]


def test_postgres_replaces_a_leftover_server_on_its_data(
    run_dir: Path, cleanup: list[EmbeddedServer]
) -> None:
    """A postmaster left running (its launcher was killed) is stopped first."""
    leftover = EmbeddedPostgres(run_dir / "postgres")
    cleanup.append(leftover)
    leftover.start()
    assert leftover.process is not None
    fresh = EmbeddedPostgres(run_dir / "postgres")
    cleanup.append(fresh)
    fresh.start()
    assert leftover.process.wait(5) == 0
    with psycopg.connect(fresh.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_redis_keeps_a_key_across_restart(
    run_dir: Path, cleanup: list[EmbeddedServer]
) -> None:
    server = EmbeddedRedis(run_dir / "redis")
    cleanup.append(server)
    server.start()
    client = redis.Redis.from_url(server.url)
    client.set("ioc:test:kept", "yes")
    client.close()
    server.stop()

    server.start()
    client = redis.Redis.from_url(server.url)
    assert client.get("ioc:test:kept") == b"yes"
    client.close()
    assert (run_dir / "redis" / "redis.conf").exists()


def test_start_helpers_serve_a_chosen_port(run_dir: Path) -> None:
    ports = [free_port() for _ in range(3)]
    procs = [start_redis(ports[0], run_dir / "redis")]
    try:
        procs.append(start_postgres(ports[1], run_dir / "pg", database="other"))
        if mosquitto_binary() is not None:
            procs.append(start_mosquitto(ports[2], run_dir / "mq"))
        assert redis.Redis(port=ports[0]).ping()
        url = f"postgresql://postgres@127.0.0.1:{ports[1]}/other"
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("other",)
    finally:
        codes = [stop_process(proc, signal.SIGINT) for proc in reversed(procs)]
    assert codes == [0] * len(procs)
    assert not [p for p in ports if port_open("127.0.0.1", p)]


def _client(url_port: int, client_id: str, clean: bool) -> mqtt.Client:
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean
    )
    client.username_pw_set("ioc")  # the embedded URL's user (required by amqtt)
    client.connect("127.0.0.1", url_port)
    client.loop_start()
    return client


def _poll(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _offline_queue_round_trip(
    server: EmbeddedServer, count: int, restart_broker: bool
) -> list[bytes]:
    """Subscribe QoS 1 with clean_session=False, go away, publish `count`,
    (optionally restart the broker), come back: what arrives."""
    port = server.port
    assert port is not None
    topic = f"ioc/t{uuid.uuid4().hex[:8]}/status/probe"
    client_id = f"sub-{uuid.uuid4().hex[:8]}"
    got: list[bytes] = []
    subscriber = _client(port, client_id, clean=False)
    subscribed: list[int] = []
    subscriber.on_subscribe = lambda *a: subscribed.append(1)
    subscriber.subscribe(topic, qos=1)
    assert _poll(lambda: bool(subscribed), 5)
    subscriber.disconnect()
    subscriber.loop_stop()

    publisher = _client(port, f"pub-{uuid.uuid4().hex[:8]}", clean=True)
    infos = [publisher.publish(topic, str(i), qos=1) for i in range(count)]
    for info in infos:
        info.wait_for_publish(10)
    publisher.disconnect()
    publisher.loop_stop()
    if restart_broker:
        server.stop()
        server.start()

    subscriber = mqtt.Client(
        CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False
    )
    subscriber.on_message = lambda c, u, m: got.append(bytes(m.payload))
    subscriber.username_pw_set("ioc")
    subscriber.connect("127.0.0.1", port)
    subscriber.loop_start()
    try:
        _poll(lambda: len(got) >= count, 15)
    finally:
        subscriber.disconnect()
        subscriber.loop_stop()
    return got


BROKERS = [
    pytest.param(EmbeddedMosquitto, id="mosquitto", marks=needs_mosquitto),
    pytest.param(EmbeddedAmqtt, id="amqtt"),
]


@pytest.mark.parametrize("broker", BROKERS)
def test_broker_queues_qos1_for_an_offline_persistent_session(
    broker: type[EmbeddedServer], run_dir: Path, cleanup: list[EmbeddedServer]
) -> None:
    server = broker(run_dir / "broker")
    cleanup.append(server)
    server.start()
    got = _offline_queue_round_trip(server, 100, restart_broker=False)
    assert sorted(int(p) for p in got) == list(range(100))


@needs_mosquitto
def test_mosquitto_keeps_queued_messages_across_a_broker_restart(
    run_dir: Path, cleanup: list[EmbeddedServer]
) -> None:
    server = EmbeddedMosquitto(run_dir / "mosquitto")
    cleanup.append(server)
    server.start()
    got = _offline_queue_round_trip(server, 100, restart_broker=True)
    assert sorted(int(p) for p in got) == list(range(100))
