"""The live read model's one pipelined read, over the machine's real Redis: every key
it reads holds a value no other key holds, so a reply read under the wrong command
(a shifted position) lands in the wrong field and fails here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis

from dashboard.data import LiveReader, LiveSnapshot
from dashboard.live_fetch import NamedPipeline, fetch_live
from streams.config.site import Site
from streams.live.keys import Keys
from streams.wire.contracts import STREAMS

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC).replace(second=30, microsecond=0)
DAY = "20250512"
MINUTES = tuple(NOW.replace(second=0) - timedelta(minutes=k) for k in (2, 1, 0))


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(redis_url, decode_responses=True)
    yield conn
    conn.close()


def stamp(minute: datetime) -> str:
    return minute.strftime("%Y%m%d%H%M")


def fill(client: redis.Redis, keys: Keys) -> dict[str, object]:
    """A distinct value in every key the snapshot reads; what each should read as."""
    hashes = {
        "onsite": keys.onsite(DAY),
        "entries": keys.entries(DAY),
        "meals": keys.meals(DAY),
        "windows": keys.window_state(),
        "meters": keys.meter_value,
        "totals": keys.energy_total(DAY),
        "states": keys.device_state,
    }
    expected: dict[str, object] = {}
    for n, (name, key) in enumerate(hashes.items()):
        expected[name] = {name: str(n)}
        client.hset(key, name, str(n))
    client.zadd(keys.stream_last_seen, {"gate": 1000.0})
    client.zadd(keys.last_seen, {"gate-east": 2000.0})
    client.set(keys.dead_letter_count, "77")
    expected |= {"stream_seen": {"gate": 1000.0}, "last_seen": {"gate-east": 2000.0}}
    expected["dead_letters"] = "77"
    minutes = {}
    for s, stream in enumerate(STREAMS):
        counts = []
        for m, minute in enumerate(MINUTES):
            value = str(100 * (s + 1) + m)
            client.hset(keys.minute(stream, stamp(minute)), "kind", value)
            counts.append({"kind": value})
        minutes[stream] = tuple(counts)
    expected["minutes"] = minutes
    return expected


def test_every_reply_lands_in_its_own_field(site: Site, client: redis.Redis) -> None:
    keys = Keys(site.id)
    expected = fill(client, keys)
    replies = fetch_live(client, keys, DAY, MINUTES)
    got = {name: getattr(replies, name) for name in expected}
    assert got == expected
    assert replies.day == DAY


def test_the_snapshot_reads_each_key_into_its_field(
    site: Site, client: redis.Redis, redis_url: str
) -> None:
    keys = Keys(site.id)
    reader = LiveReader.from_url(redis_url, site, clock=lambda: NOW)
    empty = reader.snapshot()
    assert isinstance(empty, LiveSnapshot)
    day = empty.day  # the site's local day now
    client.hset(keys.onsite(day), mapping={"staff": "11", "visitor": "2"})
    client.hset(keys.entries(day), mapping={"staff": "13", "denied": "5"})
    client.hset(keys.meals(day), "c1-w1", "17")
    client.hset(keys.window_state(), "c1-w1", "open")
    client.set(keys.dead_letter_count, "19")
    minute = NOW.replace(second=0)
    client.hset(keys.minute("energy", stamp(minute)), "reading", "23")
    client.hset(keys.minute("gate", stamp(minute - timedelta(minutes=1))), "pass", "29")
    snap = reader.snapshot()
    assert isinstance(snap, LiveSnapshot)
    assert snap.onsite == {"staff": 11, "visitor": 2, "vehicle": 0}
    assert snap.entries == {"staff": 13, "visitor": 0, "vehicle": 0}
    assert snap.denied == 5
    assert snap.meals_by_window["c1-w1"] == 17 and snap.windows_open["c1-w1"]
    assert snap.dead_letters == 19
    assert snap.events_per_minute["energy"][-1] == 23
    assert snap.events_per_minute["gate"][-2:] == (29, 0)
    assert sum(snap.total_per_minute()) == 23 + 29


def test_a_command_added_in_between_shifts_no_reply(client: redis.Redis) -> None:
    key = f"ioc:{{t-named}}:{datetime.now(UTC).timestamp()}"
    client.set(key, "mine")
    try:
        plain = NamedPipeline(client)
        plain.get("value", key)
        plain.hgetall("hash", key + ":absent")
        padded = NamedPipeline(client)
        padded.zrange_with_scores("extra", key + ":zset")
        padded.get("value", key)
        padded.get("more", key + ":absent")
        padded.hgetall("hash", key + ":absent")
        first, second = plain.execute(), padded.execute()
    finally:
        client.delete(key)
    assert first == {"value": "mine", "hash": {}}
    assert {name: second[name] for name in first} == first
    assert second["extra"] == [] and second["more"] is None
