"""Live-state operations, pure: what each event changes in Redis, merged per batch.

`operations_for` describes one event's changes. `merge_operations` folds a batch into
the fewest operations (counters summed, "newer" values reduced to the winner per
field), so Redis does a handful of writes per batch instead of several per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from streams.config.site import Site
from streams.live.keys import DAY_TTL_S, MINUTE_TTL_S, SEEN_TTL_S, Keys
from streams.wire.contracts import (
    CameraEvent,
    CanteenEvent,
    EnergyEvent,
    Event,
    GateEvent,
    StatusEvent,
    local_day,
)

# Operations understood by the apply script (streams.live.state.APPLY_SCRIPT):
#   ["incr", key, field, n]        HINCRBY
#   ["incrf", key, field, x]       HINCRBYFLOAT
#   ["newer", key, field, value, ts_key, ts]  HSET both when ts is later than stored
#                                   (on equal ts, when value sorts after the stored one)
#   ["zmax", key, member, score]   ZADD GT
Operation = list[str | int | float]
GUARD_CHUNK = 500  # ids per SADD/SMISMEMBER call (Lua unpack limits)

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
        return ZoneInfo(self.site.timezone)  # ZoneInfo caches instances per key


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


def _newer(key: str, field: str, value: object, ts: float) -> Operation:
    """Set key[field] unless a newer event already did (event time kept in key_ts).

    Values travel as text: Lua would print 812.4 as 812.39999999999998."""
    return ["newer", key, field, str(value), f"{key}_ts", ts]


def _gate_operations(event: GateEvent, keys: Keys, day: str) -> list[Operation]:
    if event.result == "denied":
        return [["incr", keys.entries(day), "denied", 1]]
    step = 1 if event.direction == "in" else -1
    ops: list[Operation] = [["incr", keys.onsite(day), event.subject, step]]
    if step == 1:
        ops.append(["incr", keys.entries(day), event.subject, 1])
    return ops


def _energy_operations(
    event: EnergyEvent, keys: Keys, day: str, ts: float
) -> list[Operation]:
    ops = [_newer(keys.meter_value, event.device, event.value, ts)]
    if event.quantity in POWER_QUANTITIES:
        kwh = event.value * event.interval_s / 3600
        ops.append(["incrf", keys.energy_total(day), event.device, kwh])
    elif event.quantity in INTERVAL_ENERGY_QUANTITIES and not event.cumulative:
        ops.append(["incrf", keys.energy_total(day), event.device, event.value])
    return ops


def _stream_operations(
    event: Event, keys: Keys, day: str, ts: float
) -> list[Operation]:
    if isinstance(event, GateEvent):
        return _gate_operations(event, keys, day)
    if isinstance(event, EnergyEvent):
        return _energy_operations(event, keys, day, ts)
    if isinstance(event, CanteenEvent):
        if event.kind == "settlement":
            return [["incr", keys.meals(day), event.device, event.count]]
        state = "open" if event.kind == "window_open" else "closed"
        return [_newer(keys.window_state(), event.device, state, ts)]
    if isinstance(event, CameraEvent) and event.kind in (
        "people_count",
        "crowd_density",
    ):
        field = f"{event.device}:{event.zone or '-'}"
        return [_newer(keys.camera_count(), field, event.count, ts)]
    if isinstance(event, StatusEvent):
        state = "offline" if event.state == "offline" else "online"
        return [_newer(keys.device_state, event.device, state, ts)]
    return []


@dataclass(frozen=True, slots=True)
class TimeLabels:
    minute: str  # UTC YYYYmmddHHMM
    hour: str  # UTC YYYYmmddHH (the replay-guard set)
    day: str  # the site's local day (`contracts.local_day`)


@lru_cache(maxsize=4096)
def _labels_of_minute(epoch_minute: int, reset_hour: int, tz: ZoneInfo) -> TimeLabels:
    moment = datetime.fromtimestamp(epoch_minute * 60, UTC)
    minute = moment.strftime("%Y%m%d%H%M")
    return TimeLabels(minute, minute[:10], local_day(moment, reset_hour, tz))


def time_labels(ts: datetime, reset_hour: int, tz: ZoneInfo) -> TimeLabels:
    """Key labels of an event time; cached per minute (strftime is the hot spot)."""
    return _labels_of_minute(int(ts.timestamp() // 60), reset_hour, tz)


def placeable(event: Event, config: LiveConfig) -> bool:
    """Whether the event's time has Redis keys (a UTC minute and hour in years
    1–9999, a site day). The edge refuses other times; a batch spooled by an older
    version may still hold one, and it must not fail the batch or a rebuild."""
    try:
        time_labels(event.ts, config.day_reset_hour, config.tz)
    except (OverflowError, ValueError):
        return False
    return True


def operations_for(event: Event, config: LiveConfig) -> list[Operation]:
    """Every Redis change one event makes (pure: no I/O)."""
    keys = config.keys
    ts = event.ts.timestamp()
    labels = time_labels(event.ts, config.day_reset_hour, config.tz)
    return [
        ["incr", keys.minute(event.stream, labels.minute), counter_kind(event), 1],
        ["zmax", keys.last_seen, event.device, ts],
        ["zmax", keys.stream_last_seen, event.stream, ts],
        *_stream_operations(event, keys, labels.day, ts),
    ]


def _expiry(op: Operation) -> int | None:
    key = str(op[1])
    if ":minute:" in key:
        return MINUTE_TTL_S
    day_keys = (":onsite:", ":entries:", ":meals:", ":energy_total:")
    return DAY_TTL_S if any(part in key for part in day_keys) else None


def merge_operations(operations: Iterable[Operation]) -> list[Operation]:
    """The same effect in fewer operations: sums per counter field, one winner per
    "newer" field (later ts, then larger value: the script's own rule), max per
    member."""
    sums: dict[tuple[str, str, str], float] = {}
    newest: dict[tuple[str, str], Operation] = {}
    highest: dict[tuple[str, str], float] = {}
    for op in operations:
        code, key, field = str(op[0]), str(op[1]), str(op[2])
        if code in ("incr", "incrf"):
            sums[(code, key, field)] = sums.get((code, key, field), 0) + float(op[3])
        elif code == "newer":
            held = newest.get((key, field))
            if held is None or (float(op[5]), str(op[3])) > (
                float(held[5]),
                str(held[3]),
            ):
                newest[(key, field)] = op
        elif code == "zmax":
            highest[(key, field)] = max(
                highest.get((key, field), float(op[3])), float(op[3])
            )
    merged: list[Operation] = [
        [code, key, field, int(total) if code == "incr" else total]
        for (code, key, field), total in sums.items()
    ]
    merged += newest.values()
    merged += [["zmax", key, member, score] for (key, member), score in highest.items()]
    return merged


def build_batch(events: Sequence[Event], config: LiveConfig) -> dict[str, object]:
    """The script's argument: guard sets with their event ids, merged operations and
    key expiries."""
    keys = config.keys
    guards: dict[str, list[str]] = {}
    operations: list[Operation] = []
    batch: dict[str, Event] = {}
    for event in events:  # the same event twice in one batch counts once
        batch.setdefault(str(event.event_id), event)
    for event_id, event in batch.items():
        hour = time_labels(event.ts, config.day_reset_hour, config.tz).hour
        guards.setdefault(keys.seen(hour), []).append(event_id)
        operations += operations_for(event, config)
    merged = merge_operations(operations)
    expire = {seen: SEEN_TTL_S for seen in guards}
    for op in merged:
        ttl = _expiry(op)
        if ttl is not None:
            expire[str(op[1])] = ttl
    chunks = [
        [seen, ids[i : i + GUARD_CHUNK]]
        for seen, ids in guards.items()
        for i in range(0, len(ids), GUARD_CHUNK)
    ]
    return {
        "guards": chunks,
        "ops": merged,
        "expire": [[k, v] for k, v in expire.items()],
    }
