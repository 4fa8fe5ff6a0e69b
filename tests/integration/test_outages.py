"""Kill a server or the consumer mid-stream: every event exactly once, counters agree.

Each test runs its own PostgreSQL, Redis and Mosquitto (started here on free loopback
ports, so they can be killed) and a real consumer process, publishes 20,000 numbered
events, and kills and restarts one component part-way. Afterwards every event_id is in
PostgreSQL exactly once and the Redis counters equal the PostgreSQL counts.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import redis

from harness.processes import (
    ConsumerProcess,
    numbered_passes,
    publish_all,
    wait_for_pipeline,
    wait_until,
)
from streams.config.site import Site
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.postgres_server import start_postgres
from streams.embedded.process import free_port, stop_process
from streams.embedded.redis_server import start_redis
from streams.live.keys import Keys
from tests.integration.test_spine import consumer_env

pytestmark = pytest.mark.integration
EVENTS = 20_000
DOWN_S = 3.0  # how long a killed server stays down


@dataclass
class Server:
    start: Callable[[], subprocess.Popen[bytes]]
    process: subprocess.Popen[bytes] | None = None

    def up(self) -> None:
        self.process = self.start()

    def down(self, sig: signal.Signals) -> None:
        assert self.process is not None
        stop_process(self.process, sig, timeout=20)


@dataclass
class Stack:
    site: Site
    workdir: Path
    postgres: Server
    redis: Server
    broker: Server
    urls: dict[str, str]
    consumer: ConsumerProcess = field(init=False)


BrokerStart = Callable[[int, Path], "subprocess.Popen[bytes]"]


@contextlib.contextmanager
def running_stack(
    site: Site, site_file: Path, broker: BrokerStart, extra_env: dict[str, str]
) -> Iterator[Stack]:
    """Our own PostgreSQL, Redis and `broker` (so they can be killed) and a real
    consumer, all on free loopback ports; stopped and removed afterwards."""
    # Not tmp_path: the embedded PostgreSQL runs as `nobody` when we are root and
    # must be able to traverse the data directory's parents.
    workdir = Path(tempfile.mkdtemp(prefix="ioc-test-outage-"))
    ports = {name: free_port() for name in ("pg", "redis", "mqtt")}
    servers = Stack(
        site=site,
        workdir=workdir,
        postgres=Server(lambda: start_postgres(ports["pg"], workdir / "pg")),
        redis=Server(lambda: start_redis(ports["redis"], workdir / "redis")),
        broker=Server(lambda: broker(ports["mqtt"], workdir / "mqtt")),
        urls={
            "mqtt": f"mqtt://127.0.0.1:{ports['mqtt']}",
            "redis": f"redis://127.0.0.1:{ports['redis']}/0",
            "pg": f"postgresql://postgres@127.0.0.1:{ports['pg']}/ioc",
        },
    )
    env = consumer_env(site, site_file, servers.urls["mqtt"], servers.urls["redis"],
                       servers.urls["pg"])  # fmt: skip
    env.update(IOC_RUN_DIR=str(workdir / "run"), **extra_env)
    servers.consumer = ConsumerProcess(env, workdir / "consumer.log")
    try:
        for server in (servers.postgres, servers.redis, servers.broker):
            server.up()
        servers.consumer.start()
        yield servers
    finally:
        servers.consumer.stop()
        print(servers.consumer.log()[-4000:])
        for server in (servers.broker, servers.redis, servers.postgres):
            if server.process is not None:
                stop_process(server.process, signal.SIGINT, timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def stack(site: Site, site_file: Path) -> Iterator[Stack]:
    with running_stack(site, site_file, start_mosquitto, {}) as servers:
        yield servers


def pg_counts(url: str) -> tuple[int, int, int]:
    """(rows, distinct event ids, granted entries); zeros while PostgreSQL is down."""
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            row = conn.execute(
                "SELECT count(*), count(DISTINCT event_id), count(*) FILTER"
                " (WHERE direction = 'in' AND result = 'granted') FROM gate_events"
            ).fetchone()
    except psycopg.Error:
        return 0, 0, 0
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def redis_entries(url: str, site: Site) -> int:
    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        keys = list(client.scan_iter(match=f"{Keys(site.id).prefix}:entries:*"))
        total = sum(int(client.hget(key, "staff") or 0) for key in keys)
        client.close()
    except redis.RedisError:
        return -1
    return total


def run_with_outage(stack: Stack, outage: Callable[[], None]) -> None:
    client = redis.Redis.from_url(stack.urls["redis"])
    wait_for_pipeline(stack.site, stack.urls["mqtt"], client, stack.urls["pg"])
    client.close()
    passes = numbered_passes(stack.site.id, EVENTS)
    publisher = threading.Thread(
        target=publish_all, args=(stack.urls["mqtt"], [(t, p) for t, p, _ in passes])
    )
    publisher.start()
    wait_until(lambda: pg_counts(stack.urls["pg"])[0] > EVENTS // 5, 120, "a fifth")
    outage()
    publisher.join(600)
    wait_until(lambda: pg_counts(stack.urls["pg"])[0] >= EVENTS, 300, "every event")
    wait_until(lambda: redis_entries(stack.urls["redis"], stack.site) >= EVENTS, 120,
               "Redis counters caught up")  # fmt: skip
    rows, distinct, granted_in = pg_counts(stack.urls["pg"])
    assert (rows, distinct) == (EVENTS, EVENTS), "every event exactly once"
    assert redis_entries(stack.urls["redis"], stack.site) == granted_in == EVENTS
    with psycopg.connect(stack.urls["pg"]) as conn:
        stored = {str(r[0]) for r in conn.execute("SELECT event_id FROM gate_events")}
    assert stored == {event_id for _, _, event_id in passes}


def kill_and_restart(server: Server, sig: signal.Signals) -> Callable[[], None]:
    def outage() -> None:
        server.down(sig)
        time.sleep(DOWN_S)  # stay down long enough for events to pile up
        server.up()

    return outage


def test_postgresql_killed_mid_stream(stack: Stack) -> None:
    run_with_outage(stack, kill_and_restart(stack.postgres, signal.SIGKILL))
    assert "PostgreSQL unavailable" in stack.consumer.log()


def test_redis_killed_mid_stream(stack: Stack) -> None:
    run_with_outage(stack, kill_and_restart(stack.redis, signal.SIGKILL))
    assert "rebuilding Redis from PostgreSQL" in stack.consumer.log()


def test_mosquitto_restarted_mid_stream(stack: Stack) -> None:
    # A graceful restart: Mosquitto saves its persistent sessions and queued messages.
    run_with_outage(stack, kill_and_restart(stack.broker, signal.SIGTERM))


def test_consumer_killed_mid_stream(stack: Stack) -> None:
    def outage() -> None:
        stack.consumer.kill()
        time.sleep(DOWN_S)
        stack.consumer.start()

    run_with_outage(stack, outage)
