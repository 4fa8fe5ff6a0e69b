"""The read model for live state: typed snapshots of the compound, read from Redis.

The snapshot's one pipelined read is `dashboard.live_fetch` (each command named, its
reply looked up by name); history reads: `dashboard.history`. Nothing raw leaves this
module: a snapshot is a frozen dataclass, and an unreachable Redis is the value
`LiveUnavailable`, never an exception into a callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import redis

from dashboard.live_fetch import LiveReplies, fetch_live
from streams.config.site import Site
from streams.live.keys import Keys
from streams.wire.contracts import STREAMS, local_day

logger = logging.getLogger(__name__)

SUBJECTS = ("staff", "visitor", "vehicle")
OFFLINE_AFTER_S = 600.0
RATE_MINUTES = 10
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DeviceHealth:
    online: int
    total: int


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """The compound now. Counts are ints, power kW, water m³, energy kWh."""

    at: datetime
    day: str
    onsite: Mapping[str, int]
    entries: Mapping[str, int]
    denied: int
    meals_by_window: Mapping[str, int]
    meals_by_canteen: Mapping[str, int]
    windows_open: Mapping[str, bool]
    power_by_building_kw: Mapping[str, float]
    pv_kw: float
    hvac_kw: float
    water_today_m3: float
    electricity_today_kwh: float
    minutes: tuple[datetime, ...]  # UTC minute starts, oldest first (last = current)
    events_per_minute: Mapping[str, tuple[int, ...]]  # stream → counts per minute
    devices: DeviceHealth
    dead_letters: int
    last_data: Mapping[str, datetime | None]  # group → time of its latest event

    @property
    def power_kw(self) -> float:
        return sum(self.power_by_building_kw.values())

    @property
    def people_onsite(self) -> int:
        return self.onsite["staff"] + self.onsite["visitor"]

    def total_per_minute(self) -> tuple[int, ...]:
        columns = zip(*self.events_per_minute.values(), strict=True)
        return tuple(sum(c) for c in columns)

    def age_s(self, group: str) -> float | None:
        """Seconds since the group's latest event, or None if never heard from."""
        last = self.last_data.get(group)
        return None if last is None else (self.at - last).total_seconds()


@dataclass(frozen=True, slots=True)
class LiveUnavailable:
    """Live data could not be read (Redis down or unreachable)."""

    at: datetime
    reason: str


LiveResult = LiveSnapshot | LiveUnavailable


def _int(value: str | None) -> int:
    try:
        return int(float(value)) if value is not None else 0
    except ValueError:
        return 0


def _float(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


def _minute_starts(now: datetime) -> tuple[datetime, ...]:
    current = now.astimezone(UTC).replace(second=0, microsecond=0)
    return tuple(
        current - timedelta(minutes=k) for k in range(RATE_MINUTES - 1, -1, -1)
    )


class LiveReader:
    """Reads one site's live KPIs from Redis in a single round trip."""

    def __init__(
        self,
        client: redis.Redis,
        site: Site,
        *,
        day_reset_hour: int = 4,
        clock: Clock = utc_now,
    ) -> None:
        self._client = client
        self._site = site
        self._keys = Keys(site.id)
        self._tz = ZoneInfo(site.timezone)
        self._reset_hour = day_reset_hour
        self._clock = clock
        self._available = True

    @classmethod
    def from_url(
        cls, url: str, site: Site, *, day_reset_hour: int = 4, clock: Clock = utc_now
    ) -> LiveReader:
        client = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=1.0, socket_timeout=2.0
        )
        return cls(client, site, day_reset_hour=day_reset_hour, clock=clock)

    @property
    def site(self) -> Site:
        return self._site

    def snapshot(self) -> LiveResult:
        now = self._clock()
        try:
            raw = self._fetch(now)
        except redis.RedisError as exc:
            if self._available:
                logger.warning("live data unavailable: %s", type(exc).__name__)
            self._available = False
            return LiveUnavailable(at=now, reason=type(exc).__name__)
        if not self._available:
            logger.info("live data available again")
        self._available = True
        return self._build(now, raw)

    def ping(self) -> bool:
        """Whether Redis answers (for the health route)."""
        try:
            return bool(self._client.ping())
        except redis.RedisError:
            return False

    def close(self) -> None:
        self._client.close()

    def _fetch(self, now: datetime) -> LiveReplies:
        day = local_day(now, self._reset_hour, self._tz)
        return fetch_live(self._client, self._keys, day, _minute_starts(now))

    def _build(self, now: datetime, raw: LiveReplies) -> LiveSnapshot:
        site = self._site
        return LiveSnapshot(
            at=now,
            day=raw.day,
            onsite={s: max(0, _int(raw.onsite.get(s))) for s in SUBJECTS},
            entries={s: _int(raw.entries.get(s)) for s in SUBJECTS},
            denied=_int(raw.entries.get("denied")),
            meals_by_window={w: _int(raw.meals.get(w)) for w in site.windows},
            meals_by_canteen=_meals_by_canteen(site, raw.meals),
            windows_open={w: raw.windows.get(w) == "open" for w in site.windows},
            power_by_building_kw=_power_by_building(site, raw.meters),
            pv_kw=_sum_quantity(site, raw.meters, "pv_kw"),
            hvac_kw=_sum_quantity(site, raw.meters, "hvac_kw"),
            water_today_m3=_sum_quantity(site, raw.totals, "water_m3"),
            electricity_today_kwh=_sum_quantity(site, raw.totals, "electric_kw"),
            minutes=_minute_starts(now),
            events_per_minute=_rates(raw.minutes),
            devices=_device_health(site, raw.states, raw.last_seen, now),
            dead_letters=_int(raw.dead_letters),
            last_data=_last_data(raw.stream_seen, raw.last_seen),
        )


def _meals_by_canteen(site: Site, meals: Mapping[str, str]) -> dict[str, int]:
    totals = {c.id: 0 for c in site.canteens}
    for window_id, (canteen, _) in site.windows.items():
        totals[canteen.id] += _int(meals.get(window_id))
    return totals


def _power_by_building(site: Site, meters: Mapping[str, str]) -> dict[str, float]:
    """Sum of the latest electric_kw readings of each building's meters."""
    power = {b.id: 0.0 for b in site.buildings}
    for meter in site.meters:
        if meter.quantity == "electric_kw":
            power[meter.building] += _float(meters.get(meter.id))
    return power


def _sum_quantity(site: Site, values: Mapping[str, str], quantity: str) -> float:
    """Site total of a quantity: top-level meters only (sub-meters are inside them)."""
    return sum(
        _float(values.get(m.id))
        for m in site.meters
        if m.quantity == quantity and not m.cumulative and m.parent is None
    )


def _rates(
    minutes: Mapping[str, tuple[dict[str, str], ...]],
) -> dict[str, tuple[int, ...]]:
    """stream → events per minute (every kind), oldest minute first."""
    return {
        stream: tuple(sum(_int(v) for v in counts.values()) for counts in per_minute)
        for stream, per_minute in minutes.items()
    }


def _device_health(
    site: Site, states: Mapping[str, str], seen: Mapping[str, float], now: datetime
) -> DeviceHealth:
    """Online: not reported offline and heard from within OFFLINE_AFTER_S."""
    devices = site.devices_by_stream["status"]
    cutoff = now.timestamp() - OFFLINE_AFTER_S
    online = sum(
        1
        for d in devices
        if states.get(d) != "offline" and seen.get(d, float("-inf")) >= cutoff
    )
    return DeviceHealth(online=online, total=len(devices))


def _last_data(
    stream_seen: Mapping[str, float], seen: Mapping[str, float]
) -> dict[str, datetime | None]:
    """Per stream, the newest event's time ("any" = the newest of any device)."""
    last: dict[str, datetime | None] = {
        stream: _from_epoch(stream_seen[stream]) if stream in stream_seen else None
        for stream in STREAMS
    }
    last["any"] = _from_epoch(max(seen.values())) if seen else None
    return last


def _from_epoch(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
