"""Live state in Redis: the present, applied exactly once per event.

A batch's operations (`streams.live.ops`) are applied by one Lua script, atomically,
and only when none of the batch's event_ids is in its hour's replay-guard set yet. If
some are, the script changes nothing and names them; the batch is rebuilt without
them and tried again. So a redelivered batch, or one overlapping an earlier one,
counts nothing twice. The script touches only keys of one site (one Cluster slot: the
``{site}`` hash tag).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

import redis
from redis.typing import EncodableT, FieldT

from streams.live.ops import LiveConfig, build_batch, placeable
from streams.wire.contracts import Event
from streams.wire.decoding import DecodeError

__all__ = ["LiveConfig", "LiveState"]

logger = logging.getLogger(__name__)

APPLY_SCRIPT = """
local batch = cjson.decode(ARGV[1])
local already = {}
for _, guard in ipairs(batch.guards) do
  local flags = redis.call('SMISMEMBER', guard[1], unpack(guard[2]))
  for i, flag in ipairs(flags) do
    if flag == 1 then already[#already + 1] = guard[2][i] end
  end
end
if #already > 0 then return already end
for _, guard in ipairs(batch.guards) do
  redis.call('SADD', guard[1], unpack(guard[2]))
end
for _, op in ipairs(batch.ops) do
  local code = op[1]
  if code == 'incr' then
    redis.call('HINCRBY', op[2], op[3], op[4])
  elseif code == 'incrf' then
    redis.call('HINCRBYFLOAT', op[2], op[3], op[4])
  elseif code == 'newer' then
    -- later event time wins; on a tie the larger value, so order never matters
    local stored = tonumber(redis.call('HGET', op[5], op[3]) or '-1')
    local ts = tonumber(op[6])
    if ts > stored or (ts == stored and
        op[4] > (redis.call('HGET', op[2], op[3]) or '')) then
      redis.call('HSET', op[2], op[3], op[4])
      redis.call('HSET', op[5], op[3], op[6])
    end
  elseif code == 'zmax' then
    redis.call('ZADD', op[2], 'GT', op[4], op[3])
  end
end
for _, pair in ipairs(batch.expire) do
  redis.call('EXPIRE', pair[1], pair[2])
end
return {}
"""


class LiveState:
    """Applies batches of events and dead letters to Redis and announces what
    changed."""

    def __init__(self, client: redis.Redis, config: LiveConfig) -> None:
        self._client = client
        self._config = config
        self._keys = config.keys
        self._apply = client.register_script(APPLY_SCRIPT)
        self.unplaceable = 0  # events skipped: their time has no Redis keys

    def apply(self, events: Sequence[Event]) -> int:
        """Apply the events not applied before; returns how many were new."""
        pending: list[Event] = []
        skipped: list[Event] = []
        for event in events:
            (pending if placeable(event, self._config) else skipped).append(event)
        if skipped:
            self._skipped(skipped)
        while pending:
            batch = build_batch(pending, self._config)
            # the script names no key; KEYS[1] routes it to the site's Cluster slot
            already = self._apply(keys=[self._keys.last_seen], args=[json.dumps(batch)])
            if not already:
                self._announce(sorted({event.stream for event in pending}))
                return len(pending)
            skip = {
                item.decode() if isinstance(item, bytes) else item for item in already
            }
            pending = [event for event in pending if str(event.event_id) not in skip]
        return 0

    def _skipped(self, events: Sequence[Event]) -> None:
        for n, event in enumerate(events, start=self.unplaceable):
            if n < 20 or n % 1000 == 0:  # no log flood from an old spool
                logger.warning(
                    "live state skips %s %s: time %s has no Redis keys",
                    event.stream,
                    event.event_id,
                    event.ts.isoformat(),
                )
        self.unplaceable += len(events)

    def state_lost(self) -> bool:
        """True when Redis may have lost this site's state (flushed or restarted)."""
        run_id: object = self._client.info("server")["run_id"]
        epoch: object = self._client.get(self._keys.live_epoch)
        if isinstance(epoch, bytes):
            epoch = epoch.decode()
        return epoch != run_id

    def mark_intact(self) -> None:
        """Record that the state is complete on the current Redis server."""
        self._client.set(self._keys.live_epoch, self._client.info("server")["run_id"])

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None:
        """Append refused messages to the bounded dead-letter stream and count them."""
        if not errors:
            return
        pipe = self._client.pipeline(transaction=True)
        for error in errors:
            fields: dict[FieldT, EncodableT] = {
                "topic": error.topic,
                "reason": error.reason,
                # Text-safe: valid UTF-8 as is, other bytes escaped (\\xff).
                "raw": error.raw.decode("utf-8", "backslashreplace"),
                "received_at": received_at.isoformat(),
            }
            pipe.xadd(
                self._keys.dead_letters,
                fields,
                maxlen=self._config.dead_letter_maxlen,
                approximate=True,
            )
        pipe.incrby(self._keys.dead_letter_count, len(errors))
        pipe.execute()
        self._announce(["deadletter"])

    def _announce(self, groups: Sequence[str]) -> None:
        for group in groups:
            self._client.publish(self._keys.changed_channel, group)
