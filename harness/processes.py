"""Helpers for tests and benches that run the real consumer and publish real MQTT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import redis

from streams.config.site import Site
from streams.embedded.process import spawn
from streams.live.keys import Keys
from streams.simulator.outputs import MqttSink
from streams.wire.contracts import GateEvent, StatusEvent, to_payload, topic_for

ROOT = Path(__file__).resolve().parent.parent


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Bounded poll: returns once `condition()` holds, fails the test after timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout_s}s waiting for {what}")


class ConsumerProcess:
    """`python -m streams` in a child process with the given settings."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self._env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self._log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # Its own session, and SIGTERM if this test or bench process dies.
        self.process = spawn(
            [sys.executable, "-m", "streams"],
            log_path=self._log_path,
            env=self._env,
            cwd=ROOT,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM and wait: the consumer flushes and exits cleanly."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(20)

    def log(self) -> str:
        return self._log_path.read_text(errors="replace")


def numbered_passes(
    site_id: str, count: int, start: datetime | None = None
) -> list[tuple[str, bytes, str]]:
    """`count` staff entries (topic, payload, event_id), one per 10 ms of event time."""
    first = start or datetime.now(UTC) - timedelta(minutes=30)
    out = []
    for n in range(count):
        event = GateEvent(
            event_id=uuid.uuid4(),
            ts=first + timedelta(milliseconds=10 * n),
            device="gate-east",
            direction="in",
            subject="staff",
            credential_kind="card",
            credential=f"C{n:08d}",
            result="granted",
        )
        out.append(
            (
                topic_for(site_id, "gate", "gate-east"),
                to_payload(event),
                str(event.event_id),
            )
        )
    return out


def publish_all(
    url: str,
    messages: Iterable[tuple[str, bytes]],
    max_inflight: int = 1000,
    timeout_s: float = 300.0,
) -> int:
    """Publish at QoS 1 like a real producer: at most `max_inflight` unacknowledged
    (DESIGN.md §7a), kept and re-sent after a reconnect while the broker is down or
    restarting, until the broker has acknowledged every message. Returns the count;
    raises `TimeoutError` if that has not happened within `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    sink = MqttSink(url, f"pub-{uuid.uuid4().hex[:8]}", max_outstanding=max_inflight)
    sent = 0
    try:
        for topic, payload in messages:
            sink.send(topic, payload, timeout=max(deadline - time.monotonic(), 0.0))
            sent += 1
    finally:
        left = sink.close(timeout=max(deadline - time.monotonic(), 0.0))
    if left:
        raise TimeoutError(
            f"{left} of {sent} publishes unacknowledged after {timeout_s:.0f} s"
        )
    return sent


def gate_row_counts(pg_url: str) -> tuple[int, int]:
    """(rows, distinct event ids) in gate_events."""
    with psycopg.connect(pg_url) as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT event_id) FROM gate_events"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def _heartbeat_stored(pg_url: str, event_id: uuid.UUID) -> bool:
    try:
        with psycopg.connect(pg_url, connect_timeout=2) as conn:
            row = conn.execute(
                "SELECT 1 FROM device_status WHERE event_id = %s", (event_id,)
            ).fetchone()
    except psycopg.Error:  # not migrated yet
        return False
    return row is not None


def wait_for_pipeline(
    site: Site, mqtt_url: str, client: redis.Redis, pg_url: str
) -> None:
    """Publish heartbeats until one is in Redis and PostgreSQL: subscribed, migrated
    and writing both. Returns only once the last heartbeat sent is stored, so none
    lands later in a test's counts (delivery and writing keep the order)."""

    def heartbeat_arrived() -> bool:
        probe = StatusEvent(
            event_id=uuid.uuid4(),
            ts=datetime.now(UTC),
            device="cam-parking",
            state="heartbeat",
        )
        publish_all(
            mqtt_url,
            [(topic_for(site.id, "status", "cam-parking"), to_payload(probe))],
            timeout_s=30,
        )
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            if _heartbeat_stored(pg_url, probe.event_id) and client.zscore(
                Keys(site.id).last_seen, "cam-parking"
            ):
                return True
            time.sleep(0.05)
        return False

    wait_until(heartbeat_arrived, 30, "the consumer to subscribe and write")
