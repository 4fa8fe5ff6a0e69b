"""Live state in Redis: the present, applied exactly once per event.

Each event becomes a short list of Redis operations (`operations_for`, pure). A Lua script
applies a whole batch atomically, and only for event_ids not yet in the replay-guard set of
the event's hour, so a batch redelivered after a crash changes nothing twice. The script
touches only keys of one site (one Cluster slot, thanks to the ``{site}`` hash tag).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import redis

from streams.contracts import Event, local_day
from streams.decoding import DecodeError
from streams.keys import DAY_TTL_S, MINUTE_TTL_S, SEEN_TTL_S, Keys
from streams.site import Site

logger = logging.getLogger(__name__)

# Operation codes understood by APPLY_SCRIPT:
#   ["incr", key, field, n]        HINCRBY
#   ["incrf", key, field, x]       HINCRBYFLOAT
#   ["newer", key, field, value, ts_key, ts]  HSET both when ts >= stored ts
#   ["zmax", key, member, score]   ZADD GT
Operation = list[str | int | float]

APPLY_SCRIPT = """
local batch = cjson.decode(ARGV[1])
local applied = {}
for i, item in ipairs(batch.events) do
  if redis.call('SADD', item.seen, item.id) == 1 then
    for _, op in ipairs(item.ops) do
      local code = op[1]
      if code == 'incr' then
        redis.call('HINCRBY', op[2], op[3], op[4])
      elseif code == 'incrf' then
        redis.call('HINCRBYFLOAT', op[2], op[3], op[4])
      elseif code == 'newer' then
        local stored = tonumber(redis.call('HGET', op[5], op[3]) or '-1')
        if tonumber(op[6]) >= stored then
          redis.call('HSET', op[2], op[3], op[4])
          redis.call('HSET', op[5], op[3], op[6])
        end
      elseif code == 'zmax' then
        redis.call('ZADD', op[2], 'GT', op[4], op[3])
      end
    end
    applied[#applied + 1] = i
  end
end
for _, pair in ipairs(batch.expire) do
  redis.call('EXPIRE', pair[1], pair[2])
end
return applied
"""

POWER_QUANTITIES = frozenset({"electric_kw", "pv_kw", "hvac_kw"})
INTERVAL_ENERGY_QUANTITIES = frozenset(
    {"electric_kwh", "pv_kwh", "hvac_kwh", "water_m3"}
)


@dataclass(frozen=True, slots=True)
class LiveConfig:
    site: Site
    day_reset_hour: int = 4
    dead_letter_maxlen: int = 10_000

    @property
    def keys(self) -> Keys:
        return Keys(self.site.id)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)


def counter_kind(event: Event) -> str:
    """The field an event counts under in its stream's per-minute hash."""
    kinds: dict[str, str] = {
        "gate": "subject",
        "appointment": "action",
        "canteen": "kind",
        "energy": "quantity",
        "camera": "kind",
        "status": "state",
    }
    return str(getattr(event, kinds[event.stream]))


def _gate_operations(event: Event, keys: Keys, day: str) -> list[Operation]:
    if event.result == "denied":  # type: ignore[union-attr]
        return [["incr", keys.entries(day), "denied", 1]]
    subject = event.subject  # type: ignore[union-attr]
    step = 1 if event.direction == "in" else -1  # type: ignore[union-attr]
    ops: list[Operation] = [["incr", keys.onsite(day), subject, step]]
    if step == 1:
        ops.append(["incr", keys.entries(day), subject, 1])
    return ops


def _stream_operations(
    event: Event, keys: Keys, day: str, ts: float
) -> list[Operation]:
    device = event.device
    if event.stream == "gate":
        return _gate_operations(event, keys, day)
    if event.stream == "canteen":
        if event.kind == "settlement":
            return [["incr", keys.meals(day), device, event.count]]
        state = "open" if event.kind == "window_open" else "closed"
        return [
            [
                "newer",
                keys.window_state(),
                device,
                state,
                keys.window_state() + "_ts",
                ts,
            ]
        ]
    if event.stream == "energy":
        ops: list[Operation] = [
            [
                "newer",
                keys.meter_value,
                device,
                event.value,
                keys.meter_value + "_ts",
                ts,
            ]
        ]
        if event.quantity in POWER_QUANTITIES:
            kwh = event.value * event.interval_s / 3600
            ops.append(["incrf", keys.energy_total(day), device, kwh])
        elif event.quantity in INTERVAL_ENERGY_QUANTITIES and not event.cumulative:
            ops.append(["incrf", keys.energy_total(day), device, event.value])
        return ops
    if event.stream == "camera" and event.kind in ("people_count", "crowd_density"):
        field = f"{device}:{event.zone or '-'}"
        count_key = keys.camera_count()
        return [["newer", count_key, field, event.count, count_key + "_ts", ts]]
    if event.stream == "status":
        state = "offline" if event.state == "offline" else "online"
        return [
            ["newer", keys.device_state, device, state, keys.device_state + "_ts", ts]
        ]
    return []


def operations_for(event: Event, config: LiveConfig) -> list[Operation]:
    """Every Redis change one event makes (pure: no I/O)."""
    keys = config.keys
    ts = event.ts.timestamp()
    day = local_day(event.ts, config.day_reset_hour, config.tz)
    minute = event.ts.astimezone(UTC).strftime("%Y%m%d%H%M")
    latest = event.model_dump_json(exclude={"stream"})
    return [
        ["incr", keys.minute(event.stream, minute), counter_kind(event), 1],
        ["newer", keys.latest, event.device, latest, keys.latest_ts, ts],
        ["zmax", keys.last_seen, event.device, ts],
        *_stream_operations(event, keys, day, ts),
    ]


def _expiry(op: Operation, keys: Keys) -> int | None:
    key = str(op[1])
    if ":minute:" in key:
        return MINUTE_TTL_S
    day_keys = (":onsite:", ":entries:", ":meals:", ":energy_total:")
    return DAY_TTL_S if any(part in key for part in day_keys) else None


def build_batch(events: Sequence[Event], config: LiveConfig) -> dict[str, list[object]]:
    """The script's argument: per event its guard set and operations, plus key expiries."""
    keys = config.keys
    items: list[object] = []
    expire: dict[str, int] = {}
    for event in events:
        ops = operations_for(event, config)
        hour = event.ts.astimezone(UTC).strftime("%Y%m%d%H")
        seen = keys.seen(hour)
        expire[seen] = SEEN_TTL_S
        for op in ops:
            ttl = _expiry(op, keys)
            if ttl is not None:
                expire[str(op[1])] = ttl
        items.append({"seen": seen, "id": str(event.event_id), "ops": ops})
    return {"events": items, "expire": [[k, v] for k, v in expire.items()]}


class LiveState:
    """Applies batches of events and dead letters to Redis and announces what changed."""

    def __init__(self, client: redis.Redis, config: LiveConfig) -> None:
        self._client = client
        self._config = config
        self._keys = config.keys
        self._apply = client.register_script(APPLY_SCRIPT)

    def apply(self, events: Sequence[Event]) -> int:
        """Apply events not applied before; returns how many were new. Atomic per call."""
        if not events:
            return 0
        batch = build_batch(events, self._config)
        applied = self._apply(keys=[self._keys.latest], args=[json.dumps(batch)])
        groups = sorted({events[int(i) - 1].stream for i in applied})
        self._announce(groups)
        return len(applied)

    def record_dead_letters(
        self, errors: Sequence[DecodeError], received_at: datetime
    ) -> None:
        """Append refused messages to the bounded dead-letter stream and count them."""
        if not errors:
            return
        pipe = self._client.pipeline(transaction=True)
        for error in errors:
            fields = {
                "topic": error.topic,
                "reason": error.reason,
                # Text-safe: valid UTF-8 as is, other bytes escaped (\\xff).
                "raw": error.raw.decode("utf-8", "backslashreplace"),
                "received_at": received_at.isoformat(),
            }
            pipe.xadd(
                self._keys.dead_letters,
                fields,  # type: ignore[arg-type]
                maxlen=self._config.dead_letter_maxlen,
                approximate=True,
            )
        pipe.incrby(self._keys.dead_letter_count, len(errors))
        pipe.execute()
        self._announce(["deadletter"])

    def _announce(self, groups: Sequence[str]) -> None:
        for group in groups:
            self._client.publish(self._keys.changed_channel, group)
