"""`python -m streams` killed and restarted while an alarm is open: the new process
takes the engine's open condition over, so the device coming back clears it (one
alarm, activated once). Real MQTT, PostgreSQL and Redis; events at wall-clock time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import redis

from harness.processes import (
    ConsumerProcess,
    publish_all,
    wait_for_pipeline,
    wait_until,
)
from streams.config.site import Site
from streams.wire.contracts import to_payload, topic_for
from tests import builders
from tests.integration.test_spine import consumer_env

pytestmark = pytest.mark.integration
KEY = ("camera_offline", "cam-parking")


def _status(site: Site, state: str) -> tuple[str, bytes]:
    event = builders.status("cam-parking", state, ts=datetime.now(UTC))
    return topic_for(site.id, "status", event.device), to_payload(event)


def _alarms(pg_url: str) -> list[tuple[int, bool]]:
    """(activations, condition present) of every camera_offline alarm."""
    try:
        with psycopg.connect(pg_url) as conn:
            rows = conn.execute(
                "SELECT activations, condition FROM alarms"
                " WHERE kind = %s AND source = %s",
                KEY,
            ).fetchall()
    except psycopg.errors.UndefinedTable:
        return []
    return [(int(n), bool(c)) for n, c in rows]


def test_restarted_consumer_clears_the_alarm_it_took_over(
    site: Site,
    site_file: Path,
    mqtt_url: str,
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> None:
    env = consumer_env(site, site_file, mqtt_url, redis_url, pg_url)
    consumer = ConsumerProcess(env, tmp_path / "consumer.log")
    client = redis.Redis.from_url(redis_url)
    consumer.start()
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)  # subscribed (persistent)
        publish_all(mqtt_url, [_status(site, "offline")])
        wait_until(lambda: _alarms(pg_url) == [(1, True)], 60, "the alarm raised")
        consumer.kill()

        consumer.start()
        wait_until(
            lambda: consumer.log().count("took over 1 open alarm") == 1,
            60,
            "the restarted detection took the open alarm over",
        )
        publish_all(mqtt_url, [_status(site, "online")])  # kept by its session
        wait_until(lambda: _alarms(pg_url) == [(1, False)], 60, "the alarm cleared")
    finally:
        consumer.stop()
        client.close()
