"""A row PostgreSQL refuses for its content costs one dead letter and nothing else
(issue point 1), on the machine's real PostgreSQL and Redis.

The edge refuses NUL already (`tests/unit/streams/wire/test_storable.py`); here the
poison row is built past the edge (`model_copy` does not validate), as a contract gap
or a spool written by an older version would bring it, to prove the writer isolates
it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
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
from streams.ingest.delivery import Delivery
from streams.ingest.history_sink import PostgresHistory
from streams.ingest.metrics import readiness
from streams.ingest.spool import Spool
from streams.live.keys import Keys
from streams.live.ops import LiveConfig
from streams.live.state import LiveState
from streams.wire.contracts import Event, to_payload, topic_for
from tests import builders
from tests.conftest import PG_ADMIN_URL
from tests.integration.ingest.test_spine import _get, consumer_env

pytestmark = pytest.mark.integration
CONNECTED = SimpleNamespace(subscription=SimpleNamespace(connected=True))
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url, decode_responses=True)
    yield connection
    connection.close()


def delivery_for(site: Site, url: str, client: redis.Redis, spools: Path) -> Delivery:
    return Delivery(
        site_id=site.id,
        history=PostgresHistory(url),
        live=LiveState(client, LiveConfig(site)),
        history_spool=Spool(spools / "history", 10**8),
        dead_letter_spool=Spool(spools / "dead-letters", 10**8),
        rebuild_live=lambda: (0, 0),
        stop=threading.Event(),
    )


def appointments(n: int) -> list[Event]:
    return [builders.appointment(ts=NOW + timedelta(seconds=i)) for i in range(n)]


def poisoned(event: Event) -> Event:
    return event.model_copy(update={"visitor_name": "王\x00建国"})


def stored_ids(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT event_id FROM appointment_events").fetchall()
    return {str(row[0]) for row in rows}


def dead_letters(client: redis.Redis, site: Site) -> list[dict[str, str]]:
    entries = client.xrange(Keys(site.id).dead_letters)
    return [fields for _, fields in cast(list[tuple[str, dict[str, str]]], entries)]


def test_a_refused_row_is_one_dead_letter_and_the_batch_is_written(
    site: Site, pg_url: str, client: redis.Redis, tmp_path: Path
) -> None:
    delivery = delivery_for(site, pg_url, client, tmp_path)
    events = appointments(181)
    events[90] = poisoned(events[90])
    assert delivery.deliver(events, [], datetime.now(UTC))
    good = {str(e.event_id) for i, e in enumerate(events) if i != 90}
    assert stored_ids(pg_url) == good
    [letter] = dead_letters(client, site)
    assert letter["topic"] == f"ioc/{site.id}/appointment/visitor-booking"
    assert letter["reason"].startswith("refused by PostgreSQL: ")
    assert "NUL" in letter["reason"]
    assert str(events[90].event_id) in letter["raw"]
    assert client.get(Keys(site.id).dead_letter_count) == "1"
    assert delivery.spooled == (0, 0), "nothing spooled: PostgreSQL is up"
    assert readiness(CONNECTED, delivery)["postgresql"]
    later = appointments(3)
    assert delivery.deliver(later, [], datetime.now(UTC))
    assert stored_ids(pg_url) == good | {str(e.event_id) for e in later}


def test_a_poison_batch_left_in_the_spool_drains(
    site: Site, pg_url: str, client: redis.Redis, tmp_path: Path
) -> None:
    # A spool written before this fix: the poison batch and the ones behind it.
    spool = Spool(tmp_path / "history", 10**8)
    first, second = appointments(20), appointments(20)
    first[7] = poisoned(first[7])
    for batch in (first, second):
        spool.append(batch, [], NOW, needs_history=True, needs_live=True)
    delivery = delivery_for(site, pg_url, client, tmp_path)
    assert not readiness(CONNECTED, delivery)["postgresql"]  # backlog, not drained
    while delivery._drain_one():
        pass
    assert delivery.spooled == (0, 0)
    assert len(stored_ids(pg_url)) == 39
    assert [f["reason"][:21] for f in dead_letters(client, site)] == [
        "refused by PostgreSQL"
    ]
    assert readiness(CONNECTED, delivery)["postgresql"]


def test_only_an_unavailable_server_spools_and_readyz_says_so(
    site: Site, pg_url: str, client: redis.Redis, tmp_path: Path
) -> None:
    later_url = pg_url + "_later"  # a database that does not exist yet: refused
    delivery = delivery_for(site, later_url, client, tmp_path)
    events = appointments(10)
    assert delivery.deliver(events, [], datetime.now(UTC))
    assert delivery.spooled[0] == 1 and not dead_letters(client, site)
    assert not readiness(CONNECTED, delivery)["postgresql"]
    restarted = delivery_for(site, later_url, client, tmp_path)
    assert not readiness(CONNECTED, restarted)["postgresql"]
    assert not restarted._drain_one()
    assert not readiness(CONNECTED, restarted)["postgresql"]
    name = later_url.rsplit("/", 1)[1]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert restarted._drain_one()
        assert readiness(CONNECTED, restarted)["postgresql"]
        assert stored_ids(later_url) == {str(e.event_id) for e in events}
    finally:
        restarted._history.close()  # type: ignore[attr-defined]
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_spooled_event_redis_cannot_place_does_not_block_the_spool(
    site: Site, pg_url: str, client: redis.Redis, tmp_path: Path
) -> None:
    # Accepted by an older edge: year 0 in UTC (PostgreSQL keeps it as a BC date).
    year_zero = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
    spool = Spool(tmp_path / "history", 10**8)
    batch = [builders.gate(ts=year_zero), *(builders.gate(ts=NOW) for _ in range(4))]
    spool.append(batch, [], NOW, needs_history=True, needs_live=True)
    spool.append([builders.gate(ts=NOW)], [], NOW, needs_history=True, needs_live=True)
    delivery = delivery_for(site, pg_url, client, tmp_path)
    while delivery._drain_one():
        pass
    assert delivery.spooled == (0, 0)
    keys = Keys(site.id)
    entries = sum(
        int(client.hget(key, "staff") or 0)
        for key in client.scan_iter(match=f"{keys.prefix}:entries:*")
    )
    assert entries == 5


def test_the_probe_end_to_end(
    site: Site, site_file: Path, mqtt_url: str, redis_url: str, pg_url: str,
    client: redis.Redis, tmp_path: Path,
) -> None:  # fmt: skip
    """The issue's probe through MQTT and a real consumer: one appointment with NUL in
    its visitor_name among 180 valid ones, and a consumer restart."""
    port = free_port()
    env = {**consumer_env(site, site_file, mqtt_url, redis_url, pg_url),
           "IOC_METRICS_PORT": str(port)}  # fmt: skip
    consumer = ConsumerProcess(env, tmp_path / "consumer.log")
    topic = topic_for(site.id, "appointment", "visitor-booking")
    events = appointments(181)
    poison = to_payload(events[0]).replace("王建国".encode(), b"\\u0000")
    messages = [(topic, poison), *((topic, to_payload(e)) for e in events[1:])]
    consumer.start()
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        publish_all(mqtt_url, messages)
        wait_until(lambda: len(stored_ids(pg_url)) == 180, 30, "180 valid events")
        assert client.get(Keys(site.id).dead_letter_count) == "1"
        assert consumer.stop() == 0
        consumer.start()  # nothing spooled, nothing queued behind the poison
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        status, body = _get(f"http://127.0.0.1:{port}/readyz")
        assert status == 200 and '"postgresql": true' in body
        later = appointments(5)
        publish_all(mqtt_url, [(topic, to_payload(e)) for e in later])
        wait_until(lambda: len(stored_ids(pg_url)) == 185, 30, "later events")
    finally:
        assert consumer.stop() == 0, consumer.log()
    assert stored_ids(pg_url) == {str(e.event_id) for e in [*events[1:], *later]}
    [letter] = dead_letters(client, site)
    assert letter["reason"] == (
        "invalid field visitor_name: control character U+0000 not allowed"
    )
