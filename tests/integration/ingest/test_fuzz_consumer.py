"""Hostile input through the real path: thousands of payloads published to the
machine's Mosquitto, read by a real `python -m streams` consumer. Every one must be
dead-lettered, the consumer must keep running, and history must not change.

The payloads are generated from a fixed seed (reproducible): random bytes, huge
and deeply nested JSON, valid-looking events with wrong types, unicode tricks
(bidi overrides, zero-width, NUL, lone surrogates, invalid UTF-8, homoglyphs),
SQL-looking strings, control characters inside otherwise valid text fields, and
ancient or far-future times (year 1 at +14:00, 1900, 1969, 1970, year 9999 at
-14:00), on topics of every known stream; then camera events whose snapshot reference
is URL-like and gate passes and appointments whose appointment id carries markup
(`tests/hostile_refs.py`), each otherwise valid and current. Valid events re-sent with
a re-stamped `ts` must be stored and counted once (the probe of issue points 1, 3, 4).
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

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
from streams.live.keys import Keys
from streams.simulator.outputs import MqttSink
from tests.events_doc import doc_examples
from tests.hostile_refs import MARKUP_IDS, URL_REFERENCES
from tests.integration.ingest.test_spine import TABLES, consumer_env, count_rows

pytestmark = pytest.mark.integration
PER_KIND = 300
SQL = [
    "'; DROP TABLE gate_events; --",
    "1 OR 1=1",
    '"); DELETE FROM alarms; --',
    "' UNION SELECT password_hash FROM users --",
    "$$; TRUNCATE audit_log; $$",
]
# bidi override, zero-width space, NUL, Cyrillic "а", lone surrogate, full-width.
TRICKS = [
    "\u202egate-east",
    "gate\u200b-east",
    "gate-east\x00",
    "gаte-east",
    "\ud800",
    "ｇａｔｅ－ｅａｓｔ",
    "../../etc/passwd",
]
# Inside a value (never at its ends, where trimming would remove whitespace ones).
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\t", "\n", "\r", "\x1b", "\x7f",
            "\x85", "\x9b"]  # fmt: skip
FREE_TEXT = ("credential", "appointment_id", "visitor_name", "host_name", "unit",
             "plate", "reason", "snapshot")  # fmt: skip
BAD_TIMES = [
    "0001-01-01T00:00:00+14:00",  # year 0 in UTC: a BC date in PostgreSQL
    "0001-01-01T00:00:00+00:00",
    "1900-01-01T00:00:00+08:00",
    "1969-12-31T23:59:59+00:00",
    "1970-01-01T00:00:00+00:00",
    "2000-02-29T12:00:00+08:00",
    "2999-01-01T00:00:00+00:00",
    "9999-12-31T23:59:59-14:00",  # year 10000 in UTC
]
Gen = Callable[[random.Random, dict[str, object]], bytes]


def _random_bytes(rng: random.Random, _: dict[str, object]) -> bytes:
    return rng.randbytes(rng.randint(0, 2048))


def _huge(rng: random.Random, base: dict[str, object]) -> bytes:
    return json.dumps({**base, "pad": "x" * rng.randint(70_000, 120_000)}).encode()


def _nested(rng: random.Random, _: dict[str, object]) -> bytes:
    depth = rng.randint(200, 20_000)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return (opener * depth + "1" + closer * depth).encode()


def _wrong_types(rng: random.Random, base: dict[str, object]) -> bytes:
    """A container where a required scalar belongs, or text where a time does."""
    key = rng.choice(["event_id", "ts", "device"])
    value = rng.choice([[], {}, [base[key]], {"$gt": ""}, "yesterday", "x" * 300])
    return json.dumps({**base, key: value}).encode()


def _unicode(rng: random.Random, base: dict[str, object]) -> bytes:
    trick = rng.choice(TRICKS)
    raw = json.dumps({**base, "device": trick, "event_id": str(uuid.uuid4())})
    if rng.random() < 0.3:
        return raw.encode("utf-8", "surrogatepass") + b"\xff\xfe"
    return raw.encode("utf-8", "surrogatepass")


def _sql(rng: random.Random, base: dict[str, object]) -> bytes:
    key = rng.choice(["device", "event_id", "ts"])
    return json.dumps({**base, key: rng.choice(SQL)}).encode()


def _control_chars(rng: random.Random, base: dict[str, object]) -> bytes:
    fields = [f for f in FREE_TEXT if isinstance(base.get(f), str)] or ["device"]
    field = rng.choice(fields)
    value = str(base[field])
    cut = rng.randint(1, len(value) - 1)
    raw = json.dumps({**base, field: value[:cut] + rng.choice(CONTROLS) + value[cut:]})
    if rng.random() < 0.2:  # also unescaped, as a careless producer writes it
        raw = raw.replace("\\u0000", "\x00").replace("\\u001b", "\x1b")
    return raw.encode()


def _bad_times(rng: random.Random, base: dict[str, object]) -> bytes:
    fields = ["ts", "expected_from", "expected_to"] if "expected_to" in base else ["ts"]
    field = rng.choice(fields)
    near = [_days_from_now(-31), _days_from_now(1)] if field == "ts" else []
    return json.dumps({**base, field: rng.choice([*BAD_TIMES, *near])}).encode()


def _days_from_now(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def _current(rng: random.Random, base: dict[str, object]) -> dict[str, object]:
    """The example as a fresh, current event: only the hostile field is wrong."""
    fresh = uuid.UUID(int=rng.getrandbits(128), version=4)
    return {**base, "event_id": str(fresh), "ts": datetime.now(UTC).isoformat()}


def _url_reference(rng: random.Random, base: dict[str, object]) -> bytes:
    """A camera event naming its snapshot by a URL, a path or a route."""
    payload = {**_current(rng, base), "snapshot": rng.choice(URL_REFERENCES)}
    return json.dumps(payload, ensure_ascii=False).encode()


def _markup_id(rng: random.Random, base: dict[str, object]) -> bytes:
    """A gate pass or appointment whose appointment id is a link, tag or heading."""
    payload = {**_current(rng, base), "appointment_id": rng.choice(MARKUP_IDS)}
    return json.dumps(payload, ensure_ascii=False).encode()


GENERATORS: tuple[Gen, ...] = (_random_bytes, _huge, _nested, _wrong_types,
                               _unicode, _sql, _control_chars, _bad_times,
                               _url_reference, _markup_id)  # fmt: skip
# Generators that only make sense on some streams (the others: every stream).
STREAMS_OF: dict[Gen, tuple[str, ...]] = {
    _url_reference: ("camera",),
    _markup_id: ("gate", "appointment"),
}
# What refuses each of those, at the latest (any earlier reason also refuses it).
REASON_OF = {
    _url_reference: "invalid field snapshot",
    _markup_id: "invalid field appointment_id",
}


def fresh(base: dict[str, object]) -> dict[str, object]:
    """A doc example stamped now: refused only for what a generator did to it."""
    return {**base, "ts": _days_from_now(0)}


def hostile_messages(site_id: str, seed: int = 8) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    bases = [(topic, fresh(json.loads(body))) for topic, body in doc_examples(site_id)]
    messages = []
    for generate in GENERATORS:
        streams = STREAMS_OF.get(generate)
        pool = [b for b in bases if streams is None or b[0].split("/")[2] in streams]
        for _ in range(PER_KIND):
            topic, base = rng.choice(pool)
            messages.append((topic, generate(rng, base)))
    return messages


@pytest.fixture
def consumer(
    site: Site, site_file: Path, mqtt_url: str, redis_url: str, pg_url: str,
    tmp_path: Path,
) -> Iterator[ConsumerProcess]:  # fmt: skip
    env = consumer_env(site, site_file, mqtt_url, redis_url, pg_url)
    process = ConsumerProcess(env, tmp_path / "consumer.log")
    process.start()
    client = redis.Redis.from_url(redis_url)
    try:
        wait_for_pipeline(site, mqtt_url, client, pg_url)
        yield process
    finally:
        client.close()
        assert process.stop() == 0, process.log()


def test_hostile_payloads_are_all_dead_lettered(
    consumer: ConsumerProcess, site: Site, mqtt_url: str, redis_url: str, pg_url: str
) -> None:
    messages = hostile_messages(site.id)
    assert len(messages) == PER_KIND * len(GENERATORS)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(site.id)
    before = int(client.get(keys.dead_letter_count) or 0)
    rows_before = {t: count_rows(pg_url, t) for t in TABLES.values()}
    outside = [  # outside ioc/<site>/<stream>/<device>: never even delivered
        (f"ioc/{site.id}/gate/gate-east/extra", messages[0][1]),
        (f"ioc/{site.id}-other/gate/gate-east", messages[1][1]),
        (f"iot/{site.id}/gate/gate-east", messages[2][1]),
    ]
    publish_all(mqtt_url, outside + messages)
    wait_until(
        lambda: int(client.get(keys.dead_letter_count) or 0) - before == len(messages),
        120,
        f"{len(messages)} dead letters",
    )
    assert {t: count_rows(pg_url, t) for t in TABLES.values()} == rows_before
    with psycopg.connect(pg_url) as conn:  # the SQL-looking strings did nothing
        assert conn.execute("SELECT to_regclass('gate_events')").fetchone() == (
            "gate_events",
        )
    assert consumer.process is not None and consumer.process.poll() is None
    dead = cast(list[tuple[str, dict[str, str]]], client.xrange(keys.dead_letters))
    letters = [f["reason"] for _, f in dead]
    reasons = {reason.split(":")[0] for reason in letters}
    assert "oversized" in reasons
    assert set(REASON_OF.values()) <= reasons  # refused for the field itself
    for expected in ("control character U+0000", "too old", "in the future",
                     "more than 366 days from ts"):  # fmt: skip
        assert any(expected in reason for reason in letters), expected
    client.close()


def publish_in_order(url: str, messages: list[tuple[str, bytes]]) -> None:
    """Publish only once connected: paho sends what it queued before the CONNACK from
    its network thread while later publishes leave from this one, so a burst sent
    during the connect can reach the broker out of order (seen once in CI: a pair's
    re-stamped version arrived first, and so was the first durable one)."""
    sink = MqttSink(url, f"pub-{uuid.uuid4().hex[:8]}")
    deadline = time.monotonic() + 30
    while not sink.connected and time.monotonic() < deadline:
        time.sleep(0.02)
    assert sink.connected, "no MQTT connection within 30 s"
    for topic, payload in messages:
        sink.send(topic, payload, timeout=60)
    assert sink.close(timeout=60) == 0


def _restamped(payload: bytes, hours: float) -> bytes:
    body = json.loads(payload)
    ts = datetime.fromisoformat(body["ts"]) + timedelta(hours=hours)
    return json.dumps({**body, "ts": ts.isoformat()}).encode()


def _staff_counts(client: redis.Redis, keys: Keys) -> tuple[int, int]:
    """(granted staff entries over every day, staff passes over every minute)."""
    days = client.scan_iter(match=f"{keys.prefix}:entries:*")
    minutes = client.scan_iter(match=f"{keys.prefix}:minute:gate:*")
    return (sum(int(client.hget(k, "staff") or 0) for k in days),
            sum(int(client.hget(k, "staff") or 0) for k in minutes))  # fmt: skip


def test_restamped_duplicates_are_stored_and_counted_once(
    consumer: ConsumerProcess, site: Site, mqtt_url: str, redis_url: str, pg_url: str
) -> None:
    start = datetime.now(UTC) - timedelta(hours=3)
    passes = numbered_passes(site.id, 150, start)
    publish_all(mqtt_url, [(t, p) for t, p, _ in passes[:100]])
    wait_until(lambda: count_rows(pg_url, "gate_events") == 100, 60, "originals")
    # The same ids re-stamped 2 h later (another replay-guard hour), then 50 passes
    # whose two versions travel back to back, then new passes that show the
    # consumer is through them.
    retries = [(t, _restamped(p, 2)) for t, p, _ in passes[:100]]
    pairs = [m for t, p, _ in passes[100:] for m in ((t, p), (t, _restamped(p, 2)))]
    after = numbered_passes(site.id, 20)
    publish_in_order(mqtt_url, [*retries, *pairs, *((t, p) for t, p, _ in after)])
    wait_until(lambda: count_rows(pg_url, "gate_events") >= 170, 60, "later passes")
    with psycopg.connect(pg_url) as conn:
        rows = conn.execute("SELECT event_id, ts FROM gate_events").fetchall()
    assert len(rows) == len({event_id for event_id, _ in rows}) == 170
    first_ts = {str(i): t for i, t in rows}
    for _, payload, event_id in passes:
        assert first_ts[event_id] == datetime.fromisoformat(json.loads(payload)["ts"])
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    wait_until(lambda: _staff_counts(client, Keys(site.id)) >= (170, 170), 20, "Redis")
    assert _staff_counts(client, Keys(site.id)) == (170, 170)
    assert client.get(Keys(site.id).dead_letter_count) is None
    client.close()
