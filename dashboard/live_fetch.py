"""What one live snapshot reads from Redis, in one round trip.

Every pipeline command is queued under a name and its reply is looked up by that
name (`NamedPipeline`), never by its position: adding, removing or moving a command
cannot shift another's reply. `dashboard.data.LiveReader` turns the replies into a
`LiveSnapshot`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis

from streams.live.keys import Keys
from streams.wire.contracts import STREAMS


class NamedPipeline:
    """Redis commands queued under unique names (no transaction); `execute()` sends
    them in one round trip and returns each reply under its command's name."""

    def __init__(self, client: redis.Redis) -> None:
        self._pipe = client.pipeline(transaction=False)
        self._names: dict[str, None] = {}  # insertion-ordered: the commands' order

    def _name(self, name: str) -> None:
        if name in self._names:
            raise ValueError(f"pipeline command {name!r} queued twice")
        self._names[name] = None

    def hgetall(self, name: str, key: str) -> None:
        self._name(name)
        self._pipe.hgetall(key)

    def zrange_with_scores(self, name: str, key: str) -> None:
        """Every member of a sorted set with its score."""
        self._name(name)
        self._pipe.zrange(key, 0, -1, withscores=True)

    def hvals(self, name: str, key: str) -> None:
        self._name(name)
        self._pipe.hvals(key)

    def get(self, name: str, key: str) -> None:
        self._name(name)
        self._pipe.get(key)

    def execute(self) -> dict[str, Any]:
        replies = self._pipe.execute()
        return dict(zip(self._names, replies, strict=True))


@dataclass(frozen=True, slots=True)
class LiveReplies:
    """The replies, typed (decode_responses=True: every value is str)."""

    day: str
    onsite: dict[str, str]
    entries: dict[str, str]
    meals: dict[str, str]
    windows: dict[str, str]
    meters: dict[str, str]
    totals: dict[str, str]
    states: dict[str, str]
    stream_seen: dict[str, float]
    last_seen: dict[str, float]
    dead_letters: str | None
    minutes: dict[str, tuple[dict[str, str], ...]]  # stream → per minute, oldest first


def minute_command(stream: str, stamp: str) -> str:
    """The name of the command reading one stream's counts of one UTC minute."""
    return f"minute:{stream}:{stamp}"


def fetch_live(
    client: redis.Redis, keys: Keys, day: str, minutes: Sequence[datetime]
) -> LiveReplies:
    """Read the site's live state of `day`, and each stream's counts of `minutes`."""
    stamps = [minute.strftime("%Y%m%d%H%M") for minute in minutes]
    replies = _queue(NamedPipeline(client), keys, day, stamps).execute()
    dead = replies["dead_letters"]
    return LiveReplies(
        day=day,
        onsite=_texts(replies["onsite"]),
        entries=_texts(replies["entries"]),
        meals=_texts(replies["meals"]),
        windows=_texts(replies["windows"]),
        meters=_texts(replies["meters"]),
        totals=_texts(replies["totals"]),
        states=_texts(replies["states"]),
        stream_seen=_scores(replies["stream_seen"]),
        last_seen=_scores(replies["last_seen"]),
        dead_letters=None if dead is None else str(dead),
        minutes={
            stream: tuple(
                _texts(replies[minute_command(stream, stamp)]) for stamp in stamps
            )
            for stream in STREAMS
        },
    )


def _queue(
    batch: NamedPipeline, keys: Keys, day: str, stamps: Sequence[str]
) -> NamedPipeline:
    batch.hgetall("onsite", keys.onsite(day))
    batch.hgetall("entries", keys.entries(day))
    batch.hgetall("meals", keys.meals(day))
    batch.hgetall("windows", keys.window_state())
    batch.hgetall("meters", keys.meter_value)
    batch.hgetall("totals", keys.energy_total(day))
    batch.hgetall("states", keys.device_state)
    batch.zrange_with_scores("stream_seen", keys.stream_last_seen)
    batch.zrange_with_scores("last_seen", keys.last_seen)
    batch.get("dead_letters", keys.dead_letter_count)
    for stream in STREAMS:
        for stamp in stamps:
            batch.hgetall(minute_command(stream, stamp), keys.minute(stream, stamp))
    return batch


def _texts(reply: Mapping[Any, Any]) -> dict[str, str]:
    return {str(k): str(v) for k, v in reply.items()}


def _scores(reply: Sequence[tuple[Any, Any]]) -> dict[str, float]:
    return {str(member): float(score) for member, score in reply}
