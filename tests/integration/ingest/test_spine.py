"""End to end on the machine's real servers: MQTT → consumer process → Redis +
PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import cast

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
from streams.embedded.process import free_port
from streams.live.keys import Keys
from tests.events_doc import doc_examples

pytestmark = pytest.mark.integration
TABLES = {
    "gate": "gate_events",
    "appointment": "appointment_events",
    "canteen": "canteen_events",
    "energy": "energy_readings",
    "camera": "camera_events",
    "status": "device_status",
}


def consumer_env(
    site: Site, site_file: Path, mqtt_url: str, redis_url: str, pg_url: str
) -> dict[str, str]:
    return {
        "IOC_MQTT_URL": mqtt_url,
        "IOC_REDIS_URL": redis_url,
        "IOC_DATABASE_URL": pg_url,
        "IOC_SITE_FILE": str(site_file),
        "IOC_MQTT_CLIENT_ID": f"consumer-{site.id}",
        "IOC_BATCH_MAX_WAIT_MS": "20",
        "IOC_METRICS_PORT": "0",
        "IOC_RUN_DIR": str(site_file.parent / "run"),
    }


@pytest.fixture
def consumer(
    site: Site,
    site_file: Path,
    mqtt_url: str,
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> Iterator[ConsumerProcess]:
    env = consumer_env(site, site_file, mqtt_url, redis_url, pg_url)
    env["IOC_MAX_EVENT_AGE_DAYS"] = "3650"  # the doc examples are dated 2026-11-20
    process = ConsumerProcess(env, tmp_path / "consumer.log")
    process.start()
    client = redis.Redis.from_url(redis_url)
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        yield process
    finally:
        exit_code = process.stop()
        client.close()
        print(process.log())
        assert exit_code == 0, "SIGTERM must flush and exit cleanly"


def count_rows(pg_url: str, table: str, where: str = "TRUE") -> int:
    with psycopg.connect(pg_url) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]  # type: ignore[index]


def stored_once(pg_url: str, table: str, event_id: str) -> bool:
    return count_rows(pg_url, table, f"event_id = '{event_id}'") == 1


def test_doc_examples_published_with_mosquitto_pub_land_everywhere(
    consumer: ConsumerProcess, site: Site, redis_url: str, pg_url: str
) -> None:
    examples = doc_examples(site.id)
    for topic, payload in examples:
        subprocess.run(
            [
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                "1883",
                "-q",
                "1",
                "-t",
                topic,
                "-m",
                payload.decode(),
            ],
            check=True,
            timeout=10,
        )
    for topic, payload in examples:
        stream = topic.split("/")[2]
        event_id = __import__("json").loads(payload)["event_id"]
        wait_until(
            partial(stored_once, pg_url, TABLES[stream], event_id),
            20,
            f"{stream} example in PostgreSQL",
        )
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(site.id)
    wait_until(
        lambda: client.hget(keys.meals("20261120"), "c1-w1") == "1",
        10,
        "meals in Redis",
    )
    assert client.hget(keys.onsite("20261120"), "staff") == "1"
    assert client.hget(keys.onsite("20261120"), "vehicle") == "1"
    assert client.hget(keys.entries("20261120"), "denied") == "1"
    assert client.hget(keys.device_state, "cam-parking") in {"offline", "online"}
    assert client.hget(keys.meter_value, "m-b1-kw") == "812.4"
    assert client.get(keys.dead_letter_count) is None
    client.close()


GARBAGE = [
    ("gate/gate-east", b"\x00\xff garbage"),
    ("gate/gate-east", b'{"event_id": "nope"}'),
    ("gate/gate-x", b"{}"),
    ("energy/m-b1-kw", b'{"value": 1e400}'),
    ("weather/station-1", b'{"t": 3}'),
    ("camera/cam-c1-queue", b"[]"),
]


def test_garbage_goes_only_to_the_dead_letter_stream(
    consumer: ConsumerProcess, site: Site, redis_url: str, pg_url: str
) -> None:
    rows_before = {t: count_rows(pg_url, t) for t in TABLES.values()}
    publish_all(
        "mqtt://127.0.0.1:1883",
        [(f"ioc/{site.id}/{suffix}", body) for suffix, body in GARBAGE],
    )
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(site.id)
    wait_until(
        lambda: client.get(keys.dead_letter_count) == str(len(GARBAGE)),
        20,
        "dead letters",
    )
    entries = cast(list[tuple[str, dict[str, str]]], client.xrange(keys.dead_letters))
    assert len(entries) == len(GARBAGE)
    assert all(
        fields["reason"] and fields["topic"].startswith(f"ioc/{site.id}/")
        for _, fields in entries
    )
    assert {t: count_rows(pg_url, t) for t in TABLES.values()} == rows_before
    assert consumer.process is not None and consumer.process.poll() is None, (
        "consumer kept running"
    )
    client.close()


def test_health_and_metrics_endpoints(
    site: Site,
    site_file: Path,
    mqtt_url: str,
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **consumer_env(site, site_file, mqtt_url, redis_url, pg_url),
        "IOC_METRICS_PORT": str(port),
    }
    process = ConsumerProcess(env, tmp_path / "consumer.log")
    process.start()
    client = redis.Redis.from_url(redis_url)
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: _get(base + "/readyz")[0] == 200, 10, "ready")
        body = _get(base + "/readyz")[1]
        assert json.loads(body)["checks"] == {
            "mqtt": True,
            "postgresql": True,
            "redis": True,
        }
        assert _get(base + "/healthz")[0] == 200
        metrics = _get(base + "/metrics")[1]
        assert "# TYPE ioc_consumer_events_written_total counter" in metrics
        written = re.search(r"^ioc_consumer_events_written_total (\d+)", metrics, re.M)
        assert written is not None and int(written[1]) >= 1
        assert 'ioc_consumer_server_up{server="postgresql"} 1' in metrics
    finally:
        assert process.stop() == 0
        client.close()


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
