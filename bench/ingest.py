"""bench/ingest: end-to-end events/s into Redis + PostgreSQL against a bare paho
subscriber.

    python -m bench.ingest [--events N] [--quick]

Both sides drain the same backlog: N QoS 1 gate passes published while the
subscriber's persistent session is offline, held by a broker started here with the
shipped config. The baseline is a bare paho subscriber that only counts; the system
is the real consumer process (`python -m streams`) writing PostgreSQL (machine
server, fresh database) and Redis. Prints both rates, their ratio (goal ≥ 0.7) and
checks 0 lost / 0 duplicated by event_id, then one JSON line with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import paho.mqtt.client as paho
import psycopg
import redis
import yaml

from harness.processes import (
    ConsumerProcess,
    gate_row_counts,
    numbered_passes,
    publish_all,
    wait_for_pipeline,
    wait_until,
)
from streams.config.settings import SAMPLE_SITE_FILE
from streams.config.site import Site, load_site
from streams.embedded.mosquitto import start_mosquitto
from streams.embedded.process import free_port, stop_process
from streams.live.keys import Keys

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"
EXTRA_ENV: dict[str, str] = {}


def bare_subscriber_rate(
    url: str, topic: str, messages: list[tuple[str, bytes]]
) -> float:
    """Events/s of a subscriber that only counts, draining a broker-held backlog."""
    host, port = url.rsplit(":", 1)[0].split("//")[1], int(url.rsplit(":", 1)[1])
    received: list[float] = []
    done = threading.Event()
    client_id = f"bare-{uuid.uuid4().hex[:8]}"

    def on_message(_c: paho.Client, _u: object, _m: paho.MQTTMessage) -> None:
        received.append(time.perf_counter())
        if len(received) == len(messages):
            done.set()

    def session() -> paho.Client:
        client = paho.Client(
            paho.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False
        )
        client.on_message = on_message
        client.on_connect = lambda c, *_: c.subscribe(topic, qos=1)
        client.max_inflight_messages_set(1000)
        client.connect(host, port)
        client.loop_start()
        return client

    first = session()
    time.sleep(0.5)
    first.disconnect()
    first.loop_stop()
    publish_all(url, messages)
    second = session()
    if not done.wait(600):
        raise SystemExit(f"bare subscriber got {len(received)} of {len(messages)}")
    second.disconnect()
    second.loop_stop()
    return (len(received) - 1) / (received[-1] - received[0])


def consumer_rate(
    consumer: ConsumerProcess,
    site: Site,
    url: str,
    pg_url: str,
    messages: list[tuple[str, bytes]],
) -> float:
    """Events/s of the real consumer, from its first written row to the last one."""
    client = redis.Redis.from_url(REDIS_URL)
    consumer.start()
    wait_for_pipeline(site, url, client, pg_url)  # session exists, schema migrated
    consumer.stop()
    publish_all(url, messages)
    consumer.start()
    wait_until(lambda: gate_row_counts(pg_url)[0] > 0, 60, "first rows")
    start, start_rows = time.perf_counter(), gate_row_counts(pg_url)[0]
    wait_until(lambda: gate_row_counts(pg_url)[0] >= len(messages), 900, "every row")
    took = time.perf_counter() - start
    consumer.stop()
    return (len(messages) - start_rows) / took


def run(events: int) -> dict[str, float | int | str]:
    site = load_site(SAMPLE_SITE_FILE).model_copy(
        update={"id": f"bench{uuid.uuid4().hex[:8]}"}
    )
    workdir = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    site_file = workdir / "site.yaml"
    site_file.write_text(
        yaml.safe_dump(site.model_dump(mode="json"), allow_unicode=True)
    )
    port = free_port()
    broker = start_mosquitto(port, workdir / "mosquitto")
    url = f"mqtt://127.0.0.1:{port}"
    db = f"ioc_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    pg_url = PG_ADMIN.rsplit("/", 1)[0] + f"/{db}"
    try:
        baseline = bare_subscriber_rate(
            url,
            f"ioc/{site.id}/gate/#",
            [(t, p) for t, p, _ in numbered_passes(site.id, events)],
        )
        passes = numbered_passes(site.id, events)
        consumer = ConsumerProcess(
            {
                "IOC_MQTT_URL": url,
                "IOC_REDIS_URL": REDIS_URL,
                "IOC_DATABASE_URL": pg_url,
                "IOC_SITE_FILE": str(site_file),
                "IOC_MQTT_CLIENT_ID": f"c-{site.id}",
                "IOC_LOG_LEVEL": "WARNING",
                **EXTRA_ENV,
            },
            workdir / "consumer.log",
        )
        system = consumer_rate(
            consumer, site, url, pg_url, [(t, p) for t, p, _ in passes]
        )
        rows, distinct = gate_row_counts(pg_url)
        client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
        day_totals = [
            int(client.hget(key, "staff") or 0)
            for key in client.scan_iter(match=f"{Keys(site.id).prefix}:entries:*")
        ]
        for key in client.scan_iter(match=f"{Keys(site.id).prefix}:*"):
            client.delete(key)
        client.close()
    finally:
        stop_process(broker)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    return {
        "bench": "ingest",
        "events": events,
        "bare_paho_events_per_s": round(baseline),
        "consumer_events_per_s": round(system),
        "ratio": round(system / baseline, 3),
        "lost": events - distinct,
        "duplicated_rows": rows - distinct,
        "redis_entries": sum(day_totals),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="10,000 events (< 1 min)")
    args = parser.parse_args(argv)
    figures = run(10_000 if args.quick else args.events)
    print(f"bare paho subscriber : {figures['bare_paho_events_per_s']:>8} events/s")
    print(f"consumer → PG + Redis: {figures['consumer_events_per_s']:>8} events/s")
    print(f"ratio                : {figures['ratio']:>8}  (goal ≥ 0.7)")
    print(
        f"lost {figures['lost']}, duplicated {figures['duplicated_rows']}, "
        f"Redis entries {figures['redis_entries']} of {figures['events']}"
    )
    print(json.dumps(figures))
    ok = figures["lost"] == 0 and figures["duplicated_rows"] == 0
    return 0 if ok and figures["redis_entries"] == figures["events"] else 1


if __name__ == "__main__":
    sys.exit(main())
