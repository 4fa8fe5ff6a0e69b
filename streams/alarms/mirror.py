"""The Redis mirror of open alarms, for the consoles (PostgreSQL stays the truth).

`apply` writes changed alarms to the ``alarms_open`` hash (closed ones are removed),
appends journal entries to the bounded ``alarm_events`` stream and publishes
``alarm`` on the site's "changed" channel. `rebuild` replaces the hash with the open
alarms read from PostgreSQL (at start, and after a failed write). `beat` records each
successful tick, so screens can tell an empty alarm list from a stopped engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import redis

from streams.alarms.codec import alarm_from_json, alarm_to_json, journal_to_json
from streams.alarms.state import Alarm, JournalEntry
from streams.live.keys import Keys

EVENTS_MAXLEN = 10_000
HEARTBEAT_TTL_S = 3600  # a dead engine's last beat stays readable for an hour


class AlarmMirror:
    def __init__(self, client: redis.Redis, site_id: str) -> None:
        self._client = client
        self._keys = Keys(site_id)

    def apply(self, alarms: Sequence[Alarm], entries: Sequence[JournalEntry]) -> None:
        if not alarms and not entries:
            return
        pipe = self._client.pipeline(transaction=True)
        for alarm in alarms:
            if alarm.is_open:
                pipe.hset(self._keys.alarms_open, alarm.id, alarm_to_json(alarm))
            else:
                pipe.hdel(self._keys.alarms_open, alarm.id)
        for entry in entries:
            pipe.xadd(
                self._keys.alarm_events,
                {"entry": journal_to_json(entry)},
                maxlen=EVENTS_MAXLEN,
                approximate=True,
            )
        pipe.publish(self._keys.changed_channel, "alarm")
        pipe.execute()

    def rebuild(self, open_alarms: Sequence[Alarm]) -> None:
        pipe = self._client.pipeline(transaction=True)
        pipe.delete(self._keys.alarms_open)
        if open_alarms:
            pipe.hset(
                self._keys.alarms_open,
                mapping={a.id: alarm_to_json(a) for a in open_alarms},
            )
        pipe.publish(self._keys.changed_channel, "alarm")
        pipe.execute()

    def beat(self, now: datetime) -> None:
        """The engine is alive at `now` (raises redis.RedisError when unreachable)."""
        self._client.set(
            self._keys.alarm_engine_seen, f"{now.timestamp():.3f}", ex=HEARTBEAT_TTL_S
        )

    def read_open(self) -> list[Alarm]:
        """Every mirrored open alarm (raises redis.RedisError when unreachable)."""
        raw = self._client.hvals(self._keys.alarms_open)
        return [alarm_from_json(value) for value in raw]
