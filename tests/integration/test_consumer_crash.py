"""SIGKILL the consumer mid-stream and restart it: nothing lost, nothing duplicated."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from harness.processes import (
    ConsumerProcess,
    gate_row_counts,
    numbered_passes,
    publish_all,
    wait_for_pipeline,
    wait_until,
)
from streams.config.site import Site
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.process import free_port, stop_process
from streams.live.keys import Keys
from tests.integration.test_spine import consumer_env

pytestmark = pytest.mark.integration
EVENTS = 10_000


@pytest.fixture
def broker_url(tmp_path: Path) -> Iterator[str]:
    """Our own Mosquitto with the shipped configuration (raised queue limits)."""
    port = free_port()
    process = start_mosquitto(port, tmp_path / "mosquitto")
    yield f"mqtt://127.0.0.1:{port}"
    stop_process(process)


def redis_entries(client: redis.Redis, site: Site) -> int:
    keys = client.scan_iter(match=f"{Keys(site.id).prefix}:entries:*")
    return sum(int(client.hget(key, "staff") or 0) for key in keys)


def test_sigkill_mid_stream_loses_and_duplicates_nothing(
    site: Site,
    site_file: Path,
    broker_url: str,
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> None:
    env = consumer_env(site, site_file, broker_url, redis_url, pg_url)
    env["IOC_BATCH_SIZE"] = "200"
    consumer = ConsumerProcess(env, tmp_path / "consumer.log")
    client = redis.Redis.from_url(redis_url)
    consumer.start()
    try:
        wait_for_pipeline(site, broker_url, client, pg_url)
        passes = numbered_passes(site.id, EVENTS)
        publisher = threading.Thread(
            target=publish_all, args=(broker_url, [(t, p) for t, p, _ in passes])
        )
        publisher.start()
        wait_until(
            lambda: gate_row_counts(pg_url)[0] > EVENTS // 5,
            60,
            "a fifth of the stream written",
        )
        consumer.kill()
        killed_at = gate_row_counts(pg_url)[0]
        assert killed_at < EVENTS, "the kill must land mid-stream"
        consumer.start()
        publisher.join(120)
        wait_until(
            lambda: gate_row_counts(pg_url)[0] >= EVENTS, 120, "every event written"
        )
        wait_until(
            lambda: redis_entries(client, site) >= EVENTS,
            30,
            "every event counted live",
        )
        assert gate_row_counts(pg_url) == (EVENTS, EVENTS)
        assert redis_entries(client, site) == EVENTS
        with psycopg.connect(pg_url) as conn:
            stored = {
                str(r[0]) for r in conn.execute("SELECT event_id FROM gate_events")
            }
        assert stored == {event_id for _, _, event_id in passes}
    finally:
        assert consumer.stop() == 0
        client.close()
        print(consumer.log()[-3000:])
